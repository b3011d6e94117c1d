package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []apperr.FieldError `json:"errors"`
}

// errorHandler is the one place that turns an error into a response. A cause
// (driver text, stack) is logged with the request id, never sent.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae := s.classify(c.Request().Context(), err)
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	if ae.Kind == apperr.KindInternal || ae.Kind == apperr.KindUnavailable && ae.Cause != nil {
		s.log.Error("request failed", "request_id", rid, "method", c.Request().Method,
			"route", c.Path(), "kind", ae.Kind, "err", err)
	}
	if ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(ae.RetryAfter.Seconds()))))
	}
	p := problem{
		Type:      "urn:brug:problem:" + string(ae.Kind),
		Title:     ae.Title(),
		Status:    ae.Status(),
		Detail:    ae.Detail,
		Instance:  c.Request().URL.Path,
		RequestID: rid,
		Errors:    ae.Fields,
	}
	if p.Errors == nil {
		p.Errors = []apperr.FieldError{}
	}
	if ae.Kind == apperr.KindUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="brug"`)
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	if len(ae.Extra) == 0 {
		_ = json.NewEncoder(c.Response()).Encode(p)
		return
	}
	body := map[string]any{}
	raw, _ := json.Marshal(p)
	_ = json.Unmarshal(raw, &body)
	for k, v := range ae.Extra {
		if _, taken := body[k]; !taken {
			body[k] = v
		}
	}
	_ = json.NewEncoder(c.Response()).Encode(body)
}

// queryCancelled tells a query stopped by its context: the context's own
// errors, SQLite's "interrupted (9)" (sqlite3_interrupt) and PostgreSQL's
// query_canceled (57014).
func queryCancelled(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "interrupted (9)") || strings.Contains(msg, "SQLITE_INTERRUPT") ||
		strings.Contains(msg, "SQLSTATE 57014")
}

func (s *Server) classify(ctx context.Context, err error) *apperr.Error {
	if ae, ok := apperr.As(err); ok {
		return ae
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		switch he.Code {
		case http.StatusNotFound:
			return apperr.New(apperr.KindNotFound, "There is nothing at this address.")
		case http.StatusMethodNotAllowed:
			return apperr.New(apperr.KindMethod, "This address does not accept this method.")
		case http.StatusRequestEntityTooLarge:
			return apperr.New(apperr.KindTooLarge, "The request body is too large.")
		case http.StatusUnauthorized:
			return apperr.New(apperr.KindUnauthorized, "Sign in first.")
		case http.StatusForbidden:
			return apperr.Forbidden()
		case http.StatusTooManyRequests:
			return apperr.New(apperr.KindRateLimited, "Too many requests.")
		case http.StatusUnsupportedMediaType:
			return apperr.New(apperr.KindUnsupported, "Unsupported media type.")
		case http.StatusServiceUnavailable:
			return apperr.New(apperr.KindUnavailable, "The service is unavailable.")
		}
		if he.Code >= 400 && he.Code < 500 {
			return apperr.New(apperr.KindMalformed, "The request is not valid.")
		}
		return apperr.Wrap(apperr.KindInternal, "Something went wrong on our side.", err)
	}
	if queryCancelled(err) {
		// A query stopped because the request ended: the client went away
		// (499), or the request's deadline passed (503, retry).
		if errors.Is(ctx.Err(), context.Canceled) {
			return apperr.Wrap(apperr.KindClientClosed, "The request was cancelled.", err)
		}
		return &apperr.Error{Kind: apperr.KindUnavailable, Detail: "The request took too long. Try again shortly.", RetryAfter: 1e9, Cause: err}
	}
	// An unexpected error while the database does not answer is an outage,
	// not a bug: say so, and let the client retry.
	if s.db != nil && s.db.Ping(context.WithoutCancel(ctx)) != nil {
		s.metrics.dbUnavailable.Inc()
		return &apperr.Error{Kind: apperr.KindUnavailable, Detail: "The database is not reachable. Try again shortly.", RetryAfter: 5e9, Cause: err}
	}
	return apperr.Wrap(apperr.KindInternal, "Something went wrong on our side.", err)
}
