package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Each alert condition raises exactly one task for the team's
// coordinators, a second run adds none, and clearing the condition closes
// it; the team's thresholds decide.
func TestCoordinatorAlerts(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		me := api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(chw)).JSON(t)
		chwID := me["id"].(string)
		team := me["team_ids"].([]any)[0].(string)
		settings := "/api/v1/teams/" + team + "/alert-settings"
		run := func() {
			t.Helper()
			if _, _, err := api.Svc.RunAlerts(ctx, api.Clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		// open returns the task standing for a condition, if any is open.
		open := func(key string) *model.Task {
			t.Helper()
			var ts []model.Task
			if err := api.DB.Gorm.Where("alert_key = ? AND done_at IS NULL", key).Find(&ts).Error; err != nil {
				t.Fatal(err)
			}
			if len(ts) > 1 {
				t.Fatalf("%s: %d open tasks, want at most one", key, len(ts))
			}
			if len(ts) == 0 {
				return nil
			}
			return &ts[0]
		}
		count := func(kind string) int64 {
			var n int64
			api.DB.Gorm.Model(&model.Task{}).Where("kind = ? AND team_id = ?", kind, team).Count(&n)
			return n
		}
		closed := func(id string) bool {
			var tk model.Task
			if err := api.DB.Gorm.Where("id = ?", id).Take(&tk).Error; err != nil {
				t.Fatal(err)
			}
			return tk.DoneAt != nil && tk.AlertKey == nil
		}
		advance := func(d time.Duration) {
			api.Clock.Advance(d)
			api.Forget()
		}

		// Defaults, then the team's own thresholds; bad ones are named.
		def := api.Do(http.MethodGet, settings, nil, api.Bearer(coord)).JSON(t)
		if def["default"] != true || def["no_visit_days"].(float64) != service.DefaultNoVisitDays {
			t.Fatalf("defaults: %v", def)
		}
		bad := fieldErrors(t, api.Do(http.MethodPut, settings, map[string]any{"no_visit_days": 0, "overdue_tasks": 501}, api.Bearer(coord)))
		if bad["no_visit_days"]["code"] != "range" || bad["overdue_tasks"]["code"] != "range" {
			t.Fatalf("bad thresholds: %v", bad)
		}
		if r := api.Do(http.MethodGet, "/api/v1/teams/"+otherTeam(t, api, team)+"/alert-settings", nil, api.Bearer(coord)); r.Status != 404 {
			t.Fatalf("another team's settings: %d", r.Status)
		}
		put := func(body map[string]any) {
			t.Helper()
			if r := api.Do(http.MethodPut, settings, body, api.Bearer(coord)); r.Status != 200 {
				t.Fatalf("put settings: %d %s", r.Status, r.Body)
			}
		}
		put(map[string]any{"no_visit_days": 60})

		// A CHW with no visit for N working days: not with 60, yes with 1.
		cl := newClient(t, api, chw, map[string]any{"given_name": "Alert"})
		advance(6 * 24 * time.Hour)
		noVisits := "no_visits:" + team + ":" + chwID
		run()
		if open(noVisits) != nil {
			t.Fatal("no-visit alert under the team's threshold of 60 working days")
		}
		put(map[string]any{"no_visit_days": 1})
		// Lowering a threshold raises the alert at once, not at the next round.
		if open(noVisits) == nil {
			t.Fatal("no alert right after the threshold was lowered")
		}
		run()
		run()
		a := open(noVisits)
		if a == nil || a.ClientID != "" || a.Kind != service.TaskAlertNoVisits {
			t.Fatalf("no-visit alert: %+v", a)
		}
		// The coordinator sees it (in their language) and the CHW does not.
		if !listed(t, api, coord, a.ID) || listed(t, api, chw, a.ID) {
			t.Fatal("the alert is the coordinator's, not the CHW's")
		}
		if r := api.Do(http.MethodGet, "/api/v1/tasks/"+a.ID, nil, api.Bearer(chw)); r.Status != 404 && r.Status != 405 {
			t.Fatalf("CHW reads the alert: %d", r.Status)
		}
		if r := api.Do(http.MethodPatch, "/api/v1/tasks/"+a.ID, map[string]any{"note": "spoken to"}, api.Bearer(chw)); r.Status != 404 {
			t.Fatalf("CHW edits the alert: %d", r.Status)
		}
		if r := api.Do(http.MethodPatch, "/api/v1/tasks/"+a.ID, map[string]any{"note": "spoken to"}, api.Bearer(coord)); r.Status != 200 {
			t.Fatalf("coordinator notes the alert: %d %s", r.Status, r.Body)
		}
		// A visit clears it.
		if r := api.Do(http.MethodPost, "/api/v1/clients/"+cl+"/visits", map[string]any{"mode": "home", "duration_minutes": 20}, api.Bearer(chw)); r.Status != 201 {
			t.Fatalf("visit: %d %s", r.Status, r.Body)
		}
		run()
		if open(noVisits) != nil || !closed(a.ID) {
			t.Fatal("the no-visit alert stays open after a visit")
		}
		put(map[string]any{"no_visit_days": 60})

		// Overdue tasks above M.
		board := api.Do(http.MethodGet, "/api/v1/teams/"+team+"/coaching", nil, api.Bearer(coord)).JSON(t)
		var base int
		for _, c := range board["chws"].([]any) {
			if c.(map[string]any)["id"] == chwID {
				base = int(c.(map[string]any)["overdue_tasks"].(float64))
			}
		}
		put(map[string]any{"overdue_tasks": base + 1})
		yesterday := api.Clock.Now().In(brussels()).AddDate(0, 0, -2).Format("2006-01-02")
		var mine []string
		for range 2 {
			r := api.Do(http.MethodPost, "/api/v1/tasks", map[string]any{"client_id": cl, "due_on": yesterday}, api.Bearer(chw))
			if r.Status != 201 {
				t.Fatalf("task: %d %s", r.Status, r.Body)
			}
			mine = append(mine, r.JSON(t)["id"].(string))
		}
		overdue := "overdue_tasks:" + team + ":" + chwID
		before := count(service.TaskAlertOverdueTasks)
		run()
		run()
		o := open(overdue)
		if o == nil || count(service.TaskAlertOverdueTasks) != before+1 {
			t.Fatalf("overdue alert: %+v (%d tasks of the kind, %d before)", o, count(service.TaskAlertOverdueTasks), before)
		}
		if r := api.Do(http.MethodPatch, "/api/v1/tasks/"+mine[0], map[string]any{"done": true}, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("done: %d", r.Status)
		}
		run()
		if open(overdue) != nil || !closed(o.ID) {
			t.Fatal("the overdue alert stays open at the threshold")
		}

		// Three missed appointments in a row, cleared by an attended one.
		start := api.Clock.Now()
		day := func(d int) string { return start.In(brussels()).AddDate(0, 0, d).Format("2006-01-02") }
		appt := func(d int) string {
			r := api.Do(http.MethodPost, "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": day(d) + "T10:00"}, api.Bearer(chw))
			if r.Status != 201 {
				t.Fatalf("appointment: %d %s", r.Status, r.Body)
			}
			return r.JSON(t)["id"].(string)
		}
		missed := []string{appt(1), appt(2), appt(3)}
		next := appt(6)
		advance(4 * 24 * time.Hour)
		missedKey := "missed_in_row:" + cl
		for i, id := range missed {
			if r := api.Do(http.MethodPatch, "/api/v1/appointments/"+id, map[string]any{"status": "missed"}, api.Bearer(chw)); r.Status != 200 {
				t.Fatalf("missed: %d %s", r.Status, r.Body)
			}
			run()
			if got := open(missedKey) != nil; got != (i == 2) {
				t.Fatalf("after %d missed: alert open %v", i+1, got)
			}
		}
		m := open(missedKey)
		if m.ClientID != cl || !listed(t, api, coord, m.ID) {
			t.Fatalf("missed alert: %+v", m)
		}
		advance(3 * 24 * time.Hour)
		if r := api.Do(http.MethodPatch, "/api/v1/appointments/"+next, map[string]any{"status": "attended"}, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("attended: %d %s", r.Status, r.Body)
		}
		run()
		if open(missedKey) != nil || !closed(m.ID) {
			t.Fatal("the missed alert stays open after an attended appointment")
		}

		// A referral stuck over 21 days, cleared when it moves.
		prov := api.Do(http.MethodPost, "/api/v1/providers", map[string]any{"name": "Dr. Alert", "type": "gp"}, api.Bearer(coord)).JSON(t)["id"].(string)
		ref := api.Do(http.MethodPost, "/api/v1/referrals", map[string]any{"client_id": cl, "provider_id": prov, "reason": "GMD", "send": true}, api.Bearer(chw)).JSON(t)["id"].(string)
		stuck := "stuck_referral:" + ref
		advance(20 * 24 * time.Hour)
		run()
		if open(stuck) != nil {
			t.Fatal("stuck alert before 21 days")
		}
		advance(2 * 24 * time.Hour)
		run()
		run()
		s := open(stuck)
		if s == nil || s.ClientID != cl || s.Kind != service.TaskAlertStuckReferral {
			t.Fatalf("stuck alert: %+v", s)
		}
		// Another process raising the same condition adds nothing.
		key, tm := stuck, team
		if made, err := api.Svc.Store.CreateAlertTask(ctx, &model.Task{ClientID: cl, Kind: service.TaskAlertStuckReferral, DueOn: day(0), Params: "{}", TeamID: &tm, AlertKey: &key}); err != nil || made {
			t.Fatalf("second raise: made %v, %v", made, err)
		}
		if r := api.Do(http.MethodPost, "/api/v1/referrals/"+ref+"/transitions", map[string]any{"to": "acknowledged"}, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("transition: %d %s", r.Status, r.Body)
		}
		run()
		if open(stuck) != nil || !closed(s.ID) {
			t.Fatal("the stuck alert stays open after the referral moved")
		}
	})
}

// listed reports whether the caller's task list holds the task.
func listed(t *testing.T, api *testutil.API, who, id string) bool {
	t.Helper()
	r := api.Do(http.MethodGet, "/api/v1/tasks", nil, api.Bearer(who))
	if r.Status != 200 {
		t.Fatalf("tasks: %d %s", r.Status, r.Body)
	}
	for _, it := range r.JSON(t)["items"].([]any) {
		if it.(map[string]any)["id"] == id {
			return true
		}
	}
	return false
}

// otherTeam returns a team that is not team.
func otherTeam(t *testing.T, api *testutil.API, team string) string {
	t.Helper()
	var ids []string
	api.DB.Gorm.Model(&model.Team{}).Where("id <> ?", team).Limit(1).Pluck("id", &ids)
	if len(ids) == 0 {
		t.Fatal("no other team")
	}
	return ids[0]
}
