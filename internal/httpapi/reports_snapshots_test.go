package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// Closed periods are served from report snapshots (internal/store/
// snapshots.go), and a shown number never differs from what the rows say:
// after every random write — a visit back-dated into the period, a
// transfer, a visit deleted in the database, a client moving
// neighbourhood, a referral or an appointment changed afterwards, a
// barrier resolved late, a group session recorded late, a facilitator
// added — every view, read through its snapshots, equals the same view
// computed from the rows with snapshots off. And reading again with no
// write in between is served from the snapshots.
func TestReportSnapshotsFollowRows(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		st := api.Svc.Store
		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC) // a Monday
		clients := workFixture(t, api, start)
		now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
		api.Clock.Set(now)
		period := "&from=2026-09-01&to=2026-10-31"
		views := []struct{ as, path string }{
			{mgr, "/api/v1/reports/activity?group_by=team" + period},
			{mgr, "/api/v1/reports/activity?group_by=neighbourhood" + period},
			{mgr, "/api/v1/reports/activity?group_by=municipality&period=2026-09"},
			{mgr, "/api/v1/reports/barriers?group_by=neighbourhood" + period},
			{mgr, "/api/v1/reports/policy-signal?period=2026-Q3"},
			{coord, "/api/v1/reports/activity?group_by=week" + period},
			{coord, "/api/v1/reports/barriers?group_by=month" + period},
			{chw, "/api/v1/reports/activity?group_by=day" + period},
			{chw2, "/api/v1/reports/activity?group_by=none" + period},
		}
		read := func() []string {
			var out []string
			for _, v := range views {
				r := api.Do("GET", v.path, nil, api.Bearer(v.as))
				if r.Status != 200 {
					t.Fatalf("%s as %s: %d %s", v.path, v.as, r.Status, r.Body)
				}
				out = append(out, string(r.Body))
			}
			return out
		}
		compare := func(step string) []string {
			t.Helper()
			st.SetReportSnapshots(true)
			got := read()
			st.SetReportSnapshots(false)
			want := read()
			st.SetReportSnapshots(true)
			for i := range views {
				if got[i] != want[i] {
					t.Fatalf("after %s: %s as %s\nsnapshots: %s\nrows:      %s", step, views[i].path, views[i].as, got[i], want[i])
				}
			}
			return got
		}
		first := compare("the fixture")
		// Nothing written: every statement comes from its snapshot.
		hits, misses := st.ReportSnapshotStats()
		read()
		h2, m2 := st.ReportSnapshotStats()
		if h2 == hits || m2 != misses {
			t.Fatalf("a second read with no write: %d hits, %d computed; want hits only", h2-hits, m2-misses)
		}

		ids := map[string]string{chw: myID(t, api, chw), chw2: myID(t, api, chw2)}
		owner := map[string]string{}
		for _, c := range clients {
			owner[c] = chw
		}
		// Gent names no neighbourhoods: the Liège clients move.
		var liegeClients, nbs []string
		api.DB.Gorm.Raw("SELECT CAST(c.id AS text) FROM clients c JOIN teams t ON t.id = c.team_id WHERE t.slug = 'liege'").Scan(&liegeClients)
		api.DB.Gorm.Raw("SELECT CAST(n.id AS text) FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id JOIN teams t ON t.id = m.team_id WHERE t.slug = 'liege' ORDER BY n.id LIMIT 4").Scan(&nbs)
		nbs = append(nbs, "")
		if len(liegeClients) == 0 || len(nbs) < 3 {
			t.Fatalf("fixture: %d Liège clients, %d neighbourhoods", len(liegeClients), len(nbs))
		}
		rng := rand.New(rand.NewPCG(7, 2026))
		inPeriod := func() time.Time {
			return time.Date(2026, 9, 1, 7, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(59*24)) * time.Hour)
		}
		ops := []struct {
			name string
			do   func()
		}{
			{"a back-dated visit", func() {
				c := clients[rng.IntN(len(clients))]
				r := api.Do("POST", "/api/v1/clients/"+c+"/visits", map[string]any{"mode": model.VisitModes[rng.IntN(len(model.VisitModes))],
					"duration_minutes": 30, "missions": []string{"inform", "detect"}, "topics": []string{"dental care"},
					"visited_at": inPeriod().Format(time.RFC3339)}, api.Bearer(owner[c]))
				if r.Status != 201 {
					t.Fatal(r.Status, string(r.Body))
				}
			}},
			{"a transfer", func() {
				c := clients[rng.IntN(len(clients))]
				to := chw
				if owner[c] == chw {
					to = chw2
				}
				if r := api.Do("PUT", "/api/v1/clients/"+c+"/assignment", map[string]any{"chw_id": ids[to]}, api.Bearer(coord)); r.Status != 200 {
					t.Fatal(r.Status, string(r.Body))
				}
				owner[c] = to
			}},
			{"a visit deleted in the database", func() {
				api.DB.Gorm.Exec("DELETE FROM barriers WHERE visit_id = (SELECT MIN(id) FROM visits)")
				api.DB.Gorm.Exec("DELETE FROM visits WHERE id = (SELECT MIN(id) FROM visits)")
			}},
			{"a client moving neighbourhood", func() {
				c := liegeClients[rng.IntN(len(liegeClients))]
				var nb any
				if n := nbs[rng.IntN(len(nbs))]; n != "" {
					nb = n
				}
				if r := api.Do("PATCH", "/api/v1/clients/"+c, map[string]any{"neighbourhood_id": nb}, api.Bearer(coordLiege)); r.Status != 200 {
					t.Fatal(r.Status, string(r.Body))
				}
			}},
			{"a referral answered in the database", func() {
				api.DB.Gorm.Exec("UPDATE referrals SET status = 'completed', outcome = 'seen' WHERE id = (SELECT MAX(id) FROM referrals WHERE status <> 'completed')")
			}},
			{"an appointment outcome corrected", func() {
				api.DB.Gorm.Exec("UPDATE appointments SET status = CASE status WHEN 'attended' THEN 'missed' ELSE 'attended' END WHERE id = (SELECT MIN(id) FROM appointments WHERE status IN ('attended', 'missed'))")
			}},
			{"a barrier resolved late and signalled", func() {
				// In September: the third quarter's policy signal shows it.
				at := time.Date(2026, 9, 2+rng.IntN(27), 9, 0, 0, 0, time.UTC)
				api.DB.Gorm.Exec(`UPDATE barriers SET status = 'resolved', resolved_at = ?, signalled_at = ?, detail = ? WHERE id = (
				      SELECT b.id FROM barriers b JOIN teams t ON t.id = b.team_id WHERE t.slug = 'gent' AND b.resolved_at IS NULL ORDER BY b.id LIMIT 1)`,
					at, at, fmt.Sprintf("Structureel probleem %d", rng.IntN(100)))
			}},
			{"a group session recorded late", func() {
				newGroupSession(t, api, chw, map[string]any{"starts_at_local": inPeriod().In(brussels()).Format("2006-01-02") + "T14:00",
					"participants": 5 + rng.IntN(20), "participants_by_age": nil})
			}},
			{"a facilitator added", func() {
				api.DB.Gorm.Exec(`INSERT INTO group_session_facilitators (session_id, chw_id, team_id, fund_id, created_at)
				      SELECT s.id, u.id, u.team_id, u.fund_id, ? FROM group_sessions s, users u
				      WHERE u.email = ? AND NOT EXISTS (SELECT 1 FROM group_session_facilitators g WHERE g.session_id = s.id AND g.chw_id = u.id)
				      AND s.id = (SELECT MIN(id) FROM group_sessions)`, now, chw2)
			}},
		}
		changed := map[string]bool{}
		refreshed := 0
		for step := 0; step < 36; step++ {
			op := ops[step%len(ops)]
			if step >= len(ops) {
				op = ops[rng.IntN(len(ops))]
			}
			op.do()
			if step%2 == 1 {
				// The worker computes the stale snapshots again: the next
				// reader is served from them, and they say what the rows say.
				n, err := api.Svc.RefreshReportSnapshots(t.Context(), 1000)
				if err != nil {
					t.Fatal(err)
				}
				refreshed += n
				if n2, err := api.Svc.RefreshReportSnapshots(t.Context(), 1000); err != nil || n2 != 0 {
					t.Fatalf("step %d: a second refresh with no write computed %d (%v)", step, n2, err)
				}
				h, m := st.ReportSnapshotStats()
				read()
				if h2, m2 := st.ReportSnapshotStats(); h2 == h || m2 != m {
					t.Fatalf("step %d, %s: after the refresh %d hits, %d computed; want hits only", step, op.name, h2-h, m2-m)
				}
			}
			got := compare(fmt.Sprintf("step %d, %s", step, op.name))
			for i := range got {
				if got[i] != first[i] {
					changed[views[i].path+views[i].as] = true
				}
			}
		}
		if refreshed == 0 {
			t.Error("the worker never found a stale snapshot to compute again")
		}
		// A snapshot nobody asked for in the refresh window is left alone.
		api.DB.Gorm.Exec("UPDATE report_snapshots SET asked_at = ?", now.Add(-8*24*time.Hour))
		ops[0].do()
		if n, err := api.Svc.RefreshReportSnapshots(t.Context(), 1000); err != nil || n != 0 {
			t.Errorf("snapshots not asked for in a week: %d computed again (%v)", n, err)
		}
		compare("a write after the refresh window")
		// Housekeeping folds the change rows; the stamps, and so the
		// snapshots, stay valid.
		before := countRows(t, api, "report_changes")
		if _, err := st.CompactReportChanges(t.Context(), 30*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		if after := countRows(t, api, "report_changes"); after >= before || after == 0 {
			t.Errorf("report_changes: %d rows before folding, %d after", before, after)
		}
		hits, misses = st.ReportSnapshotStats()
		read()
		if h, m := st.ReportSnapshotStats(); h == hits || m != misses {
			t.Errorf("after folding: %d hits, %d computed; want hits only", h-hits, m-misses)
		}
		// The writes did change what the views show: the comparison above
		// was not of two unchanging answers.
		for _, v := range views {
			if !changed[v.path+v.as] {
				t.Logf("unchanged over the writes: %s as %s", v.path, v.as)
			}
		}
		if len(changed) < len(views) {
			t.Errorf("only %d of %d views changed over the writes", len(changed), len(views))
		}
	})
}
