package httpapi_test

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/brug-chw/brug/api"
	"github.com/brug-chw/brug/internal/testutil"
)

// Every operation of api/openapi.yaml that takes a body declares the
// answers the JSON binding gives before any handler runs (400 malformed,
// 413 too large, 415 not JSON, 422 invalid), and every GET of the API the
// 422 of an unknown query parameter, and every operation of the API the 499
// and 503 of a stopped query or an unreachable database: a new operation
// cannot leave them out.
func TestSpecDeclaresBindingErrors(t *testing.T) {
	t.Parallel()
	var spec struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &spec); err != nil {
		t.Fatal(err)
	}
	var missing []string
	bodies := 0
	for path, ops := range spec.Paths {
		for method, node := range ops {
			if !slices.Contains([]string{"get", "post", "put", "patch", "delete"}, method) {
				continue // the path's parameters
			}
			var op struct {
				RequestBody any            `yaml:"requestBody"`
				Responses   map[string]any `yaml:"responses"`
			}
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			var want []string
			switch {
			case op.RequestBody != nil:
				bodies++
				want = []string{"400", "413", "415", "422"}
			case method == "get" && strings.HasPrefix(path, "/api/v1/"):
				want = []string{"422"}
			}
			if strings.HasPrefix(path, "/api/v1/") {
				// Any query can be stopped by its request (the caller went
				// away: 499; the deadline passed: 503) and any can meet a
				// database that is down (503).
				want = append(want, "499", "503")
			}
			for _, code := range want {
				if _, ok := op.Responses[code]; !ok {
					missing = append(missing, strings.ToUpper(method)+" "+path+" lacks "+code)
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("the spec leaves out answers the server gives:\n  %s", strings.Join(missing, "\n  "))
	}
	if bodies < 40 {
		t.Fatalf("only %d operations with a body read from the spec", bodies)
	}
}

// The targets route, the last one added without them, answers 413 and 415
// as its spec says (every answer is checked against the spec by API.Do).
func TestTargetsBindingErrorsMatchSpec(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Run(t, []testutil.Scenario{
			{Name: "not JSON", Method: http.MethodPut, Path: "/api/v1/targets", As: admin, Body: `{}`,
				Headers: map[string]string{"Content-Type": "text/plain"}, Status: http.StatusUnsupportedMediaType},
			{Name: "too large", Method: http.MethodPut, Path: "/api/v1/targets", As: admin,
				Body: `{"scope":"programme","month":"` + strings.Repeat("m", 2<<20) + `"}`, Status: http.StatusRequestEntityTooLarge},
			{Name: "malformed", Method: http.MethodPut, Path: "/api/v1/targets", As: admin, Body: `{"scope":`, Status: http.StatusBadRequest},
		})
	})
}
