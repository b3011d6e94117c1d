package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// newDPO makes the data protection officer account (dpo@example.org, the
// demo password) and returns its id.
func newDPO(t *testing.T, api *testutil.API) string {
	t.Helper()
	email, name, role, lang, pw := dpo, "Dora DPO", model.RoleDPO, "en", demo.Password
	v, err := api.Svc.CreateUser(context.Background(), &service.Principal{Scope: store.Scope{Role: model.RoleAdmin}},
		service.UserInput{Email: &email, Name: &name, Role: &role, Language: &lang, Password: &pw})
	if err != nil {
		t.Fatalf("create dpo: %v", err)
	}
	return v.ID
}

func userID(t *testing.T, api *testutil.API, email string) string {
	t.Helper()
	return api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(email)).JSON(t)["id"].(string)
}

func items(t *testing.T, r testutil.Response) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, it := range r.JSON(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestAuditReader(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		newDPO(t, api)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Audit", "family_name": "Reader"})
		api.Do(http.MethodGet, "/api/v1/clients/"+cl, nil, api.Bearer(chw))
		api.Do(http.MethodGet, "/api/v1/clients/"+cl, nil, api.Bearer(coord))
		// Reads nobody could make through the API today: a CHW of another
		// team, and a break-the-glass access (built elsewhere).
		liege := userID(t, api, "chw.liege1@example.org")
		for _, action := range []string{"client.read", service.ActionEmergencyAccess} {
			err := api.Svc.Store.RecordAudit(context.Background(), &model.AuditEvent{ActorID: &liege, ActorRole: "chw",
				Action: action, Entity: "client", EntityID: cl, ClientID: &cl})
			if err != nil {
				t.Fatal(err)
			}
		}
		chwID := userID(t, api, chw)
		today := api.Svc.Store.Now().In(store.Brussels).Format("2006-01-02")

		r := api.Do(http.MethodGet, "/api/v1/audit?client_id="+cl, nil, api.Bearer(admin))
		if r.Status != http.StatusOK {
			t.Fatalf("search: %d %s", r.Status, r.Body)
		}
		unusual := map[string]bool{}
		for _, it := range items(t, r) {
			actor, _ := it["actor"].(map[string]any)
			who := ""
			if actor != nil {
				who = actor["id"].(string)
			}
			unusual[it["action"].(string)+" "+who] = it["unusual"].(bool)
			if !strings.HasPrefix(it["stream"].(string), api.Svc.Store.Now().UTC().Format("2006-01-02")) || it["seq"] == nil {
				t.Errorf("event without its chain position: %v", it)
			}
		}
		want := map[string]bool{
			"client.create " + chwID:                    false,
			"client.read " + chwID:                      false,
			"client.read " + userID(t, api, coord):      false,
			"client.read " + liege:                      true,
			service.ActionEmergencyAccess + " " + liege: true,
		}
		for k, v := range want {
			if got, ok := unusual[k]; !ok || got != v {
				t.Errorf("%s: unusual %v (listed %v), want %v; all %v", k, got, ok, v, unusual)
			}
		}

		// The coordinator's trail of the record marks the same reads.
		trail := map[string]bool{}
		for _, it := range items(t, api.Do(http.MethodGet, "/api/v1/clients/"+cl+"/audit", nil, api.Bearer(coord))) {
			if a, ok := it["actor"].(map[string]any); ok && a["id"] == liege {
				trail[it["action"].(string)] = it["unusual"].(bool)
			} else if it["unusual"].(bool) {
				t.Errorf("usual event marked unusual in the trail: %v", it)
			}
		}
		if !trail["client.read"] || !trail[service.ActionEmergencyAccess] {
			t.Errorf("trail marks %v", trail)
		}

		// Filters and pages: by action, actor, record type and period.
		api.Run(t, []testutil.Scenario{
			{Name: "by action", Method: "GET", Path: "/api/v1/audit?action=client.read&client_id=" + cl, As: admin, Status: 200,
				Check: func(t *testing.T, r testutil.Response) {
					if its := items(t, r); len(its) != 3 {
						t.Errorf("%d client.read events", len(its))
					}
				}},
			{Name: "by actor, type and period", Method: "GET", Path: "/api/v1/audit?entity=client&from=" + today + "&to=" + today + "&actor_id=" + liege, As: dpo, Status: 200,
				Check: func(t *testing.T, r testutil.Response) {
					if its := items(t, r); len(its) != 2 {
						t.Errorf("%d events of the Liège CHW", len(its))
					}
				}},
			{Name: "an earlier period", Method: "GET", Path: "/api/v1/audit?from=2020-01-01&to=2020-01-31", As: admin, Status: 200, Contains: []string{`"items":[]`}},
			{Name: "every bad field", Method: "GET", Path: "/api/v1/audit?actor_id=x&client_id=y&action=DROP%20TABLE&from=2026-13-01&limit=500&format=xml", As: admin,
				Status: 422, Fields: []string{"actor_id", "client_id", "action", "from", "limit", "format"}},
			{Name: "unknown parameter", Method: "GET", Path: "/api/v1/audit?colour=red", As: admin, Status: 422, Fields: []string{"colour"}},
			{Name: "to before from", Method: "GET", Path: "/api/v1/audit?from=2026-12-02&to=2026-12-01", As: admin, Status: 422, Fields: []string{"to"}},
			{Name: "bad cursor", Method: "GET", Path: "/api/v1/audit?cursor=zzz", As: admin, Status: 422, Fields: []string{"cursor"}},
			{Name: "coordinator", Method: "GET", Path: "/api/v1/audit", As: coord, Status: 403},
			{Name: "manager", Method: "GET", Path: "/api/v1/audit", As: mgr, Status: 403},
			{Name: "anonymous", Method: "GET", Path: "/api/v1/audit", Status: 401},
			// The dpo reads the log and nothing of the records.
			{Name: "dpo: no caseload", Method: "GET", Path: "/api/v1/clients", As: dpo, Status: 403},
			{Name: "dpo: no record", Method: "GET", Path: "/api/v1/clients/" + cl, As: dpo, Status: 404},
			{Name: "dpo: no accounts", Method: "GET", Path: "/api/v1/users", As: dpo, Status: 403},
			{Name: "dpo: no reports", Method: "GET", Path: "/api/v1/reports/activity", As: dpo, Status: 403},
			{Name: "dpo needs no team", Method: "POST", Path: "/api/v1/users", As: admin, Status: 422, Fields: []string{"team_ids"},
				Body: map[string]any{"email": "dpo2@example.org", "name": "Second DPO", "role": "dpo", "team_ids": []string{"00000000-0000-7000-8000-000000000000"}}},
			{Name: "dpo account", Method: "POST", Path: "/api/v1/users", As: admin, Status: 201, Contains: []string{`"role":"dpo"`},
				Body: map[string]any{"email": "dpo3@example.org", "name": "Third DPO", "role": "dpo"}},
			{Name: "users by role dpo", Method: "GET", Path: "/api/v1/users?role=dpo", As: admin, Status: 200, Contains: []string{"dpo@example.org"}},
		})

		// Cursor pages: no event twice, none left out.
		seen := map[string]bool{}
		path := "/api/v1/audit?limit=2&client_id=" + cl
		for pages := 0; ; pages++ {
			r := api.Do(http.MethodGet, path, nil, api.Bearer(admin))
			for _, it := range items(t, r) {
				if seen[it["id"].(string)] {
					t.Fatalf("event %s on two pages", it["id"])
				}
				seen[it["id"].(string)] = true
			}
			next, _ := r.JSON(t)["next_cursor"].(string)
			if next == "" || pages > 10 {
				break
			}
			path = "/api/v1/audit?limit=2&client_id=" + cl + "&cursor=" + next
		}
		if len(seen) != len(unusual) || len(seen) < 5 {
			t.Fatalf("paged %d events, one page had %d", len(seen), len(unusual))
		}

		// Every search is audited with its filters; refused ones change nothing.
		var searches int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'audit.search' AND detail LIKE ?", "%client_id="+cl+"%").Count(&searches)
		if searches < 5 {
			t.Fatalf("%d audited searches for the client", searches)
		}
		var refused int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'audit.search' AND detail LIKE ?", "%2026-13-01%").Count(&refused)
		if refused != 0 {
			t.Fatalf("a refused search was audited")
		}

		// The CSV download: a header row, then the events.
		r = api.Do(http.MethodGet, "/api/v1/audit?format=csv&action=client.read&client_id="+cl, nil, api.Bearer(dpo))
		lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			lines[0] != "at,actor_id,actor_name,actor_role,action,entity,entity_id,client_id,request_id,ip,detail,unusual,stream,seq" || len(lines) != 4 {
			t.Fatalf("csv: %d %s %q", r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		if !strings.Contains(string(r.Body), liege+",") || !strings.Contains(r.Header.Get("Content-Disposition"), "brug-audit.csv") {
			t.Fatalf("csv rows: %s", r.Body)
		}
		var csvSearch int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'audit.search' AND detail LIKE ?", "%format=csv%").Count(&csvSearch)
		if csvSearch != 1 {
			t.Fatalf("%d audited downloads", csvSearch)
		}

		// The chain holds after all this.
		if res, err := api.Svc.Store.VerifyAudit(context.Background(), "", ""); err != nil || res.Break != nil {
			t.Fatalf("verify: %v %v", err, res.Break)
		}
	})
}

// With read events batched (as brug serve does, an hour's window here),
// the audit reader and a client's trail first write what waits: a read
// just made is found at once, and the chain verifies.
func TestAuditReaderSeesBatchedReads(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Svc.AuditReads = api.Svc.Store.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: 1000, Every: time.Hour})
		defer api.Svc.AuditReads.Close()
		cl := newClient(t, api, chw, map[string]any{"given_name": "Batched", "family_name": "Reader"})
		api.Do(http.MethodGet, "/api/v1/clients/"+cl, nil, api.Bearer(chw))
		if s := api.Svc.AuditReads.Stats(); s.Pending+int(s.Written) != 1 {
			t.Fatalf("the read did not go to the batcher: %+v", s)
		}
		found := func(r testutil.Response) int {
			n := 0
			for _, it := range items(t, r) {
				if it["action"] == "client.read" {
					n++
				}
			}
			return n
		}
		if n := found(api.Do(http.MethodGet, "/api/v1/audit?client_id="+cl, nil, api.Bearer(admin))); n != 1 {
			t.Fatalf("the audit reader shows %d reads, want 1", n)
		}
		api.Do(http.MethodGet, "/api/v1/clients/"+cl, nil, api.Bearer(coord))
		if n := found(api.Do(http.MethodGet, "/api/v1/clients/"+cl+"/audit", nil, api.Bearer(coord))); n < 2 {
			t.Fatalf("the client's trail shows %d reads, want 2", n)
		}
		if res, err := api.Svc.Store.VerifyAudit(context.Background(), "", ""); err != nil || res.Break != nil {
			t.Fatalf("verify: %v %v", err, res.Break)
		}
	})
}
