package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/testutil"
)

// countStatements counts every statement GORM sends from now on.
func countStatements(b *testing.B, g *gorm.DB) *atomic.Int64 {
	b.Helper()
	n := &atomic.Int64{}
	count := func(*gorm.DB) { n.Add(1) }
	cb := g.Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("bench:count_query", count),
		cb.Row().After("gorm:row").Register("bench:count_row", count),
		cb.Raw().After("gorm:raw").Register("bench:count_raw", count),
		cb.Create().After("gorm:create").Register("bench:count_create", count),
		cb.Update().After("gorm:update").Register("bench:count_update", count),
		cb.Delete().After("gorm:delete").Register("bench:count_delete", count),
	} {
		if err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// BenchmarkAuth measures what authentication costs a request: the service
// call alone (Authenticate), GET /api/v1/me, and a CHW's caseload list on
// the demo data, each with the statements it sends per request
// (stmts/op), without the auth cache (one statement) and with it.
func BenchmarkAuth(b *testing.B) {
	for _, engine := range testutil.Engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			token := api.Token("chw.gent1@example.org")
			stmts := countStatements(b, api.DB.Gorm)
			get := func(path string) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				api.Server.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, rec.Code, strings.TrimSpace(rec.Body.String()))
				}
			}
			cache := api.Svc.AuthCache
			for cache.TTL() > 0 && !cache.Live() {
				time.Sleep(10 * time.Millisecond) // PostgreSQL: the LISTEN connection
			}
			run := func(name string, fn func()) {
				b.Run(name, func(b *testing.B) {
					fn() // warm
					start := stmts.Load()
					for b.Loop() {
						fn()
					}
					b.ReportMetric(float64(stmts.Load()-start)/float64(b.N), "stmts/op")
				})
			}
			for _, mode := range []string{"uncached", "cached"} {
				api.Svc.AuthCache = nil
				if mode == "cached" {
					api.Svc.AuthCache = cache
				}
				run(mode+"/authenticate", func() {
					if _, err := api.Svc.Authenticate(b.Context(), token); err != nil {
						b.Fatal(err)
					}
				})
				run(mode+"/me", func() { get("/api/v1/me") })
				run(mode+"/caseload", func() { get("/api/v1/clients?limit=50") })
			}
		})
	}
}
