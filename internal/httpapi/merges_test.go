package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// The duplicate check looks across the team and the programme, folds
// accents, case and spacing, and tells each caller only what they may know.
func TestDuplicateCheckAcrossTeamAndProgramme(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		claire := newClient(t, api, chw, map[string]any{"given_name": "Claire", "family_name": "Dupont", "birth_year": 1990, "phone": "0470 12 34 56"})
		noID := func(r testutil.Response) {
			t.Helper()
			for _, s := range []string{claire, "Claire", "Dupont", "+32470123456"} {
				if strings.Contains(string(r.Body), s) {
					t.Fatalf("the warning tells %q: %s", s, r.Body)
				}
			}
		}
		api.Run(t, []testutil.Scenario{
			{Name: "a colleague's client, accents, case and spacing folded", Method: "POST", Path: "/api/v1/clients", As: chw2,
				Body: map[string]any{"given_name": "  Clàire ", "family_name": "DUPONT", "birth_year": 1990}, Status: 409,
				Contains: []string{`"in_team":true`, `"candidates":[]`, "your coordinator can link or merge"},
				Check:    func(t *testing.T, r testutil.Response) { noID(r) }},
			{Name: "a colleague's client by phone", Method: "POST", Path: "/api/v1/clients", As: chw2,
				Body: map[string]any{"pseudonym": "K", "phone": "+32 470 123 456"}, Status: 409, Contains: []string{`"in_team":true`},
				Check: func(t *testing.T, r testutil.Response) { noID(r) }},
			{Name: "another team's client by phone", Method: "POST", Path: "/api/v1/clients", As: chwLiege,
				Body: map[string]any{"pseudonym": "L", "phone": "0470123456"}, Status: 409, Contains: []string{`"elsewhere":true`, `"in_team":false`},
				Check: func(t *testing.T, r testutil.Response) { noID(r) }},
			{Name: "another team's client by name and birth year", Method: "POST", Path: "/api/v1/clients", As: coordLiege,
				Body: map[string]any{"given_name": "claire", "family_name": "dupont", "birth_year": 1990}, Status: 409, Contains: []string{`"elsewhere":true`},
				Check: func(t *testing.T, r testutil.Response) { noID(r) }},
			{Name: "the coordinator gets the candidate", Method: "POST", Path: "/api/v1/clients", As: coord,
				Body: map[string]any{"given_name": "Clàire", "family_name": "Dupont", "birth_year": 1990}, Status: 409, Contains: []string{claire}},
			{Name: "other birth year is no duplicate", Method: "POST", Path: "/api/v1/clients", As: chw2,
				Body: map[string]any{"given_name": "Claire", "family_name": "Dupont", "birth_year": 1991}, Status: 201},
		})
		// The coordinator's candidates for a record a CHW created anyway.
		second := newClient(t, api, chw2, map[string]any{"given_name": "CLAIRE", "family_name": "dupónt", "birth_year": 1990})
		api.Run(t, []testutil.Scenario{
			{Name: "coordinator's merge candidates", Method: "GET", Path: "/api/v1/clients/" + second + "/duplicates", As: coord, Status: 200, Contains: []string{claire, "Claire"}},
			{Name: "other team's coordinator", Method: "GET", Path: "/api/v1/clients/" + second + "/duplicates", As: coordLiege, Status: 404},
			{Name: "a CHW may not", Method: "GET", Path: "/api/v1/clients/" + second + "/duplicates", As: chw2, Status: 403},
			{Name: "search folds accents", Method: "GET", Path: "/api/v1/clients?q=clàire", As: chw, Status: 200, Contains: []string{claire}},
		})
	})
}

// A phone number is found by its start or its last digits too.
func TestPhonePartialSearch(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		a := newClient(t, api, chw, map[string]any{"given_name": "Phone", "family_name": "One", "phone": "0470 12 34 56"})
		b := newClient(t, api, chw, map[string]any{"given_name": "Phone", "family_name": "Two", "phone": "0485 99 88 77"})
		var sc []testutil.Scenario
		for q, want := range map[string]string{"0470": a, "0470 12": a, "3456": a, "+32470": a, "0032 470": a, "887": b, "0485/99": b} {
			other := b
			if want == b {
				other = a
			}
			sc = append(sc, testutil.Scenario{Name: q, Method: "GET", Path: "/api/v1/clients?q=" + strings.ReplaceAll(strings.ReplaceAll(q, " ", "%20"), "+", "%2B"),
				As: chw, Status: 200, Contains: []string{want}, Excludes: []string{other}})
		}
		sc = append(sc, testutil.Scenario{Name: "not another CHW's client", Method: "GET", Path: "/api/v1/clients?q=0470", As: chw2, Status: 200, Excludes: []string{a}})
		api.Run(t, sc)
	})
}

// The CHW who logged a visit may edit or delete it within 24 hours; after
// that, a coordinator; both audited and on the timeline.
func TestVisitEditAndDelete(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Twice", "family_name": "Saved"})
		base := "/api/v1/clients/" + id + "/visits"
		visit := func() string {
			r := api.Do("POST", base, map[string]any{"mode": "home", "duration_minutes": 30, "barriers": []map[string]any{{"category": "financial"}}}, api.Bearer(chw))
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
			return r.JSON(t)["id"].(string)
		}
		first, dup := visit(), visit()
		// chw.gent2 takes over the client: they may not touch chw.gent1's visits.
		if r := api.Do("PUT", "/api/v1/clients/"+id+"/assignment", map[string]any{"chw_id": myID(t, api, chw2)}, api.Bearer(coord)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		api.Run(t, []testutil.Scenario{
			{Name: "another CHW may not delete", Method: "DELETE", Path: base + "/" + dup, As: chw2, Status: 403},
		})
		if r := api.Do("PUT", "/api/v1/clients/"+id+"/assignment", map[string]any{"chw_id": myID(t, api, chw)}, api.Bearer(coord)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		api.Run(t, []testutil.Scenario{
			{Name: "its CHW deletes the second tap", Method: "DELETE", Path: base + "/" + dup, As: chw, Status: 204},
			{Name: "gone", Method: "DELETE", Path: base + "/" + dup, As: chw, Status: 404},
			{Name: "its CHW edits", Method: "PATCH", Path: base + "/" + first, As: chw, Body: map[string]any{"duration_minutes": 45}, Status: 200, Contains: []string{`"duration_minutes":45`}},
			{Name: "bad edit", Method: "PATCH", Path: base + "/" + first, As: chw, Body: map[string]any{"duration_minutes": 0, "mode": "x"}, Status: 422, Fields: []string{"duration_minutes", "mode"}},
			{Name: "a manager cannot", Method: "DELETE", Path: base + "/" + first, As: mgr, Status: 404},
		})
		var n int64
		api.DB.Gorm.Model(&model.Visit{}).Where("client_id = ?", id).Count(&n)
		var nb int64
		api.DB.Gorm.Model(&model.Barrier{}).Where("client_id = ?", id).Count(&nb)
		if n != 1 || nb != 1 {
			t.Fatalf("after the delete: %d visits, %d barriers", n, nb)
		}
		tl := string(api.Do("GET", "/api/v1/clients/"+id+"/timeline", nil, api.Bearer(chw)).Body)
		if !strings.Contains(tl, `"visit_deleted"`) || !strings.Contains(tl, `"visit_updated"`) || !strings.Contains(tl, `"duration_minutes"`) {
			t.Fatalf("timeline: %s", tl)
		}
		var audits int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("client_id = ? AND action IN ('visit.delete', 'visit.update')", id).Count(&audits)
		if audits != 2 {
			t.Fatalf("audited: %d", audits)
		}
		api.Clock.Advance(25 * time.Hour)
		api.Run(t, []testutil.Scenario{
			{Name: "after 24 hours not the CHW", Method: "DELETE", Path: base + "/" + first, As: chw, Status: 403},
			{Name: "nor an edit", Method: "PATCH", Path: base + "/" + first, As: chw, Body: map[string]any{"note": "late"}, Status: 403},
			{Name: "other team's coordinator", Method: "DELETE", Path: base + "/" + first, As: coordLiege, Status: 404},
			{Name: "the coordinator may", Method: "DELETE", Path: base + "/" + first, As: coord, Status: 204},
		})
	})
}

func rowsOfClient(t *testing.T, api *testutil.API, table, clientID string) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Gorm.Table(table).Where("client_id = ?", clientID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A coordinator merges two records in one step: everything moves to the
// survivor, the merged id resolves to it, reports change only in that the
// pair is one person, and the merge is audited and undone within 30 days.
func TestMergeClients(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC)
		gent1 := workFixture(t, api, start)
		survivor := gent1[0] // W0-0, chw.gent1's
		items := api.Do("GET", "/api/v1/clients?q=w1-0", nil, api.Bearer(coord)).JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("W1-0: %v", items)
		}
		merged := items[0].(map[string]any)["id"].(string) // chw.gent2's
		api.Clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
		// The merged record has a phone, an SMS consent, a future appointment with queued reminders and an open task.
		if r := api.Do("PATCH", "/api/v1/clients/"+merged, map[string]any{"phone": "0470 99 00 11", "birth_year": 1980}, api.Bearer(chw2)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		api.Do("POST", "/api/v1/clients/"+merged+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw2))
		if r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": merged, "starts_at_local": "2026-11-20T10:00"}, api.Bearer(chw2)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		task := api.Do("POST", "/api/v1/tasks", map[string]any{"client_id": merged, "due_on": "2026-11-01"}, api.Bearer(chw2)).JSON(t)["id"].(string)
		tables := []string{"visits", "barriers", "referrals", "appointments", "reminders", "tasks", "consents", "client_events"}
		counts := func(id string) map[string]int64 {
			out := map[string]int64{}
			for _, tb := range tables {
				out[tb] = rowsOfClient(t, api, tb, id)
			}
			return out
		}
		cs, cm := counts(survivor), counts(merged)
		if cm["reminders"] == 0 || cm["visits"] == 0 || cm["consents"] == 0 {
			t.Fatalf("fixture: %v", cm)
		}
		report := "/api/v1/reports/activity?group_by=week&from=2026-09-01&to=2026-10-15"
		before := getReport(t, api, coord, report)
		beforeOwn := string(api.Do("GET", "/api/v1/reports/activity?group_by=month&from=2026-09-01&to=2026-10-15", nil, api.Bearer(chw2)).Body)

		api.Run(t, []testutil.Scenario{
			{Name: "a CHW may not merge", Method: "POST", Path: "/api/v1/clients/" + survivor + "/merge", As: chw, Body: map[string]any{"merged_id": merged}, Status: 403},
			{Name: "other team's coordinator", Method: "POST", Path: "/api/v1/clients/" + survivor + "/merge", As: coordLiege, Body: map[string]any{"merged_id": merged}, Status: 404},
			{Name: "bad body", Method: "POST", Path: "/api/v1/clients/" + survivor + "/merge", As: coord, Body: map[string]any{"merged_id": survivor, "take": []string{"phone", "password"}}, Status: 422,
				Fields: []string{"merged_id", "take[1]"}},
			{Name: "a record outside the teams", Method: "POST", Path: "/api/v1/clients/" + survivor + "/merge", As: coord,
				Body: map[string]any{"merged_id": newClient(t, api, chwLiege, map[string]any{"given_name": "Far"})}, Status: 422, Fields: []string{"merged_id"}},
		})
		if n := rowsOfClient(t, api, "visits", merged); n != cm["visits"] {
			t.Fatalf("a refused merge moved rows: %d", n)
		}
		r := api.Do("POST", "/api/v1/clients/"+survivor+"/merge", map[string]any{"merged_id": merged, "take": []string{"phone", "birth_year"}}, api.Bearer(coord))
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		var res struct {
			Merge  struct{ ID string }
			Client map[string]any
		}
		if err := json.Unmarshal(r.Body, &res); err != nil {
			t.Fatal(err)
		}
		if res.Client["phone"] != "+32470990011" || res.Client["birth_year"] != float64(1980) || res.Client["given_name"] != "W0-0" {
			t.Fatalf("fields taken: %v", res.Client)
		}
		after := counts(survivor)
		for _, tb := range tables {
			extra := int64(0)
			if tb == "client_events" {
				extra = 1 // "merged"
			}
			if after[tb] != cs[tb]+cm[tb]+extra || rowsOfClient(t, api, tb, merged) != 0 {
				t.Errorf("%s: survivor %d, want %d", tb, after[tb], cs[tb]+cm[tb]+extra)
			}
		}
		var tk model.Task
		api.DB.Gorm.Where("id = ?", task).Take(&tk)
		if tk.AssigneeID == nil || *tk.AssigneeID != myID(t, api, chw) {
			t.Fatalf("open task not with the survivor's CHW: %v", tk.AssigneeID)
		}
		if to, err := api.Svc.Store.ResolveClientID(t.Context(), merged); to != survivor {
			t.Fatalf("resolve: %s %v", to, err)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "the old id resolves to the survivor", Method: "GET", Path: "/api/v1/clients/" + merged, As: coord, Status: 200, Contains: []string{`"id":"` + survivor + `"`}},
			{Name: "its old visits link too", Method: "GET", Path: "/api/v1/clients/" + merged + "/visits", As: coord, Status: 200, Contains: []string{survivor}},
			{Name: "not listed twice", Method: "GET", Path: "/api/v1/clients?q=w1-0", As: coord, Status: 200, Excludes: []string{merged}},
			{Name: "the merged record's CHW loses it", Method: "GET", Path: "/api/v1/clients/" + merged, As: chw2, Status: 404},
			{Name: "timeline", Method: "GET", Path: "/api/v1/clients/" + survivor + "/timeline", As: chw, Status: 200, Contains: []string{`"merged"`}},
			{Name: "merges listed", Method: "GET", Path: "/api/v1/clients/" + survivor + "/merges", As: coord, Status: 200, Contains: []string{res.Merge.ID, `"undone_at":null`}},
		})
		var audits int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action IN ('client.merge', 'client.merged_into')").Count(&audits)
		if audits != 2 {
			t.Fatalf("merge audited: %d", audits)
		}
		// Reports: the same figures, except that the pair is one person.
		got := getReport(t, api, coord, report)
		for i, tb := range before.Tables {
			b, _ := json.Marshal(tb)
			a, _ := json.Marshal(got.Tables[i])
			if tb.Name != "clients_active" {
				if string(a) != string(b) {
					t.Errorf("%s changed:\nbefore %s\nafter  %s", tb.Name, b, a)
				}
				continue
			}
			if bg, ag := tb.GrandTotal["value"].(float64), got.Tables[i].GrandTotal["value"].(float64); ag != bg-1 {
				t.Errorf("people reached: %v before, %v after the merge, want one less", bg, ag)
			}
		}
		if own := string(api.Do("GET", "/api/v1/reports/activity?group_by=month&from=2026-09-01&to=2026-10-15", nil, api.Bearer(chw2)).Body); own != beforeOwn {
			t.Errorf("chw.gent2's own report changed:\nbefore %s\nafter  %s", beforeOwn, own)
		}

		// Undo brings everything back.
		api.Clock.Advance(24 * time.Hour)
		api.Run(t, []testutil.Scenario{
			{Name: "a CHW may not undo", Method: "POST", Path: "/api/v1/client-merges/" + res.Merge.ID + "/undo", As: chw, Status: 403},
			{Name: "other team's coordinator", Method: "POST", Path: "/api/v1/client-merges/" + res.Merge.ID + "/undo", As: coordLiege, Status: 404},
			{Name: "undo", Method: "POST", Path: "/api/v1/client-merges/" + res.Merge.ID + "/undo", As: coord, Status: 200, Excludes: []string{`"undone_at":null`}},
			{Name: "twice", Method: "POST", Path: "/api/v1/client-merges/" + res.Merge.ID + "/undo", As: coord, Status: 409},
			{Name: "the record is back", Method: "GET", Path: "/api/v1/clients/" + merged, As: chw2, Status: 200, Contains: []string{`"id":"` + merged + `"`, "+32470990011"}},
			{Name: "the survivor's fields are back", Method: "GET", Path: "/api/v1/clients/" + survivor, As: chw, Status: 200, Excludes: []string{"+32470990011", "1980"}},
		})
		back := counts(merged)
		for _, tb := range tables {
			extra := int64(0)
			if tb == "client_events" {
				extra = 1 // "merge_undone"
			}
			if back[tb] != cm[tb]+extra {
				t.Errorf("%s after undo: %d, want %d", tb, back[tb], cm[tb]+extra)
			}
		}
		api.DB.Gorm.Where("id = ?", task).Take(&tk)
		if tk.AssigneeID == nil || *tk.AssigneeID != myID(t, api, chw2) {
			t.Fatalf("open task not back with its CHW")
		}
		undone := getReport(t, api, coord, report)
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(undone)
		if string(a) != string(b) {
			t.Errorf("report after undo differs:\nbefore %s\nafter  %s", b, a)
		}

		// A merge older than 30 days stays.
		again := api.Do("POST", "/api/v1/clients/"+survivor+"/merge", map[string]any{"merged_id": merged}, api.Bearer(coord))
		if again.Status != 200 {
			t.Fatal(again.Status, string(again.Body))
		}
		mid := again.JSON(t)["merge"].(map[string]any)["id"].(string)
		api.Clock.Advance(31 * 24 * time.Hour)
		api.Run(t, []testutil.Scenario{
			{Name: "too late to undo", Method: "POST", Path: "/api/v1/client-merges/" + mid + "/undo", As: coord, Status: 409},
		})
	})
}
