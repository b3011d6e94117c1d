package httpapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/brug-chw/brug/internal/apperr"
)

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.db.Ping(ctx); err != nil {
		return &apperr.Error{Kind: apperr.KindUnavailable, Detail: "The database is not reachable.", RetryAfter: 5e9, Cause: err}
	}
	// Behind the schema this binary needs (migrations not yet run, or a
	// restore of an older backup): not ready. A newer schema is ready: an
	// old replica keeps serving while a rolling upgrade runs, migrations
	// being additive (deploy/README.md).
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	current, target, err := s.db.Schema(sctx)
	if err != nil {
		return &apperr.Error{Kind: apperr.KindUnavailable, Detail: "The database schema could not be read.", RetryAfter: 5e9, Cause: err}
	}
	if current < target {
		return &apperr.Error{Kind: apperr.KindUnavailable, RetryAfter: 5e9,
			Detail: fmt.Sprintf("The database schema is at migration %d; this version of Brug needs %d (run brug migrate).", current, target)}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// metricsHandler serves /metrics on the main listener only behind
// BRUG_METRICS_TOKEN: the figures include business counts (open and overdue
// contact requests, per-route traffic). Without a token, or when a separate
// metrics listener is configured, the route answers 404 like any unknown path.
func (s *Server) metricsHandler(c echo.Context) error {
	if s.cfg.MetricsToken == "" || s.cfg.MetricsAddr != "" {
		return apperr.New(apperr.KindNotFound, "Not found.")
	}
	got, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.MetricsToken)) != 1 {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return apperr.New(apperr.KindUnauthorized, "The metrics need the BRUG_METRICS_TOKEN bearer token.")
	}
	s.MetricsHandler().ServeHTTP(c.Response(), c.Request())
	return nil
}

// MetricsHandler is the Prometheus exposition itself, for the separate
// metrics listener (BRUG_METRICS_ADDR).
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})
}

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", s.openapi)
}
