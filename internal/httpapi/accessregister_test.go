package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

func TestAccessRegister(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		// A live grant shows, without the client or the reason.
		cl := newClient(t, api, chw, map[string]any{"given_name": "Register", "family_name": "Glas"})
		if g := api.Do("POST", "/api/v1/clients/"+cl+"/emergency-access", map[string]any{"reason": "Secret reason of the grant"}, api.Bearer(chwLiege)); g.Status != 201 {
			t.Fatalf("grant: %d %s", g.Status, g.Body)
		}
		r := api.Do("GET", "/api/v1/access-register", nil, api.Bearer(admin))
		if !strings.Contains(string(r.Body), `"email":"`+chwLiege+`","team_name":"Gent"`) || strings.Contains(string(r.Body), "Secret reason") || strings.Contains(string(r.Body), cl) {
			t.Fatalf("emergency access in the register: %s", r.Body)
		}
		if r.Status != 200 {
			t.Fatalf("register: %d %s", r.Status, r.Body)
		}
		var reg struct {
			Roles []struct {
				Role               string `json:"role"`
				ReadsClientRecords bool   `json:"reads_client_records"`
				Rules              []struct {
					Permission string `json:"permission"`
					ClientData bool   `json:"client_data"`
				} `json:"rules"`
			} `json:"roles"`
			Teams []struct {
				Name     string `json:"name"`
				Accounts []struct {
					Email string `json:"email"`
					Role  string `json:"role"`
				} `json:"accounts"`
			} `json:"teams"`
			Programme []struct {
				Email string `json:"email"`
				Role  string `json:"role"`
			} `json:"programme"`
		}
		if err := jsonUnmarshal(r.Body, &reg); err != nil {
			t.Fatal(err)
		}

		// Every role's rules are the policy's permissions, and only CHWs and
		// coordinators reach client records.
		reads := map[string]bool{}
		for _, role := range reg.Roles {
			reads[role.Role] = role.ReadsClientRecords
			var perms []string
			for _, rule := range role.Rules {
				perms = append(perms, rule.Permission)
			}
			if !slices.Equal(perms, auth.Policy[role.Role]) {
				t.Errorf("%s: register %v, policy %v", role.Role, perms, auth.Policy[role.Role])
			}
		}
		want := map[string]bool{"chw": true, "coordinator": true, "manager": false, "manager_all": false, "admin": false, "dpo": false}
		if len(reads) != len(want) {
			t.Fatalf("roles in the register: %v", reads)
		}
		for role, w := range want {
			if reads[role] != w {
				t.Errorf("%s reads client records: %v, want %v", role, reads[role], w)
			}
		}

		// Accounts per team: Gent has its coordinator and CHWs; managers and admins are programme-wide.
		var gent map[string]string
		for _, tm := range reg.Teams {
			if tm.Name == "Gent" {
				gent = map[string]string{}
				for _, a := range tm.Accounts {
					gent[a.Email] = a.Role
				}
			}
		}
		if gent[coord] != "coordinator" || gent[chw] != "chw" || gent[chw2] != "chw" || gent[chwLiege] != "" {
			t.Fatalf("Gent accounts: %v", gent)
		}
		prog := map[string]string{}
		for _, a := range reg.Programme {
			prog[a.Email] = a.Role
		}
		if prog[admin] != "admin" || prog[mgr] != "manager_all" {
			t.Fatalf("programme accounts: %v", prog)
		}

		var n int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = ?", "access_register.read").Count(&n)
		if n != 1 {
			t.Fatalf("%d access_register.read events, want 1", n)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "coordinator refused", Method: "GET", Path: "/api/v1/access-register", As: coord, Status: 403},
			{Name: "unknown parameter", Method: "GET", Path: "/api/v1/access-register?team=gent", As: admin, Status: 422, Contains: []string{"unknown_parameter"}},
		})
	})
}

// A permission added to the policy without a line in the register fails here.
func TestAccessRegisterDescribesEveryPermission(t *testing.T) {
	t.Parallel()
	for role, perms := range auth.Policy {
		for _, p := range perms {
			if r, ok := service.RuleOf(p); !ok || r.Data == "" || r.Scope == "" {
				t.Errorf("%s: permission %s has no line in the access register", role, p)
			}
		}
	}
	if _, err := service.RoleAccessTable(); err != nil {
		t.Fatal(err)
	}
}
