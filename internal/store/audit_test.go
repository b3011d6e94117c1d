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

// Two processes (two pools on one database) and many writers in each append
// to one stream: every event gets its own seq, 1..n without a gap, and the
// chain verifies.
func TestAuditChainWithConcurrentWriters(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d1, dsn := testutil.OpenDB(t, engine)
		d2, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 10})
		if err != nil {
			t.Fatal(err)
		}
		defer d2.Close()
		day := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		clock := func() time.Time { return day }
		replicas := []*store.Store{store.New(d1.Gorm, clock), store.New(d2.Gorm, clock)}
		// One chain for the day, to see every seq taken once.
		replicas[0].SetAuditShards(1)
		replicas[1].SetAuditShards(1)
		const writers, each = 8, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st := replicas[w%2]
				for i := range each {
					e := &model.AuditEvent{ActorRole: "system", Action: "test.write", Entity: "test", EntityID: fmt.Sprintf("%d-%d", w, i)}
					if err := st.RecordAudit(context.Background(), e); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("record: %v", err)
		}
		res, err := replicas[0].VerifyAudit(context.Background(), "", "")
		if err != nil || res.Break != nil {
			t.Fatalf("verify: %v %v", err, res.Break)
		}
		if res.Events != writers*each || res.Streams != 1 {
			t.Fatalf("verified %d events in %d streams", res.Events, res.Streams)
		}
		var seqs []int64
		d1.Gorm.Model(&model.AuditEvent{}).Where("stream = ?", "2026-12-02").Order("seq").Pluck("seq", &seqs)
		for i, s := range seqs {
			if s != int64(i+1) {
				t.Fatalf("seq %d at position %d", s, i+1)
			}
		}
		heads, _ := replicas[1].AuditHeads(context.Background(), "2026-12-02", "2026-12-02")
		if len(heads) != 1 || heads[0].Seq != writers*each {
			t.Fatalf("heads %+v", heads)
		}

		// The next day spread over 8 chains (PostgreSQL's default): each
		// whole, together every event.
		next := func() time.Time { return day.Add(24 * time.Hour) }
		sharded := []*store.Store{store.New(d1.Gorm, next), store.New(d2.Gorm, next)}
		var wg2 sync.WaitGroup
		for w := range writers {
			sharded[w%2].SetAuditShards(store.DefaultAuditShards)
			wg2.Add(1)
			go func() {
				defer wg2.Done()
				for range each {
					if err := sharded[w%2].RecordAudit(context.Background(), &model.AuditEvent{ActorRole: "system", Action: "test.write", Entity: "test"}); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg2.Wait()
		res, err = replicas[0].VerifyAudit(context.Background(), "2026-12-03", "2026-12-03")
		if err != nil || res.Break != nil || res.Events != writers*each || res.Streams < 2 {
			t.Fatalf("sharded day: %v %v %d events in %d streams", err, res.Break, res.Events, res.Streams)
		}
		if all, _ := replicas[0].VerifyAudit(context.Background(), "", ""); all.Break != nil || all.Events != 2*writers*each {
			t.Fatalf("both days: %+v", all)
		}
	})
}

// The hash covers every field: changing any one changes it.
func TestAuditHashCoversEveryField(t *testing.T) {
	actor, client := "a", "c"
	seq := int64(3)
	base := model.AuditEvent{ID: "id", ActorID: &actor, ActorRole: "chw", Action: "client.read", Entity: "client", EntityID: "e",
		ClientID: &client, RequestID: "r", IP: "1.2.3.4", Detail: "d", CreatedAt: time.Date(2026, 12, 2, 1, 2, 3, 4000, time.UTC),
		Stream: "2026-12-02", Seq: &seq, PrevHash: "p"}
	h := store.AuditHash(&base)
	other, seq2 := "b", int64(4)
	for name, change := range map[string]func(e *model.AuditEvent){
		"id": func(e *model.AuditEvent) { e.ID = "id2" }, "actor": func(e *model.AuditEvent) { e.ActorID = &other },
		"no actor": func(e *model.AuditEvent) { e.ActorID = nil }, "role": func(e *model.AuditEvent) { e.ActorRole = "x" },
		"action": func(e *model.AuditEvent) { e.Action = "x" }, "entity": func(e *model.AuditEvent) { e.Entity = "x" },
		"entity id": func(e *model.AuditEvent) { e.EntityID = "x" }, "client": func(e *model.AuditEvent) { e.ClientID = nil },
		"request": func(e *model.AuditEvent) { e.RequestID = "x" }, "ip": func(e *model.AuditEvent) { e.IP = "x" },
		"detail": func(e *model.AuditEvent) { e.Detail = "x" }, "time": func(e *model.AuditEvent) { e.CreatedAt = e.CreatedAt.Add(time.Microsecond) },
		"stream": func(e *model.AuditEvent) { e.Stream = "x" }, "seq": func(e *model.AuditEvent) { e.Seq = &seq2 },
		"prev": func(e *model.AuditEvent) { e.PrevHash = "x" },
		// A field boundary moved: netstrings keep "ab"+"c" and "a"+"bc" apart.
		"boundary": func(e *model.AuditEvent) { e.Action, e.Entity = "client.rea", "dclient" },
	} {
		e := base
		change(&e)
		if store.AuditHash(&e) == h {
			t.Errorf("changing %s keeps the hash", name)
		}
	}
	if store.AuditHash(&base) != h {
		t.Fatal("hash is not deterministic")
	}
}

// A closed day's anchor is handed out once, whoever asks; today's is not.
func TestAuditAnchorsOncePerClosedStream(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		now := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
		st := store.New(d.Gorm, func() time.Time { return now })
		st.SetAuditShards(1)
		for range 3 {
			if err := st.RecordAudit(context.Background(), &model.AuditEvent{ActorRole: "system", Action: "a", Entity: "e"}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(40 * time.Minute) // two on the 1st, one on the 2nd
		}
		got, err := st.AnchorClosedStreams(context.Background(), "2026-12-02")
		if err != nil || len(got) != 1 || got[0].Stream != "2026-12-01" || got[0].Seq != 2 || len(got[0].Hash) != 64 {
			t.Fatalf("anchors %+v %v", got, err)
		}
		if again, _ := st.AnchorClosedStreams(context.Background(), "2026-12-02"); len(again) != 0 {
			t.Fatalf("anchored twice: %+v", again)
		}
	})
}
