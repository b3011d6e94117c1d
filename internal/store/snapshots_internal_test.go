package store

import (
	"slices"
	"testing"
	"time"
)

func TestSnapshotDeps(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []string
		ok   bool
	}{
		{"SELECT 1 FROM (SELECT x FROM visits f CROSS JOIN LATERAL jsonb_array_elements_text(CAST(f.topics AS jsonb)) AS m(value)) d", []string{"visits"}, true},
		{"SELECT 1 FROM visits f, json_each(f.topics) AS m", []string{"visits"}, true},
		{"SELECT 1 FROM reminders f JOIN appointments a ON a.id = f.appointment_id LEFT JOIN clients c ON c.id = f.client_id", []string{"appointments", "clients", "reminders"}, true},
		{"SELECT 1 FROM group_sessions f WHERE ? IN (SELECT gf.chw_id FROM group_session_facilitators gf)", []string{"group_sessions"}, true},
		{"SELECT 1 FROM barriers f LEFT JOIN teams rt ON rt.id = f.team_id", []string{"barriers"}, true},
		// A table no trigger watches: never snapshotted.
		{"SELECT 1 FROM visits f JOIN tasks k ON k.client_id = f.client_id", nil, false},
		{"SELECT 1 FROM teams", nil, false},
	} {
		got, ok := snapshotDeps(c.q)
		if ok != c.ok || (ok && !slices.Equal(got, c.want)) {
			t.Errorf("%s: %v %v, want %v %v", c.q, got, ok, c.want, c.ok)
		}
	}
}

// A Brussels month starts in the last hours of the UTC month before.
func TestStampMonths(t *testing.T) {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, Brussels)
	got := stampMonths(from, from.AddDate(0, 1, 0))
	if want := []string{"*", "2026-10", "2026-11"}; !slices.Equal(got, want) {
		t.Errorf("November 2026 in Brussels: %v, want %v", got, want)
	}
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, Brussels)
	if got := stampMonths(jan, jan.AddDate(1, 0, 0)); len(got) != 14 || got[1] != "2025-12" || got[13] != "2026-12" {
		t.Errorf("2026 in Brussels: %v", got)
	}
}
