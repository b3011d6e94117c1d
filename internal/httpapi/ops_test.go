package httpapi_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/testutil"
)

func TestOpsEndpointsAndHeaders(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	api.Do("GET", "/api/v1/me", nil, api.Bearer(chw))
	api.Run(t, []testutil.Scenario{
		{Name: "healthz", Method: "GET", Path: "/healthz", Status: 200, Contains: []string{`"ok"`}},
		{Name: "readyz", Method: "GET", Path: "/readyz", Status: 200, Contains: []string{`"ready"`}},
		{Name: "metrics", Method: "GET", Path: "/metrics", Headers: testutil.MetricsAuth, Status: 200, Contains: []string{
			`brug_http_requests_total{method="GET",route="/api/v1/me",status="200"}`,
			"brug_http_request_duration_seconds_bucket", `go_sql_max_open_connections{db_name="brug"}`, "brug_audit_write_failures_total"}},
		{Name: "openapi", Method: "GET", Path: "/api/openapi.yaml", Status: 200, Contains: []string{"openapi: 3.1"}},
		{Name: "api headers", Method: "GET", Path: "/api/v1/me", As: chw, Status: 200, Check: func(t *testing.T, r testutil.Response) {
			want := map[string]string{"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}
			for k, v := range want {
				if r.Header.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, r.Header.Get(k), v)
				}
			}
			if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP: %q", r.Header.Get("Content-Security-Policy"))
			}
			if r.Header.Get("X-Request-Id") == "" {
				t.Error("no request id")
			}
		}},
		{Name: "spa sign-in", Method: "GET", Path: "/login", Status: 200, Contains: []string{"<html"}, Check: func(t *testing.T, r testutil.Response) {
			if !strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("SPA without CSP: %v", r.Header)
			}
		}},
		{Name: "spa deep link", Method: "GET", Path: "/admin/users", Status: 200, Contains: []string{"<html"}},
		{Name: "missing asset", Method: "GET", Path: "/assets/nope.js", Status: 404},
		{Name: "dotfile hidden", Method: "GET", Path: "/.keep", Status: 404},
	})
}

func TestDatabaseDownAnswers503(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	h := api.Bearer(chw)
	if err := api.DB.Close(); err != nil {
		t.Fatal(err)
	}
	api.Run(t, []testutil.Scenario{
		{Name: "api", Method: "GET", Path: "/api/v1/me", Headers: h, Status: 503, Excludes: []string{"sql:", "closed"}},
		{Name: "login", Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "chw.gent1@example.org", "password": "x"}, Status: 503},
		{Name: "readyz", Method: "GET", Path: "/readyz", Status: 503},
		{Name: "healthz stays up", Method: "GET", Path: "/healthz", Status: 200},
	})
}

// Readiness follows the schema: a database behind this binary's migrations
// (not yet migrated, or restored from an older backup) is not ready, and is
// again once `brug migrate` has run.
func TestReadyzWaitsForMigrations(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		if r := api.Do("GET", "/readyz", nil, nil); r.Status != 200 {
			t.Fatalf("migrated: %d %s", r.Status, r.Body)
		}
		current, _, err := api.DB.Schema(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := api.DB.Gorm.Exec("DELETE FROM goose_db_version WHERE version_id = ?", current).Error; err != nil {
			t.Fatal(err)
		}
		r := api.Do("GET", "/readyz", nil, nil)
		if r.Status != 503 || !strings.Contains(string(r.Body), "brug migrate") {
			t.Fatalf("schema behind: %d %s", r.Status, r.Body)
		}
		if err := api.DB.Gorm.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", current, true).Error; err != nil {
			t.Fatal(err)
		}
		if r := api.Do("GET", "/readyz", nil, nil); r.Status != 200 {
			t.Fatalf("migrated again: %d %s", r.Status, r.Body)
		}
	})
}

// On PostgreSQL the connection is cut and restored: the server answers 503
// meanwhile and recovers by itself.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		if engine != db.Postgres {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			dsn := testutil.DatabaseURL(t, engine)
			u, _ := url.Parse(dsn)
			proxy := testutil.NewProxy(t, u.Host)
			u.Host = proxy.Addr()
			cfg := testutil.Config(t, u.String())
			ctx := context.Background()
			d, err := app.Prepare(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			svc, err := app.NewService(cfg, d, testutil.DiscardLogger(), app.Options{PasswordParams: &testutil.FastPasswords})
			if err != nil {
				t.Fatal(err)
			}
			api := testutil.Wrap(t, engine, cfg, d, svc)
			h := api.Bearer(chw)
			proxy.Cut()
			if r := api.Do("GET", "/api/v1/me", nil, h); r.Status != 503 || r.Header.Get("Retry-After") == "" {
				t.Fatalf("during outage: %d %s", r.Status, r.Body)
			}
			if r := api.Do("GET", "/readyz", nil, nil); r.Status != 503 {
				t.Fatalf("readyz during outage: %d", r.Status)
			}
			proxy.Restore()
			if r := api.Do("GET", "/api/v1/me", nil, h); r.Status != 200 {
				t.Fatalf("after recovery: %d %s", r.Status, r.Body)
			}
		})
	}
}

// /metrics holds business counts: it answers only with the metrics token,
// and not at all on the main listener without one or when a separate
// metrics listener serves it.
func TestMetricsAreNotPublic(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Run(t, []testutil.Scenario{
			{Name: "no token", Method: "GET", Path: "/metrics", Status: 401, Excludes: []string{"brug_contact"}, Check: func(t *testing.T, r testutil.Response) {
				if r.Header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			}},
			{Name: "wrong token", Method: "GET", Path: "/metrics", Headers: map[string]string{"Authorization": "Bearer " + testutil.MetricsToken + "x"}, Status: 401},
			{Name: "a user's token is not the metrics token", Method: "GET", Path: "/metrics", As: admin, Status: 401},
			{Name: "the metrics token", Method: "GET", Path: "/metrics", Headers: testutil.MetricsAuth, Status: 200, Contains: []string{"brug_http_requests_total"}},
		})
		for name, change := range map[string]func(c *config.Config){
			"no token configured":         func(c *config.Config) { c.MetricsToken = "" },
			"a separate metrics listener": func(c *config.Config) { c.MetricsAddr = "127.0.0.1:9099" },
			"neither token nor listener":  func(c *config.Config) { c.MetricsToken, c.MetricsAddr = "", "" },
		} {
			cfg := *api.Config
			change(&cfg)
			srv := app.NewServer(&cfg, api.DB, api.Svc, testutil.DiscardLogger(), nil)
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.Header.Set("Authorization", "Bearer "+testutil.MetricsToken)
			srv.ServeHTTP(rec, req)
			if rec.Code != 404 || strings.Contains(rec.Body.String(), "brug_") {
				t.Errorf("%s: main listener's /metrics answered %d", name, rec.Code)
			}
		}
	})
}
