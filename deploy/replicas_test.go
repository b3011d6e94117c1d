package deploy_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// balancer is a small round-robin load balancer (httputil.ReverseProxy), as
// an ingress or HAProxy would be: a backend that refuses a connection is
// left out for a second and the request answered 502 (the client retries).
type balancer struct {
	backends []*url.URL
	next     atomic.Uint64
	mu       sync.Mutex
	down     map[int]time.Time
}

func newBalancer(t *testing.T, bases ...string) *httptest.Server {
	b := &balancer{down: map[int]time.Time{}}
	for _, s := range bases {
		u, _ := url.Parse(s)
		b.backends = append(b.backends, u)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := r.In.Context().Value(backendKey{}).(int)
			r.SetURL(b.backends[i])
			r.Out.Host = r.In.Host
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			i := r.Context().Value(backendKey{}).(int)
			b.mu.Lock()
			b.down[i] = time.Now().Add(time.Second)
			b.mu.Unlock()
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.ServeHTTP(w, r.WithContext(contextWithBackend(r, b.pick())))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type backendKey struct{}

func (b *balancer) pick() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for range b.backends {
		i := int(b.next.Add(1) % uint64(len(b.backends)))
		if time.Now().After(b.down[i]) {
			return i
		}
	}
	return int(b.next.Add(1) % uint64(len(b.backends)))
}

// client is a JSON client of the API.
type client struct{ http *http.Client }

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (c client) do(method, u, token, key string, body any) (answer, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, u, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header}
	_ = json.NewDecoder(res.Body).Decode(&a.body)
	return a, nil
}

func (c client) login(t *testing.T, base, email string) string {
	t.Helper()
	return c.loginWith(t, base, email, demo.Password)
}

func (c client) loginWith(t *testing.T, base, email, password string) string {
	t.Helper()
	a, err := c.do("POST", base+"/api/v1/auth/login", "", "", map[string]string{"email": email, "password": password})
	if err != nil || a.status != 200 {
		t.Fatalf("sign-in of %s at %s: %d %v %v", email, base, a.status, a.body, err)
	}
	return a.body["access_token"].(string)
}

// Several replicas on one PostgreSQL, as deploy/README.md describes: the
// schema is migrated once by `brug migrate`, then two `brug serve` processes
// run behind a round-robin load balancer. A token from one works on the
// other; both reminder workers drain one outbox and every reminder is sent
// exactly once; an account disabled on one is refused on the other at once;
// and a replica killed with -9 in the middle of a write load loses no
// accepted write and doubles none (Idempotency-Key and client retries).
// Figures are printed, not asserted.
func TestReplicasBehindALoadBalancer(t *testing.T) {
	for _, engine := range testutil.Engines() {
		if engine != db.Postgres {
			continue // one process per SQLite file: nothing to balance
		}
		t.Run(engine, func(t *testing.T) { replicasBehindALoadBalancer(t) })
	}
}

func replicasBehindALoadBalancer(t *testing.T) {
	dsn := testutil.DatabaseURL(t, db.Postgres)
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Close() })

	// The fake SMS gateway counts every message by its reference (the
	// reminder's dedupe key).
	var gwMu sync.Mutex
	sent := map[string]int{}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		_ = json.NewDecoder(r.Body).Decode(&m)
		gwMu.Lock()
		sent[m["reference"]]++
		gwMu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(gw.Close)

	common := map[string]string{"BRUG_DATABASE_URL": dsn, "BRUG_JWT_SECRET": fmt.Sprintf("%064d", 18)}
	// Migrations once, before any replica starts; then the demo programme.
	if out, code := brug(t, common, "migrate"); code != 0 {
		t.Fatalf("brug migrate: exit %d: %s", code, out)
	}
	if out, code := brug(t, common, "seed", "--demo"); code != 0 {
		t.Fatalf("brug seed --demo: exit %d: %s", code, out)
	}
	// The SMS reminders the demo programme queued: the workers must send
	// each exactly once.
	due := map[string]bool{}
	rows, err := pg.Query(`SELECT dedupe_key FROM reminders WHERE status = 'queued' AND channel = 'sms'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		due[id] = true
	}
	rows.Close()

	vars := map[string]string{"BRUG_SMS_URL": gw.URL, "BRUG_QUIET_HOURS": "off", "BRUG_REMINDER_POLL": "100ms", "BRUG_REMINDER_CONCURRENCY": "4",
		"BRUG_MAX_IN_FLIGHT": "10000", "BRUG_METRICS_TOKEN": metricsToken}
	for k, v := range common {
		vars[k] = v
	}
	a, b := serve(t, vars), serve(t, vars)
	start := time.Now()
	// Every queued SMS reminder falls due now, with both workers running.
	// (A few were due already: their replicas may have sent them.)
	if _, err := pg.Exec(`UPDATE reminders SET due_at = now() - interval '1 minute', next_attempt_at = NULL
		WHERE status = 'queued' AND channel = 'sms'`); err != nil {
		t.Fatal(err)
	}
	queued := len(due)
	if queued < 10 {
		t.Fatalf("the demo programme queued %d SMS reminders; the test needs some", queued)
	}

	lb := newBalancer(t, a.base, b.base)
	c := client{http: &http.Client{Timeout: 30 * time.Second}}

	// Signed in on one, working on the other.
	tok := c.login(t, a.base, "chw.gent1@example.org")
	list, err := c.do("GET", b.base+"/api/v1/clients?limit=1", tok, "", nil)
	if err != nil || list.status != 200 {
		t.Fatalf("the token from %s on %s: %d %v", a, b, list.status, err)
	}
	clientID := list.body["items"].([]any)[0].(map[string]any)["id"].(string)

	// Both workers drain the outbox: every reminder exactly once.
	for {
		var left int
		if err := pg.QueryRow(`SELECT count(*) FROM reminders WHERE channel = 'sms' AND status IN ('queued', 'sending')
			AND due_at <= now()`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("%d SMS reminders still queued after two minutes", left)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rows, err = pg.Query(`SELECT dedupe_key, status FROM reminders WHERE channel = 'sms'`)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			t.Fatal(err)
		}
		if due[id] {
			statuses[id] = st
		}
	}
	rows.Close()
	gwMu.Lock()
	nSent, doubles := 0, 0
	for ref, n := range sent {
		if n > 1 {
			doubles++
			t.Errorf("reminder %s sent %d times", ref, n)
		}
		if statuses[ref] != "sent" {
			t.Errorf("reminder %s reached the gateway but is %q", ref, statuses[ref])
		}
	}
	byStatus := map[string]int{}
	for id, st := range statuses {
		byStatus[st]++
		if st == "failed" {
			t.Errorf("reminder %s failed: the gateway accepts everything", id)
		}
		if st == "sent" {
			nSent++
			if sent[id] != 1 {
				t.Errorf("reminder %s is marked sent but reached the gateway %d times", id, sent[id])
			}
		}
	}
	gwMu.Unlock()
	// The rest were cancelled by the worker's own rules (an appointment
	// no longer ahead), each with its reason.
	if nSent < queued/2 || byStatus["sent"]+byStatus["cancelled"] != queued {
		t.Errorf("%d due SMS reminders ended as %v", queued, byStatus)
	}
	drain := time.Since(start)
	byA, byB := sentBy(t, a), sentBy(t, b)

	// Disabled on one replica, refused on the other as soon as the notice arrives.
	admin := c.login(t, a.base, "admin@example.org")
	victim := c.login(t, b.base, "chw.gent2@example.org")
	if r, _ := c.do("GET", b.base+"/api/v1/clients?limit=1", victim, "", nil); r.status != 200 {
		t.Fatalf("before the disable: %d", r.status)
	}
	var victimID string
	if err := pg.QueryRow(`SELECT id::text FROM users WHERE email = 'chw.gent2@example.org'`).Scan(&victimID); err != nil {
		t.Fatal(err)
	}
	if r, err := c.do("PATCH", a.base+"/api/v1/users/"+victimID, admin, "", map[string]any{"disabled": true}); err != nil || r.status != 200 {
		t.Fatalf("disable on %s: %d %v %v", a, r.status, r.body, err)
	}
	// The other replica drops its cached caller when PostgreSQL delivers
	// the writer's NOTIFY (milliseconds after the commit, README
	// "Authentication in one step"): a request racing the notice may
	// still pass, none after it.
	disabledAt := time.Now()
	for {
		r, _ := c.do("GET", b.base+"/api/v1/clients?limit=1", victim, "", nil)
		if r.status == 401 {
			t.Logf("refused on the other replica %s after the disable", time.Since(disabledAt).Round(time.Millisecond))
			break
		}
		if r.status != 200 || time.Since(disabledAt) > 2*time.Second {
			t.Fatalf("a disabled account's token on the other replica: %d %s after the disable, want 401", r.status, time.Since(disabledAt))
		}
		time.Sleep(5 * time.Millisecond)
	}

	// Writes through the balancer; one replica is killed with -9 midway.
	const writers, perWriter = 8, 40
	type result struct {
		key, id string
		tries   int
	}
	var (
		mu        sync.Mutex
		accepted  []result
		failed    []string
		retried   atomic.Int64
		responses atomic.Int64
		wg        sync.WaitGroup
	)
	killAt := int64(writers * perWriter / 3)
	var killed atomic.Bool
	loadStart := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				key := fmt.Sprintf("lb-%d-%d", w, i)
				body := map[string]any{"mode": "home", "duration_minutes": 20, "note": "load " + key}
				var got *result
				for try := 1; try <= 30 && got == nil; try++ {
					if try > 1 {
						retried.Add(1)
						time.Sleep(50 * time.Millisecond)
					}
					r, err := c.do("POST", lb.URL+"/api/v1/clients/"+clientID+"/visits", tok, key, body)
					if err != nil {
						continue
					}
					if n := responses.Add(1); n == killAt && killed.CompareAndSwap(false, true) {
						b.kill()
					}
					if r.status == 201 {
						id, _ := r.body["id"].(string)
						got = &result{key: key, id: id, tries: try}
					}
					// 502 (replica gone), 503 (shed) and 409 idempotency_in_progress are retried.
				}
				mu.Lock()
				if got != nil {
					accepted = append(accepted, *got)
				} else {
					failed = append(failed, key)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(loadStart)
	if !killed.Load() {
		t.Fatal("the replica was never killed")
	}
	if len(failed) > 0 {
		t.Errorf("%d writes never accepted after 30 tries: %v", len(failed), failed)
	}

	// Every accepted write is there, once.
	rows, err = pg.Query(`SELECT id::text, note FROM visits WHERE client_id = $1 AND note LIKE 'load lb-%'`, clientID)
	if err != nil {
		t.Fatal(err)
	}
	byNote := map[string][]string{}
	for rows.Next() {
		var id, note string
		if err := rows.Scan(&id, &note); err != nil {
			t.Fatal(err)
		}
		byNote[note] = append(byNote[note], id)
	}
	rows.Close()
	for _, r := range accepted {
		ids := byNote["load "+r.key]
		switch {
		case len(ids) == 0:
			t.Errorf("accepted write %s (visit %s) is lost", r.key, r.id)
		case len(ids) > 1:
			t.Errorf("write %s was done %d times", r.key, len(ids))
		case ids[0] != r.id:
			t.Errorf("write %s answered visit %s but %s is stored", r.key, r.id, ids[0])
		}
	}
	if len(failed) == 0 && len(byNote) != len(accepted) {
		t.Errorf("%d keyed writes stored, %d accepted", len(byNote), len(accepted))
	}
	t.Logf("replicas: %d SMS reminders sent once each by two workers in %s (%d by one, %d by the other; %d doubled; all due: %v)",
		nSent, drain.Round(time.Millisecond), byA, byB, doubles, byStatus)
	t.Logf("replicas: %d writes accepted in %s (%.0f writes/s through the balancer), %d retries, replica killed after %d answers",
		len(accepted), elapsed.Round(time.Millisecond), float64(len(accepted))/elapsed.Seconds(), retried.Load(), killAt)
}

func contextWithBackend(r *http.Request, i int) context.Context {
	return context.WithValue(r.Context(), backendKey{}, i)
}

const metricsToken = "deploy-test-metrics-token-0123"

// sentBy reads a replica's count of SMS messages accepted by the gateway.
func sentBy(t *testing.T, r *replica) int {
	t.Helper()
	req, _ := http.NewRequest("GET", r.base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var n float64
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, `brug_reminders_sent_total{channel="sms"} `); ok {
			n, _ = strconv.ParseFloat(v, 64)
		}
	}
	return int(n)
}
