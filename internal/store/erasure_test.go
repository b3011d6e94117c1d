package store_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// The store's erasure on both engines: a client's history keeps ids,
// statuses and field names but no typed value; a legal hold refuses;
// retention dates a closing by its status event, else by the last update.
func TestEraseClientStore(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		st := api.Svc.Store
		ctx := t.Context()
		api.Clock.Set(time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC))
		mk := func(name string) string {
			r := api.Do(http.MethodPost, "/api/v1/clients", map[string]any{"given_name": name, "confirm_duplicate": true}, api.Bearer("chw.gent1@example.org"))
			if r.Status != http.StatusCreated {
				t.Fatal(r.Status, string(r.Body))
			}
			return r.JSON(t)["id"].(string)
		}
		closed, silent := mk("Closed"), mk("Silent")
		if r := api.Do(http.MethodPatch, "/api/v1/clients/"+closed, map[string]any{"status": "closed", "close_reason": "typed-reason"},
			api.Bearer("chw.gent1@example.org")); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		// Closed without a status event (as an old import would): its last
		// update dates the closing.
		if err := api.DB.Gorm.Model(&model.Client{}).Where("id = ?", silent).
			Updates(map[string]any{"status": "closed", "updated_at": time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}).Error; err != nil {
			t.Fatal(err)
		}
		due := func(cutoff time.Time) map[string]bool {
			ids, err := st.RetentionDue(ctx, cutoff, 10)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, id := range ids {
				out[id] = true
			}
			return out
		}
		if d := due(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)); !d[closed] || d[silent] {
			t.Fatalf("due in April 2024: %v", d)
		}
		if d := due(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)); !d[closed] || !d[silent] {
			t.Fatalf("due in July 2024: %v", d)
		}

		sc := store.Scope{UserID: coordinatorID(t, api), Role: model.RoleCoordinator, TeamIDs: []string{teamOf(t, api, closed)}}
		if _, _, err := st.SetLegalHold(ctx, sc, closed, sc.UserID, "audit by the inspectorate"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.EraseClient(ctx, closed, store.ErasureRequest{Reference: "r", Reason: "r"}); !errors.Is(err, store.ErrLegalHold) {
			t.Fatalf("erasure under hold: %v", err)
		}
		if d := due(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); d[closed] {
			t.Fatal("a held client is due for retention")
		}
		if _, _, err := st.SetLegalHold(ctx, sc, closed, sc.UserID, ""); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.EraseClient(ctx, closed, store.ErasureRequest{Reference: "r", Reason: "r"}); !ok || err != nil {
			t.Fatalf("erase: %v %v", ok, err)
		}
		if ok, err := st.EraseClient(ctx, closed, store.ErasureRequest{Reference: "r", Reason: "r"}); ok || err != nil {
			t.Fatalf("erase twice: %v %v", ok, err)
		}
		var ev model.ClientEvent
		if err := api.DB.Gorm.Where("client_id = ? AND kind = 'status_changed'", closed).Take(&ev).Error; err != nil {
			t.Fatal(err)
		}
		if ev.Detail != `{"from":"active","to":"closed"}` {
			t.Fatalf("status event after erasure: %s", ev.Detail)
		}
		if d := due(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); d[closed] || !d[silent] {
			t.Fatalf("after erasure: %v", d)
		}
	})
}

func coordinatorID(t *testing.T, api *testutil.API) string {
	t.Helper()
	return api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer("coordinator.gent@example.org")).JSON(t)["id"].(string)
}

func teamOf(t *testing.T, api *testutil.API, clientID string) string {
	t.Helper()
	var c model.Client
	if err := api.DB.Gorm.Where("id = ?", clientID).Take(&c).Error; err != nil {
		t.Fatal(err)
	}
	return c.TeamID
}
