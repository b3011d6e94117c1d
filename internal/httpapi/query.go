package httpapi

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
)

// QueryParams lists, per GET route of the API, the query parameters its
// handler reads. Any other parameter is refused with 422 naming it, so a
// misspelt filter (third_party=true) never silently widens a list. A route
// not listed takes none. A test holds this table equal to api/openapi.yaml.
var QueryParams = map[string][]string{
	"/api/v1/users":                 {"q", "role", "team_id", "include_disabled", "limit", "cursor"},
	"/api/v1/audit":                 {"actor_id", "client_id", "action", "entity", "from", "to", "limit", "cursor", "format"},
	"/api/v1/clients":               {"q", "status", "team_id", "assigned_to", "limit", "cursor"},
	"/api/v1/clients/:id/export":    {"format", "lang"},
	"/api/v1/providers":             {"type", "municipality", "language", "accepting", "accepts_new_patients", "third_party_payment", "q", "limit", "cursor"},
	"/api/v1/referrals":             {"client_id", "status"},
	"/api/v1/appointments":          {"from", "to", "client_id", "status"},
	"/api/v1/tasks":                 {"due", "client_id", "mine"},
	"/api/v1/reminders":             {"status"},
	"/api/v1/public/areas":          {"q"},
	"/api/v1/contact-requests":      {"status", "kind"},
	"/api/v1/reports/activity":      {"from", "to", "period", "group_by", "team_id", "fund_id", "format"},
	"/api/v1/reports/barriers":      {"from", "to", "period", "group_by", "team_id", "fund_id", "format"},
	"/api/v1/reports/policy-signal": {"period", "from", "to", "team_id", "fund_id", "lang", "format"},
	"/api/v1/group-sessions":        {"from", "to", "team_id", "facilitator", "status", "order", "limit"},
	"/api/v1/me/progress":           {"month"},
	"/api/v1/me/summary":            {"month"},
	"/api/v1/targets":               {"month", "team_id"},
	"/api/v1/teams/:id/coaching":    {"month"},
	"/api/v1/reports/targets":       {"month", "team_id", "fund_id"},
}

// checksQuery tells whether a route's query is checked against QueryParams.
func checksQuery(method, path string) bool {
	return method == http.MethodGet && strings.HasPrefix(path, "/api/v1/")
}

// knownQuery refuses query parameters the route does not read, all of them
// at once.
func knownQuery(allowed []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var unknown []string
			for name := range c.QueryParams() {
				if !slices.Contains(allowed, name) {
					unknown = append(unknown, name)
				}
			}
			if len(unknown) == 0 {
				return next(c)
			}
			sort.Strings(unknown)
			var f apperr.Fields
			hint := "This route takes no query parameters."
			if len(allowed) > 0 {
				hint = "Not a parameter of this list; it takes: " + strings.Join(allowed, ", ") + "."
			}
			for _, name := range unknown {
				f.Add(name, "unknown_parameter", hint)
			}
			return f.Err()
		}
	}
}
