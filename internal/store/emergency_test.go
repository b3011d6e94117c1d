package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// A grant widens a CHW's or coordinator's scope by one client, only while
// it lives, and never a manager's or an admin's.
func TestEmergencyScope(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		st := api.Svc.Store
		r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Scope", "family_name": "Glas", "confirm_duplicate": true}, api.Bearer("chw.gent1@example.org"))
		if r.Status != 201 {
			t.Fatalf("client: %d %s", r.Status, r.Body)
		}
		id := r.JSON(t)["id"].(string)
		liege, err := st.UserByEmail(ctx, "chw.liege1@example.org")
		if err != nil {
			t.Fatal(err)
		}
		now := st.Now()
		for _, g := range []model.EmergencyAccess{
			{ClientID: id, UserID: liege.ID, Reason: "expired one", GrantedAt: now.Add(-5 * time.Hour), ExpiresAt: now.Add(-time.Hour)},
			{ClientID: id, UserID: liege.ID, Reason: "live one", GrantedAt: now, ExpiresAt: now.Add(time.Hour)},
		} {
			if err := st.CreateEmergencyAccess(ctx, &g); err != nil {
				t.Fatal(err)
			}
		}
		live, err := st.LiveEmergencyAccess(ctx, liege.ID, now)
		if err != nil || len(live) != 1 || live[0].Reason != "live one" {
			t.Fatalf("live grants: %+v %v", live, err)
		}
		if later, _ := st.LiveEmergencyAccess(ctx, liege.ID, now.Add(2*time.Hour)); len(later) != 0 {
			t.Fatalf("grants alive after expiry: %+v", later)
		}

		chwScope := store.Scope{UserID: liege.ID, Role: model.RoleCHW, TeamIDs: liege.TeamIDs}
		if _, err := st.ClientByID(ctx, chwScope, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("without the grant: %v", err)
		}
		chwScope.EmergencyClientIDs = []string{id}
		if _, err := st.ClientByID(ctx, chwScope, id); err != nil {
			t.Fatalf("with the grant: %v", err)
		}
		page, err := st.ListClients(ctx, chwScope, store.ClientFilter{Limit: 50})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("list with a grant: %d %v", len(page.Items), err)
		}
		for _, role := range []string{model.RoleManager, model.RoleAdmin} {
			sc := store.Scope{UserID: liege.ID, Role: role, EmergencyClientIDs: []string{id}}
			if _, err := st.ClientByID(ctx, sc, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s with a grant id sees the client: %v", role, err)
			}
		}
	})
}
