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

// createUser makes an account as the admin and sets its password through
// its invitation link, as the person would.
func createUser(t *testing.T, api *testutil.API, body map[string]any, password string) string {
	t.Helper()
	r := api.Do(http.MethodPost, "/api/v1/users", body, api.Bearer(admin))
	if r.Status != http.StatusCreated {
		t.Fatalf("create user: %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["id"].(string)
	if r := api.Do(http.MethodPost, "/api/v1/public/invitations/"+invitationToken(t, api, id), map[string]any{"password": password}, nil); r.Status != http.StatusNoContent {
		t.Fatalf("set password: %d %s", r.Status, r.Body)
	}
	return id
}
