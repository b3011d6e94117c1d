package httpapi_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/brug-chw/brug/api"
	"github.com/brug-chw/brug/internal/testutil"
)

var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// The spec and the router must describe the same set of operations.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	var spec struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &spec); err != nil {
		t.Fatalf("api/openapi.yaml does not parse: %v", err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", spec.OpenAPI)
	}
	inSpec := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete", "head", "options":
				inSpec[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	srv := testutil.NewAPI(t, "sqlite").Server
	inRouter := map[string]bool{}
	for _, r := range srv.Routes() {
		inRouter[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range inRouter {
		if !inSpec[k] {
			missing = append(missing, k)
		}
	}
	for k := range inSpec {
		if !inRouter[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes missing from api/openapi.yaml: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("api/openapi.yaml describes routes the router lacks: %v", extra)
	}
}
