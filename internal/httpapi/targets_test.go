package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/testutil"
)

// reportFigure reads, from a report JSON, one group's figure of an
// indicator as the issue defines it (independently of the service's own
// table list): the table's total, a sum of columns, or a share.
type indicatorDef struct {
	report, table string
	cols          []string // nil: the row total
	share         bool     // cols[0] of all cols, percent
}

var indicatorDefs = map[string]indicatorDef{
	"visits":                {"activity", "visits_by_mode", nil, false},
	"clients_reached":       {"activity", "clients_active", nil, false},
	"new_clients":           {"activity", "new_clients", nil, false},
	"referrals_sent":        {"activity", "referrals_by_status", []string{"sent", "acknowledged", "accepted", "declined", "waitlisted", "appointment_set", "completed", "cancelled", "expired"}, false},
	"referrals_completed":   {"activity", "referrals_completed", nil, false},
	"appointments_attended": {"activity", "appointments", []string{"attended", "missed"}, true},
	"barriers_resolved":     {"barriers", "resolved", nil, false},
	"barriers_signalled":    {"barriers", "signalled", nil, false},
	"group_sessions":        {"activity", "group_sessions_held", nil, false},
	"group_participants":    {"activity", "group_participants", nil, false},
}

// figureOf reads an indicator from a report's row with key (or "" for
// the grand totals); -1 for a share with nothing to measure.
func figureOf(t *testing.T, rep map[string]any, def indicatorDef, key string) int64 {
	t.Helper()
	for _, tb := range rep["tables"].([]any) {
		tm := tb.(map[string]any)
		if tm["name"] != def.table {
			continue
		}
		cols := tm["columns"].([]any)
		total, cells := tm["grand_total"], tm["totals"]
		if key != "" {
			total, cells = map[string]any{"value": float64(0)}, []any{}
			for _, r := range tm["rows"].([]any) {
				rm := r.(map[string]any)
				if rm["key"] == key {
					total, cells = rm["total"], rm["cells"]
				}
			}
		}
		cell := func(name string) int64 {
			for j, c := range cols {
				if c == name && j < len(cells.([]any)) {
					return int64(cells.([]any)[j].(map[string]any)["value"].(float64))
				}
			}
			return 0
		}
		if def.cols == nil {
			return int64(total.(map[string]any)["value"].(float64))
		}
		var sum int64
		for _, c := range def.cols {
			sum += cell(c)
		}
		if def.share {
			if sum == 0 {
				return -1
			}
			return int64(float64(cell(def.cols[0]))*100/float64(sum) + 0.5)
		}
		return sum
	}
	t.Fatalf("report has no table %s", def.table)
	return 0
}

// progressValue is an indicator's value in a progress JSON; -1 for null.
func progressValue(t *testing.T, m map[string]any, ind string) (int64, map[string]any) {
	t.Helper()
	for _, it := range m["indicators"].([]any) {
		im := it.(map[string]any)
		if im["indicator"] == ind {
			if im["value"] == nil {
				return -1, im
			}
			return int64(im["value"].(float64)), im
		}
	}
	t.Fatalf("progress lacks %s: %v", ind, m)
	return 0, nil
}

// targetsWork adds to the work fixture what it lacks for every indicator:
// a referral whose loop closes, a barrier resolved and one signalled, and
// a held group session with participants.
func targetsWork(t *testing.T, api *testutil.API, as, client string, at time.Time) {
	t.Helper()
	api.Clock.Set(at)
	ref := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": client, "provider_type": "gp", "reason": "GMD", "send": true}, api.Bearer(as)).JSON(t)["id"].(string)
	for _, to := range []string{"accepted", "appointment_set", "completed"} {
		body := map[string]any{"to": to}
		if to == "completed" {
			body["outcome"] = "seen"
		}
		if r := api.Do("POST", "/api/v1/referrals/"+ref+"/transitions", body, api.Bearer(as)); r.Status != 200 {
			t.Fatalf("referral to %s: %d %s", to, r.Status, r.Body)
		}
	}
	b := api.Do("POST", "/api/v1/clients/"+client+"/barriers", map[string]any{"category": "financial"}, api.Bearer(as)).JSON(t)["id"].(string)
	if r := api.Do("PATCH", "/api/v1/clients/"+client+"/barriers/"+b, map[string]any{"status": "resolved"}, api.Bearer(as)); r.Status != 200 {
		t.Fatalf("resolve barrier: %d %s", r.Status, r.Body)
	}
	if r := api.Do("POST", "/api/v1/clients/"+client+"/barriers", map[string]any{"category": "digital", "status": "signalled"}, api.Bearer(as)); r.Status != 201 {
		t.Fatalf("signal barrier: %d %s", r.Status, r.Body)
	}
	newGroupSession(t, api, as, map[string]any{"starts_at_local": at.In(brussels()).Add(-2 * time.Hour).Format("2006-01-02T15:04")})
}

// One truth: a CHW's progress equals the activity and barrier reports'
// figures for the same CHW and month — for every indicator, on both
// engines, before and after a transfer of their clients and a visit
// back-dated into the month; the coaching view agrees for work done for
// the team; and the 12-month history agrees month by month.
func TestProgressEqualsReport(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC)
		gent1 := workFixture(t, api, start)
		targetsWork(t, api, chw, gent1[0], time.Date(2026, 9, 22, 10, 0, 0, 0, time.UTC))
		targetsWork(t, api, chw2, newClient(t, api, chw2, map[string]any{"given_name": "Tgt"}), time.Date(2026, 9, 23, 10, 0, 0, 0, time.UTC))
		api.Clock.Set(time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC))
		team := myTeam(t, api, chw)
		ids := map[string]string{chw: myID(t, api, chw), chw2: myID(t, api, chw2)}
		check := func(step string) {
			t.Helper()
			coaching := api.Do("GET", "/api/v1/teams/"+team+"/coaching?month=2026-10", nil, api.Bearer(coord)).JSON(t)
			history := map[string]map[string]any{}
			for _, who := range []string{chw, chw2} {
				h := api.Do("GET", "/api/v1/me/progress/history", nil, api.Bearer(who)).JSON(t)["months"].([]any)
				if len(h) != 12 || h[11].(map[string]any)["month"] != "2026-10" {
					t.Fatalf("%s: history of %s is not the 12 months to 2026-10: %v", step, who, h)
				}
				for _, m := range h {
					mm := m.(map[string]any)
					history[who+mm["month"].(string)] = mm
				}
			}
			for _, month := range []string{"2026-09", "2026-10"} {
				for _, who := range []string{chw, chw2} {
					reports := map[string]map[string]any{}
					for _, kind := range []string{"activity", "barriers"} {
						r := api.Do("GET", "/api/v1/reports/"+kind+"?group_by=none&period="+month, nil, api.Bearer(who))
						if r.Status != 200 {
							t.Fatalf("%s report: %d %s", kind, r.Status, r.Body)
						}
						reports[kind] = r.JSON(t)
					}
					p := api.Do("GET", "/api/v1/me/progress?month="+month, nil, api.Bearer(who))
					if p.Status != 200 {
						t.Fatalf("progress: %d %s", p.Status, p.Body)
					}
					prog := p.JSON(t)
					nonzero := 0
					for ind, def := range indicatorDefs {
						want := figureOf(t, reports[def.report], def, "")
						got, _ := progressValue(t, prog, ind)
						if got != want {
							t.Errorf("%s: %s of %s in %s: progress %d, report %d", step, ind, who, month, got, want)
						}
						if hv, _ := progressValue(t, history[who+month], ind); hv != want {
							t.Errorf("%s: %s of %s in %s: history %d, report %d", step, ind, who, month, hv, want)
						}
						if got > 0 {
							nonzero++
						}
					}
					if month == "2026-09" && nonzero < len(indicatorDefs) {
						t.Errorf("%s: only %d of %d indicators of %s have work in September: the fixture proves nothing", step, nonzero, len(indicatorDefs), who)
					}
				}
			}
			// The coaching view's September (last month) per CHW: the team
			// report of the same month, grouped by the CHW who did it.
			for _, who := range []string{chw, chw2} {
				var row map[string]any
				for _, c := range coaching["chws"].([]any) {
					if c.(map[string]any)["id"] == ids[who] {
						row = c.(map[string]any)
					}
				}
				if row == nil {
					t.Fatalf("coaching lacks %s", who)
				}
				for ind, def := range indicatorDefs {
					r := api.Do("GET", "/api/v1/reports/"+def.report+"?group_by=none&period=2026-09", nil, api.Bearer(who)).JSON(t)
					want := figureOf(t, r, def, "")
					if got, _ := progressValue(t, row["last_month"].(map[string]any), ind); got != want {
						t.Errorf("%s: coaching %s of %s last month %d, report %d", step, ind, who, got, want)
					}
				}
			}
		}
		check("the fixture")
		// Transfer every client of chw.gent1 to chw.gent2: the past stays
		// with who did it.
		before := api.Do("GET", "/api/v1/me/progress?month=2026-09", nil, api.Bearer(chw)).JSON(t)
		for _, c := range gent1 {
			if r := api.Do("PUT", "/api/v1/clients/"+c+"/assignment", map[string]any{"chw_id": ids[chw2]}, api.Bearer(coord)); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		check("a transfer")
		after := api.Do("GET", "/api/v1/me/progress?month=2026-09", nil, api.Bearer(chw)).JSON(t)
		if v1, _ := progressValue(t, before, "visits"); func() bool { v2, _ := progressValue(t, after, "visits"); return v1 != v2 }() {
			t.Errorf("a transfer changed chw.gent1's September visits")
		}
		// chw.gent2 logs a visit back-dated into September.
		v0, _ := progressValue(t, api.Do("GET", "/api/v1/me/progress?month=2026-09", nil, api.Bearer(chw2)).JSON(t), "visits")
		if r := api.Do("POST", "/api/v1/clients/"+gent1[1]+"/visits", map[string]any{"mode": "home", "duration_minutes": 20,
			"visited_at": time.Date(2026, 9, 29, 9, 0, 0, 0, time.UTC).Format(time.RFC3339)}, api.Bearer(chw2)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		if v1, _ := progressValue(t, api.Do("GET", "/api/v1/me/progress?month=2026-09", nil, api.Bearer(chw2)).JSON(t), "visits"); v1 != v0+1 {
			t.Errorf("a back-dated visit: September visits %d, want %d", v1, v0+1)
		}
		check("a back-dated visit")
	})
}

func targetsPut(api *testutil.API, as string, body map[string]any) testutil.Response {
	return api.Do("PUT", "/api/v1/targets", body, api.Bearer(as))
}

// Targets: who sets what, the goal that applies (CHW override, else team,
// else programme), history (a later month's change leaves the earlier
// month alone; a past month cannot be written), bad input naming fields.
func TestTargetsSetAndResolve(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(workday) // 2026-11-18
		team := myTeam(t, api, chw)
		liegeTeam := myTeam(t, api, chwLiege)
		gent1, gent2, liege1 := myID(t, api, chw), myID(t, api, chw2), myID(t, api, chwLiege)
		api.Run(t, []testutil.Scenario{
			{Name: "admin sets programme defaults", Method: "PUT", Path: "/api/v1/targets", As: admin, Status: 200,
				Body:     map[string]any{"scope": "programme", "month": "2026-11", "goals": map[string]any{"visits": 40, "appointments_attended": 80, "new_clients": 6}},
				Contains: []string{`"indicator":"visits","goal":40,"since":"2026-11"`}},
			{Name: "coordinator sets the team's", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 200,
				Body: map[string]any{"scope": "team", "team_id": team, "month": "2026-11", "goals": map[string]any{"visits": 35}}},
			{Name: "coordinator overrides a CHW", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 200,
				Body: map[string]any{"scope": "chw", "user_id": gent2, "month": "2026-11", "goals": map[string]any{"visits": 20}}},
			{Name: "next month's programme change", Method: "PUT", Path: "/api/v1/targets", As: admin, Status: 200,
				Body: map[string]any{"scope": "programme", "month": "2026-12", "goals": map[string]any{"new_clients": 9, "appointments_attended": nil}}},
			{Name: "coordinator may not set programme defaults", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 403,
				Body: map[string]any{"scope": "programme", "month": "2026-11", "goals": map[string]any{"visits": 1}}},
			{Name: "admin may not set a team's", Method: "PUT", Path: "/api/v1/targets", As: admin, Status: 403,
				Body: map[string]any{"scope": "team", "team_id": team, "month": "2026-11", "goals": map[string]any{"visits": 1}}},
			{Name: "a CHW of another team is not found", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 404,
				Body: map[string]any{"scope": "chw", "user_id": liege1, "month": "2026-11", "goals": map[string]any{"visits": 1}}},
			{Name: "a coordinator is no CHW to override", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 404,
				Body: map[string]any{"scope": "chw", "user_id": myID(t, api, coord), "month": "2026-11", "goals": map[string]any{"visits": 1}}},
			{Name: "another team is not found", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 404,
				Body: map[string]any{"scope": "team", "team_id": liegeTeam, "month": "2026-11", "goals": map[string]any{"visits": 1}}},
			{Name: "another team's list is not found", Method: "GET", Path: "/api/v1/targets?team_id=" + liegeTeam, As: coord, Status: 404},
			{Name: "bad goals and a past month", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 422,
				Body:     map[string]any{"scope": "team", "team_id": team, "month": "2026-10", "goals": map[string]any{"visits": -1, "appointments_attended": 101, "bogus": 3, "new_clients": 10001, "referrals_sent": 2.5}},
				Fields:   []string{"month", "goals.visits", "goals.appointments_attended", "goals.bogus", "goals.new_clients", "goals.referrals_sent"},
				Contains: []string{`"code":"month_past"`, `"code":"indicator"`, `"code":"range"`}},
			{Name: "goal of the wrong type", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 422,
				Body: map[string]any{"scope": "team", "team_id": team, "month": "2026-11", "goals": map[string]any{"visits": "forty"}}, Fields: []string{"goals.visits"}},
			{Name: "no scope, month or goals", Method: "PUT", Path: "/api/v1/targets", As: coord, Status: 422,
				Body: map[string]any{"month": "2026-1"}, Fields: []string{"scope", "month", "goals"}},
			{Name: "too far ahead", Method: "PUT", Path: "/api/v1/targets", As: admin, Status: 422,
				Body: map[string]any{"scope": "programme", "month": "2029-01", "goals": map[string]any{"visits": 1}}, Fields: []string{"month"}},
			{Name: "bad month in a query", Method: "GET", Path: "/api/v1/me/progress?month=november", As: chw, Status: 422, Fields: []string{"month"}},
			{Name: "unknown query parameter", Method: "GET", Path: "/api/v1/targets?scope=team", As: coord, Status: 422, Fields: []string{"scope"}},
		})
		// A refused write changed nothing.
		if n := countRows(t, api, "targets"); n != 3+1+1+2 {
			t.Fatalf("%d target rows, want 7", n)
		}
		goalOf := func(v map[string]any, user, ind string) (any, any) {
			for _, c := range v["chws"].([]any) {
				cm := c.(map[string]any)
				if cm["id"] != user {
					continue
				}
				for _, e := range cm["effective"].([]any) {
					em := e.(map[string]any)
					if em["indicator"] == ind {
						return em["goal"], em["source"]
					}
				}
			}
			t.Fatalf("no effective %s for %s in %v", ind, user, v)
			return nil, nil
		}
		nov := api.Do("GET", "/api/v1/targets?month=2026-11", nil, api.Bearer(coord)).JSON(t)
		dec := api.Do("GET", "/api/v1/targets?month=2026-12", nil, api.Bearer(coord)).JSON(t)
		for _, c := range []struct {
			v          map[string]any
			user, ind  string
			goal       any
			source     any
			what, when string
		}{
			{nov, gent1, "visits", float64(35), "team", "team target", "nov"},
			{nov, gent2, "visits", float64(20), "chw", "CHW override", "nov"},
			{nov, gent1, "new_clients", float64(6), "programme", "programme default", "nov"},
			{nov, gent1, "appointments_attended", float64(80), "programme", "share", "nov"},
			{nov, gent1, "barriers_resolved", nil, nil, "no goal", "nov"},
			{dec, gent1, "new_clients", float64(9), "programme", "changed from December", "dec"},
			{dec, gent1, "appointments_attended", nil, nil, "cleared from December", "dec"},
			{dec, gent2, "visits", float64(20), "chw", "carried over", "dec"},
		} {
			if g, s := goalOf(c.v, c.user, c.ind); g != c.goal || s != c.source {
				t.Errorf("%s (%s): %s goal %v from %v, want %v from %v", c.what, c.when, c.ind, g, s, c.goal, c.source)
			}
		}
		// The CHW's own progress carries the goal and the pace (18 of 30 days).
		p := api.Do("GET", "/api/v1/me/progress", nil, api.Bearer(chw)).JSON(t)
		if p["month"] != "2026-11" || p["day"] != float64(18) || p["days"] != float64(30) {
			t.Fatalf("progress month and pace: %v %v %v", p["month"], p["day"], p["days"])
		}
		if _, it := progressValue(t, p, "visits"); it["goal"] != float64(35) || it["expected"] != float64(21) || it["behind"] != true || it["goal_source"] != "team" {
			t.Errorf("visits progress: %v", it)
		}
		// Next month arrives: November keeps its goals (history), and
		// November can no longer be written.
		api.Clock.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		hist := api.Do("GET", "/api/v1/me/progress/history", nil, api.Bearer(chw)).JSON(t)["months"].([]any)
		novH, decH := hist[10].(map[string]any), hist[11].(map[string]any)
		if _, it := progressValue(t, novH, "appointments_attended"); it["goal"] != float64(80) {
			t.Errorf("November's share goal in the history: %v, want 80", it["goal"])
		}
		if _, it := progressValue(t, decH, "appointments_attended"); it["goal"] != nil {
			t.Errorf("December's share goal: %v, want none", it["goal"])
		}
		if _, it := progressValue(t, novH, "new_clients"); it["goal"] != float64(6) || novH["day"] != float64(30) {
			t.Errorf("November in December: %v, day %v", it, novH["day"])
		}
		r := targetsPut(api, admin, map[string]any{"scope": "programme", "month": "2026-11", "goals": map[string]any{"visits": 1}})
		if r.Status != 422 || !strings.Contains(string(r.Body), `"month_past"`) {
			t.Errorf("writing last month: %d %s", r.Status, r.Body)
		}
		// Admin reads every team; a coordinator's list is their teams only.
		if v := api.Do("GET", "/api/v1/targets", nil, api.Bearer(admin)).JSON(t); len(v["teams"].([]any)) < 2 || len(v["chws"].([]any)) != 0 {
			t.Errorf("admin's targets: %d teams, %d chws", len(v["teams"].([]any)), len(v["chws"].([]any)))
		}
		if v := api.Do("GET", "/api/v1/targets?team_id="+team, nil, api.Bearer(coord)).JSON(t); len(v["teams"].([]any)) != 1 {
			t.Errorf("coordinator's team list: %v", v["teams"])
		}
	})
}

// The coaching view names what needs attention per CHW, is the
// coordinator's own teams only, and the targets report is exact for a
// coordinator and suppressed for managers.
func TestCoachingAndTargetsReport(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
		targetsPut(api, admin, map[string]any{"scope": "programme", "month": "2026-09", "goals": map[string]any{"visits": 30}})
		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC)
		gent1 := workFixture(t, api, start)
		team := myTeam(t, api, chw)
		// An overdue task, and a referral left without movement.
		api.Clock.Set(time.Date(2026, 9, 2, 9, 0, 0, 0, time.UTC))
		api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": gent1[0], "provider_type": "gp", "reason": "old", "send": true}, api.Bearer(chw))
		api.Do("POST", "/api/v1/tasks", map[string]any{"client_id": gent1[0], "due_on": "2026-09-20"}, api.Bearer(chw))
		api.Clock.Set(time.Date(2026, 10, 14, 9, 0, 0, 0, time.UTC))
		c := api.Do("GET", "/api/v1/teams/"+team+"/coaching", nil, api.Bearer(coord))
		if c.Status != 200 {
			t.Fatal(c.Status, string(c.Body))
		}
		var row map[string]any
		for _, u := range c.JSON(t)["chws"].([]any) {
			if u.(map[string]any)["id"] == myID(t, api, chw) {
				row = u.(map[string]any)
			}
		}
		if row == nil {
			t.Fatal("coaching lacks chw.gent1")
		}
		// 9 clients, one closed.
		if row["caseload"] != float64(8) || row["overdue_tasks"].(float64) < 1 || row["stuck_referrals"].(float64) < 1 {
			t.Errorf("coaching row: caseload %v overdue %v stuck %v", row["caseload"], row["overdue_tasks"], row["stuck_referrals"])
		}
		// Without contact: the team board's count, the same rule.
		for _, b := range api.Do("GET", "/api/v1/teams/"+team+"/board", nil, api.Bearer(coord)).JSON(t)["chws"].([]any) {
			if bm := b.(map[string]any); bm["id"] == row["id"] && (bm["without_recent_visit"] != row["without_contact"] || row["without_contact"].(float64) == 0) {
				t.Errorf("without contact in 30 days: %v, board %v", row["without_contact"], bm["without_recent_visit"])
			}
		}
		// October: no visits at 14 of 31 days against 30 → behind.
		if _, it := progressValue(t, row["this_month"].(map[string]any), "visits"); it["behind"] != true || it["goal"] != float64(30) {
			t.Errorf("this month's visits: %v", it)
		}
		if row["behind"].(float64) < 1 {
			t.Errorf("behind count %v", row["behind"])
		}
		api.Run(t, []testutil.Scenario{
			{Name: "another team's coaching", Method: "GET", Path: "/api/v1/teams/" + myTeam(t, api, chwLiege) + "/coaching", As: coord, Status: 404},
			{Name: "bad month", Method: "GET", Path: "/api/v1/teams/" + team + "/coaching?month=2026-13", As: coord, Status: 422, Fields: []string{"month"}},
			{Name: "chw has no coaching view", Method: "GET", Path: "/api/v1/teams/" + team + "/coaching", As: chw, Status: 403},
			{Name: "targets report, bad team", Method: "GET", Path: "/api/v1/reports/targets?team_id=x", As: mgr, Status: 422, Fields: []string{"team_id"}},
		})
		// The targets report: the coordinator exact, the manager under
		// suppression; the team's visits goal is the sum of its CHWs'.
		coordR := api.Do("GET", "/api/v1/reports/targets?month=2026-09", nil, api.Bearer(coord)).JSON(t)
		if coordR["exact"] != true || len(coordR["teams"].([]any)) != 1 {
			t.Fatalf("coordinator's targets report: %v", coordR)
		}
		gentRow := coordR["teams"].([]any)[0].(map[string]any)
		act := api.Do("GET", "/api/v1/reports/activity?group_by=team&period=2026-09", nil, api.Bearer(coord)).JSON(t)
		if v, it := progressValue(t, gentRow, "visits"); v != figureOf(t, act, indicatorDefs["visits"], team) || it["goal"].(float64) < 60 {
			t.Errorf("Gent visits %d (report %d), goal %v (two CHWs or more at 30)", v, figureOf(t, act, indicatorDefs["visits"], team), it["goal"])
		}
		mgrR := api.Do("GET", "/api/v1/reports/targets?month=2026-09", nil, api.Bearer(mgr))
		if mgrR.Status != 200 || !strings.Contains(string(mgrR.Body), `"exact":false`) || !strings.Contains(string(mgrR.Body), `"suppressed":true`) {
			t.Errorf("manager's targets report is not suppressed: %d %s", mgrR.Status, mgrR.Body)
		}
		for _, tm := range mgrR.JSON(t)["teams"].([]any) {
			for _, it := range tm.(map[string]any)["indicators"].([]any) {
				im := it.(map[string]any)
				if v, ok := im["value"].(float64); ok && v > 0 && v < 5 {
					t.Errorf("manager sees a small figure: %s %v", im["indicator"], v)
				}
			}
		}
		if r := api.Do("GET", "/api/v1/reports/targets", nil, api.Bearer(admin)); r.Status != http.StatusForbidden {
			t.Errorf("admin targets report: %d", r.Status)
		}
	})
}
