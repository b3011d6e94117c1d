package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// brug audit verify finds an altered, a removed and an inserted event,
// each changed with SQL behind the application's back, and names it.
func TestAuditVerifyNamesTheFirstBadEvent(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		dsn := testutil.DatabaseURL(t, engine)
		setEnv(t, dsn)
		if code, out, errOut := run(t, "", "migrate"); code != 0 {
			t.Fatalf("migrate: %s %s", out, errOut)
		}
		d, err := db.Open(context.Background(), dsn, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		st := store.New(d.Gorm, func() time.Time { return now })
		st.SetAuditShards(1)         // one chain per day, to name its events
		ids := map[string][]string{} // stream -> ids by seq
		for i := range 8 {
			if i == 5 {
				now = now.Add(24 * time.Hour)
			}
			actor := "0190a0a0-0000-7000-8000-00000000000" + fmt.Sprint(i)
			e := &model.AuditEvent{ActorID: &actor, ActorRole: "coordinator", Action: "client.read", Entity: "client",
				EntityID: fmt.Sprint(i), RequestID: "req", IP: "10.0.0.1", Detail: "d"}
			if err := st.RecordAudit(context.Background(), e); err != nil {
				t.Fatal(err)
			}
			ids[e.Stream] = append(ids[e.Stream], e.ID)
			now = now.Add(time.Minute)
		}
		verify := func(want string, args ...string) {
			t.Helper()
			code, out, errOut := run(t, "", append([]string{"audit", "verify"}, args...)...)
			if want == "" {
				if code != 0 || !strings.Contains(out, "audit chain intact") {
					t.Fatalf("verify: %d %q %q", code, out, errOut)
				}
				return
			}
			if code != 1 || !strings.Contains(out, want) {
				t.Fatalf("verify: exit %d, output %q %q; want %q", code, out, errOut, want)
			}
		}
		verify("")
		_, out, _ := run(t, "", "audit", "verify")
		if !strings.Contains(out, "8 event(s) in 2 stream(s)") {
			t.Fatalf("verify counted: %q", out)
		}

		// Altered: the detail of the third event of the first day.
		d.Gorm.Exec("UPDATE audit_events SET detail = 'nothing happened' WHERE id = ?", ids["2026-12-01"][2])
		verify("stream 2026-12-01 seq 3 id " + ids["2026-12-01"][2] + ": altered (hash mismatch")
		d.Gorm.Exec("UPDATE audit_events SET detail = 'd' WHERE id = ?", ids["2026-12-01"][2])
		verify("")

		// Removed: the second event; the one found in its place is named.
		var saved model.AuditEvent
		d.Gorm.Where("id = ?", ids["2026-12-01"][1]).Take(&saved)
		d.Gorm.Exec("DELETE FROM audit_events WHERE id = ?", saved.ID)
		verify("stream 2026-12-01 seq 2 id " + ids["2026-12-01"][2] + ": removed")
		if err := d.Gorm.Create(&saved).Error; err != nil {
			t.Fatal(err)
		}
		verify("")

		// Removed at the end of a stream: the head still counts it.
		saved = model.AuditEvent{}
		d.Gorm.Where("id = ?", ids["2026-12-02"][2]).Take(&saved)
		d.Gorm.Exec("DELETE FROM audit_events WHERE id = ?", saved.ID)
		verify("stream 2026-12-02 seq 3 id -: removed")
		d.Gorm.Create(&saved)
		verify("")

		// Inserted: a forged event after the last one of the second day.
		forged := "0190a0a0-0000-7000-8000-0000000000ff"
		err = d.Gorm.Exec(`INSERT INTO audit_events (id, actor_role, action, entity, entity_id, request_id, ip, detail, created_at, stream, seq, prev_hash, hash)
			VALUES (?, 'admin', 'client.read', 'client', 'x', '', '', '', ?, '2026-12-02', 4, ?, 'forged')`,
			forged, now, saved.Hash).Error
		if err != nil {
			t.Fatal(err)
		}
		verify("stream 2026-12-02 seq 4 id " + forged + ": inserted")
		// The first day is still whole.
		verify("", "--from", "2026-12-01", "--to", "2026-12-01")
		d.Gorm.Exec("DELETE FROM audit_events WHERE id = ?", forged)

		// Inserted without a chain: an event written as if from before it.
		d.Gorm.Exec(`INSERT INTO audit_events (id, actor_role, action, entity, entity_id, request_id, ip, detail, created_at)
			VALUES (?, 'admin', 'client.read', 'client', 'x', '', '', '', ?)`, forged, now)
		verify("inserted (1 unchained event(s), 0 when the chain began)")
		d.Gorm.Exec("DELETE FROM audit_events WHERE id = ?", forged)
		verify("")

		code, _, errOut := run(t, "", "audit", "verify", "--from", "2026-13-01")
		if code != 2 || !strings.Contains(errOut, `--from: "2026-13-01" is not a date`) {
			t.Fatalf("bad date: %d %q", code, errOut)
		}
		// A bad --to, or a period that ends before it starts: exit 2, named.
		for _, bad := range []struct {
			args []string
			want string
		}{
			{[]string{"--to", "1 December"}, `--to: "1 December" is not a date`},
			{[]string{"--from", "2026-12-02", "--to", "2026-12-01"}, "--from is after --to"},
			{[]string{"--since", "2026-12-01"}, "flag provided but not defined: -since"},
		} {
			code, out, errOut := run(t, "", append([]string{"audit", "verify"}, bad.args...)...)
			if code != 2 || !strings.Contains(errOut, bad.want) || strings.Contains(out, "audit chain") {
				t.Errorf("verify %v: exit %d, %q %q; want exit 2 and %q", bad.args, code, out, errOut, bad.want)
			}
		}
		// ...and nothing was changed by the refused runs.
		verify("")
		code, out, _ = run(t, "", "audit", "anchors")
		var last model.AuditHead
		d.Gorm.Where("stream = '2026-12-02'").Take(&last)
		if code != 0 || !strings.Contains(out, "2026-12-01\t5\t") || !strings.Contains(out, "2026-12-02\t3\t"+last.Hash) {
			t.Fatalf("anchors: %d %q", code, out)
		}
	})
}
