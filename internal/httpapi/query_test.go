package httpapi_test

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/brug-chw/brug/api"
	"github.com/brug-chw/brug/internal/httpapi"
	"github.com/brug-chw/brug/internal/testutil"
)

// Every GET route of the API, called by someone who may call it, refuses a
// query parameter it does not read: 422 naming it, never silence.
func TestUnknownQueryParameters(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		urlOf := matrixRecords(t, api)
		tried := 0
		for _, r := range api.Server.Routes() {
			if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") {
				continue
			}
			key := matrixKey(r.Method, r.Path)
			want := matrix[key]
			// Someone who gets past authorization and scope: the first
			// caller the matrix gives a success, else anyone not refused.
			who := ""
			for _, c := range callers {
				if want[c] < 300 {
					who = c
					break
				}
			}
			if who == "" {
				for _, c := range callers {
					if want[c] != http.StatusUnauthorized && want[c] != http.StatusForbidden {
						who = c
						break
					}
				}
			}
			var h map[string]string
			if who != anon {
				h = api.Bearer(who)
			}
			url := urlOf(key[len("GET "):])
			allowed := httpapi.QueryParams[r.Path]
			for _, q := range []string{"?frobnicate=1&zz_top=2", "?" + strings.Join(append(slices.Clone(allowed), "frobnicate"), "=&") + "=1&zz_top=2"} {
				if len(allowed) == 0 && strings.Contains(q, "=&") {
					continue
				}
				tried++
				res := api.Do(http.MethodGet, url+q, nil, h)
				body := string(res.Body)
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"frobnicate"`) ||
					!strings.Contains(body, `"field":"zz_top"`) || !strings.Contains(body, `"code":"unknown_parameter"`) {
					t.Errorf("%s%s as %s: %d %s", key, q, who, res.Status, body)
					continue
				}
				for _, a := range allowed {
					if strings.Contains(body, `"field":"`+a+`","code":"unknown_parameter"`) {
						t.Errorf("%s: declared parameter %s called unknown: %s", key, a, body)
					}
				}
			}
		}
		if tried < 40 {
			t.Fatalf("only %d requests tried", tried)
		}
		// A known parameter alone still works.
		if r := api.Do(http.MethodGet, "/api/v1/providers?third_party_payment=true", nil, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("known parameter: %d %s", r.Status, r.Body)
		}
	})
}

// httpapi.QueryParams and api/openapi.yaml name the same query parameters
// for every GET route.
func TestQueryParamsMatchSpec(t *testing.T) {
	t.Parallel()
	type param struct {
		Ref  string `yaml:"$ref"`
		Name string `yaml:"name"`
		In   string `yaml:"in"`
	}
	var spec struct {
		Paths map[string]struct {
			Get struct {
				Parameters []param `yaml:"parameters"`
			} `yaml:"get"`
		} `yaml:"paths"`
		Components struct {
			Parameters map[string]param `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &spec); err != nil {
		t.Fatal(err)
	}
	srv := testutil.NewAPI(t, "sqlite").Server
	for _, r := range srv.Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/api/v1/") {
			continue
		}
		var inSpec []string
		for _, p := range spec.Paths[echoParam.ReplaceAllString(r.Path, "{$1}")].Get.Parameters {
			if p.Ref != "" {
				p = spec.Components.Parameters[p.Ref[strings.LastIndex(p.Ref, "/")+1:]]
			}
			if p.In == "query" {
				inSpec = append(inSpec, p.Name)
			}
		}
		declared := slices.Clone(httpapi.QueryParams[r.Path])
		sort.Strings(inSpec)
		sort.Strings(declared)
		if !slices.Equal(inSpec, declared) {
			t.Errorf("GET %s: the spec names %v, the router accepts %v", r.Path, inSpec, declared)
		}
	}
}
