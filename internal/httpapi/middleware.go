package httpapi

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/service"
)

func newRequestID() string { return uuid.Must(uuid.NewV7()).String() }

// ipExtractor gives the client's address. Without trusted proxies it is the
// peer's. With them, X-Forwarded-For is read from the right and believed only
// through exactly the configured ranges: Echo would otherwise also trust every
// loopback, link-local and private peer, so anyone on a private network could
// bypass the login and contact limits and write any address into the audit.
func ipExtractor(cfg *config.Config) echo.IPExtractor {
	if len(cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range cfg.TrustedProxies {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// recoverer turns a panic into a 500 problem; the stack goes to the log only.
func (s *Server) recoverer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
					"route", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = apperr.New(apperr.KindInternal, "Something went wrong on our side.")
			}
		}()
		return next(c)
	}
}

// accessLog writes one line per request: the route pattern, never the raw
// path or query (they can hold ids, names or tokens), plus status and time.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		elapsed := time.Since(start)
		s.metrics.observe(c.Request().Method, route, status, elapsed)
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			return nil
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		attrs := []slog.Attr{
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("method", c.Request().Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", c.Response().Size),
			slog.Duration("duration", elapsed),
		}
		if p := principal(c); p != nil {
			attrs = append(attrs, slog.String("user_id", p.UserID))
		}
		s.log.LogAttrs(c.Request().Context(), level, "request", attrs...)
		return nil
	}
}

const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// requestMeta puts the request id and client IP in the context for audit.
func (s *Server) requestMeta(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := service.WithMeta(c.Request().Context(), service.Meta{
			RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
			IP:        c.RealIP(),
			UserAgent: c.Request().UserAgent(),
		})
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > n {
				return apperr.New(apperr.KindTooLarge, fmt.Sprintf("The request body is larger than %d bytes.", n))
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, n)
			return next(c)
		}
	}
}

const principalKey = "brug.principal"

func principal(c echo.Context) *service.Principal {
	p, _ := c.Get(principalKey).(*service.Principal)
	return p
}

// authenticate requires a valid bearer access token.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return apperr.New(apperr.KindUnauthorized, "Sign in first: an Authorization: Bearer token is required.")
		}
		p, err := s.svc.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if err != nil {
			return err
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// require checks the caller's role may perform perm (casbin). Rows are
// scoped again inside the store queries.
func (s *Server) require(perm string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := principal(c)
			if p == nil {
				return apperr.New(apperr.KindUnauthorized, "Sign in first.")
			}
			if !s.svc.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", perm) {
				return apperr.Forbidden()
			}
			return next(c)
		}
	}
}

// inScope answers 404 unless the :id record is visible to the caller.
func (s *Server) inScope(kind string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id, err := pathID(c)
			if err != nil {
				return err
			}
			if kind == "client" {
				// A merged record's id (an old link) resolves to the
				// record it was merged into.
				to := s.svc.ResolveClientID(c.Request().Context(), id)
				if to != id {
					id = to
					values := c.ParamValues()
					for i, name := range c.ParamNames() {
						if name == "id" {
							values[i] = to
						}
					}
					c.SetParamValues(values...)
				}
			}
			if err := s.svc.CheckVisible(c.Request().Context(), principal(c), kind, id); err != nil {
				return err
			}
			return next(c)
		}
	}
}
