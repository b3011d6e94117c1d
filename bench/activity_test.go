package bench

import (
	"context"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkActivityReport times the whole activity report (11 tables and
// the median) for the last full month at programme scope, as a programme
// manager asks it, on 100 000 clients and BENCH_VISITS (default 1 000 000)
// visits over two years: p50 and p95 with 1 reader, and with 20 readers at
// once (the report gate, BRUG_REPORT_CONCURRENCY, lets 2 compute together;
// the others wait their turn, and their wait counts), computed from the
// rows and served from report snapshots. Run with -benchtime 1x.
func BenchmarkActivityReport(b *testing.B) {
	nVisits := benchVisits()
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			seed(b, api)
			seedVisits(b, api, nVisits)
			api.Svc.Reports = service.NewReportGate(2)
			mgr := &service.Principal{Scope: store.Scope{UserID: store.NewID(), Role: model.RoleManager, AllReports: true}}
			now := time.Now().In(store.Brussels)
			first := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, store.Brussels)
			prm := service.ReportParams{From: first, To: first.AddDate(0, 1, 0), GroupBy: "team"}
			one := func() time.Duration {
				start := time.Now()
				if _, err := api.Svc.Activity(context.Background(), mgr, prm); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			run := func(readers, each int) (p50, p95 time.Duration) {
				var mu sync.Mutex
				var all []time.Duration
				var wg sync.WaitGroup
				for r := 0; r < readers; r++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := 0; i < each; i++ {
							d := one()
							mu.Lock()
							all = append(all, d)
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
				return all[len(all)/2], all[(len(all)*95)/100]
			}
			// Housekeeping folds the change rows the seeding's triggers added.
			if _, err := api.Svc.Store.CompactReportChanges(context.Background(), time.Hour); err != nil {
				b.Fatal(err)
			}
			st := api.Svc.Store
			for b.Loop() {
				// From the rows (snapshots off: what the first reader after
				// a write into the month waits for), then from snapshots.
				for _, mode := range []struct {
					name string
					on   bool
				}{{"rows", false}, {"snap", true}} {
					st.SetReportSnapshots(mode.on)
					one() // warm the database's cache, and the snapshot
					p50, p95 := run(1, 20)
					b.ReportMetric(float64(p50.Microseconds())/1000, "ms-p50-1-"+mode.name)
					b.ReportMetric(float64(p95.Microseconds())/1000, "ms-p95-1-"+mode.name)
					p50, p95 = run(20, 3)
					b.ReportMetric(float64(p50.Microseconds())/1000, "ms-p50-20-"+mode.name)
					b.ReportMetric(float64(p95.Microseconds())/1000, "ms-p95-20-"+mode.name)
				}
				st.SetReportSnapshots(true)
			}
		})
	}
}

// benchVisits is how many visits the report benchmarks seed: BENCH_VISITS,
// or 1 000 000.
func benchVisits() int {
	if v, err := strconv.Atoi(os.Getenv("BENCH_VISITS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

// engines are the engines a benchmark runs on: BENCH_ENGINES (a comma
// list, e.g. "postgres") narrows testutil.Engines() — a 1M-visit seeding
// takes minutes on SQLite.
func engines() []string {
	want := os.Getenv("BENCH_ENGINES")
	if want == "" {
		return testutil.Engines()
	}
	var out []string
	for _, e := range testutil.Engines() {
		if slices.Contains(strings.Split(want, ","), e) {
			out = append(out, e)
		}
	}
	return out
}
