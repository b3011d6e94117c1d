package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// groupBody is a valid session held yesterday at a partner; over replaces fields.
func groupBody(over map[string]any) map[string]any {
	b := map[string]any{
		"starts_at_local":      time.Now().In(service.Brussels).Add(-24*time.Hour).Format("2006-01-02") + "T14:00",
		"duration_minutes":     90,
		"place_kind":           "partner",
		"location":             "Buurtcentrum Rabot",
		"partner_organisation": "CAW Oost-Vlaanderen",
		"title":                "Infosessie tandzorg",
		"missions":             []string{"inform"},
		"topics":               []string{"dental_care"},
		"languages":            []string{"nl", "ar"},
		"interpreter":          true,
		"participants":         12,
		"participants_by_age":  map[string]int{"18-29": 4, "30-49": 8},
		"status":               "held",
	}
	for k, v := range over {
		b[k] = v
	}
	return b
}

func newGroupSession(t *testing.T, api *testutil.API, as string, over map[string]any) string {
	t.Helper()
	r := api.Do(http.MethodPost, "/api/v1/group-sessions", groupBody(over), api.Bearer(as))
	if r.Status != http.StatusCreated {
		t.Fatalf("create group session as %s: %d %s", as, r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

func countRows(t *testing.T, api *testutil.API, table string) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Gorm.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Every group-session route for each role of the session's team and of
// another team (Liège), besides the empty-body matrix of matrix_test.go.
func TestGroupSessionScopes(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newGroupSession(t, api, chw, nil)
		liegeSession := newGroupSession(t, api, chwLiege, map[string]any{"title": "Séance d'information mutualité", "location": "Maison de quartier", "languages": []string{"fr"}})
		gentTeam := myTeam(t, api, chw)
		base := "/api/v1/group-sessions/"
		participant := map[string]any{"given_name": "Scope", "family_name": "Test", "confirm_duplicate": true}
		api.Run(t, []testutil.Scenario{
			{Name: "chw own team reads", Method: "GET", Path: base + id, As: chw, Status: 200, Contains: []string{`"title":"Infosessie tandzorg"`, `"facilitators":[{"id"`}},
			{Name: "colleague reads", Method: "GET", Path: base + id, As: chw2, Status: 200},
			{Name: "coordinator reads", Method: "GET", Path: base + id, As: coord, Status: 200},
			{Name: "other team chw 404", Method: "GET", Path: base + id, As: chwLiege, Status: 404},
			{Name: "other team coordinator 404", Method: "GET", Path: base + id, As: coordLiege, Status: 404},
			{Name: "absent 404 alike", Method: "GET", Path: base + "0190b4a4-0000-7000-8000-000000000000", As: chw, Status: 404},
			{Name: "manager 403", Method: "GET", Path: base + id, As: mgr, Status: 403},
			{Name: "admin 403", Method: "GET", Path: base + id, As: admin, Status: 403},
			{Name: "manager list 403", Method: "GET", Path: "/api/v1/group-sessions", As: mgr, Status: 403},
			{Name: "anonymous 401", Method: "GET", Path: "/api/v1/group-sessions", Status: 401},
			{Name: "list shows own team only", Method: "GET", Path: "/api/v1/group-sessions", As: coord, Status: 200,
				Contains: []string{id}, Excludes: []string{liegeSession}},
			{Name: "list of another team is empty", Method: "GET", Path: "/api/v1/group-sessions?team_id=" + gentTeam, As: coordLiege, Status: 200,
				Contains: []string{`"items":[]`}},
			{Name: "other team patch 404", Method: "PATCH", Path: base + id, As: chwLiege, Body: map[string]any{"participants": 1}, Status: 404},
			{Name: "other team bad patch still 404", Method: "PATCH", Path: base + id, As: coordLiege, Body: map[string]any{"participants": -1}, Status: 404},
			{Name: "other team participant 404", Method: "POST", Path: base + id + "/participants", As: chwLiege, Body: participant, Status: 404},
			{Name: "manager patch 403", Method: "PATCH", Path: base + id, As: mgr, Body: map[string]any{}, Status: 403},
			{Name: "admin create 403", Method: "POST", Path: "/api/v1/group-sessions", As: admin, Body: groupBody(nil), Status: 403},
			{Name: "create in another team 422", Method: "POST", Path: "/api/v1/group-sessions", As: chwLiege, Body: groupBody(map[string]any{"team_id": gentTeam}),
				Status: 422, Fields: []string{"team_id"}},
			{Name: "coordinator patches", Method: "PATCH", Path: base + id, As: coord, Body: map[string]any{"participants": 13, "participants_by_age": nil}, Status: 200,
				Contains: []string{`"participants":13`, `"participants_by_age":null`}},
			{Name: "colleague patches", Method: "PATCH", Path: base + id, As: chw2, Body: map[string]any{"note": "Goed bezocht"}, Status: 200},
		})
	})
}

func myTeam(t *testing.T, api *testutil.API, email string) string {
	t.Helper()
	return api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(email)).JSON(t)["team_ids"].([]any)[0].(string)
}

func TestGroupSessionValidation(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		liegeNb := neighbourhoodOf(t, api, "liege")
		future := time.Now().In(service.Brussels).Add(48*time.Hour).Format("2006-01-02") + "T10:00"
		id := newGroupSession(t, api, chw, nil)
		before := countRows(t, api, "group_sessions")
		facBefore := countRows(t, api, "group_session_facilitators")
		api.Run(t, []testutil.Scenario{
			{Name: "every bad field named", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body: map[string]any{
					"starts_at_local": future, "status": "held", "duration_minutes": 0, "place_kind": "partner", "location": "",
					"missions": []string{"inform", "juggle"}, "topics": []string{"astrology"}, "languages": []string{"klingon"},
					"participants": -3, "facilitator_ids": []string{myID(t, api, mgr)},
				},
				Fields: []string{"status", "duration_minutes", "location", "missions[1]", "topics[0]", "languages[0]", "participants", "facilitator_ids[0]"}},
			{Name: "headcount and bands", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body:   groupBody(map[string]any{"participants": 501, "duration_minutes": 721}),
				Fields: []string{"participants", "duration_minutes"}},
			{Name: "bands do not add up", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body:   groupBody(map[string]any{"participants": 10, "participants_by_age": map[string]int{"0-17": 3, "99+": 2, "65+": -1}}),
				Fields: []string{"participants_by_age", "participants_by_age.99+", "participants_by_age.65+"}},
			{Name: "neighbourhood of another team", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body:   groupBody(map[string]any{"place_kind": "neighbourhood", "neighbourhood_id": liegeNb}),
				Fields: []string{"neighbourhood_id"}},
			{Name: "unknown neighbourhood", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body:   groupBody(map[string]any{"place_kind": "neighbourhood", "neighbourhood_id": "0190b4a4-0000-7000-8000-000000000000"}),
				Fields: []string{"neighbourhood_id"}},
			{Name: "neighbourhood required", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body: groupBody(map[string]any{"place_kind": "neighbourhood"}), Fields: []string{"neighbourhood_id"}},
			{Name: "required on create", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422, Body: map[string]any{},
				Fields: []string{"starts_at_local", "duration_minutes", "place_kind"}},
			{Name: "bad place kind and ids", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body: groupBody(map[string]any{"place_kind": "moon", "facilitator_ids": []string{"nope"}}), Fields: []string{"place_kind", "facilitator_ids[0]"}},
			{Name: "unknown field", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 422,
				Body: groupBody(map[string]any{"names": "Jan"}), Fields: []string{"names"}},
			{Name: "patch to held in the future", Method: "PATCH", Path: "/api/v1/group-sessions/" + id, As: chw, Status: 422,
				Body: map[string]any{"starts_at_local": future}, Fields: []string{"status"}},
			{Name: "patch negative participants", Method: "PATCH", Path: "/api/v1/group-sessions/" + id, As: chw, Status: 422,
				Body: map[string]any{"participants": -1, "team_id": myTeam(t, api, chwLiege)}, Fields: []string{"participants", "team_id"}},
			{Name: "planned in the future is fine", Method: "POST", Path: "/api/v1/group-sessions", As: chw, Status: 201,
				Body: groupBody(map[string]any{"starts_at_local": future, "status": "planned", "participants": 0, "participants_by_age": nil})},
		})
		if n := countRows(t, api, "group_sessions"); n != before+1 {
			t.Errorf("%d sessions, want %d: a rejected request wrote", n, before+1)
		}
		if n := countRows(t, api, "group_session_facilitators"); n != facBefore+1 {
			t.Errorf("%d facilitator rows, want %d", n, facBefore+1)
		}
		var g model.GroupSession
		api.DB.Gorm.Where("id = ?", id).Take(&g)
		if g.Participants != 12 || g.Status != "held" {
			t.Errorf("a rejected patch changed the session: %+v", g)
		}
	})
}

// The facilitators' fund and team are those of the day the session was
// recorded: a later fund change does not re-attribute it.
func TestGroupSessionAttributionAtWriteTime(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		var funds []model.Fund
		if err := api.DB.Gorm.Order("code").Limit(2).Find(&funds).Error; err != nil || len(funds) < 2 {
			t.Fatalf("funds: %v", err)
		}
		setFund := func(email, fund string) {
			if err := api.DB.Gorm.Model(&model.User{}).Where("email = ?", email).Update("fund_id", fund).Error; err != nil {
				t.Fatal(err)
			}
		}
		setFund(chw, funds[0].ID)
		setFund(chw2, funds[0].ID)
		me, colleague := myID(t, api, chw), myID(t, api, chw2)
		id := newGroupSession(t, api, chw, map[string]any{"facilitator_ids": []string{me}})
		setFund(chw, funds[1].ID)
		setFund(chw2, funds[1].ID)
		// Adding a colleague later records the colleague's fund of now and
		// leaves the first facilitator's row as it was.
		r := api.Do(http.MethodPatch, "/api/v1/group-sessions/"+id, map[string]any{"facilitator_ids": []string{me, colleague}}, api.Bearer(chw))
		if r.Status != 200 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		var rows []model.GroupSessionFacilitator
		api.DB.Gorm.Where("session_id = ?", id).Find(&rows)
		got := map[string]string{}
		for _, f := range rows {
			if f.FundID != nil {
				got[f.CHWID] = *f.FundID
			}
			if f.TeamID != myTeam(t, api, chw) {
				t.Errorf("facilitator %s team %s", f.CHWID, f.TeamID)
			}
		}
		if got[me] != funds[0].ID || got[colleague] != funds[1].ID {
			t.Errorf("facilitator funds %v, want %s then %s", got, funds[0].ID, funds[1].ID)
		}
		var g model.GroupSession
		api.DB.Gorm.Where("id = ?", id).Take(&g)
		if g.FundID == nil || *g.FundID != funds[0].ID {
			t.Errorf("session fund %v, want the creator's fund at write time %s", g.FundID, funds[0].ID)
		}
		// Removing a facilitator removes their row.
		api.Do(http.MethodPatch, "/api/v1/group-sessions/"+id, map[string]any{"facilitator_ids": []string{colleague}}, api.Bearer(chw))
		if n := countWhere(t, api, "group_session_facilitators", "session_id = ?", id); n != 1 {
			t.Errorf("%d facilitator rows after removing one, want 1", n)
		}
	})
}

func countWhere(t *testing.T, api *testutil.API, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Gorm.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGroupParticipantBecomesClient(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newGroupSession(t, api, chw, nil)
		path := "/api/v1/group-sessions/" + id + "/participants"
		person := map[string]any{"given_name": "Aïcha", "family_name": "Benali", "birth_year": 1984, "language": "nl", "phone": "0470 11 22 33"}
		r := api.Do(http.MethodPost, path, person, api.Bearer(chw))
		if r.Status != http.StatusCreated {
			t.Fatalf("convert: %d %s", r.Status, r.Body)
		}
		cl := r.JSON(t)
		if cl["source"] != "group_session" || cl["assigned_chw_id"] != myID(t, api, chw) || cl["team_id"] != myTeam(t, api, chw) {
			t.Errorf("client %v", cl)
		}
		if n := countWhere(t, api, "client_events", "client_id = ? AND kind = 'group_session' AND detail LIKE ?", cl["id"], "%"+id+"%"); n != 1 {
			t.Errorf("%d link events, want 1", n)
		}
		dup := api.Do(http.MethodPost, path, person, api.Bearer(chw))
		if dup.Status != http.StatusConflict || !strings.Contains(string(dup.Body), cl["id"].(string)) {
			t.Fatalf("duplicate: %d %s", dup.Status, dup.Body)
		}
		clients := countRows(t, api, "clients")
		person["confirm_duplicate"] = true
		if r := api.Do(http.MethodPost, path, person, api.Bearer(chw)); r.Status != http.StatusCreated {
			t.Fatalf("confirmed duplicate: %d %s", r.Status, r.Body)
		}
		if n := countRows(t, api, "clients"); n != clients+1 {
			t.Errorf("%d clients, want %d", n, clients+1)
		}
		// A coordinator chooses the CHW who follows the new client.
		r = api.Do(http.MethodPost, path, map[string]any{"pseudonym": "Mama Rabot", "assigned_chw_id": myID(t, api, chw2)}, api.Bearer(coord))
		if r.Status != http.StatusCreated || r.JSON(t)["assigned_chw_id"] != myID(t, api, chw2) {
			t.Fatalf("coordinator convert: %d %s", r.Status, r.Body)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "no name", Method: "POST", Path: path, As: chw, Body: map[string]any{"source": "outreach", "neighbourhood_id": "x"}, Status: 422,
				Fields: []string{"given_name", "source", "neighbourhood_id"}},
			{Name: "chw cannot assign to a colleague", Method: "POST", Path: path, As: chw, Body: map[string]any{"pseudonym": "X", "assigned_chw_id": myID(t, api, chw2)},
				Status: 422, Fields: []string{"assigned_chw_id"}},
		})
		api.Do(http.MethodPatch, "/api/v1/group-sessions/"+id, map[string]any{"status": "cancelled"}, api.Bearer(chw))
		if r := api.Do(http.MethodPost, path, map[string]any{"pseudonym": "Late"}, api.Bearer(chw)); r.Status != http.StatusConflict {
			t.Errorf("cancelled session: %d %s", r.Status, r.Body)
		}
	})
}

func TestGroupSessionOnTodayAndCalendar(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		now := api.Clock.Now().In(service.Brussels)
		today := now.Format("2006-01-02")
		tomorrow := now.AddDate(0, 0, 1).Format("2006-01-02")
		at := now.Add(2 * time.Hour).Format("2006-01-02T15:04")
		if at[:10] != today {
			at = today + "T00:05" // late in the evening: earlier today, still today's
		}
		id := newGroupSession(t, api, chw, map[string]any{"starts_at_local": at, "status": "planned", "title": "Infosessie huisarts"})
		other := newGroupSession(t, api, chw2, map[string]any{"starts_at_local": at, "status": "planned"})
		r := api.Do(http.MethodGet, fmt.Sprintf("/api/v1/group-sessions?facilitator=me&from=%s&to=%s", today, tomorrow), nil, api.Bearer(chw))
		if r.Status != 200 || !strings.Contains(string(r.Body), id) || strings.Contains(string(r.Body), other) {
			t.Fatalf("today: %d %s", r.Status, r.Body)
		}
		tok := api.Do(http.MethodPost, "/api/v1/calendar/token", map[string]any{}, api.Bearer(chw)).JSON(t)["token"].(string)
		feed := api.Do(http.MethodGet, "/api/v1/calendar/"+tok+".ics", nil, nil)
		body := string(feed.Body)
		if feed.Status != 200 || !strings.Contains(body, id+"@brug") || !strings.Contains(body, "Infosessie huisarts") || strings.Contains(body, other) {
			t.Fatalf("feed: %d %s", feed.Status, body)
		}
	})
}

func TestGroupSessionIdempotencyKey(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		h := api.Bearer(chw)
		h["Idempotency-Key"] = "session-2026-03-10-a"
		before := countRows(t, api, "group_sessions")
		first := api.Do(http.MethodPost, "/api/v1/group-sessions", groupBody(nil), h)
		again := api.Do(http.MethodPost, "/api/v1/group-sessions", groupBody(nil), h)
		if first.Status != 201 || again.Status != 201 || first.JSON(t)["id"] != again.JSON(t)["id"] || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
		}
		if n := countRows(t, api, "group_sessions"); n != before+1 {
			t.Errorf("%d sessions written, want 1", n-before)
		}
		other := api.Do(http.MethodPost, "/api/v1/group-sessions", groupBody(map[string]any{"participants": 3, "participants_by_age": nil}), h)
		if other.Status != 422 || !strings.Contains(string(other.Body), "Idempotency-Key") {
			t.Errorf("same key, other body: %d %s", other.Status, other.Body)
		}
		// Another caller's key space is their own.
		h2 := api.Bearer(chw2)
		h2["Idempotency-Key"] = "session-2026-03-10-a"
		if r := api.Do(http.MethodPost, "/api/v1/group-sessions", groupBody(nil), h2); r.Status != 201 || r.JSON(t)["id"] == first.JSON(t)["id"] {
			t.Errorf("other caller: %d %s", r.Status, r.Body)
		}
		// A failed validation is an outcome too: replayed, not re-run.
		h["Idempotency-Key"] = "bad-1"
		bad := api.Do(http.MethodPost, "/api/v1/group-sessions", map[string]any{}, h)
		bad2 := api.Do(http.MethodPost, "/api/v1/group-sessions", map[string]any{}, h)
		if bad.Status != 422 || bad2.Status != 422 || string(bad.Body) != string(bad2.Body) {
			t.Errorf("validation replay: %d / %d", bad.Status, bad2.Status)
		}
	})
}
