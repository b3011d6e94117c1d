package testutil

import (
	"strings"
	"testing"
)

// Scenario is one request and what must come back.
type Scenario struct {
	Name    string
	Method  string
	Path    string
	As      string // demo account e-mail; "" = anonymous
	Headers map[string]string
	Body    any
	Status  int
	// Contains and Excludes are fragments the raw body must (not) contain.
	Contains []string
	Excludes []string
	// Fields are field names the problem's errors[] must name.
	Fields []string
	Check  func(t *testing.T, r Response)
}

// Run runs each scenario as a subtest through the real router.
func (a *API) Run(t *testing.T, scenarios []Scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			h := map[string]string{}
			if sc.As != "" {
				for k, v := range a.Bearer(sc.As) {
					h[k] = v
				}
			}
			for k, v := range sc.Headers {
				h[k] = v
			}
			r := a.Do(sc.Method, sc.Path, sc.Body, h)
			if r.Status != sc.Status {
				t.Fatalf("%s %s: status %d, want %d; body: %s", sc.Method, sc.Path, r.Status, sc.Status, r.Body)
			}
			body := string(r.Body)
			for _, c := range sc.Contains {
				if !strings.Contains(body, c) {
					t.Errorf("body lacks %q: %s", c, body)
				}
			}
			for _, c := range sc.Excludes {
				if strings.Contains(body, c) {
					t.Errorf("body must not contain %q: %s", c, body)
				}
			}
			if len(sc.Fields) > 0 {
				named := map[string]bool{}
				errs, _ := r.JSON(t)["errors"].([]any)
				for _, e := range errs {
					if m, ok := e.(map[string]any); ok {
						named[m["field"].(string)] = true
					}
				}
				for _, f := range sc.Fields {
					if !named[f] {
						t.Errorf("errors[] does not name %q: %s", f, body)
					}
				}
			}
			if sc.Status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("error response is %q, want application/problem+json", r.Header.Get("Content-Type"))
			}
			if sc.Check != nil {
				sc.Check(t, r)
			}
		})
	}
}
