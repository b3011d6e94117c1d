package bench

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkAuditedReads measures requests per second through the real
// router on the demo programme (about 2 000 clients), 8 callers at once:
// a CHW's caseload (GET /api/v1/clients, not audited) and one client record
// (GET /api/v1/clients/{id}, every read is an audit event, hash-chained).
// It uses only APIs older than the audit chain, so the same file runs on a
// checkout from before it for the "without" figure. Run with -benchtime 2000x.
func BenchmarkAuditedReads(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			if _, err := demo.SeedProgramme(b.Context(), api.Svc, demo.FullScale); err != nil {
				b.Fatal(err)
			}
			chwH := api.Bearer("chw.gent1@example.org")
			list := api.Do(http.MethodGet, "/api/v1/clients?limit=50", nil, chwH).JSON(b)
			first := list["items"].([]any)[0].(map[string]any)["id"].(string)
			for _, c := range []struct {
				name, path string
				batched    bool
			}{
				{"caseload", "/api/v1/clients?limit=50", false},
				{"client-record", "/api/v1/clients/" + first, false},
				// Read events batched as brug serve does (BRUG_AUDIT_READ_*).
				{"client-record-batched", "/api/v1/clients/" + first, true},
			} {
				b.Run(c.name, func(b *testing.B) {
					if c.batched {
						api.Svc.AuditReads = api.Svc.Store.NewAuditBatcher(store.AuditBatchOptions{})
						defer func() { api.Svc.AuditReads.Close(); api.Svc.AuditReads = nil }()
					}
					const callers = 8
					var next atomic.Int64
					var wg sync.WaitGroup
					n := int64(b.N)
					b.ResetTimer()
					start := time.Now()
					for range callers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for next.Add(1) <= n {
								req := httptest.NewRequest(http.MethodGet, c.path, nil)
								req.Header.Set("Authorization", chwH["Authorization"])
								rec := httptest.NewRecorder()
								api.Server.E.ServeHTTP(rec, req)
								if rec.Code != http.StatusOK {
									b.Errorf("%d %s", rec.Code, rec.Body)
									return
								}
							}
						}()
					}
					wg.Wait()
					b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
				})
			}
		})
	}
}
