package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/httpapi"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// Clock is a settable clock for rules that depend on time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t.UTC(); c.mu.Unlock() }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// FastPasswords keeps argon2id cheap in tests; production uses the default.
var FastPasswords = auth.PasswordParams{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// API is a server on a fresh, migrated, seeded database.
type API struct {
	T      testing.TB
	Engine string
	Config *config.Config
	DB     *db.DB
	Svc    *service.Service
	Server *httpapi.Server
	Clock  *Clock
	Log    *bytes.Buffer

	mu     sync.Mutex
	tokens map[string]string
}

// NewAPI builds an API with reference data and the demo accounts.
func NewAPI(t testing.TB, engine string) *API {
	t.Helper()
	d, dsn := OpenDB(t, engine)
	cfg := Config(t, dsn)
	ref, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := store.New(d.Gorm, nil).SyncReference(context.Background(), ref); err != nil {
		t.Fatalf("sync reference: %v", err)
	}
	clock := NewClock(time.Now().UTC().Truncate(time.Second))
	logBuf := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logBuf}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	p := FastPasswords
	svc, err := app.NewService(cfg, d, log, app.Options{Now: clock.Now, PasswordParams: &p})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.ListenAuthChanges(dsn, d, svc, log))
	a := Wrap(t, engine, cfg, d, svc)
	a.Clock, a.Log = clock, logBuf
	return a
}

// DiscardLogger drops every line.
func DiscardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Wrap builds an API around a prepared database and service: it relaxes the
// login limiter (scenario tables sign in many times from one address) and
// seeds the demo accounts.
func Wrap(t testing.TB, engine string, cfg *config.Config, d *db.DB, svc *service.Service) *API {
	t.Helper()
	svc.Limiter = auth.NewLoginLimiter(auth.LoginLimits{PerIP: 1000, IPBurst: 1000, PerAccount: 1000, AccountBurst: 1000, MaxKeys: 1000}, time.Now)
	svc.LocalLimitsOnly = true // the replicas' shared counts: internal/app TestReplicasShareTheLimits
	if _, err := demo.Seed(context.Background(), svc.Store, svc.Hasher); err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	srv := app.NewServer(cfg, d, svc, svc.Log, nil)
	return &API{T: t, Engine: engine, Config: cfg, DB: d, Svc: svc, Server: srv, Clock: NewClock(time.Now()), Log: &bytes.Buffer{}, tokens: map[string]string{}}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// RemoteAddrHeader, given as a header to Do, sets the client address instead.
const RemoteAddrHeader = "X-Test-Remote-Addr"

// Response is a recorded response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body.
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object (%d): %s", r.Status, r.Body)
	}
	return m
}

// Do sends a request through the router. body may be nil, a string (sent
// as is) or a value (encoded as JSON).
func (a *API) Do(method, path string, body any, headers map[string]string) Response {
	a.T.Helper()
	var rdr io.Reader
	var sentBody []byte
	switch b := body.(type) {
	case nil:
	case string:
		rdr, sentBody = strings.NewReader(b), []byte(b)
	case []byte:
		rdr, sentBody = bytes.NewReader(b), b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.T.Fatal(err)
		}
		rdr, sentBody = bytes.NewReader(raw), raw
	}
	req := httptest.NewRequest(method, path, rdr)
	if rdr != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if k == RemoteAddrHeader {
			req.RemoteAddr = v
			continue
		}
		req.Header.Set(k, v)
	}
	sent := requestCopy(method, path, req.Header, sentBody)
	rec := httptest.NewRecorder()
	a.Server.ServeHTTP(rec, req)
	res := Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	c, err := SpecContract()
	if err != nil {
		a.T.Fatalf("contract: %v", err)
	}
	if err := c.Check(sent, res.Status, res.Header, res.Body); err != nil {
		a.T.Errorf("contract: %v", err)
	}
	return res
}

// Login signs in and returns the token response.
func (a *API) Login(email, password string) Response {
	a.T.Helper()
	return a.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"email": email, "password": password}, nil)
}

// Token returns a cached access token of a demo account.
func (a *API) Token(email string) string {
	a.T.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if tok, ok := a.tokens[email]; ok {
		// A test that moved the clock past the token's life signs in again.
		if _, err := a.Svc.Tokens.Verify(tok); err == nil {
			return tok
		}
	}
	r := a.Login(email, demo.Password)
	if r.Status != http.StatusOK {
		a.T.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	tok := r.JSON(a.T)["access_token"].(string)
	a.tokens[email] = tok
	return tok
}

// Forget drops the cached tokens (after moving the clock back, say).
func (a *API) Forget() {
	a.mu.Lock()
	a.tokens = map[string]string{}
	a.mu.Unlock()
}

// Bearer is the Authorization header of a demo account.
func (a *API) Bearer(email string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + a.Token(email)}
}
