// Package app wires the process together: configuration, logging, the
// database, services and the HTTP server, and implements the subcommands
// of cmd/brug (serve, migrate, seed, user create).
package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/brug-chw/brug/api"
	"github.com/brug-chw/brug/frontend"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/httpapi"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// Token audience and issuer of access JWTs.
const (
	TokenIssuer   = "brug"
	TokenAudience = "brug-api"
)

// NewLogger builds the process logger from the configuration.
func NewLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Prepare opens the database, applies migrations and loads reference data.
func Prepare(ctx context.Context, cfg *config.Config) (*db.DB, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL, db.Options{MaxOpenConns: cfg.DBMaxOpenConns, MaxIdleConns: cfg.DBMaxIdleConns, ConnMaxLifetime: cfg.DBConnMaxLifetime, SQLiteReaders: cfg.SQLiteReaders})
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		_ = d.Close()
		return nil, err
	}
	ref, err := reference.Load()
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	if err := store.New(d.Gorm, nil).SyncReference(ctx, ref); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if err := store.New(d.Gorm, nil).RefoldSearchText(ctx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("fold client names: %w", err)
	}
	return d, nil
}

// Options let tests swap the clock and the hashing cost.
type Options struct {
	Now            func() time.Time
	PasswordParams *auth.PasswordParams
	Registry       *prometheus.Registry
}

// NewService builds the service layer.
func NewService(cfg *config.Config, d *db.DB, log *slog.Logger, o Options) (*service.Service, error) {
	if err := cfg.LoadOrCreateSecret(func(b []byte) error { _, err := rand.Read(b); return err }); err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	params := auth.DefaultPasswordParams
	if o.PasswordParams != nil {
		params = *o.PasswordParams
	}
	tokens, err := auth.NewTokenIssuer(cfg.JWTSecret, TokenIssuer, TokenAudience, cfg.AccessTTL, now)
	if err != nil {
		return nil, err
	}
	authz, err := auth.NewAuthorizer()
	if err != nil {
		return nil, err
	}
	sealKey := cfg.SecondFactorKey
	if len(sealKey) == 0 {
		sealKey = cfg.JWTSecret
	}
	second, err := auth.NewSecondFactor(sealKey, "Brug", now)
	if err != nil {
		return nil, err
	}
	roles := map[string]bool{}
	for _, r := range cfg.SecondFactorRoles {
		roles[r] = true
	}
	st := store.New(d.Gorm, now)
	st.SetReader(d.Read)
	// On SQLite every change is made in this process and told to the
	// cache; on PostgreSQL other replicas' changes arrive by NOTIFY, so
	// the cache waits for ListenAuthChanges.
	cache := service.NewAuthCache(cfg.AuthCacheTTL, st.Now, d.Engine != db.Postgres)
	st.OnAuthChange(cache.Invalidate)
	return &service.Service{
		Store:              st,
		AuthCache:          cache,
		Hasher:             auth.NewHasher(params, cfg.HashSlots),
		Tokens:             tokens,
		Devices:            auth.NewDeviceSigner(cfg.JWTSecret, now),
		SecondFactor:       second,
		SecondFactorRoles:  roles,
		Limiter:            auth.NewLoginLimiter(auth.DefaultLoginLimits, now),
		Authz:              authz,
		Log:                log,
		RefreshTTL:         cfg.RefreshTTL,
		ReferralExpiry:     cfg.ReferralExpiry,
		ReportThreshold:    cfg.ReportThreshold,
		Reports:            service.NewReportGate(cfg.ReportConcurrency),
		LinkSecret:         cfg.JWTSecret,
		Areas:              &service.AreaCache{},
		ContactRetention:   cfg.ContactRetention,
		EmergencyAccessTTL: cfg.EmergencyAccess,
		RetentionMonths:    cfg.RetentionMonths,
		Reminders: service.ReminderPolicy{QuietFrom: cfg.QuietFrom, QuietTo: cfg.QuietTo,
			Configured: map[string]bool{"sms": cfg.SMSURL != "", "email": cfg.SMTPURL != ""}},
	}, nil
}

// ListenAuthChanges, on PostgreSQL, keeps a LISTEN connection to url on
// which every replica's changes to accounts and sessions arrive, and keeps
// svc's AuthCache in use only while it is up. stop ends it and waits.
func ListenAuthChanges(url string, d *db.DB, svc *service.Service, log *slog.Logger) (stop func()) {
	cache := svc.AuthCache
	if d.Engine != db.Postgres || !cacheOn(cache) {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		db.Listen(ctx, url, store.AuthChannel, func(payload string) {
			if ch, ok := store.ParseAuthChange(payload); ok {
				cache.Invalidate(ch)
			}
		}, cache.SetLive, log)
	}()
	return func() { cancel(); <-done }
}

func cacheOn(c *service.AuthCache) bool { return c != nil && c.TTL() > 0 }

// registerAuthCacheMetrics exports the auth cache's counts; a replica
// whose brug_auth_cache_live stays 0 reads every request's caller from
// the database (its LISTEN connection is down).
func registerAuthCacheMetrics(reg prometheus.Registerer, svc *service.Service) {
	count := func(name, help string, f func(service.AuthCacheStats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(f(svc.AuthCache.Stats())) })
	}
	for _, c := range []prometheus.Collector{
		count("brug_auth_cache_hits_total", "Signed-in requests whose caller came from the auth cache.",
			func(s service.AuthCacheStats) uint64 { return s.Hits }),
		count("brug_auth_cache_misses_total", "Signed-in requests whose caller was read from the database.",
			func(s service.AuthCacheStats) uint64 { return s.Misses }),
		count("brug_auth_cache_invalidations_total", "Changes to accounts and sessions the auth cache heard of.",
			func(s service.AuthCacheStats) uint64 { return s.Heard }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "brug_auth_cache_live", Help: "1 while the auth cache is in use."},
			func() float64 {
				if svc.AuthCache.Live() {
					return 1
				}
				return 0
			}),
	} {
		_ = reg.Register(c) // a second server on one registry keeps the first's
	}
}

// NewServer builds the HTTP server around a service.
func NewServer(cfg *config.Config, d *db.DB, svc *service.Service, log *slog.Logger, reg *prometheus.Registry) *httpapi.Server {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	registerAuthCacheMetrics(reg, svc)
	return httpapi.New(httpapi.Deps{
		Config: cfg, DB: d, Service: svc, Log: log, Registry: reg,
		SPA: frontend.Dist(), OpenAPI: api.OpenAPI,
	})
}

// NewWorker builds the reminder worker from the configuration: a channel
// without a configured sender keeps its messages queued.
func NewWorker(cfg *config.Config, svc *service.Service, reg prometheus.Registerer) (*reminder.Worker, error) {
	senders := map[string]reminder.Sender{}
	if cfg.SMSURL != "" {
		senders["sms"] = reminder.SMSGateway{URL: cfg.SMSURL, Token: cfg.SMSToken}
	}
	if cfg.SMTPURL != "" {
		smtp, err := reminder.SMTPFromURL(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("BRUG_SMTP_URL: %w", err)
		}
		senders["email"] = smtp
	}
	return &reminder.Worker{
		Store: svc.Store, Senders: senders, Now: time.Now, MaxAttempts: cfg.ReminderMaxAttempts,
		Concurrency: cfg.ReminderConcurrency, BaseURL: cfg.BaseURL.String(), ReplySecret: cfg.JWTSecret,
		Log: svc.Log, Metrics: reminder.NewMetrics(reg),
	}, nil
}
