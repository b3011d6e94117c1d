package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Break-the-glass: a CHW of Liège finds a Gent client by phone, opens it
// with a reason, works on it, and loses it when the grant expires.
func TestEmergencyAccess(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Noémie", "family_name": "Glas", "birth_year": 1980, "phone": "0470 98 76 54"})

		// The lookup tells only the id and the team.
		r := api.Do("POST", "/api/v1/client-lookup", map[string]any{"phone": "+32 470 98 76 54"}, api.Bearer(chwLiege))
		if r.Status != 200 {
			t.Fatalf("lookup: %d %s", r.Status, r.Body)
		}
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("lookup found %d, want 1: %s", len(items), r.Body)
		}
		m := items[0].(map[string]any)
		if m["client_id"] != id || m["team_name"] != "Gent" || m["in_scope"] != false || len(m) != 4 {
			t.Fatalf("lookup match: %v", m)
		}
		if strings.Contains(string(r.Body), "Glas") || strings.Contains(string(r.Body), "1980") {
			t.Fatalf("lookup discloses details: %s", r.Body)
		}
		byName := api.Do("POST", "/api/v1/client-lookup", map[string]any{"given_name": "noemie", "family_name": "GLAS", "birth_year": 1980}, api.Bearer(chwLiege)).JSON(t)["items"].([]any)
		if len(byName) != 1 {
			t.Fatalf("lookup by name found %d, want 1", len(byName))
		}
		own := api.Do("POST", "/api/v1/client-lookup", map[string]any{"phone": "0470987654"}, api.Bearer(chw)).JSON(t)["items"].([]any)
		if len(own) != 1 || own[0].(map[string]any)["in_scope"] != true {
			t.Fatalf("own client lookup: %v", own)
		}
		none := api.Do("POST", "/api/v1/client-lookup", map[string]any{"given_name": "Noémie", "family_name": "Glas", "birth_year": 1981}, api.Bearer(chwLiege)).JSON(t)["items"].([]any)
		if len(none) != 0 {
			t.Fatalf("wrong birth year still matched: %v", none)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "lookup needs terms", Method: "POST", Path: "/api/v1/client-lookup", Body: map[string]any{}, As: chwLiege, Status: 422, Contains: []string{`"field":"phone"`}},
			{Name: "lookup by part of a name", Method: "POST", Path: "/api/v1/client-lookup", Body: map[string]any{"given_name": "Noémie"}, As: chwLiege, Status: 422,
				Contains: []string{`"field":"family_name"`, `"field":"birth_year"`}},
			{Name: "lookup by both", Method: "POST", Path: "/api/v1/client-lookup", Body: map[string]any{"phone": "0470987654", "given_name": "N"}, As: chwLiege, Status: 422, Contains: []string{`"exclusive"`}},
			{Name: "lookup by a bad phone", Method: "POST", Path: "/api/v1/client-lookup", Body: map[string]any{"phone": "12"}, As: chwLiege, Status: 422, Contains: []string{`"field":"phone"`}},
			{Name: "manager may not look up", Method: "POST", Path: "/api/v1/client-lookup", Body: map[string]any{"phone": "0470987654"}, As: mgr, Status: 403},
			{Name: "out of scope before", Method: "GET", Path: "/api/v1/clients/" + id, As: chwLiege, Status: 404},
			{Name: "reason required", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{}, As: chwLiege, Status: 422, Contains: []string{`"field":"reason"`, `"required"`}},
			{Name: "reason too short", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "  ill     "}, As: chwLiege, Status: 422, Contains: []string{`"field":"reason"`}},
			{Name: "reason too long", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": strings.Repeat("x", 501)}, As: chwLiege, Status: 422, Contains: []string{`"field":"reason"`}},
			{Name: "unknown field", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "Colleague is ill today", "hours": 8}, As: chwLiege, Status: 422, Contains: []string{`"field":"hours"`}},
			{Name: "still out of scope", Method: "GET", Path: "/api/v1/clients/" + id, As: chwLiege, Status: 404},
			{Name: "unknown client", Method: "POST", Path: "/api/v1/clients/0190a8c0-0000-7000-8000-000000000000/emergency-access", Body: map[string]any{"reason": "Colleague is ill today"}, As: chwLiege, Status: 404},
			{Name: "already in scope", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "Colleague is ill today"}, As: coord, Status: 409, Contains: []string{`"code":"in_scope"`}},
			{Name: "not for managers", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "Colleague is ill today"}, As: mgr, Status: 403},
			{Name: "not for admins", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "Colleague is ill today"}, As: admin, Status: 403},
		})
		var n int64
		api.DB.Gorm.Model(&model.EmergencyAccess{}).Count(&n)
		if n != 0 {
			t.Fatalf("refused requests stored %d grants", n)
		}

		start := api.Clock.Now()
		g := api.Do("POST", "/api/v1/clients/"+id+"/emergency-access", map[string]any{"reason": "Client came to the Liège office; Gent CHW is ill."}, api.Bearer(chwLiege))
		if g.Status != 201 {
			t.Fatalf("grant: %d %s", g.Status, g.Body)
		}
		grant := g.JSON(t)
		exp, err := time.Parse(time.RFC3339, grant["expires_at"].(string))
		if err != nil || !exp.Equal(start.Add(4*time.Hour)) {
			t.Fatalf("expires_at %v, want %v (%v)", grant["expires_at"], start.Add(4*time.Hour), err)
		}

		// While it lives, the record reads and writes as the caller's own.
		api.Run(t, []testutil.Scenario{
			{Name: "record", Method: "GET", Path: "/api/v1/clients/" + id, As: chwLiege, Status: 200, Contains: []string{"Glas"}},
			{Name: "timeline", Method: "GET", Path: "/api/v1/clients/" + id + "/timeline", As: chwLiege, Status: 200},
			{Name: "the own CHW sees it on the timeline", Method: "GET", Path: "/api/v1/clients/" + id + "/timeline", As: chw, Status: 200,
				Contains: []string{`"type":"emergency_access"`, "Gent CHW is ill"}},
			{Name: "visit", Method: "POST", Path: "/api/v1/clients/" + id + "/visits", Body: map[string]any{"mode": "office", "duration_minutes": 15}, As: chwLiege, Status: 201},
			{Name: "visits", Method: "GET", Path: "/api/v1/clients/" + id + "/visits", As: chwLiege, Status: 200, Contains: []string{`"office"`}},
			{Name: "barrier", Method: "POST", Path: "/api/v1/clients/" + id + "/barriers", Body: map[string]any{"category": "language"}, As: chwLiege, Status: 201},
			{Name: "appointment", Method: "POST", Path: "/api/v1/appointments", Body: map[string]any{"client_id": id, "starts_at_local": "2030-03-04T10:00"}, As: chwLiege, Status: 201},
			{Name: "referral", Method: "POST", Path: "/api/v1/referrals", Body: map[string]any{"client_id": id, "provider_type": "gp", "reason": "Needs a GP"}, As: chwLiege, Status: 201},
			{Name: "referrals", Method: "GET", Path: "/api/v1/referrals?client_id=" + id, As: chwLiege, Status: 200, Contains: []string{"Needs a GP"}},
			{Name: "grants", Method: "GET", Path: "/api/v1/emergency-access", As: chwLiege, Status: 200, Contains: []string{id, `"hours":4`}},
			{Name: "twice", Method: "POST", Path: "/api/v1/clients/" + id + "/emergency-access", Body: map[string]any{"reason": "Client came to the Liège office again"}, As: chwLiege, Status: 409},
			{Name: "others still out", Method: "GET", Path: "/api/v1/clients/" + id, As: coordLiege, Status: 404},
		})

		// Audited with the reason; reads during the grant too.
		var ev model.AuditEvent
		if err := api.DB.Gorm.Where("action = ? AND client_id = ?", "client.emergency_access", id).Take(&ev).Error; err != nil {
			t.Fatalf("no client.emergency_access audit: %v", err)
		}
		if !strings.Contains(ev.Detail, "Gent CHW is ill") {
			t.Fatalf("audit detail lacks the reason: %q", ev.Detail)
		}
		var reads int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = ? AND client_id = ? AND actor_role = ?", "client.read", id, "chw").Count(&reads)
		if reads == 0 {
			t.Fatal("the read during the grant was not audited")
		}
		// The audit reader marks the grant and the reads under it as
		// unusual access (the Liège CHW is not of the client's team).
		liegeID := userID(t, api, chwLiege)
		marks := map[string]bool{}
		for _, e := range api.Do("GET", "/api/v1/audit?client_id="+id+"&actor_id="+liegeID, nil, api.Bearer(admin)).JSON(t)["items"].([]any) {
			it := e.(map[string]any)
			marks[it["action"].(string)] = it["unusual"].(bool)
			if !it["unusual"].(bool) {
				t.Errorf("access under the grant not marked unusual: %v", it)
			}
		}
		if !marks[service.ActionEmergencyAccess] || !marks["client.read"] {
			t.Fatalf("audit reader marks %v, want client.emergency_access and client.read", marks)
		}
		var lookups int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = ? AND detail NOT LIKE ?", "client.lookup", "%0470%").Count(&lookups)
		if lookups < 4 {
			t.Fatalf("%d lookups audited, want at least 4", lookups)
		}

		// The Gent coordinator gets a task to review it; closing it records the review.
		tasks := api.Do("GET", "/api/v1/tasks?client_id="+id, nil, api.Bearer(coord)).JSON(t)["items"].([]any)
		var review map[string]any
		for _, it := range tasks {
			if task := it.(map[string]any); task["kind"] == "review_emergency_access" {
				review = task
			}
		}
		if review == nil {
			t.Fatalf("no review task for the coordinator: %v", tasks)
		}
		params := review["params"].(map[string]any)
		if params["grant"] != grant["id"] || !strings.Contains(params["reason"].(string), "Liège office") || params["name"] == "" {
			t.Fatalf("review task params: %v", params)
		}
		if d := api.Do("PATCH", "/api/v1/tasks/"+review["id"].(string), map[string]any{"done": true}, api.Bearer(coord)); d.Status != 200 {
			t.Fatalf("close review: %d %s", d.Status, d.Body)
		}
		var stored model.EmergencyAccess
		api.DB.Gorm.Where("id = ?", grant["id"]).Take(&stored)
		if stored.ReviewedAt == nil || stored.ReviewedBy == nil {
			t.Fatalf("grant not marked reviewed: %+v", stored)
		}

		// The lookup is bounded: 20 an hour per account.
		for i := 0; ; i++ {
			r := api.Do("POST", "/api/v1/client-lookup", map[string]any{"phone": "0470987654"}, api.Bearer(chw2))
			if r.Status == 429 {
				if i != 20 {
					t.Fatalf("lookup refused after %d, want 20", i)
				}
				break
			}
			if r.Status != 200 || i > 20 {
				t.Fatalf("lookup %d: %d %s", i, r.Status, r.Body)
			}
		}

		// After expires_at the record is out of scope again.
		api.Clock.Advance(4*time.Hour + time.Minute)
		api.Run(t, []testutil.Scenario{
			{Name: "expired record", Method: "GET", Path: "/api/v1/clients/" + id, As: chwLiege, Status: 404},
			{Name: "expired visits", Method: "GET", Path: "/api/v1/clients/" + id + "/visits", As: chwLiege, Status: 404},
			{Name: "expired write", Method: "POST", Path: "/api/v1/clients/" + id + "/visits", Body: map[string]any{"mode": "office", "duration_minutes": 5}, As: chwLiege, Status: 404},
			{Name: "no live grants", Method: "GET", Path: "/api/v1/emergency-access", As: chwLiege, Status: 200, Contains: []string{`"items":[]`}},
		})

		// A coordinator of another team may too, for the configured time
		// (BRUG_EMERGENCY_ACCESS_HOURS), which the server enforces.
		api.Svc.EmergencyAccessTTL = 2 * time.Hour
		from := api.Clock.Now()
		cg := api.Do("POST", "/api/v1/clients/"+id+"/emergency-access", map[string]any{"reason": "Client at the Liège office, Gent team closed today."}, api.Bearer(coordLiege))
		if cg.Status != 201 {
			t.Fatalf("coordinator grant: %d %s", cg.Status, cg.Body)
		}
		if exp, err := time.Parse(time.RFC3339, cg.JSON(t)["expires_at"].(string)); err != nil || !exp.Equal(from.Add(2*time.Hour)) {
			t.Fatalf("coordinator grant expires_at %v, want %v (%v)", cg.JSON(t)["expires_at"], from.Add(2*time.Hour), err)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "coordinator reads under the grant", Method: "GET", Path: "/api/v1/clients/" + id, As: coordLiege, Status: 200, Contains: []string{"Glas"}},
			{Name: "the grant lists 2 hours", Method: "GET", Path: "/api/v1/emergency-access", As: coordLiege, Status: 200, Contains: []string{`"hours":2`}},
		})
		api.Clock.Advance(2*time.Hour + time.Minute)
		api.Run(t, []testutil.Scenario{
			{Name: "coordinator grant expired", Method: "GET", Path: "/api/v1/clients/" + id, As: coordLiege, Status: 404},
		})
	})
}
