package httpapi_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

// Callers of the authorization matrix.
const (
	anon  = "anonymous"
	chw   = "chw.gent1@example.org"
	coord = "coordinator.gent@example.org"
	mgr   = "manager@example.org"
	admin = "admin@example.org"
)

var callers = []string{anon, chw, coord, mgr, admin}

// outcome is the status each caller gets for a route called with an empty
// JSON object as body.
type outcome map[string]int

func everyone(status int) outcome {
	return outcome{anon: status, chw: status, coord: status, mgr: status, admin: status}
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

// matrix lists every route of the router. A route missing here fails the
// test, so nobody adds a route without deciding who may call it.
var matrix = map[string]outcome{
	"GET /healthz":                   everyone(200),
	"GET /readyz":                    everyone(200),
	"GET /metrics":                   everyone(200),
	"GET /api/openapi.yaml":          everyone(200),
	"POST /api/v1/auth/login":        everyone(422),
	"POST /api/v1/auth/refresh":      everyone(401),
	"POST /api/v1/auth/logout":       everyone(204),
	"GET /api/v1/me":                 signedIn(200),
	"PATCH /api/v1/me":               signedIn(200),
	"GET /api/v1/users":              only(200, admin),
	"POST /api/v1/users":             only(422, admin),
	"GET /api/v1/users/:id":          only(200, admin),
	"PATCH /api/v1/users/:id":        only(200, admin),
	"GET /api/v1/teams":              signedIn(200),
	"GET /api/v1/funds":              signedIn(200),
	"GET /api/v1/reference/taxonomy": signedIn(200),
}

// catchAll routes serve the SPA and unknown API paths.
var catchAll = map[string]bool{"GET /*": true, "HEAD /*": true}

func TestAuthorizationMatrix(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		adminID := api.Token(admin) // warm the cache
		_ = adminID
		me := api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(chw)).JSON(t)
		var keys []string
		for _, r := range api.Server.E.Routes() {
			key := r.Method + " " + r.Path
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
			url := strings.ReplaceAll(path, ":id", me["id"].(string))
			for _, who := range callers {
				var h map[string]string
				if who != anon {
					h = api.Bearer(who)
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
