package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// Callers of the authorization matrix.
const (
	anon  = "anonymous"
	chw   = "chw.gent1@example.org"
	coord = "coordinator.gent@example.org"
	mgr   = "manager@example.org"
	admin = "admin@example.org"
	// dpo is not a demo account: newDPO makes it with the demo password.
	dpo = "dpo@example.org"
)

var callers = []string{anon, chw, coord, mgr, admin, dpo}

// outcome is the status each caller gets for a route called with an empty
// JSON object as body.
type outcome map[string]int

func everyone(status int) outcome {
	return outcome{anon: status, chw: status, coord: status, mgr: status, admin: status, dpo: status}
}

// signedIn: every role gets status; anonymous 401.
func signedIn(status int) outcome {
	o := everyone(status)
	o[anon] = http.StatusUnauthorized
	return o
}

// only: the listed roles get status, other roles 403, anonymous 401.
func only(status int, roles ...string) outcome {
	o := everyone(http.StatusForbidden)
	o[anon] = http.StatusUnauthorized
	for _, r := range roles {
		o[r] = status
	}
	return o
}

// record: the CHW following the client and the team's coordinator get
// status; managers, admins and the dpo get 404, as for a client that does
// not exist.
func record(status int) outcome {
	return outcome{anon: http.StatusUnauthorized, chw: status, coord: status, mgr: http.StatusNotFound, admin: http.StatusNotFound, dpo: http.StatusNotFound}
}

// matrix lists every route of the router. A route missing here fails the
// test, so nobody adds a route without deciding who may call it.
var matrix = map[string]outcome{
	"GET /healthz":                                      everyone(200),
	"GET /readyz":                                       everyone(200),
	"GET /metrics":                                      everyone(401), // the metrics token, not a user's
	"GET /api/openapi.yaml":                             everyone(200),
	"POST /api/v1/auth/login":                           everyone(422),
	"POST /api/v1/auth/refresh":                         everyone(401),
	"POST /api/v1/auth/logout":                          everyone(204),
	"GET /api/v1/me":                                    signedIn(200),
	"PATCH /api/v1/me":                                  signedIn(200),
	"GET /api/v1/me/sessions":                           signedIn(200),
	"GET /api/v1/me/second-factor":                      signedIn(200),
	"POST /api/v1/me/second-factor/enrolment":           signedIn(200),
	"POST /api/v1/me/second-factor/enrolment/confirm":   signedIn(422),
	"POST /api/v1/me/second-factor/recovery-codes":      signedIn(422),
	"POST /api/v1/auth/second-factor":                   everyone(422),
	"POST /api/v1/auth/second-factor/enrolment":         everyone(422),
	"POST /api/v1/auth/second-factor/enrolment/confirm": everyone(422),
	"POST /api/v1/users/:id/second-factor/reset":        only(409, admin),
	"DELETE /api/v1/me/sessions/:id":                    signedIn(404),
	"GET /api/v1/users":                                 only(200, admin),
	"POST /api/v1/users":                                only(422, admin),
	"GET /api/v1/users/:id":                             only(200, admin),
	"PATCH /api/v1/users/:id":                           only(200, admin),
	"PUT /api/v1/users/:id/intake-duty":                 only(422, admin),
	"GET /api/v1/access-register":                       only(200, admin, dpo),
	"GET /api/v1/audit":                                 only(200, admin, dpo),
	"POST /api/v1/users/:id/invitation":                 only(202, admin),
	"POST /api/v1/public/invitations/:token":            everyone(404),
	"GET /api/v1/notices":                               signedIn(200),
	"POST /api/v1/notices/:id/read":                     signedIn(404),
	"GET /api/v1/teams":                                 signedIn(200),
	"GET /api/v1/funds":                                 signedIn(200),
	"GET /api/v1/reference/taxonomy":                    signedIn(200),
	"GET /api/v1/me/progress":                           only(200, chw, coord),
	"GET /api/v1/me/progress/history":                   only(200, chw, coord),
	"GET /api/v1/me/summary":                            only(200, chw, coord),
	"GET /api/v1/targets":                               only(200, coord, admin),
	"PUT /api/v1/targets":                               only(422, coord, admin),

	"GET /api/v1/teams/:id/board":                    only(200, coord),
	"GET /api/v1/teams/:id/coaching":                 only(200, coord),
	"PATCH /api/v1/teams/:id":                        only(422, coord, admin),
	"GET /api/v1/teams/:id/alert-settings":           only(200, coord, admin),
	"PUT /api/v1/teams/:id/alert-settings":           only(200, coord, admin),
	"GET /api/v1/clients":                            only(200, chw, coord),
	"POST /api/v1/clients":                           only(422, chw, coord),
	"GET /api/v1/clients/:id":                        record(200),
	"PATCH /api/v1/clients/:id":                      record(200),
	"PUT /api/v1/clients/:id/assignment":             only(422, coord),
	"GET /api/v1/clients/:id/assignments":            record(200),
	"GET /api/v1/clients/:id/audit":                  only(200, coord),
	"GET /api/v1/clients/:id/timeline":               record(200),
	"GET /api/v1/clients/:id/visits":                 record(200),
	"POST /api/v1/clients/:id/visits":                record(422),
	"PATCH /api/v1/clients/:id/visits/:visit_id":     record(200),
	"DELETE /api/v1/clients/:id/visits/:visit_id":    record(204),
	"GET /api/v1/clients/:id/duplicates":             only(200, coord),
	"POST /api/v1/clients/:id/merge":                 only(422, coord),
	"GET /api/v1/clients/:id/merges":                 only(200, coord),
	"POST /api/v1/client-merges/:client_merge/undo":  only(404, coord),
	"GET /api/v1/clients/:id/export":                 only(200, coord),
	"POST /api/v1/clients/:id/erasure":               only(422, coord),
	"PUT /api/v1/clients/:id/legal-hold":             only(422, coord),
	"DELETE /api/v1/clients/:id/legal-hold":          only(200, coord),
	"GET /api/v1/clients/:id/barriers":               record(200),
	"POST /api/v1/clients/:id/barriers":              record(422),
	"PATCH /api/v1/clients/:id/barriers/:barrier_id": record(200),
	"GET /api/v1/clients/:id/consents":               record(200),
	"POST /api/v1/clients/:id/consents":              record(422),
	"DELETE /api/v1/clients/:id/consents/:purpose":   record(204),
	"POST /api/v1/clients/:id/emergency-access":      only(422, chw, coord),
	"GET /api/v1/emergency-access":                   only(200, chw, coord),
	"POST /api/v1/client-lookup":                     only(422, chw, coord),

	"GET /api/v1/providers":                        only(200, chw, coord),
	"POST /api/v1/providers":                       only(422, coord),
	"PATCH /api/v1/providers/:provider":            only(422, coord),
	"POST /api/v1/providers/import":                only(415, coord),
	"GET /api/v1/referrals":                        only(200, chw, coord),
	"POST /api/v1/referrals":                       only(422, chw, coord),
	"GET /api/v1/referrals/:referral":              record(200),
	"PATCH /api/v1/referrals/:referral":            record(200),
	"POST /api/v1/referrals/:referral/transitions": record(422),
	"POST /api/v1/referrals/:referral/link":        record(201),
	"GET /api/v1/appointments":                     only(200, chw, coord),
	"POST /api/v1/appointments":                    only(422, chw, coord),
	"GET /api/v1/appointments/:appointment":        record(200),
	"PATCH /api/v1/appointments/:appointment":      record(200),
	"GET /api/v1/today":                            only(200, chw, coord),
	"GET /api/v1/tasks":                            only(200, chw, coord),
	"POST /api/v1/tasks":                           only(422, chw, coord),
	"PATCH /api/v1/tasks/:task":                    record(200),
	"POST /api/v1/calendar/token":                  only(201, chw, coord),
	"DELETE /api/v1/calendar/token":                only(204, chw, coord),
	"GET /api/v1/calendar/:file":                   everyone(404),
	"GET /api/v1/reminders":                        only(200, chw, coord),
	"GET /api/v1/reports/barriers":                 only(200, chw, coord, mgr),
	"GET /api/v1/reports/activity":                 only(200, chw, coord, mgr),
	"GET /api/v1/reports/policy-signal":            only(200, chw, coord, mgr),
	"GET /api/v1/reports/targets":                  only(200, chw, coord, mgr),
	"POST /api/v1/reminders/:reminder/retry":       record(409),
	"GET /api/v1/public/replies/:token":            everyone(404),
	"POST /api/v1/public/replies/:token":           everyone(422),
	"GET /api/v1/public/referral-links/:token":     everyone(404),
	"POST /api/v1/public/referral-links/:token":    everyone(422),

	"POST /api/v1/public/contact":                    everyone(422),
	"GET /api/v1/public/areas":                       everyone(200),
	"GET /api/v1/public/contact-withdrawals/:token":  everyone(404),
	"POST /api/v1/public/contact-withdrawals/:token": everyone(404),
	"GET /api/v1/contact-requests":                   only(200, coord),
	"GET /api/v1/contact-requests/:contact":          only(200, coord),
	"GET /api/v1/contact-requests/summary":           only(200, coord),
	"POST /api/v1/contact-requests/:contact/convert": only(422, coord),
	"POST /api/v1/contact-requests/:contact/partner": only(422, coord),
	"POST /api/v1/contact-requests/:contact/close":   only(422, coord),

	"GET /api/v1/group-sessions":                              only(200, chw, coord),
	"POST /api/v1/group-sessions":                             only(422, chw, coord),
	"GET /api/v1/group-sessions/:group_session":               only(200, chw, coord),
	"PATCH /api/v1/group-sessions/:group_session":             only(200, chw, coord),
	"POST /api/v1/group-sessions/:group_session/participants": only(422, chw, coord),

	// Only the programme manager; the test database has no research
	// consent, so an extract is refused (409), releasing nothing.
	"POST /api/v1/research/extracts":  only(409, mgr),
	"GET /api/v1/research/extracts":   only(200, mgr),
	"GET /api/v1/research/dictionary": only(200, mgr),

	// The public pages (server-rendered, outside the JSON API).
	"GET /":            everyone(302),
	"HEAD /":           everyone(302),
	"GET /robots.txt":  everyone(200),
	"GET /sitemap.xml": everyone(200),
	"GET /favicon.ico": everyone(204),
	"GET /site/:file":  everyone(404),

	// The token pages of clients and providers (server-rendered).
	"GET /a/:token":         everyone(404),
	"POST /a/:token":        everyone(404),
	"GET /a/*":              everyone(404),
	"GET /provider/:token":  everyone(404),
	"POST /provider/:token": everyone(404),
	"GET /provider/*":       everyone(404),
}

func init() {
	for _, l := range []string{"nl", "fr", "de", "en"} {
		matrix["GET /"+l] = everyone(301)
		for _, p := range []string{"/", "/where", "/contact", "/privacy"} {
			matrix["GET /"+l+p] = everyone(200)
		}
		matrix["POST /"+l+"/contact"] = everyone(422)
		matrix["GET /"+l+"/withdraw/:token"] = everyone(404)
		matrix["POST /"+l+"/withdraw/:token"] = everyone(404)
		matrix["GET /"+l+"/*"] = everyone(404)
	}
}

var namedParam = regexp.MustCompile(`^/api/v1/(providers|referrals|appointments|tasks|reminders|contact-requests|group-sessions|client-merges)/:id`)

var paramNames = map[string]string{
	"/api/v1/providers/:id":        "/api/v1/providers/:provider",
	"/api/v1/referrals/:id":        "/api/v1/referrals/:referral",
	"/api/v1/appointments/:id":     "/api/v1/appointments/:appointment",
	"/api/v1/tasks/:id":            "/api/v1/tasks/:task",
	"/api/v1/reminders/:id":        "/api/v1/reminders/:reminder",
	"/api/v1/contact-requests/:id": "/api/v1/contact-requests/:contact",
	"/api/v1/group-sessions/:id":   "/api/v1/group-sessions/:group_session",
	"/api/v1/client-merges/:id":    "/api/v1/client-merges/:client_merge",
}

// catchAll routes serve the SPA and unknown API paths.
var catchAll = map[string]bool{"GET /*": true, "HEAD /*": true}

func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		newDPO(t, api)
		urlOf := matrixRecords(t, api)
		cl := urlOf(":id") // the matrix client
		var keys []string
		for _, r := range api.Server.E.Routes() {
			key := matrixKey(r.Method, r.Path)
			if catchAll[key] || strings.HasPrefix(r.Path, "/api/*") {
				continue
			}
			keys = append(keys, key)
		}
		sort.Slice(keys, func(i, j int) bool {
			// Logout ends the session of the token it is sent with: last.
			return !strings.Contains(keys[i], "logout") && strings.Contains(keys[j], "logout") ||
				strings.Contains(keys[i], "logout") == strings.Contains(keys[j], "logout") && keys[i] < keys[j]
		})
		seen := map[string]bool{}
		requests := 0
		for _, key := range keys {
			if seen[key] {
				continue
			}
			seen[key] = true
			want, ok := matrix[key]
			if !ok {
				t.Errorf("route %s is not in the authorization matrix", key)
				continue
			}
			method, path, _ := strings.Cut(key, " ")
			url := urlOf(path)
			for _, who := range callers {
				// A fresh address per request, so the contact form's
				// per-address limit does not decide the outcome.
				requests++
				h := map[string]string{testutil.RemoteAddrHeader: fmt.Sprintf("10.9.%d.%d:1", requests/250, requests%250)}
				if who != anon {
					h = fromIP(fmt.Sprintf("10.9.%d.%d", requests/250, requests%250), api.Bearer(who))
				}
				if key == "DELETE /api/v1/clients/:id/visits/:visit_id" {
					// Each caller gets a visit of their own to delete.
					v := api.Do(http.MethodPost, "/api/v1/clients/"+cl+"/visits", map[string]any{"mode": "home", "duration_minutes": 5}, api.Bearer(chw)).JSON(t)
					url = strings.ReplaceAll(path, ":visit_id", v["id"].(string))
					url = strings.ReplaceAll(url, ":id", cl)
				}
				var body any
				if method != http.MethodGet && method != http.MethodHead {
					body = map[string]any{}
				}
				r := api.Do(method, url, body, h)
				if r.Status != want[who] {
					t.Errorf("%s as %s: %d, want %d (%s)", key, who, r.Status, want[who], r.Body)
				}
			}
		}
		for key := range matrix {
			if !seen[key] {
				t.Errorf("matrix lists %s, which is not a route", key)
			}
		}
	})
}

// matrixRecords makes one record of each kind (a client of chw.gent1 with a
// visit and a barrier, a provider, referral, appointments, a reminder, a
// task, a contact request, a group session) and returns a function that
// fills a matrix key's path with their ids.
func matrixRecords(t *testing.T, api *testutil.API) func(path string) string {
	t.Helper()
	me := api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(chw)).JSON(t)
	// A client of chw.gent1 with a visit and a barrier, for the record routes.
	cl := newClient(t, api, chw, map[string]any{"given_name": "Matrix", "family_name": "Client"})
	visit := api.Do(http.MethodPost, "/api/v1/clients/"+cl+"/visits", map[string]any{"mode": "home", "duration_minutes": 30,
		"barriers": []map[string]any{{"category": "financial"}}}, api.Bearer(chw)).JSON(t)
	prov := api.Do(http.MethodPost, "/api/v1/providers", map[string]any{"name": "Dr. Matrix", "type": "gp"}, api.Bearer(coord)).JSON(t)["id"].(string)
	ref := api.Do(http.MethodPost, "/api/v1/referrals", map[string]any{"client_id": cl, "provider_id": prov, "reason": "GMD", "send": true}, api.Bearer(chw)).JSON(t)["id"].(string)
	appt := api.Do(http.MethodPost, "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": "2030-01-07T10:00"}, api.Bearer(chw)).JSON(t)["id"].(string)
	api.Do(http.MethodPost, "/api/v1/clients/"+cl+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw))
	api.Do(http.MethodPatch, "/api/v1/clients/"+cl, map[string]any{"phone": "0470 55 66 77"}, api.Bearer(chw))
	api.Do(http.MethodPost, "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": "2030-02-07T10:00"}, api.Bearer(chw))
	var reminder model.Reminder
	if err := api.DB.Gorm.Where("client_id = ?", cl).Take(&reminder).Error; err != nil {
		t.Fatalf("no reminder queued: %v", err)
	}
	task := api.Do(http.MethodPost, "/api/v1/tasks", map[string]any{"client_id": cl, "due_on": "2030-01-08"}, api.Bearer(chw)).JSON(t)["id"].(string)
	contact := submitContact(t, api, "10.8.0.1", contactBody(map[string]any{"municipality": "Gent"}))["id"].(string)
	session := newGroupSession(t, api, chw, nil)
	ids := map[string]string{
		":contact":       contact,
		":group_session": session,
		":client_merge":  "0190a8c0-0000-7000-8000-000000000000",
		":id":            cl,
		":visit_id":      visit["id"].(string),
		":barrier_id":    visit["barriers"].([]any)[0].(map[string]any)["id"].(string),
		":purpose":       "research",
		":provider":      prov,
		":referral":      ref,
		":appointment":   appt,
		":task":          task,
		":reminder":      reminder.ID,
		":file":          "not-a-token.ics",
		":token":         "not-a-token",
	}
	return func(path string) string {
		url := path
		switch {
		case strings.HasPrefix(path, "/api/v1/users/"):
			url = strings.ReplaceAll(path, ":id", me["id"].(string))
		case strings.HasPrefix(path, "/api/v1/teams/"):
			url = strings.ReplaceAll(path, ":id", me["team_ids"].([]any)[0].(string))
		default:
			for k, v := range ids {
				url = strings.ReplaceAll(url, k, v)
			}
		}
		return url
	}
}

// matrixKey names a router path as the matrix does (/api/v1/referrals/:id
// -> /api/v1/referrals/:referral, to pick the right id).
func matrixKey(method, path string) string {
	return method + " " + namedParam.ReplaceAllStringFunc(path, func(m string) string {
		if k, ok := paramNames[m]; ok {
			return k
		}
		return m
	})
}
