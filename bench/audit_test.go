package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkAuditWrite compares one audit event written with the hash chain
// (store.RecordAudit: head lock, insert, head update in one transaction)
// and a plain insert as before the chain, 8 writers at once.
func BenchmarkAuditWrite(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			d, _ := testutil.OpenDB(b, engine)
			st := store.New(d.Gorm, nil)
			ev := func() *model.AuditEvent {
				return &model.AuditEvent{ActorRole: "chw", Action: "client.read", Entity: "client", EntityID: store.NewID(), RequestID: "bench", IP: "10.0.0.1"}
			}
			for _, c := range []struct {
				name  string
				write func(e *model.AuditEvent) error
			}{
				{"chained", func(e *model.AuditEvent) error { return st.RecordAudit(context.Background(), e) }},
				{"plain-insert", func(e *model.AuditEvent) error {
					e.ID, e.CreatedAt = store.NewID(), st.Now()
					return d.Gorm.Create(e).Error
				}},
			} {
				b.Run(c.name, func(b *testing.B) {
					var wg sync.WaitGroup
					work := make(chan struct{})
					start := time.Now()
					for range 8 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for range work {
								if err := c.write(ev()); err != nil {
									b.Error(err)
								}
							}
						}()
					}
					for b.Loop() {
						work <- struct{}{}
					}
					close(work)
					wg.Wait()
					b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
				})
			}
		})
	}
}

// BenchmarkAuditVerify times `brug audit verify` (store.VerifyAudit) over
// BENCH_AUDIT_EVENTS (default 1 000 000) chained events in 30 daily
// streams, bulk-inserted with their chain computed in Go. Run with
// -benchtime 1x.
func BenchmarkAuditVerify(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_AUDIT_EVENTS")); err == nil && v > 0 {
		n = v
	}
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			d, _ := testutil.OpenDB(b, engine)
			st := store.New(d.Gorm, nil)
			t0 := time.Now()
			seedAudit(b, d.Gorm.WithContext(b.Context()), n)
			b.Logf("%s: seeded %d chained events in %s", engine, n, time.Since(t0).Round(time.Millisecond))
			for b.Loop() {
				t1 := time.Now()
				res, err := st.VerifyAudit(b.Context(), "", "")
				if err != nil || res.Break != nil || res.Events != int64(n) {
					b.Fatalf("verify: %v %v %d", err, res.Break, res.Events)
				}
				el := time.Since(t1)
				b.ReportMetric(el.Seconds(), "verify-s")
				b.ReportMetric(float64(n)/el.Seconds(), "events/s")
			}
		})
	}
}

// seedAudit writes n events over 30 UTC days, each day one chain, and the
// heads, as RecordAudit would have left them. Statements of 50 rows: the
// pure-Go SQLite driver binds parameters in quadratic time.
func seedAudit(b *testing.B, g *gorm.DB, n int) {
	b.Helper()
	const days = 30
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	per := (n + days - 1) / days
	batch := make([]model.AuditEvent, 0, 1000)
	seqs := make([]int64, n)
	written := 0
	for day := 0; day < days && written < n; day++ {
		stream := store.AuditStream(start.AddDate(0, 0, day))
		prev := ""
		var seq int64
		for i := 0; i < per && written < n; i++ {
			seq++
			seqs[written] = seq
			actor := store.NewID()
			e := model.AuditEvent{ID: store.NewID(), ActorID: &actor, ActorRole: "chw", Action: "client.read", Entity: "client",
				EntityID: fmt.Sprint(written), ClientID: &actor, RequestID: "bench", IP: "10.0.0.1",
				CreatedAt: start.AddDate(0, 0, day).Add(time.Duration(i) * 50 * time.Millisecond),
				Stream:    stream, Seq: &seqs[written], PrevHash: prev}
			e.Hash = store.AuditHash(&e)
			prev = e.Hash
			batch = append(batch, e)
			written++
			if len(batch) == cap(batch) {
				if err := g.CreateInBatches(batch, 50).Error; err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		if len(batch) > 0 {
			if err := g.CreateInBatches(batch, 50).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
		if err := g.Create(&model.AuditHead{Stream: stream, Seq: seq, Hash: prev}).Error; err != nil {
			b.Fatal(err)
		}
	}
}
