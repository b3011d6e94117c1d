// Package httpapi owns the HTTP surface: routes.go lists every route with
// the permission it needs; one handler file per domain binds and validates
// input, calls a service and writes a DTO. Handlers never touch GORM.
package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/service"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// Deps are what the server needs.
type Deps struct {
	Config   *config.Config
	DB       *db.DB
	Service  *service.Service
	Log      *slog.Logger
	Registry *prometheus.Registry
	SPA      fs.FS
	OpenAPI  []byte
}

// Server is the Echo application.
type Server struct {
	E        *echo.Echo
	cfg      *config.Config
	db       *db.DB
	svc      *service.Service
	log      *slog.Logger
	metrics  *metrics
	spa      fs.FS
	openapi  []byte
	secure   bool
	registry *prometheus.Registry
	// contactLimiter throttles the public contact form per address.
	contactLimiter *ipLimiter
	// pages holds the rendered public pages and static files.
	pages pageCache
	// handler is the router behind the in-flight cap, deadline and gzip.
	handler http.Handler
	// crashAfterCommit is the test-only crash hook (see crashAfterCommitEnv).
	crashAfterCommit string
}

// New builds the router with every middleware and route.
func New(d Deps) *Server {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{E: e, cfg: d.Config, db: d.DB, svc: d.Service, log: d.Log, spa: d.SPA, openapi: d.OpenAPI}
	s.secure = d.Config.BaseURL.Scheme == "https"
	s.crashAfterCommit = os.Getenv(crashAfterCommitEnv)
	s.contactLimiter = newIPLimiter(d.Config.ContactPerHour)
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	s.registry = d.Registry
	s.metrics = newMetrics(d.Registry, d.DB)
	if d.Service != nil {
		d.Service.AuditFailed = s.metrics.auditFailures.Inc
		d.Registry.MustRegister(newContactCollector(d.Service))
		if b := d.Service.AuditReads; b != nil {
			registerAuditBatchMetrics(d.Registry, b)
		}
	}
	e.HTTPErrorHandler = s.errorHandler
	e.IPExtractor = ipExtractor(d.Config)

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		Generator: func() string { return strings.ReplaceAll(newRequestID(), "-", "") },
	}))
	e.Use(s.recoverer)
	e.Use(s.accessLog)
	e.Use(s.securityHeaders)
	e.Use(s.requestMeta)
	e.Use(bodyLimit(MaxBodyBytes))
	s.routes()
	// Compression (for phones on slow networks), the cap on requests in
	// flight and the deadline wrap the router: see boundedHandler.
	h, err := boundedHandler(e, d.Config.MaxInFlight, d.Config.RequestTimeout, s.metrics.shed.Inc)
	if err != nil {
		panic(err) // only for invalid constant options
	}
	s.handler = h
	return s
}

// ServeHTTP lets tests and the http.Server use the bounded router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer wraps the router with timeouts against slow clients.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
