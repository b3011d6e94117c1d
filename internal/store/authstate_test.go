package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// One statement carries the caller: account, session, teams, live grants;
// and every write to them is told after it commits.
func TestAuthState(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		st := api.Svc.Store
		var told []store.AuthChange
		st.OnAuthChange(func(c store.AuthChange) { told = append(told, c) })
		coord, err := st.UserByEmail(ctx, "coordinator.gent@example.org")
		if err != nil {
			t.Fatal(err)
		}
		other, err := st.UserByEmail(ctx, "chw.liege1@example.org")
		if err != nil {
			t.Fatal(err)
		}
		now := st.Now()
		until := now.Add(time.Hour)
		if err := st.CreateRefreshToken(ctx, coord.ID, "0190aaaa-0000-7000-8000-000000000001", "h1", "ua", until); err != nil {
			t.Fatal(err)
		}
		got, err := st.AuthState(ctx, coord.ID, "0190aaaa-0000-7000-8000-000000000001")
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(coord.TeamIDs)
		slices.Sort(want)
		if !got.SessionLive || !got.SessionUntil.Equal(until) || got.Role != model.RoleCoordinator || got.Disabled ||
			!slices.Equal(got.TeamIDs, want) || len(got.EmergencyClientIDs) != 0 || got.Email != coord.Email {
			t.Fatalf("auth state: %+v (teams %v)", got, want)
		}
		// Another person's session is not live for this user.
		if s, err := st.AuthState(ctx, other.ID, "0190aaaa-0000-7000-8000-000000000001"); err != nil || s.SessionLive {
			t.Fatalf("someone else's session: %+v %v", s, err)
		}
		if _, err := st.AuthState(ctx, "0190aaaa-0000-7000-8000-00000000dead", "0190aaaa-0000-7000-8000-000000000001"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}

		r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Staat", "family_name": "Proef", "confirm_duplicate": true}, api.Bearer("chw.liege1@example.org"))
		if r.Status != 201 {
			t.Fatalf("client: %d %s", r.Status, r.Body)
		}
		told = nil
		grant := model.EmergencyAccess{ClientID: r.JSON(t)["id"].(string), UserID: coord.ID, Reason: "a test grant", GrantedAt: now, ExpiresAt: now.Add(30 * time.Minute)}
		if err := st.CreateEmergencyAccess(ctx, &grant); err != nil {
			t.Fatal(err)
		}
		got, _ = st.AuthState(ctx, coord.ID, "0190aaaa-0000-7000-8000-000000000001")
		if !slices.Equal(got.EmergencyClientIDs, []string{grant.ClientID}) || !got.EmergencyUntil.Equal(grant.ExpiresAt) {
			t.Fatalf("grant: %+v", got)
		}
		if err := st.RevokeFamily(ctx, "0190aaaa-0000-7000-8000-000000000001"); err != nil {
			t.Fatal(err)
		}
		got, _ = st.AuthState(ctx, coord.ID, "0190aaaa-0000-7000-8000-000000000001")
		if got.SessionLive {
			t.Fatal("a revoked session is live")
		}
		wantTold := []store.AuthChange{{UserID: coord.ID}, {SessionID: "0190aaaa-0000-7000-8000-000000000001"}}
		if !slices.Equal(told, wantTold) {
			t.Fatalf("told %+v, want %+v", told, wantTold)
		}
	})
}
