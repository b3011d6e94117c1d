package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

func countVisits(t *testing.T, api *testutil.API, clientID string) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Gorm.Table("visits").Where("client_id = ?", clientID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func withKey(h map[string]string, key string) map[string]string {
	out := map[string]string{"Idempotency-Key": key}
	for k, v := range h {
		out[k] = v
	}
	return out
}

// problemCode is the top-level code of a problem body.
func problemCode(t *testing.T, r testutil.Response) string {
	t.Helper()
	c, _ := r.JSON(t)["code"].(string)
	return c
}

// The same visit sent twice with one key is one visit; the repeat answers
// the first answer, marked replayed; another body with that key, a key
// past its life, and a malformed key are 422 naming the header, and none
// of them writes anything.
func TestIdempotentVisit(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Idem", "family_name": "Potent", "phone": "0470 11 22 44"})
		path := "/api/v1/clients/" + id + "/visits"
		visit := map[string]any{"mode": "home", "duration_minutes": 20}
		h := withKey(api.Bearer(chw), "visit-2026-03-10-a")

		first := api.Do(http.MethodPost, path, visit, h)
		again := api.Do(http.MethodPost, path, visit, h)
		if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) {
			t.Fatalf("replay: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
		}
		if first.Header.Get("Idempotent-Replayed") != "" || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed: first %q, again %q", first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
		}
		if n := countVisits(t, api, id); n != 1 {
			t.Fatalf("%d visits written, want 1", n)
		}

		// Another body, or the same body to another path, under the key.
		other := api.Do(http.MethodPost, path, map[string]any{"mode": "phone", "duration_minutes": 5}, h)
		if other.Status != 422 || !strings.Contains(string(other.Body), `"field":"Idempotency-Key"`) || problemCode(t, other) != "idempotency_key_reused" {
			t.Errorf("same key, other body: %d %s", other.Status, other.Body)
		}
		id2 := newClient(t, api, chw, map[string]any{"given_name": "Idem", "family_name": "Other", "phone": "0470 11 22 45"})
		if r := api.Do(http.MethodPost, "/api/v1/clients/"+id2+"/visits", visit, h); r.Status != 422 || problemCode(t, r) != "idempotency_key_reused" {
			t.Errorf("same key, other path: %d %s", r.Status, r.Body)
		}
		if n := countVisits(t, api, id) + countVisits(t, api, id2); n != 1 {
			t.Fatalf("%d visits after refused keys, want 1", n)
		}

		// Another caller's keys are their own: a coordinator of the team
		// writes its own visit with the same key.
		if r := api.Do(http.MethodPost, path, visit, withKey(api.Bearer("coordinator.gent@example.org"), "visit-2026-03-10-a")); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("other caller: %d %s", r.Status, r.Body)
		}
		if n := countVisits(t, api, id); n != 2 {
			t.Errorf("%d visits, want 2 (one per caller)", n)
		}

		// Malformed keys.
		for name, key := range map[string]string{
			"empty":         "",
			"too long":      strings.Repeat("k", 256),
			"not ascii":     "visite-été",
			"control":       "visit\x01",
			"longest is ok": strings.Repeat("k", 255),
		} {
			r := api.Do(http.MethodPost, path, map[string]any{"mode": "phone", "duration_minutes": 7}, withKey(api.Bearer(chw), key))
			if name == "longest is ok" {
				if r.Status != 201 {
					t.Errorf("%s: %d %s", name, r.Status, r.Body)
				}
				continue
			}
			if r.Status != 422 || !strings.Contains(string(r.Body), `"field":"Idempotency-Key"`) {
				t.Errorf("%s key: %d %s", name, r.Status, r.Body)
			}
		}
		if n := countVisits(t, api, id); n != 3 {
			t.Errorf("%d visits after malformed keys, want 3", n)
		}

		// A validation failure is an outcome too: replayed, not re-run.
		bad1 := api.Do(http.MethodPost, path, map[string]any{"mode": "boat"}, withKey(api.Bearer(chw), "bad-1"))
		bad2 := api.Do(http.MethodPost, path, map[string]any{"mode": "boat"}, withKey(api.Bearer(chw), "bad-1"))
		if bad1.Status != 422 || bad2.Status != 422 || string(bad1.Body) != string(bad2.Body) || bad2.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("validation replay: %d / %d %q", bad1.Status, bad2.Status, bad2.Header.Get("Idempotent-Replayed"))
		}

		// After 24 hours the answer is gone: the same request is told the
		// key expired (not done twice); another request may take the key.
		api.Clock.Advance(25 * time.Hour)
		h = withKey(api.Bearer(chw), "visit-2026-03-10-a")
		if r := api.Do(http.MethodPost, path, visit, h); r.Status != 422 || problemCode(t, r) != "idempotency_key_expired" {
			t.Errorf("expired key, same request: %d %s", r.Status, r.Body)
		}
		if n := countVisits(t, api, id); n != 3 {
			t.Errorf("%d visits after an expired key, want 3", n)
		}
		if r := api.Do(http.MethodPost, path, map[string]any{"mode": "office", "duration_minutes": 15}, h); r.Status != 201 {
			t.Errorf("expired key, new request: %d %s", r.Status, r.Body)
		}
		// Housekeeping forgets keys a day after their life.
		api.Clock.Advance(49 * time.Hour)
		n, err := api.Svc.Store.DeleteExpiredIdempotencyKeys(context.Background())
		if err != nil || n < 3 {
			t.Errorf("housekeeping deleted %d keys (%v), want the old ones", n, err)
		}
		var left int64
		api.DB.Gorm.Table("idempotency_keys").Where("key = ?", "visit-2026-03-10-a").Count(&left)
		if left != 0 {
			t.Errorf("%d rows of expired keys left", left)
		}
	})
}

// Public writes key by the client's address: the contact form sent twice
// is one request.
func TestIdempotentPublicContact(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		before := countRows(t, api, "contact_requests")
		h := fromIP("10.9.0.1", map[string]string{"Idempotency-Key": "contact-1"})
		a := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(nil), h)
		b := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(nil), h)
		if a.Status != 202 || b.Status != 202 || b.Header.Get("Idempotent-Replayed") != "true" || string(a.Body) != string(b.Body) {
			t.Fatalf("contact replay: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
		}
		// Another address with the same key is another caller.
		c := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(nil), fromIP("10.9.0.2", map[string]string{"Idempotency-Key": "contact-1"}))
		if c.Status != 202 || c.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("other address: %d %s", c.Status, c.Body)
		}
		if n := countRows(t, api, "contact_requests") - before; n != 2 {
			t.Errorf("%d contact requests, want 2", n)
		}
	})
}

// Many requests at once with one key do the work once, and every one of
// them answers the same visit.
func TestIdempotentConcurrentRequests(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		id := newClient(t, api, chw, map[string]any{"given_name": "Con", "family_name": "Current", "phone": "0470 11 22 46"})
		h := withKey(api.Bearer(chw), "same-visit")
		const n = 8
		var wg sync.WaitGroup
		bodies := make([]string, n)
		statuses := make([]int, n)
		var replayed atomic.Int32
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := api.Do(http.MethodPost, "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 30}, h)
				statuses[i], bodies[i] = r.Status, string(r.Body)
				if r.Header.Get("Idempotent-Replayed") == "true" {
					replayed.Add(1)
				}
			}()
		}
		wg.Wait()
		for i := range n {
			if statuses[i] != 201 || bodies[i] != bodies[0] {
				t.Errorf("request %d: %d %s (first: %s)", i, statuses[i], bodies[i], bodies[0])
			}
		}
		if replayed.Load() != n-1 {
			t.Errorf("%d replayed, want %d", replayed.Load(), n-1)
		}
		if c := countVisits(t, api, id); c != 1 {
			t.Errorf("%d visits, want 1", c)
		}
	})
}

// The database is cut in the middle of a keyed write (after the visit's
// insert): the answer is 503 and nothing is kept, neither the visit nor the
// key, so the retry after the outage does the work, once.
func TestIdempotentWriteDuringOutage(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		if engine != db.Postgres {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			dsn := testutil.DatabaseURL(t, engine)
			u, _ := url.Parse(dsn)
			proxy := testutil.NewProxy(t, u.Host)
			u.Host = proxy.Addr()
			cfg := testutil.Config(t, u.String())
			d, err := app.Prepare(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			svc, err := app.NewService(cfg, d, testutil.DiscardLogger(), app.Options{PasswordParams: &testutil.FastPasswords})
			if err != nil {
				t.Fatal(err)
			}
			api := testutil.Wrap(t, engine, cfg, d, svc)
			id := newClient(t, api, chw, map[string]any{"given_name": "Cut", "family_name": "Off", "phone": "0470 11 22 47"})
			h := withKey(api.Bearer(chw), "visit-in-outage")
			var cut atomic.Bool
			if err := d.Gorm.Callback().Create().After("gorm:create").Register("test:cut_after_visit", func(g *gorm.DB) {
				if g.Statement.Table == "visits" && cut.CompareAndSwap(true, false) {
					proxy.Cut()
				}
			}); err != nil {
				t.Fatal(err)
			}
			path := "/api/v1/clients/" + id + "/visits"
			visit := map[string]any{"mode": "home", "duration_minutes": 20}
			for i := range 4 {
				cut.Store(true)
				if r := api.Do(http.MethodPost, path, visit, h); r.Status != 503 {
					t.Fatalf("write %d during the cut: %d %s", i, r.Status, r.Body)
				}
				proxy.Restore()
				if n := countVisits(t, api, id); n != 0 {
					t.Fatalf("after the 503 of write %d: %d visits kept", i, n)
				}
			}
			first := api.Do(http.MethodPost, path, visit, h)
			again := api.Do(http.MethodPost, path, visit, h)
			if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" || again.Header.Get("Idempotent-Replayed") != "true" || string(first.Body) != string(again.Body) {
				t.Fatalf("retry after the outage: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
			}
			if n := countVisits(t, api, id); n != 1 {
				t.Errorf("%d visits, want 1", n)
			}
		})
	}
}

// While another request holds a key (its transaction still open), a second
// one waits, and after IdempotencyLockWait answers 409
// idempotency_in_progress with Retry-After, doing nothing; once the holder
// is gone the key works. (PostgreSQL: SQLite's single writer makes the
// second request wait for the first instead.)
func TestIdempotencyKeyInProgress(t *testing.T) {
	t.Parallel()
	for _, engine := range testutil.Engines() {
		if engine != db.Postgres {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			api := testutil.NewAPI(t, engine)
			id := newClient(t, api, chw, map[string]any{"given_name": "Held", "family_name": "Key", "phone": "0470 11 22 49"})
			me := api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(chw)).JSON(t)["id"].(string)
			old := store.IdempotencyLockWait
			store.IdempotencyLockWait = 300 * time.Millisecond
			defer func() { store.IdempotencyLockWait = old }()
			holder := api.DB.Gorm.Begin()
			now := time.Now()
			if err := holder.Exec(`INSERT INTO idempotency_keys (caller, key, request_hash, state, created_at, expires_at) VALUES (?, 'held', 'x', 'in_progress', ?, ?)`,
				"user:"+me, now, now.Add(time.Hour)).Error; err != nil {
				t.Fatal(err)
			}
			h := withKey(api.Bearer(chw), "held")
			path := "/api/v1/clients/" + id + "/visits"
			r := api.Do(http.MethodPost, path, map[string]any{"mode": "home", "duration_minutes": 20}, h)
			if r.Status != 409 || problemCode(t, r) != "idempotency_in_progress" || r.Header.Get("Retry-After") == "" {
				t.Errorf("while held: %d %s", r.Status, r.Body)
			}
			if n := countVisits(t, api, id); n != 0 {
				t.Errorf("%d visits while the key was held", n)
			}
			holder.Rollback()
			if r := api.Do(http.MethodPost, path, map[string]any{"mode": "home", "duration_minutes": 20}, h); r.Status != 201 {
				t.Errorf("after the holder left: %d %s", r.Status, r.Body)
			}
		})
	}
}
