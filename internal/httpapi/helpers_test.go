package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

// newClient creates a client as a demo account and returns its id.
func newClient(t *testing.T, api *testutil.API, as string, body map[string]any) string {
	t.Helper()
	body["confirm_duplicate"] = true
	r := api.Do(http.MethodPost, "/api/v1/clients", body, api.Bearer(as))
	if r.Status != http.StatusCreated {
		t.Fatalf("create client as %s: %d %s", as, r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
