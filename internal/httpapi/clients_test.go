package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

const (
	chw2       = "chw.gent2@example.org"
	chwLiege   = "chw.liege1@example.org"
	coordLiege = "coordinator.liege@example.org"
)

// Every client route, for each kind of caller relative to a client of
// chw.gent1 in team Gent.
func TestClientScopeMatrix(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Scope", "family_name": "Test", "phone": "0470 11 22 33"})
		visit := api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 20,
			"barriers": []map[string]any{{"category": "language"}}}, api.Bearer(chw)).JSON(t)
		vid := visit["id"].(string)
		bid := visit["barriers"].([]any)[0].(map[string]any)["id"].(string)
		type call struct {
			method, path string
			body         any
		}
		calls := []call{
			{"GET", "/api/v1/clients/" + id, nil},
			{"PATCH", "/api/v1/clients/" + id, map[string]any{"pseudonym": "P"}},
			{"GET", "/api/v1/clients/" + id + "/timeline", nil},
			{"GET", "/api/v1/clients/" + id + "/assignments", nil},
			{"GET", "/api/v1/clients/" + id + "/visits", nil},
			{"POST", "/api/v1/clients/" + id + "/visits", map[string]any{"mode": "phone", "duration_minutes": 5}},
			{"PATCH", "/api/v1/clients/" + id + "/visits/" + vid, map[string]any{"note": "n"}},
			{"GET", "/api/v1/clients/" + id + "/barriers", nil},
			{"POST", "/api/v1/clients/" + id + "/barriers", map[string]any{"category": "financial"}},
			{"PATCH", "/api/v1/clients/" + id + "/barriers/" + bid, map[string]any{"detail": "d"}},
			{"GET", "/api/v1/clients/" + id + "/consents", nil},
			{"POST", "/api/v1/clients/" + id + "/consents", map[string]any{"purpose": "research"}},
			{"DELETE", "/api/v1/clients/" + id + "/consents/research", nil},
		}
		allowed := map[string]int{"GET": 200, "PATCH": 200, "POST": 201, "DELETE": 204}
		who := map[string]string{
			"chw-own": chw, "chw-other-in-team": chw2, "chw-other-team": chwLiege,
			"coordinator-own-team": coord, "coordinator-other-team": coordLiege, "manager": mgr, "admin": admin, "anonymous": "",
		}
		for name, email := range who {
			for _, cl := range calls {
				want := 404
				switch name {
				case "chw-own", "coordinator-own-team":
					want = allowed[cl.method]
					if strings.HasSuffix(cl.path, "/consents") && cl.method == "POST" {
						want = 200
					}
				case "anonymous":
					want = 401
				}
				var h map[string]string
				if email != "" {
					h = api.Bearer(email)
				}
				r := api.Do(cl.method, cl.path, cl.body, h)
				if r.Status != want {
					t.Errorf("%s %s as %s: %d, want %d: %s", cl.method, cl.path, name, r.Status, want, r.Body)
				}
			}
		}
		// Lists: CHWs see their own, coordinators their team, managers and admins are refused.
		lists := map[string]int{chw: 1, chw2: 0, chwLiege: 0, coord: 1, coordLiege: 0}
		for email, n := range lists {
			items := api.Do("GET", "/api/v1/clients", nil, api.Bearer(email)).JSON(t)["items"].([]any)
			if len(items) != n {
				t.Errorf("list as %s: %d items, want %d", email, len(items), n)
			}
		}
		for _, email := range []string{mgr, admin} {
			if r := api.Do("GET", "/api/v1/clients", nil, api.Bearer(email)); r.Status != 403 {
				t.Errorf("list as %s: %d, want 403", email, r.Status)
			}
		}
		// Assignment and audit are coordinator actions.
		for _, email := range []string{chw, chw2} {
			if r := api.Do("PUT", "/api/v1/clients/"+id+"/assignment", map[string]any{"chw_id": nil}, api.Bearer(email)); r.Status != 403 {
				t.Errorf("assignment as %s: %d", email, r.Status)
			}
			if r := api.Do("GET", "/api/v1/clients/"+id+"/audit", nil, api.Bearer(email)); r.Status != 403 {
				t.Errorf("audit as %s: %d", email, r.Status)
			}
		}
		if r := api.Do("PUT", "/api/v1/clients/"+id+"/assignment", map[string]any{"chw_id": nil}, api.Bearer(coordLiege)); r.Status != 404 {
			t.Errorf("assignment by other team's coordinator: %d", r.Status)
		}
	})
}

func TestCreateClientRulesAndBadInput(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		before := countClients(t, api)
		liegeNb := neighbourhoodOf(t, api, "liege")
		gent := teamID(t, api, "gent")
		api.Run(t, []testutil.Scenario{
			{Name: "every bad field named", Method: "POST", Path: "/api/v1/clients", As: chw, Status: 422,
				Body: map[string]any{"given_name": "", "birth_year": 1700, "phone": "12", "email": "nope@", "language": "es",
					"care_rights": []string{"gmd", "free_beer"}, "source": "street", "neighbourhood_id": liegeNb, "status": "closed"},
				Fields: []string{"given_name", "birth_year", "phone", "email", "language", "care_rights[1]", "source", "neighbourhood_id", "status"}},
			{Name: "wrong types", Method: "POST", Path: "/api/v1/clients", As: chw, Status: 422,
				Body: `{"given_name": 3, "birth_year": "1980", "care_rights": "gmd"}`, Fields: []string{"given_name", "birth_year", "care_rights"}},
			{Name: "unknown field", Method: "POST", Path: "/api/v1/clients", As: chw, Status: 422,
				Body: map[string]any{"given_name": "A", "diagnosis": "x"}, Fields: []string{"diagnosis"}},
			{Name: "chw cannot assign to someone else", Method: "POST", Path: "/api/v1/clients", As: chw, Status: 422,
				Body: map[string]any{"given_name": "A", "assigned_chw_id": coordID(t, api)}, Fields: []string{"assigned_chw_id"}},
			{Name: "coordinator assigns to a non-CHW", Method: "POST", Path: "/api/v1/clients", As: coord, Status: 422,
				Body: map[string]any{"given_name": "A", "assigned_chw_id": coordID(t, api)}, Fields: []string{"assigned_chw_id"}},
			{Name: "other team", Method: "POST", Path: "/api/v1/clients", As: chw, Status: 422,
				Body: map[string]any{"given_name": "A", "team_id": teamID(t, api, "liege")}, Fields: []string{"team_id"}},
		})
		if after := countClients(t, api); after != before {
			t.Fatalf("bad input wrote clients: %d -> %d", before, after)
		}
		// A Belgian mobile typed as 04xx is stored in E.164; a CHW's client is theirs.
		r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amina", "family_name": "Diallo", "birth_year": 1984,
			"phone": "0470/12.34.56", "email": "Amina@Example.org", "care_rights": []string{"gmd", "increased_reimbursement"},
			"spoken_languages": []string{"Pular", "French"}, "language": "fr"}, api.Bearer(chw))
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		c := r.JSON(t)
		me := api.Do("GET", "/api/v1/me", nil, api.Bearer(chw)).JSON(t)
		if c["phone"] != "+32470123456" || c["email"] != "amina@example.org" || c["assigned_chw_id"] != me["id"] || c["team_id"] != gent || c["status"] != "active" {
			t.Fatalf("stored client: %v", c)
		}
		// Duplicates: same name and birth year, or same phone, in the team.
		dup := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "amina", "family_name": "DIALLO", "birth_year": 1984}, api.Bearer(coord))
		if dup.Status != 409 || !strings.Contains(string(dup.Body), c["id"].(string)) {
			t.Fatalf("duplicate by name: %d %s", dup.Status, dup.Body)
		}
		dup = api.Do("POST", "/api/v1/clients", map[string]any{"pseudonym": "X", "phone": "+32 470 12 34 56"}, api.Bearer(coord))
		if dup.Status != 409 {
			t.Fatalf("duplicate by phone: %d %s", dup.Status, dup.Body)
		}
		// Another CHW of the team gets the warning but no id they may not see.
		dup = api.Do("POST", "/api/v1/clients", map[string]any{"pseudonym": "Y", "phone": "0470123456"}, api.Bearer(chw2))
		if dup.Status != 409 || strings.Contains(string(dup.Body), c["id"].(string)) || !strings.Contains(string(dup.Body), `"in_team":true`) {
			t.Fatalf("duplicate the caller cannot see: %d %s", dup.Status, dup.Body)
		}
		ok := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amina", "family_name": "Diallo", "birth_year": 1984, "confirm_duplicate": true}, api.Bearer(coord))
		if ok.Status != 201 || ok.JSON(t)["assigned_chw_id"] != nil {
			t.Fatalf("confirmed duplicate by coordinator (unassigned): %d %s", ok.Status, ok.Body)
		}
	})
}

func TestTransferMovesAccess(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Transfer"})
		chw2ID := api.Do("GET", "/api/v1/me", nil, api.Bearer(chw2)).JSON(t)["id"].(string)
		liegeCHW := api.Do("GET", "/api/v1/me", nil, api.Bearer(chwLiege)).JSON(t)["id"].(string)
		api.Run(t, []testutil.Scenario{
			{Name: "to another team's CHW", Method: "PUT", Path: "/api/v1/clients/" + id + "/assignment", As: coord, Body: map[string]any{"chw_id": liegeCHW}, Status: 422, Fields: []string{"chw_id"}},
			{Name: "missing chw_id", Method: "PUT", Path: "/api/v1/clients/" + id + "/assignment", As: coord, Body: map[string]any{}, Status: 422, Fields: []string{"chw_id"}},
			{Name: "transfer", Method: "PUT", Path: "/api/v1/clients/" + id + "/assignment", As: coord, Body: map[string]any{"chw_id": chw2ID}, Status: 200, Contains: []string{chw2ID}},
			{Name: "old CHW loses access at once", Method: "GET", Path: "/api/v1/clients/" + id, As: chw, Status: 404},
			{Name: "new CHW has it", Method: "GET", Path: "/api/v1/clients/" + id, As: chw2, Status: 200},
			{Name: "unassign", Method: "PUT", Path: "/api/v1/clients/" + id + "/assignment", As: coord, Body: map[string]any{"chw_id": nil}, Status: 200, Contains: []string{`"assigned_chw_id":null`}},
			{Name: "unassigned is on the board", Method: "GET", Path: "/api/v1/teams/" + teamID(t, api, "gent") + "/board", As: coord, Status: 200, Contains: []string{id}},
		})
		hist := api.Do("GET", "/api/v1/clients/"+id+"/assignments", nil, api.Bearer(coord)).JSON(t)["items"].([]any)
		if len(hist) != 3 || hist[0].(map[string]any)["ended_at"] == nil || hist[2].(map[string]any)["chw"] != nil {
			t.Fatalf("assignment history: %v", hist)
		}
		tl := string(api.Do("GET", "/api/v1/clients/"+id+"/timeline", nil, api.Bearer(coord)).Body)
		if strings.Count(tl, `"type":"assigned"`) != 2 || !strings.Contains(tl, "Youssef El Amrani") {
			t.Fatalf("timeline lacks the transfers: %s", tl)
		}
	})
}

func TestVisitsBarriersTimelineConsentsAudit(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Timeline"})
		base := "/api/v1/clients/" + id
		var visitID, barrierID string
		api.Run(t, []testutil.Scenario{
			{Name: "visit bad input", Method: "POST", Path: base + "/visits", As: chw, Status: 422,
				Body: map[string]any{"mode": "teleport", "duration_minutes": 0, "missions": []string{"inform", "cure"},
					"visited_at": time.Now().Add(48 * time.Hour).Format(time.RFC3339), "barriers": []map[string]any{{"category": "aliens"}}},
				Fields: []string{"mode", "duration_minutes", "missions[1]", "visited_at", "barriers[0].category"}},
			{Name: "visit with a barrier", Method: "POST", Path: base + "/visits", As: chw, Status: 201,
				Body: map[string]any{"mode": "home", "duration_minutes": 45, "missions": []string{"inform", "detect"}, "topics": []string{"GP"},
					"note": "Talked about the GMD.", "barriers": []map[string]any{{"category": "financial", "detail": "cannot advance the fee"}}},
				Check: func(t *testing.T, r testutil.Response) {
					b := r.JSON(t)
					visitID = b["id"].(string)
					barrierID = b["barriers"].([]any)[0].(map[string]any)["id"].(string)
				}},
			{Name: "illegal barrier transition", Method: "PATCH", Path: "/api/v1/clients/" + id + "/barriers/" + "00000000-0000-7000-8000-000000000000", As: chw, Body: map[string]any{"status": "resolved"}, Status: 404},
			{Name: "consent given", Method: "POST", Path: base + "/consents", As: chw, Body: map[string]any{"purpose": "sms_reminders"}, Status: 200, Contains: []string{`"purpose":"sms_reminders","given":true`}},
			{Name: "consent again is idempotent", Method: "POST", Path: base + "/consents", As: chw, Body: map[string]any{"purpose": "sms_reminders"}, Status: 200},
			{Name: "bad purpose", Method: "POST", Path: base + "/consents", As: chw, Body: map[string]any{"purpose": "marketing"}, Status: 422, Fields: []string{"purpose"}},
			{Name: "withdraw", Method: "DELETE", Path: base + "/consents/sms_reminders", As: chw, Status: 204},
			{Name: "withdraw bad purpose", Method: "DELETE", Path: base + "/consents/marketing", As: chw, Status: 422},
			{Name: "history kept", Method: "GET", Path: base + "/consents", As: chw, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				b := r.JSON(t)
				if len(b["history"].([]any)) != 1 || b["history"].([]any)[0].(map[string]any)["withdrawn_at"] == nil {
					t.Fatalf("history: %v", b["history"])
				}
				for _, it := range b["items"].([]any) {
					if m := it.(map[string]any); m["purpose"] == "sms_reminders" && (m["given"] != false || m["withdrawn_at"] == nil) {
						t.Fatalf("current state: %v", m)
					}
				}
			}},
			{Name: "close needs a reason", Method: "PATCH", Path: base, As: chw, Body: map[string]any{"status": "closed"}, Status: 422, Fields: []string{"close_reason"}},
			{Name: "close", Method: "PATCH", Path: base, As: chw, Body: map[string]any{"status": "closed", "close_reason": "moved away"}, Status: 200, Contains: []string{`"status":"closed"`, "moved away"}},
			{Name: "reopen", Method: "PATCH", Path: base, As: chw, Body: map[string]any{"status": "active"}, Status: 200, Contains: []string{`"status":"active"`, `"close_reason":""`}},
		})
		api.Run(t, []testutil.Scenario{
			{Name: "barrier addressed", Method: "PATCH", Path: base + "/barriers/" + barrierID, As: chw, Body: map[string]any{"status": "addressed"}, Status: 200, Contains: []string{`"status":"addressed"`}},
			{Name: "barrier resolved", Method: "PATCH", Path: base + "/barriers/" + barrierID, As: chw, Body: map[string]any{"status": "resolved"}, Status: 200},
			{Name: "resolved cannot be signalled", Method: "PATCH", Path: base + "/barriers/" + barrierID, As: chw, Body: map[string]any{"status": "signalled"}, Status: 409, Contains: []string{`"allowed":["open"]`}},
			{Name: "edit own recent visit", Method: "PATCH", Path: base + "/visits/" + visitID, As: chw, Body: map[string]any{"duration_minutes": 50}, Status: 200, Contains: []string{`"duration_minutes":50`}},
			{Name: "new phone and language", Method: "PATCH", Path: base, As: chw, Body: map[string]any{"phone": "0471 22 33 44", "language": "fr"}, Status: 200},
		})
		tl := api.Do("GET", base+"/timeline", nil, api.Bearer(chw)).JSON(t)["items"].([]any)
		types := map[string]int{}
		var last time.Time
		for i, it := range tl {
			m := it.(map[string]any)
			types[m["type"].(string)]++
			at, _ := time.Parse(time.RFC3339Nano, m["at"].(string))
			if i > 0 && at.After(last) {
				t.Fatalf("timeline not newest first at %d", i)
			}
			last = at
		}
		for _, want := range []string{"created", "visit", "barrier_detected", "barrier_addressed", "barrier_resolved", "consent_given", "consent_withdrawn", "status_changed", "updated", "visit_updated"} {
			if types[want] == 0 {
				t.Errorf("timeline lacks %s: %v", want, types)
			}
		}
		// "updated" names the fields that changed, never their values.
		for _, it := range tl {
			m := it.(map[string]any)
			if m["type"] != "updated" {
				continue
			}
			if got := fmt.Sprint(m["data"].(map[string]any)["fields"]); got != "[language phone]" {
				t.Errorf("updated lists %s, want [language phone]", got)
			}
			// Only the data: an id (random) may contain the digits by chance.
			if raw, _ := json.Marshal(m["data"]); strings.Contains(string(raw), "471") {
				t.Errorf("the timeline entry carries the new value: %s", raw)
			}
		}
		// After 24 hours only a coordinator may edit the visit.
		api.Clock.Advance(8 * 24 * time.Hour)
		fresh := api.Login(chw, "demo-brug-2026").JSON(t)["access_token"].(string)
		if r := api.Do("PATCH", base+"/visits/"+visitID, map[string]any{"note": "late"}, bearer(fresh)); r.Status != 403 {
			t.Fatalf("CHW edit after 24 hours: %d %s", r.Status, r.Body)
		}
		freshCoord := api.Login(coord, "demo-brug-2026").JSON(t)["access_token"].(string)
		if r := api.Do("PATCH", base+"/visits/"+visitID, map[string]any{"note": "corrected"}, bearer(freshCoord)); r.Status != 200 {
			t.Fatalf("coordinator edit after 24 hours: %d %s", r.Status, r.Body)
		}
		// Every read and change is audited, with who, what, when, request id and address.
		audit := api.Do("GET", base+"/audit", nil, bearer(freshCoord)).JSON(t)["items"].([]any)
		actions := map[string]bool{}
		for _, it := range audit {
			m := it.(map[string]any)
			actions[m["action"].(string)] = true
			if m["request_id"] == "" || m["ip"] == "" || m["actor"] == nil {
				t.Fatalf("audit event lacks who/where: %v", m)
			}
		}
		for _, want := range []string{"client.create", "client.read", "visit.create", "visit.update", "barrier.update", "consent.give", "consent.withdraw", "client.update"} {
			if !actions[want] {
				t.Errorf("audit lacks %s: %v", want, actions)
			}
		}
	})
}

func TestClientListSearchAndPaging(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		for i := 0; i < 9; i++ {
			newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("Person%d", i), "phone": fmt.Sprintf("+3247000000%d", i)})
			api.Clock.Advance(time.Second)
		}
		newClient(t, api, chw2, map[string]any{"given_name": "Other"})
		seen := map[string]bool{}
		path := "/api/v1/clients?limit=4"
		var order []string
		for path != "" {
			b := api.Do("GET", path, nil, api.Bearer(chw)).JSON(t)
			for _, it := range b["items"].([]any) {
				m := it.(map[string]any)
				if seen[m["id"].(string)] {
					t.Fatal("client on two pages")
				}
				seen[m["id"].(string)] = true
				order = append(order, m["given_name"].(string))
			}
			// A client added while paging does not disturb the pages.
			if len(seen) == 4 {
				newClient(t, api, chw, map[string]any{"given_name": "Latecomer"})
			}
			path = ""
			if n, ok := b["next_cursor"].(string); ok {
				path = "/api/v1/clients?limit=4&cursor=" + n
			}
		}
		if len(seen) != 9 || order[0] != "Person8" || order[8] != "Person0" {
			t.Fatalf("paging: %d clients, order %v", len(seen), order)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "by name", Method: "GET", Path: "/api/v1/clients?q=person3", As: chw, Status: 200, Contains: []string{"Person3"}, Excludes: []string{"Person4"}},
			{Name: "by Belgian phone", Method: "GET", Path: "/api/v1/clients?q=0470000005", As: chw, Status: 200, Contains: []string{"Person5"}, Excludes: []string{"Person4"}},
			{Name: "coordinator sees the team", Method: "GET", Path: "/api/v1/clients?q=other", As: coord, Status: 200, Contains: []string{"Other"}},
			{Name: "unassigned filter", Method: "GET", Path: "/api/v1/clients?assigned_to=none", As: coord, Status: 200, Excludes: []string{"Person"}},
			{Name: "bad filters", Method: "GET", Path: "/api/v1/clients?status=gone&assigned_to=x&limit=500", As: coord, Status: 422, Fields: []string{"status", "assigned_to", "limit"}},
			{Name: "LIKE wildcards are literal", Method: "GET", Path: "/api/v1/clients?q=%25", As: coord, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				if n := len(r.JSON(t)["items"].([]any)); n != 0 {
					t.Fatalf("%% matched %d clients", n)
				}
			}},
		})
	})
}

// The caseload queries use the indexes on both lists (SQLite's plan).
func TestClientListUsesIndexes(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	plan := func(q string, args ...any) string {
		var rows []struct{ Detail string }
		if err := api.DB.Gorm.Raw("EXPLAIN QUERY PLAN "+q, args...).Scan(&rows).Error; err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, r := range rows {
			b.WriteString(r.Detail + "\n")
		}
		return b.String()
	}
	chwPlan := plan("SELECT * FROM clients WHERE clients.assigned_chw_id = ? AND clients.team_id IN (?) ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51", "a", "b")
	if !strings.Contains(chwPlan, "clients_chw_activity_idx") || strings.Contains(chwPlan, "TEMP B-TREE") {
		t.Errorf("CHW caseload plan: %s", chwPlan)
	}
	teamPlan := plan("SELECT * FROM clients WHERE clients.team_id IN (?) ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51", "b")
	if !strings.Contains(teamPlan, "clients_team_activity_idx") || strings.Contains(teamPlan, "TEMP B-TREE") {
		t.Errorf("team caseload plan: %s", teamPlan)
	}
}

func TestTeamBoard(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gent, liege := teamID(t, api, "gent"), teamID(t, api, "liege")
		seen := newClient(t, api, chw, map[string]any{"given_name": "Seen"})
		stale := newClient(t, api, chw, map[string]any{"given_name": "Stale"})
		newClient(t, api, coord, map[string]any{"given_name": "Nobody"})
		api.Clock.Advance(40 * 24 * time.Hour)
		tok := api.Login(chw, "demo-brug-2026").JSON(t)["access_token"].(string)
		if r := api.Do("POST", "/api/v1/clients/"+seen+"/visits", map[string]any{"mode": "street", "duration_minutes": 10}, bearer(tok)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		ctok := api.Login(coord, "demo-brug-2026").JSON(t)["access_token"].(string)
		b := api.Do("GET", "/api/v1/teams/"+gent+"/board", nil, bearer(ctok)).JSON(t)
		var hanne map[string]any
		for _, c := range b["chws"].([]any) {
			if m := c.(map[string]any); m["name"] == "Hanne Peeters" {
				hanne = m
			}
		}
		if hanne == nil || hanne["caseload"].(float64) != 2 || hanne["without_recent_visit"].(float64) != 1 {
			t.Fatalf("board CHW row: %v", b["chws"])
		}
		if len(b["unassigned"].([]any)) != 1 || len(b["without_recent_visit"].([]any)) != 2 {
			t.Fatalf("board lists: %v / %v", b["unassigned"], b["without_recent_visit"])
		}
		if strings.Contains(fmt.Sprint(b["without_recent_visit"]), seen) || !strings.Contains(fmt.Sprint(b["without_recent_visit"]), stale) {
			t.Fatalf("stale list wrong: %v", b["without_recent_visit"])
		}
		if r := api.Do("GET", "/api/v1/teams/"+liege+"/board", nil, bearer(ctok)); r.Status != 404 {
			t.Fatalf("other team's board: %d", r.Status)
		}
	})
}

func countClients(t *testing.T, api *testutil.API) int64 {
	var n int64
	api.DB.Gorm.Model(&model.Client{}).Count(&n)
	return n
}

func coordID(t *testing.T, api *testutil.API) string {
	return api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(coord)).JSON(t)["id"].(string)
}

func neighbourhoodOf(t *testing.T, api *testutil.API, slug string) string {
	for _, it := range api.Do("GET", "/api/v1/teams", nil, api.Bearer(admin)).JSON(t)["items"].([]any) {
		m := it.(map[string]any)
		if m["slug"] == slug {
			for _, mu := range m["municipalities"].([]any) {
				for _, n := range mu.(map[string]any)["neighbourhoods"].([]any) {
					return n.(map[string]any)["id"].(string)
				}
			}
		}
	}
	t.Fatalf("no neighbourhood in %s", slug)
	return ""
}

// A failed audit write is logged and counted, and the read is still served.
func TestAuditFailureDoesNotBlockReads(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Audited", "family_name": "Person"})
		if err := api.DB.Gorm.Exec("DROP TABLE audit_events").Error; err != nil {
			t.Fatal(err)
		}
		if r := api.Do("GET", "/api/v1/clients/"+id, nil, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("read with audit down: %d %s", r.Status, r.Body)
		}
		m := string(api.Do("GET", "/metrics", nil, testutil.MetricsAuth).Body)
		if !strings.Contains(m, "brug_audit_write_failures_total 1") {
			t.Fatalf("audit failure not counted:\n%s", m)
		}
		if logs := api.Log.String(); !strings.Contains(logs, "audit write failed") || strings.Contains(logs, "Audited") {
			t.Fatalf("audit failure log: %s", logs)
		}
	})
}

// "No contact in 30 days" counts visits (a call is a visit by phone) and
// group sessions; a referral expiring is no contact, and the list shows
// the last real contact.
func TestBoardContactIsPeopleNotEvents(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gent := teamID(t, api, "gent")
		expired := newClient(t, api, chw, map[string]any{"given_name": "Expired"})
		called := newClient(t, api, chw, map[string]any{"given_name": "Called"})
		grouped := newClient(t, api, chw, map[string]any{"given_name": "Grouped"})
		visitedAt := api.Clock.Now()
		if r := api.Do("POST", "/api/v1/clients/"+expired+"/visits", map[string]any{"mode": "home", "duration_minutes": 20}, api.Bearer(chw)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		if r := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": expired, "provider_type": "dentist", "reason": "r", "send": true}, api.Bearer(chw)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		// 31 days later the referral expires (a system event), the second client is phoned,
		// the third joins a group session.
		api.Clock.Advance(31 * 24 * time.Hour)
		api.Forget()
		if _, n, err := api.Svc.RunRules(t.Context(), api.Clock.Now()); err != nil || n != 1 {
			t.Fatalf("expiry: %d %v", n, err)
		}
		if r := api.Do("POST", "/api/v1/clients/"+called+"/visits", map[string]any{"mode": "phone", "duration_minutes": 5}, api.Bearer(chw)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		if err := api.Svc.Store.AddClientEvent(t.Context(), grouped, myID(t, api, chw), "group_session", map[string]any{"group_session_id": "x"}); err != nil {
			t.Fatal(err)
		}
		b := api.Do("GET", "/api/v1/teams/"+gent+"/board", nil, api.Bearer(coord)).JSON(t)
		stale := map[string]map[string]any{}
		for _, it := range b["without_recent_visit"].([]any) {
			m := it.(map[string]any)
			stale[m["id"].(string)] = m
		}
		if _, ok := stale[called]; ok {
			t.Fatal("a phone call is contact")
		}
		if _, ok := stale[grouped]; ok {
			t.Fatal("a group session is contact")
		}
		e, ok := stale[expired]
		if !ok {
			t.Fatalf("a referral expiring is no contact: %v", b["without_recent_visit"])
		}
		if at, _ := time.Parse(time.RFC3339Nano, e["last_contact_at"].(string)); !at.Equal(visitedAt.Truncate(time.Second)) && !at.Equal(visitedAt) {
			t.Fatalf("last contact %v, want the visit at %s", e["last_contact_at"], visitedAt)
		}
	})
}
