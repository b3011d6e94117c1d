package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

func teamID(t *testing.T, api *testutil.API, slug string) string {
	t.Helper()
	for _, it := range api.Do("GET", "/api/v1/teams", nil, api.Bearer(admin)).JSON(t)["items"].([]any) {
		m := it.(map[string]any)
		if m["slug"] == slug {
			return m["id"].(string)
		}
	}
	t.Fatalf("no team %s", slug)
	return ""
}

func TestAdminManagesUsers(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gent := teamID(t, api, "gent")
		adminID := api.Do("GET", "/api/v1/me", nil, api.Bearer(admin)).JSON(t)["id"].(string)
		var created string
		api.Run(t, []testutil.Scenario{
			{Name: "create", Method: "POST", Path: "/api/v1/users", As: admin, Status: 201,
				Body:     map[string]any{"email": "Nieuwe.CHW@Example.org", "name": "Nieuwe CHW", "role": "chw", "team_ids": []string{gent}, "language": "fr"},
				Contains: []string{`"email":"nieuwe.chw@example.org"`, `"name":"Gent"`, `"language":"fr"`},
				Excludes: []string{"password"},
				Check:    func(t *testing.T, r testutil.Response) { created = r.JSON(t)["id"].(string) }},
			{Name: "duplicate e-mail, other case", Method: "POST", Path: "/api/v1/users", As: admin, Status: 409,
				Body:   map[string]any{"email": "NIEUWE.chw@example.org", "name": "X", "role": "chw", "team_ids": []string{gent}},
				Fields: []string{"email"}},
			{Name: "manager without fund", Method: "POST", Path: "/api/v1/users", As: admin, Status: 422,
				Body:   map[string]any{"email": "m2@example.org", "name": "M", "role": "manager"},
				Fields: []string{"fund_id"}},
			{Name: "admin with a team", Method: "POST", Path: "/api/v1/users", As: admin, Status: 422,
				Body:   map[string]any{"email": "a2@example.org", "name": "A", "role": "admin", "team_ids": []string{gent}},
				Fields: []string{"team_ids"}},
			{Name: "unknown team", Method: "POST", Path: "/api/v1/users", As: admin, Status: 422,
				Body:   map[string]any{"email": "c2@example.org", "name": "C", "role": "coordinator", "team_ids": []string{"01890000-0000-7000-8000-000000000000"}},
				Fields: []string{"team_ids"}},
			{Name: "cannot disable self", Method: "PATCH", Path: "/api/v1/users/" + adminID, As: admin, Body: map[string]any{"disabled": true}, Status: 409},
			{Name: "cannot demote self", Method: "PATCH", Path: "/api/v1/users/" + adminID, As: admin, Body: map[string]any{"role": "chw"}, Status: 409},
			{Name: "e-mail is read-only", Method: "PATCH", Path: "/api/v1/users/" + adminID, As: admin, Body: map[string]any{"email": "x@example.org"}, Status: 422, Fields: []string{"email"}},
		})
		if created == "" {
			t.Fatal("user not created")
		}
		if r := api.Do("POST", "/api/v1/public/invitations/"+invitationToken(t, api, created), map[string]any{"password": "a-long-password"}, nil); r.Status != 204 {
			t.Fatalf("set password: %d %s", r.Status, r.Body)
		}
		r := api.Login("nieuwe.chw@example.org", "a-long-password")
		if r.Status != 200 {
			t.Fatalf("new user cannot sign in: %d", r.Status)
		}
		tok := r.JSON(t)["access_token"].(string)
		// Promotion to coordinator ends the old session: its role is stale.
		pr := api.Do("PATCH", "/api/v1/users/"+created, map[string]any{"role": "coordinator"}, api.Bearer(admin))
		if pr.Status != 200 || !strings.Contains(string(pr.Body), `"role":"coordinator"`) {
			t.Fatalf("promote: %d %s", pr.Status, pr.Body)
		}
		if r := api.Do("GET", "/api/v1/me", nil, bearer(tok)); r.Status != 401 {
			t.Fatalf("session survived a role change: %d", r.Status)
		}
		// fund_id can be cleared with an explicit null.
		mgrID := api.Do("GET", "/api/v1/me", nil, api.Bearer(mgr)).JSON(t)["id"].(string)
		if r := api.Do("PATCH", "/api/v1/users/"+mgrID, map[string]any{"fund_id": nil}, api.Bearer(admin)); r.Status != 200 || !strings.Contains(string(r.Body), `"fund_id":null`) {
			t.Fatalf("clear fund: %d %s", r.Status, r.Body)
		}
	})
}

func TestUserListPaginatesStably(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gent := teamID(t, api, "gent")
		for i := 0; i < 7; i++ {
			r := api.Do("POST", "/api/v1/users", map[string]any{"email": fmt.Sprintf("p%d@example.org", i), "name": "Same Name",
				"role": "chw", "team_ids": []string{gent}}, api.Bearer(admin))
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		seen := map[string]bool{}
		path := "/api/v1/users?limit=3"
		pages := 0
		for {
			body := api.Do("GET", path, nil, api.Bearer(admin)).JSON(t)
			pages++
			for _, it := range body["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("user %s on two pages", id)
				}
				seen[id] = true
			}
			next, _ := body["next_cursor"].(string)
			if next == "" {
				break
			}
			path = "/api/v1/users?limit=3&cursor=" + next
		}
		if len(seen) != 14 || pages != 5 {
			t.Fatalf("saw %d users in %d pages, want 14 in 5", len(seen), pages)
		}
		q := api.Do("GET", "/api/v1/users?q=ADMIN", nil, api.Bearer(admin)).JSON(t)["items"].([]any)
		if len(q) != 1 {
			t.Fatalf("search: %v", q)
		}
		byTeam := api.Do("GET", "/api/v1/users?role=coordinator&team_id="+gent, nil, api.Bearer(admin)).JSON(t)["items"].([]any)
		if len(byTeam) != 1 || byTeam[0].(map[string]any)["email"] != "coordinator.gent@example.org" {
			t.Fatalf("filter: %v", byTeam)
		}
	})
}

func TestMeLanguage(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Run(t, []testutil.Scenario{
			{Name: "set", Method: "PATCH", Path: "/api/v1/me", As: chw, Body: map[string]any{"language": "de"}, Status: 200, Contains: []string{`"language":"de"`}},
			{Name: "kept", Method: "GET", Path: "/api/v1/me", As: chw, Status: 200, Contains: []string{`"language":"de"`}},
			{Name: "invalid", Method: "PATCH", Path: "/api/v1/me", As: chw, Body: map[string]any{"language": "xx", "name": ""}, Status: 422, Fields: []string{"language", "name"}},
			{Name: "no role change via me", Method: "PATCH", Path: "/api/v1/me", As: chw, Body: map[string]any{"role": "admin"}, Status: 422, Fields: []string{"role"}},
		})
	})
}
