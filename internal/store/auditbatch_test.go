package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

func readEvent(i int) *model.AuditEvent {
	return &model.AuditEvent{ActorRole: "system", Action: "client.read", Entity: "client", EntityID: fmt.Sprint(i)}
}

func countAudit(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var n int64
	if err := d.Gorm.Model(&model.AuditEvent{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls until ok holds (the batcher's goroutine works on its own);
// it never asserts how long that took.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for range 2000 {
		if ok() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never: %s", what)
}

func verifyWhole(t *testing.T, st *store.Store, events int64) {
	t.Helper()
	res, err := st.VerifyAudit(context.Background(), "", "")
	if err != nil || res.Break != nil {
		t.Fatalf("verify: %v %v", err, res.Break)
	}
	if res.Events != events {
		t.Fatalf("verified %d events, want %d", res.Events, events)
	}
}

// A batch is written when MaxEvents wait, the rest on Close; between the
// two nothing is written (the timer is an hour), and the chain verifies.
func TestAuditBatcherFlushesBySizeAndOnClose(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		st := store.New(d.Gorm, nil)
		b := st.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: 5, Every: time.Hour})
		for i := range 7 {
			if err := b.Record(context.Background(), readEvent(i)); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "a batch of 5", func() bool { return b.Stats().Batches == 1 })
		if n := countAudit(t, d); n != 5 {
			t.Fatalf("%d events written after the first batch, want 5", n)
		}
		if s := b.Stats(); s.Written != 5 {
			t.Fatalf("stats %+v", s)
		}
		b.Close()
		if n := countAudit(t, d); n != 7 {
			t.Fatalf("%d events after Close, want 7", n)
		}
		// After Close, a read event is written by its caller.
		if err := b.Record(context.Background(), readEvent(8)); err != nil {
			t.Fatal(err)
		}
		if s := b.Stats(); s.Written != 7 || s.Overflow != 1 || s.Lost != 0 || s.Batches != 2 {
			t.Fatalf("stats %+v", s)
		}
		verifyWhole(t, st, 8)
	})
}

// Events wait at most Every: with a batch size never reached they are
// written without a Flush; Flush writes at once what waits.
func TestAuditBatcherFlushesByTimeAndOnFlush(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		st := store.New(d.Gorm, nil)
		b := st.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: 1000, Every: 20 * time.Millisecond})
		defer b.Close()
		for i := range 3 {
			_ = b.Record(context.Background(), readEvent(i))
		}
		waitFor(t, "the timer's batch", func() bool { return countAudit(t, d) == 3 })

		slow := st.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: 1000, Every: time.Hour})
		defer slow.Close()
		for i := range 4 {
			_ = slow.Record(context.Background(), readEvent(i))
		}
		slow.Flush(context.Background())
		if n := countAudit(t, d); n != 7 {
			t.Fatalf("%d events after Flush, want 7", n)
		}
		verifyWhole(t, st, 7)
	})
}

// Two processes (two pools), each with a batcher, and writers recording
// read events through the batchers and change events directly, at once,
// on one day spread over shards: every event is written once and every
// chain verifies.
func TestAuditBatcherConcurrentWithChangeEvents(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d1, dsn := testutil.OpenDB(t, engine)
		d2, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 10})
		if err != nil {
			t.Fatal(err)
		}
		defer d2.Close()
		stores := []*store.Store{store.New(d1.Gorm, nil), store.New(d2.Gorm, nil)}
		batchers := make([]*store.AuditBatcher, 2)
		for i, st := range stores {
			st.SetAuditShards(3)
			batchers[i] = st.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: 7, Every: 5 * time.Millisecond})
		}
		const writers, each = 8, 20
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					e := readEvent(w*each + i)
					if i%4 == 0 {
						e.Action = "client.update"
						if err := stores[w%2].RecordAudit(context.Background(), e); err != nil {
							t.Error(err)
						}
						continue
					}
					if err := batchers[w%2].Record(context.Background(), e); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		for _, b := range batchers {
			b.Close()
			if s := b.Stats(); s.Lost != 0 {
				t.Fatalf("lost %+v", s)
			}
		}
		verifyWhole(t, stores[0], writers*each)
		var ids int64
		d1.Gorm.Model(&model.AuditEvent{}).Distinct("entity_id").Count(&ids)
		if ids != writers*each {
			t.Fatalf("%d distinct events, want %d", ids, writers*each)
		}
	})
}
