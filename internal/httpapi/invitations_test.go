package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// invitationToken is the token of the newest invitation of a user, as the
// worker puts it in the e-mail.
func invitationToken(t *testing.T, api *testutil.API, userID string) string {
	t.Helper()
	var inv model.UserInvitation
	if err := api.DB.Gorm.Where("user_id = ?", userID).Order("created_at DESC, id DESC").Take(&inv).Error; err != nil {
		t.Fatalf("no invitation for %s: %v", userID, err)
	}
	return service.InvitationToken(api.Svc.LinkSecret, inv.ID)
}

// An admin sets no password: the account gets a single-use link for 72 h;
// giving an account client records is audited prominently and the team's
// coordinators are told.
func TestInvitations(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gent := teamID(t, api, "gent")
		api.Run(t, []testutil.Scenario{
			{Name: "no password on create", Method: "POST", Path: "/api/v1/users", As: admin, Status: 422,
				Body:   map[string]any{"email": "pw@example.org", "name": "Pw", "role": "chw", "team_ids": []string{gent}, "password": "a-long-password", "language": "xx"},
				Fields: []string{"password", "language"}, Contains: []string{`"invitation_only"`}},
			{Name: "no password on change", Method: "PATCH", Path: "/api/v1/users/" + userID(t, api, chw), As: admin, Status: 422,
				Body: map[string]any{"password": "a-long-password"}, Fields: []string{"password"}, Contains: []string{`"invitation_only"`}},
		})
		var n int64
		api.DB.Gorm.Model(&model.User{}).Where("email = ?", "pw@example.org").Count(&n)
		if n != 0 {
			t.Fatal("a refused create stored the user")
		}

		start := api.Clock.Now()
		r := api.Do("POST", "/api/v1/users", map[string]any{"email": "lotte@example.org", "name": "Lotte Nieuw", "role": "chw", "team_ids": []string{gent}, "language": "nl"}, api.Bearer(admin))
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		id := r.JSON(t)["id"].(string)
		if l := api.Login("lotte@example.org", ""); l.Status == 200 {
			t.Fatal("an invited account signs in without a password")
		}
		var inv model.UserInvitation
		api.DB.Gorm.Where("user_id = ?", id).Take(&inv)
		if inv.MailStatus != "queued" || inv.MailLanguage != "nl" || !inv.ExpiresAt.Equal(start.Add(72*time.Hour)) {
			t.Fatalf("invitation: %+v", inv)
		}

		// Prominently audited, and the Gent coordinator is told.
		var ev model.AuditEvent
		if err := api.DB.Gorm.Where("action = ? AND entity_id = ?", "user.client_access_granted", id).Take(&ev).Error; err != nil {
			t.Fatalf("no user.client_access_granted: %v", err)
		}
		var detail map[string]any
		_ = json.Unmarshal([]byte(ev.Detail), &detail)
		if detail["account"] != "lotte@example.org" || detail["role"] != "chw" || detail["self"] != false || !strings.Contains(ev.Detail, "Gent") {
			t.Fatalf("audit detail: %s", ev.Detail)
		}
		// ...and at the top of the audit reader's first page, whatever the search.
		top := api.Do("GET", "/api/v1/audit?action=client.read&limit=1", nil, api.Bearer(admin)).JSON(t)
		granted, _ := top["client_access_granted"].([]any)
		if len(granted) == 0 || granted[0].(map[string]any)["entity_id"] != id || granted[0].(map[string]any)["action"] != "user.client_access_granted" {
			t.Fatalf("audit reader's top: %v", top["client_access_granted"])
		}
		api.Do("GET", "/api/v1/me", nil, api.Bearer(coord))
		if next, _ := top["next_cursor"].(string); next != "" {
			later := api.Do("GET", "/api/v1/audit?action=client.read&limit=1&cursor="+next, nil, api.Bearer(admin)).JSON(t)
			if g, _ := later["client_access_granted"].([]any); len(g) != 0 {
				t.Fatalf("later pages repeat the grants: %v", g)
			}
		}
		notices := api.Do("GET", "/api/v1/notices", nil, api.Bearer(coord)).JSON(t)["items"].([]any)
		if len(notices) != 1 {
			t.Fatalf("coordinator notices: %v", notices)
		}
		notice := notices[0].(map[string]any)
		if notice["kind"] != "client_access_granted" || notice["params"].(map[string]any)["email"] != "lotte@example.org" {
			t.Fatalf("notice: %v", notice)
		}
		if others := api.Do("GET", "/api/v1/notices", nil, api.Bearer(coordLiege)).JSON(t)["items"].([]any); len(others) != 0 {
			t.Fatalf("Liège coordinator told: %v", others)
		}
		nid := notice["id"].(string)

		token := invitationToken(t, api, id)
		api.Run(t, []testutil.Scenario{
			{Name: "someone else's notice", Method: "POST", Path: "/api/v1/notices/" + nid + "/read", As: coordLiege, Status: 404},
			{Name: "read notice", Method: "POST", Path: "/api/v1/notices/" + nid + "/read", As: coord, Status: 204},
			{Name: "notice gone", Method: "GET", Path: "/api/v1/notices", As: coord, Status: 200, Contains: []string{`"items":[]`}},
			{Name: "short password", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "short"}, Status: 422, Fields: []string{"password"}},
			{Name: "unknown token", Method: "POST", Path: "/api/v1/public/invitations/nope", Body: map[string]any{"password": "groene-fiets-kiest-zelf"}, Status: 404},
			{Name: "a common password", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "password1234"}, Status: 422, Contains: []string{`"reason":"common"`}},
			{Name: "twelve of one letter", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "aaaaaaaaaaaa"}, Status: 422, Contains: []string{`"reason":"weak"`}},
			{Name: "twelve spaces", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "            "}, Status: 422, Contains: []string{`"code":"password_weak"`}},
			{Name: "the own e-mail", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "lotte@example.org"}, Status: 422, Contains: []string{`"reason":"personal"`}},
			{Name: "the own name", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "Lotte kiest zelf!"}, Status: 422, Contains: []string{`"reason":"personal"`}},
			{Name: "set password", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "groene-fiets-kiest-zelf"}, Status: 204},
			{Name: "used once", Method: "POST", Path: "/api/v1/public/invitations/" + token, Body: map[string]any{"password": "iemand-anders-nu"}, Status: 410},
		})
		if l := api.Login("lotte@example.org", "groene-fiets-kiest-zelf"); l.Status != 200 {
			t.Fatalf("sign in with the chosen password: %d", l.Status)
		}

		// A reset link: earlier links die; the link dies after 72 hours.
		if r := api.Do("POST", "/api/v1/users/"+id+"/invitation", nil, api.Bearer(admin)); r.Status != 202 || !strings.Contains(string(r.Body), "expires_at") {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		first := invitationToken(t, api, id)
		api.Clock.Advance(time.Second)
		api.Do("POST", "/api/v1/users/"+id+"/invitation", nil, api.Bearer(admin))
		second := invitationToken(t, api, id)
		api.Run(t, []testutil.Scenario{
			{Name: "replaced link", Method: "POST", Path: "/api/v1/public/invitations/" + first, Body: map[string]any{"password": "groene-fiets-opnieuw-nu"}, Status: 410},
			{Name: "not for coordinators", Method: "POST", Path: "/api/v1/users/" + id + "/invitation", As: coord, Status: 403},
			{Name: "no fields", Method: "POST", Path: "/api/v1/users/" + id + "/invitation", As: admin, Body: map[string]any{"password": "x"}, Status: 422, Fields: []string{"password"}},
		})
		if l := api.Login("lotte@example.org", "groene-fiets-kiest-zelf"); l.Status != 200 {
			t.Fatalf("a reset link must not lock the account before it is used: %d", l.Status)
		}
		api.Clock.Advance(72 * time.Hour)
		api.Run(t, []testutil.Scenario{
			{Name: "expired link", Method: "POST", Path: "/api/v1/public/invitations/" + second, Body: map[string]any{"password": "groene-fiets-opnieuw-nu"}, Status: 410},
		})

		// A manager gets no client records: nothing to record; a CHW promoted
		// to coordinator does.
		api.Do("POST", "/api/v1/users", map[string]any{"email": "fonds@example.org", "name": "Fonds", "role": "manager", "all_reports": true}, api.Bearer(admin))
		if r := api.Do("PATCH", "/api/v1/users/"+id, map[string]any{"role": "coordinator"}, api.Bearer(admin)); r.Status != 200 {
			t.Fatalf("promote: %d %s", r.Status, r.Body)
		}
		grants := func() int64 {
			var n int64
			api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = ?", "user.client_access_granted").Count(&n)
			return n
		}
		if n := grants(); n != 2 {
			t.Fatalf("%d user.client_access_granted events, want 2 (create chw, promote to coordinator)", n)
		}
		// Narrowing (back to CHW) is no grant; enabling a disabled account again is.
		for _, body := range []map[string]any{{"role": "chw"}, {"disabled": true}, {"disabled": false}} {
			if r := api.Do("PATCH", "/api/v1/users/"+id, body, api.Bearer(admin)); r.Status != 200 {
				t.Fatalf("patch %v: %d %s", body, r.Status, r.Body)
			}
		}
		if n := grants(); n != 3 {
			t.Fatalf("%d user.client_access_granted events, want 3 (create, promote, enable again)", n)
		}
	})
}
