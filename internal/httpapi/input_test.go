package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

func countUsers(t *testing.T, api *testutil.API) int64 {
	var n int64
	if err := api.DB.Gorm.Model(&model.User{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		before := countUsers(t, api)
		big := `{"email":"x@example.org","name":"` + strings.Repeat("a", 2<<20) + `"}`
		api.Run(t, []testutil.Scenario{
			{Name: "malformed JSON", Method: "POST", Path: "/api/v1/users", As: admin, Body: `{"email":`, Status: 400},
			{Name: "not an object", Method: "POST", Path: "/api/v1/users", As: admin, Body: `[1,2]`, Status: 400},
			{Name: "trailing data", Method: "POST", Path: "/api/v1/users", As: admin, Body: `{} {}`, Status: 400},
			{Name: "wrong types, every one named", Method: "POST", Path: "/api/v1/users", As: admin,
				Body:   `{"email": 5, "name": true, "role": ["chw"], "team_ids": "x", "all_reports": "yes"}`,
				Status: 422, Fields: []string{"email", "name", "role", "team_ids", "all_reports"}},
			{Name: "unknown fields", Method: "POST", Path: "/api/v1/users", As: admin,
				Body:   `{"email":"a@example.org","name":"A","role":"chw","is_admin":true,"salary":1}`,
				Status: 422, Fields: []string{"is_admin", "salary"}},
			{Name: "invalid values, every one named", Method: "POST", Path: "/api/v1/users", As: admin,
				Body:   map[string]any{"email": "not-an-email", "name": "", "role": "boss", "team_ids": []string{"nope"}, "language": "es", "password": "short"},
				Status: 422, Fields: []string{"email", "name", "role", "team_ids[0]", "language", "password"}},
			{Name: "business rules", Method: "POST", Path: "/api/v1/users", As: admin,
				Body:   map[string]any{"email": "new.chw@example.org", "name": "New", "role": "chw"},
				Status: 422, Fields: []string{"team_ids"}},
			{Name: "oversized body", Method: "POST", Path: "/api/v1/users", As: admin, Body: big, Status: 413},
			{Name: "wrong content type", Method: "POST", Path: "/api/v1/users", As: admin, Body: `{}`,
				Headers: map[string]string{"Content-Type": "text/plain"}, Status: 415},
			{Name: "login wrong types", Method: "POST", Path: "/api/v1/auth/login", Body: `{"email": 1, "password": null}`,
				Status: 422, Fields: []string{"email"}},
			{Name: "login missing fields", Method: "POST", Path: "/api/v1/auth/login", Body: `{}`,
				Status: 422, Fields: []string{"email", "password"}},
			{Name: "unknown API route", Method: "GET", Path: "/api/v1/nothing-here", As: admin, Status: 404},
			{Name: "unknown API route anonymous", Method: "POST", Path: "/api/v1/nothing", Status: 404},
			{Name: "wrong method", Method: "DELETE", Path: "/api/v1/me", As: chw, Status: 405},
			{Name: "malformed id is a 404", Method: "GET", Path: "/api/v1/users/not-a-uuid", As: admin, Status: 404},
			{Name: "absent id is a 404", Method: "GET", Path: "/api/v1/users/01890000-0000-7000-8000-000000000000", As: admin, Status: 404},
			{Name: "bad query values", Method: "GET", Path: "/api/v1/users?limit=0&role=boss&team_id=x&include_disabled=maybe", As: admin,
				Status: 422, Fields: []string{"limit", "role", "team_id", "include_disabled"}},
			{Name: "bad cursor", Method: "GET", Path: "/api/v1/users?cursor=bm90LWpzb24", As: admin, Status: 422, Fields: []string{"cursor"}},
		})
		if after := countUsers(t, api); after != before {
			t.Fatalf("bad input changed the users table: %d -> %d", before, after)
		}
	})
}

func TestProblemBodiesHoldNoInternals(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	r := api.Do("POST", "/api/v1/users", `{"email":`, api.Bearer(admin))
	body := string(r.Body)
	for _, leak := range []string{"json:", "unexpected EOF", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("problem body leaks %q: %s", leak, body)
		}
	}
	p := r.JSON(t)
	for _, k := range []string{"type", "title", "status", "detail", "errors"} {
		if _, ok := p[k]; !ok {
			t.Errorf("problem lacks %q: %s", k, body)
		}
	}
	if int(p["status"].(float64)) != http.StatusBadRequest {
		t.Errorf("status field %v", p["status"])
	}
}
