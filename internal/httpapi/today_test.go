package httpapi_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// GET /api/v1/today is the Today page's five lists in one answer: each
// section holds exactly the items its own endpoint gives for the same
// window (so the page shows the same whichever way it asks), for a CHW and
// a coordinator, and only today's (Brussels dates).
func TestToday(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(time.Date(2030, 1, 8, 9, 0, 0, 0, service.Brussels))
		do := func(as, method, path string, body any, want int) map[string]any {
			t.Helper()
			r := api.Do(method, path, body, api.Bearer(as))
			if r.Status != want {
				t.Fatalf("%s %s as %s: %d %s", method, path, as, r.Status, r.Body)
			}
			if len(r.Body) == 0 {
				return nil
			}
			return r.JSON(t)
		}
		cl := newClient(t, api, chw, map[string]any{"given_name": "Amina", "family_name": "Todaytest", "language": "nl"})
		ids := map[string]string{}
		for name, due := range map[string]string{"task overdue": "2030-01-07", "task today": "2030-01-08", "task tomorrow": "2030-01-09"} {
			ids[name] = do(chw, "POST", "/api/v1/tasks", map[string]any{"client_id": cl, "due_on": due, "note": name}, 201)["id"].(string)
		}
		for name, at := range map[string]string{"appointment yesterday": "2030-01-07T10:00", "appointment today": "2030-01-08T23:30", "appointment tomorrow": "2030-01-09T00:15"} {
			ids[name] = do(chw, "POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": at}, 201)["id"].(string)
		}
		ids["referral sent"] = do(chw, "POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_type": "dentist", "reason": "Tandpijn sinds een week", "send": true}, 201)["id"].(string)
		ids["referral draft"] = do(chw, "POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_type": "gp", "reason": "GMD openen"}, 201)["id"].(string)
		ids["session today"] = newGroupSession(t, api, chw, map[string]any{"starts_at_local": "2030-01-08T16:00", "status": "planned", "participants_by_age": map[string]int{}, "participants": 0})
		ids["session tomorrow"] = newGroupSession(t, api, chw, map[string]any{"starts_at_local": "2030-01-09T10:00", "status": "planned", "participants_by_age": map[string]int{}, "participants": 0})

		lists := map[string]string{
			"tasks":            "/api/v1/tasks?due=today",
			"appointments":     "/api/v1/appointments?from=2030-01-08&to=2030-01-09",
			"referrals":        "/api/v1/referrals?status=sent,acknowledged,waitlisted",
			"group_sessions":   "/api/v1/group-sessions?facilitator=me&from=2030-01-08&to=2030-01-09",
			"failed_reminders": "/api/v1/reminders?status=failed",
		}
		for _, as := range []string{chw, coord} {
			day := do(as, "GET", "/api/v1/today", nil, 200)
			if day["date"] != "2030-01-08" {
				t.Errorf("%s: date %v", as, day["date"])
			}
			for section, path := range lists {
				want := do(as, "GET", path, nil, 200)["items"]
				if want == nil {
					want = []any{}
				}
				if !reflect.DeepEqual(day[section], want) {
					got, _ := json.Marshal(day[section])
					exp, _ := json.Marshal(want)
					t.Errorf("%s: today's %s differ from %s:\n got %s\nwant %s", as, section, path, got, exp)
				}
			}
			has := func(section, name string) bool {
				for _, it := range day[section].([]any) {
					if it.(map[string]any)["id"] == ids[name] {
						return true
					}
				}
				return false
			}
			for name, want := range map[string]struct {
				section string
				in      bool
			}{
				"task overdue": {"tasks", true}, "task today": {"tasks", true}, "task tomorrow": {"tasks", false},
				"appointment yesterday": {"appointments", false}, "appointment today": {"appointments", true}, "appointment tomorrow": {"appointments", false},
				"referral sent": {"referrals", true}, "referral draft": {"referrals", false},
				// Group sessions are the caller's own as facilitator: the coordinator facilitates none of these.
				"session today": {"group_sessions", as == chw}, "session tomorrow": {"group_sessions", false},
			} {
				if has(want.section, name) != want.in {
					t.Errorf("%s: %s in today's %s = %v, want %v", as, name, want.section, !want.in, want.in)
				}
			}
		}
		// Another team's CHW sees none of it.
		other := do("chw.liege1@example.org", "GET", "/api/v1/today", nil, 200)
		for section := range lists {
			for _, it := range other[section].([]any) {
				for name, id := range ids {
					if it.(map[string]any)["id"] == id {
						t.Errorf("another team's CHW sees %s in %s", name, section)
					}
				}
			}
		}
		api.Run(t, []testutil.Scenario{{Name: "unknown parameter", Method: "GET", Path: "/api/v1/today?date=2030-01-09", As: chw, Status: 422, Fields: []string{"date"}}})
	})
}
