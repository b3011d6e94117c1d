package httpapi_test

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

// Every response a test records through testutil's API.Do is validated
// against api/openapi.yaml (a response outside the spec fails the test that
// got it). TestMain adds, when the whole package ran, that every operation
// of the spec was exercised here with at least one validated success.
func TestMain(m *testing.M) {
	flag.Parse()
	c, err := testutil.SpecContract()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if code == 0 && wholePackage() {
		never, noSuccess := c.Unchecked()
		if len(never) > 0 || len(noSuccess) > 0 {
			fmt.Fprintf(os.Stderr, "contract: operations of api/openapi.yaml no test exercised:\n  %s\noperations only answered with errors in the tests:\n  %s\n",
				strings.Join(never, "\n  "), strings.Join(noSuccess, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

func wholePackage() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// The checker itself: it refuses what drifts from the spec, and accepts
// what matches it.
func TestContractCatchesDrift(t *testing.T) {
	t.Parallel()
	c, err := testutil.SpecContract()
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *http.Request {
		return httptest.NewRequest("GET", "http://brug.test"+path, nil)
	}
	jsonHeader := http.Header{"Content-Type": []string{"application/json"}}
	problem := http.Header{"Content-Type": []string{"application/problem+json"}}
	cases := []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{"a declared answer", get("/api/v1/teams"), 200, jsonHeader, `{"items":[]}`, true},
		{"a status the operation does not declare", get("/api/v1/teams"), 418, problem, `{"type":"x","title":"x","status":418,"errors":[]}`, false},
		{"a wrong type in the body", get("/api/v1/teams"), 200, jsonHeader, `{"items":"none"}`, false},
		{"a timeline type the spec does not list", get("/api/v1/clients/01890000-0000-7000-8000-000000000000/timeline"), 200, jsonHeader,
			`{"items":[{"at":"2026-12-01T10:00:00Z","type":"teleported","id":"x","actor":null,"data":{}}]}`, false},
		{"a problem without its required members", get("/api/v1/teams"), 401, problem, `{"title":"Not signed in"}`, false},
		{"an API path the spec lacks", get("/api/v1/secret-backdoor"), 200, jsonHeader, `{}`, false},
		{"an accepted body the spec refuses", func() *http.Request {
			r := httptest.NewRequest("POST", "http://brug.test/api/v1/clients/01890000-0000-7000-8000-000000000000/visits",
				strings.NewReader(`{"mode":"teleport","duration_minutes":30}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}(), 201, jsonHeader, `{}`, false},
	}
	for _, tc := range cases {
		err := c.Check(tc.req, tc.status, tc.header, []byte(tc.body))
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
