package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/auth"
)

// Route is one entry of the route table. Perm "" means public; every other
// route requires a signed-in caller whose role holds Perm.
type Route struct {
	Method  string
	Path    string
	Perm    string
	handler echo.HandlerFunc
}

// Public is the Perm of routes that need no sign-in.
const Public = ""

// Routes lists every route. The authorization matrix test and the OpenAPI
// test both read this table, so a route cannot be added without both.
func (s *Server) Routes() []Route {
	return []Route{
		{http.MethodGet, "/healthz", Public, s.healthz},
		{http.MethodGet, "/readyz", Public, s.readyz},
		{http.MethodGet, "/metrics", Public, s.metricsHandler},
		{http.MethodGet, "/api/openapi.yaml", Public, s.openAPI},

		{http.MethodPost, "/api/v1/auth/login", Public, s.login},
		{http.MethodPost, "/api/v1/auth/refresh", Public, s.refresh},
		{http.MethodPost, "/api/v1/auth/logout", Public, s.logout},

		{http.MethodGet, "/api/v1/me", auth.PermMeRead, s.getMe},
		{http.MethodPatch, "/api/v1/me", auth.PermMeUpdate, s.patchMe},

		{http.MethodGet, "/api/v1/users", auth.PermUsersManage, s.listUsers},
		{http.MethodPost, "/api/v1/users", auth.PermUsersManage, s.createUser},
		{http.MethodGet, "/api/v1/users/:id", auth.PermUsersManage, s.getUser},
		{http.MethodPatch, "/api/v1/users/:id", auth.PermUsersManage, s.patchUser},

		{http.MethodGet, "/api/v1/teams", auth.PermTeamsRead, s.listTeams},
		{http.MethodGet, "/api/v1/funds", auth.PermReferenceRead, s.listFunds},
		{http.MethodGet, "/api/v1/reference/taxonomy", auth.PermReferenceRead, s.taxonomy},
	}
}

func (s *Server) routes() {
	for _, r := range s.Routes() {
		if r.Perm == Public {
			s.E.Add(r.Method, r.Path, r.handler)
			continue
		}
		s.E.Add(r.Method, r.Path, r.handler, s.authenticate, s.require(r.Perm))
	}
	// Unknown API paths are a problem response, never the SPA.
	s.E.Any("/api/*", s.apiFallback)
	s.E.GET("/*", s.serveSPA)
	s.E.HEAD("/*", s.serveSPA)
}

// apiFallback answers 405 (with Allow) when the path exists for other
// methods, and 404 otherwise.
func (s *Server) apiFallback(c echo.Context) error {
	var allow []string
	for _, r := range s.Routes() {
		if pathMatches(r.Path, c.Request().URL.Path) {
			allow = append(allow, r.Method)
		}
	}
	if len(allow) == 0 {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Allow", strings.Join(allow, ", "))
	return echo.ErrMethodNotAllowed
}

// pathMatches compares a route pattern ("/api/v1/users/:id") with a path.
func pathMatches(pattern, path string) bool {
	pp, ps := strings.Split(pattern, "/"), strings.Split(strings.TrimSuffix(path, "/"), "/")
	if len(pp) != len(ps) {
		return false
	}
	for i := range pp {
		if !strings.HasPrefix(pp[i], ":") && pp[i] != ps[i] {
			return false
		}
	}
	return true
}
