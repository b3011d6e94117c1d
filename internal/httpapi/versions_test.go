package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Each record two people may edit, in every state of the precondition:
// If-Match that matches, one that no longer does (someone edited
// meanwhile), a stale version in the body, none (last write wins), and a
// malformed If-Match. A stale or malformed edit saves nothing.
func TestStaleEditsAreCaught(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		h := api.Bearer(chw)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Versie", "family_name": "Test", "phone": "0470 11 22 48"})
		created := func(r testutil.Response) string {
			t.Helper()
			if r.Status != 201 {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
			return r.JSON(t)["id"].(string)
		}
		ref := created(api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_type": "dentist", "reason": "tandpijn"}, h))
		at := api.Clock.Now().In(service.Brussels).AddDate(0, 0, 4)
		local := time.Date(at.Year(), at.Month(), at.Day(), 10, 30, 0, 0, service.Brussels).Format("2006-01-02T15:04")
		app := created(api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": local}, h))
		task := created(api.Do("POST", "/api/v1/tasks", map[string]any{"client_id": cl, "due_on": "2030-01-08"}, h))
		bar := created(api.Do("POST", "/api/v1/clients/"+cl+"/barriers", map[string]any{"category": "financial"}, h))

		kinds := []struct {
			name, get, path, field string
		}{
			{"client", "/api/v1/clients/" + cl, "/api/v1/clients/" + cl, "pseudonym"},
			{"referral", "/api/v1/referrals/" + ref, "/api/v1/referrals/" + ref, "note"},
			{"appointment", "/api/v1/appointments/" + app, "/api/v1/appointments/" + app, "location"},
			{"task", "", "/api/v1/tasks/" + task, "note"},
			{"barrier", "", "/api/v1/clients/" + cl + "/barriers/" + bar, "detail"},
		}
		for _, k := range kinds {
			t.Run(k.name, func(t *testing.T) {
				with := func(extra map[string]string) map[string]string {
					out := map[string]string{}
					for a, b := range h {
						out[a] = b
					}
					for a, b := range extra {
						out[a] = b
					}
					return out
				}
				patch := func(value string, extra map[string]string, body map[string]any) testutil.Response {
					if body == nil {
						body = map[string]any{}
					}
					body[k.field] = value
					return api.Do("PATCH", k.path, body, with(extra))
				}
				version := func(r testutil.Response) int {
					t.Helper()
					v, ok := r.JSON(t)["version"].(float64)
					if !ok {
						t.Fatalf("no version: %s", r.Body)
					}
					if r.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, int(v)) {
						t.Errorf("ETag %q for version %v", r.Header.Get("ETag"), v)
					}
					return int(v)
				}
				// Missing: last write wins, and the version moves on.
				first := patch("een", nil, nil)
				if first.Status != 200 {
					t.Fatalf("no precondition: %d %s", first.Status, first.Body)
				}
				v := version(first)
				if k.get != "" {
					if g := api.Do("GET", k.get, nil, h); g.Status != 200 || version(g) != v {
						t.Errorf("GET: %d version %s", g.Status, g.Body)
					}
				}
				// Match: saved, version+1.
				ok := patch("twee", map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, v)}, nil)
				if ok.Status != 200 || version(ok) != v+1 || ok.JSON(t)[k.field] != "twee" {
					t.Fatalf("matching If-Match: %d %s", ok.Status, ok.Body)
				}
				// Mismatch: the old version, by header or in the body.
				for name, r := range map[string]testutil.Response{
					"If-Match":     patch("drie", map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, v)}, nil),
					"body version": patch("drie", nil, map[string]any{"version": v}),
				} {
					if r.Status != 412 || !strings.Contains(string(r.Body), `"code":"stale"`) || r.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, v+1) {
						t.Errorf("stale %s: %d %s", name, r.Status, r.Body)
						continue
					}
					cur, _ := r.JSON(t)["current"].(map[string]any)
					if cur == nil || cur[k.field] != "twee" || cur["version"] != float64(v+1) {
						t.Errorf("stale %s: current is %v", name, cur)
					}
				}
				// Malformed If-Match, or a body version that is not the header's.
				for name, r := range map[string]testutil.Response{
					"unquoted":  patch("vier", map[string]string{"If-Match": fmt.Sprintf("v%d", v+1)}, nil),
					"not ours":  patch("vier", map[string]string{"If-Match": `"abc"`}, nil),
					"zero":      patch("vier", map[string]string{"If-Match": `"v0"`}, nil),
					"disagrees": patch("vier", map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, v+1)}, map[string]any{"version": v}),
				} {
					field := "If-Match"
					if name == "disagrees" {
						field = "version"
					}
					if r.Status != 422 || !strings.Contains(string(r.Body), `"field":"`+field+`"`) {
						t.Errorf("%s: %d %s", name, r.Status, r.Body)
					}
				}
				// Nothing of the refused edits was saved.
				now := patch("vijf", map[string]string{"If-Match": fmt.Sprintf(`"v%d"`, v+1)}, nil)
				if now.Status != 200 || version(now) != v+2 {
					t.Errorf("after the refused edits: %d %s", now.Status, now.Body)
				}
			})
		}
		if r := api.Do("POST", "/api/v1/tasks", map[string]any{"client_id": cl, "due_on": "2030-01-09", "version": 1}, h); r.Status != 422 {
			t.Errorf("version on create: %d %s", r.Status, r.Body)
		}
	})
}
