package httpapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// waitFor waits (up to a minute, for a slow machine) until ok holds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
	}
}

// signIn opens a fresh session and returns its access token.
func signIn(t *testing.T, api *testutil.API, email string) string {
	t.Helper()
	r := api.Login(email, demo.Password)
	if r.Status != 200 {
		t.Fatalf("sign in %s: %d %s", email, r.Status, r.Body)
	}
	return r.JSON(t)["access_token"].(string)
}

// cachedGet sends path twice with tok and fails unless the second request
// found its caller in the cache: the change that follows must beat it.
func cachedGet(t *testing.T, api *testutil.API, path, tok string, status int) {
	t.Helper()
	if r := api.Do("GET", path, nil, bearer(tok)); r.Status != status {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	hits := api.Svc.AuthCache.Stats().Hits
	if r := api.Do("GET", path, nil, bearer(tok)); r.Status != status {
		t.Fatalf("GET %s again: %d %s", path, r.Status, r.Body)
	}
	if api.Svc.AuthCache.Stats().Hits != hits+1 {
		t.Fatalf("GET %s again was not answered from the auth cache", path)
	}
}

func idOf(t *testing.T, api *testutil.API, email string) string {
	t.Helper()
	var id string
	api.DB.Gorm.Raw("SELECT id FROM users WHERE email = ?", email).Scan(&id)
	if id == "" {
		t.Fatalf("no user %s", email)
	}
	return id
}

func patchUser(t *testing.T, api *testutil.API, email string, body map[string]any) {
	t.Helper()
	if r := api.Do("PATCH", "/api/v1/users/"+idOf(t, api, email), body, api.Bearer(admin)); r.Status != 200 {
		t.Fatalf("patch %s: %d %s", email, r.Status, r.Body)
	}
}

// With the auth cache on (5 s by default), each change to what a request's
// caller carries applies on the very next request of a cached session.
func TestAuthCacheChangesApplyAtOnce(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		waitFor(t, "auth cache in use", api.Svc.AuthCache.Live)
		gentClient := newClient(t, api, coord, map[string]any{"given_name": "Cache", "family_name": "Proef", "language": "nl"})
		gentTeam := api.Do("GET", "/api/v1/me", nil, api.Bearer(coord)).JSON(t)["team_ids"].([]any)[0]

		cases := []struct {
			name, email, path string
			before, after     int
			change            func(t *testing.T, tok string)
		}{
			{"disable", "chw.liege1@example.org", "/api/v1/me", 200, 401, func(t *testing.T, _ string) {
				patchUser(t, api, "chw.liege1@example.org", map[string]any{"disabled": true})
			}},
			{"role change", "chw.gent2@example.org", "/api/v1/me", 200, 401, func(t *testing.T, _ string) {
				patchUser(t, api, "chw.gent2@example.org", map[string]any{"role": "coordinator"})
			}},
			{"team membership", "coordinator.liege@example.org", "/api/v1/clients/" + gentClient, 404, 200, func(t *testing.T, _ string) {
				patchUser(t, api, "coordinator.liege@example.org", map[string]any{"team_ids": []any{gentTeam}})
			}},
			{"session end", "chw.gent1@example.org", "/api/v1/me", 200, 401, func(t *testing.T, tok string) {
				other := signIn(t, api, "chw.gent1@example.org")
				list := api.Do("GET", "/api/v1/me/sessions", nil, bearer(tok)).JSON(t)["items"].([]any)
				for _, s := range list {
					if m := s.(map[string]any); m["current"] == true {
						if r := api.Do("DELETE", "/api/v1/me/sessions/"+m["id"].(string), nil, bearer(other)); r.Status != 204 {
							t.Fatalf("end session: %d %s", r.Status, r.Body)
						}
						return
					}
				}
				t.Fatal("no current session listed")
			}},
			{"logout", "manager@example.org", "/api/v1/me", 200, 401, func(t *testing.T, tok string) {
				if r := api.Do("POST", "/api/v1/auth/logout", map[string]any{}, bearer(tok)); r.Status != 204 {
					t.Fatalf("logout: %d %s", r.Status, r.Body)
				}
			}},
			{"password change", coord, "/api/v1/me", 200, 401, func(t *testing.T, _ string) {
				id := idOf(t, api, coord)
				if r := api.Do("POST", "/api/v1/users/"+id+"/invitation", map[string]any{}, api.Bearer(admin)); r.Status >= 300 {
					t.Fatalf("reset link: %d %s", r.Status, r.Body)
				}
				if r := api.Do("POST", "/api/v1/public/invitations/"+invitationToken(t, api, id), map[string]any{"password": "a new passphrase for the cache test"}, nil); r.Status != 204 {
					t.Fatalf("set password: %d %s", r.Status, r.Body)
				}
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				tok := signIn(t, api, c.email)
				cachedGet(t, api, c.path, tok, c.before)
				c.change(t, tok)
				if r := api.Do("GET", c.path, nil, bearer(tok)); r.Status != c.after {
					t.Fatalf("next request after the change: %d, want %d", r.Status, c.after)
				}
			})
		}
		m := api.Do("GET", "/metrics", nil, testutil.MetricsAuth)
		for _, want := range []string{"brug_auth_cache_live 1", "brug_auth_cache_hits_total", "brug_auth_cache_invalidations_total"} {
			if !strings.Contains(string(m.Body), want) {
				t.Errorf("/metrics has no %q", want)
			}
		}
	})
}

// Two service instances on one PostgreSQL database (two replicas): a
// change made on one reaches the other's cache by NOTIFY; while the other's
// LISTEN connection is down it reads every request from the database.
func TestAuthCacheAcrossReplicas(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		if engine != "postgres" {
			continue // SQLite is one process: TestAuthCacheChangesApplyAtOnce
		}
		t.Run(engine, func(t *testing.T) {
			a := testutil.NewAPI(t, engine)
			dsn := a.Config.DatabaseURL
			d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 10})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = d.Close() })
			p := testutil.FastPasswords
			svc, err := app.NewService(a.Config, d, testutil.DiscardLogger(), app.Options{Now: a.Clock.Now, PasswordParams: &p})
			if err != nil {
				t.Fatal(err)
			}
			// B listens through a proxy that the test can cut.
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			proxy := testutil.NewProxy(t, u.Host)
			u.Host = proxy.Addr()
			t.Cleanup(app.ListenAuthChanges(u.String(), d, svc, testutil.DiscardLogger()))
			b := testutil.Wrap(t, engine, a.Config, d, svc)
			waitFor(t, "A's auth cache in use", a.Svc.AuthCache.Live)
			waitFor(t, "B's auth cache in use", b.Svc.AuthCache.Live)

			// Signed in on A, working on B; the change is made on A and B
			// refuses once the notice is in.
			across := func(t *testing.T, email string, change func(tok string)) {
				t.Helper()
				tok := signIn(t, a, email)
				cachedGet(t, b, "/api/v1/me", tok, 200)
				heard := b.Svc.AuthCache.Stats().Heard
				change(tok)
				waitFor(t, "B hears of the change", func() bool { return b.Svc.AuthCache.Stats().Heard > heard })
				if r := b.Do("GET", "/api/v1/me", nil, bearer(tok)); r.Status != 401 {
					t.Fatalf("B after the change on A: %d", r.Status)
				}
			}
			t.Run("disable", func(t *testing.T) {
				across(t, "chw.liege1@example.org", func(string) {
					patchUser(t, a, "chw.liege1@example.org", map[string]any{"disabled": true})
				})
			})
			t.Run("role change", func(t *testing.T) {
				across(t, "chw.gent2@example.org", func(string) {
					patchUser(t, a, "chw.gent2@example.org", map[string]any{"role": "coordinator"})
				})
			})
			t.Run("session end", func(t *testing.T) {
				across(t, "manager@example.org", func(tok string) {
					if r := a.Do("POST", "/api/v1/auth/logout", map[string]any{}, bearer(tok)); r.Status != 204 {
						t.Fatalf("logout: %d", r.Status)
					}
				})
			})
			t.Run("listener down", func(t *testing.T) {
				tok := signIn(t, a, "coordinator.liege@example.org")
				other := signIn(t, a, "chw.gent1@example.org")
				cachedGet(t, b, "/api/v1/me", tok, 200)
				proxy.Cut()
				waitFor(t, "B notices its listener is gone", func() bool { return !b.Svc.AuthCache.Live() })
				// Nothing is answered from the cache meanwhile, and a
				// change whose notice B cannot hear is applied at once.
				hits := b.Svc.AuthCache.Stats().Hits
				for range 2 {
					if r := b.Do("GET", "/api/v1/me", nil, bearer(other)); r.Status != 200 {
						t.Fatalf("B without its listener: %d", r.Status)
					}
				}
				if b.Svc.AuthCache.Stats().Hits != hits {
					t.Fatal("B answered from its cache without its listener")
				}
				patchUser(t, a, "coordinator.liege@example.org", map[string]any{"disabled": true})
				if r := b.Do("GET", "/api/v1/me", nil, bearer(tok)); r.Status != 401 {
					t.Fatalf("B, listener down, after a disable on A: %d", r.Status)
				}
				proxy.Restore()
				waitFor(t, "B listens again", b.Svc.AuthCache.Live)
				cachedGet(t, b, "/api/v1/me", other, 200)
			})
		})
	}
}
