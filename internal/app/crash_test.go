package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// childServe makes this test binary run `brug serve` when the crash test
// starts it as a child process (a real process, to be killed with -9).
const childServe = "BRUG_TEST_CHILD_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(childServe) == "1" {
		os.Exit(app.Main([]string{"serve"}, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startChild starts this test binary as `brug serve` (childServe) on a
// database, with the demo data and extra settings, and waits until it is
// ready; the test's end kills it.
func startChild(t *testing.T, dsn, dir, addr string, extra ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BRUG_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, childServe+"=1", "BRUG_DATABASE_URL="+dsn, "BRUG_DATA_DIR="+dir, "BRUG_ADDR="+addr,
		"BRUG_DEMO=true", "BRUG_LOG_LEVEL=error", "BRUG_JWT_SECRET="+fmt.Sprintf("%064d", 9))
	cmd.Env = append(cmd.Env, extra...)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	// Wait for it to answer (the demo year is seeded first).
	base := "http://" + addr
	for deadline := time.Now().Add(3 * time.Minute); ; {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return cmd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("brug serve did not start: %s", errOut.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// A keyed visit is written, and the process is killed (SIGKILL) after the
// commit and before it answers — the worst moment. After a restart the
// retry with the same key answers the visit, replayed, and the client has
// exactly one new visit. The hook BRUG_TEST_CRASH_AFTER_COMMIT (test-only,
// see internal/httpapi/idempotency.go) makes the child kill itself there.
func TestKeyedWriteSurvivesKill9(t *testing.T) {
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testutil.DatabaseURL(t, engine)
			dir := t.TempDir()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			base := "http://" + addr
			start := func(extra ...string) *exec.Cmd { return startChild(t, dsn, dir, addr, extra...) }
			call := func(method, path, token, key string, body any) (*http.Response, map[string]any, error) {
				raw, _ := json.Marshal(body)
				req, _ := http.NewRequest(method, base+path, bytes.NewReader(raw))
				if body == nil {
					req, _ = http.NewRequest(method, base+path, nil)
				} else {
					req.Header.Set("Content-Type", "application/json")
				}
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				if key != "" {
					req.Header.Set("Idempotency-Key", key)
				}
				r, err := http.DefaultClient.Do(req)
				if err != nil {
					return nil, nil, err
				}
				defer r.Body.Close()
				var m map[string]any
				_ = json.NewDecoder(r.Body).Decode(&m)
				return r, m, nil
			}
			login := func() string {
				r, m, err := call("POST", "/api/v1/auth/login", "", "", map[string]string{"email": "chw.gent1@example.org", "password": demo.Password})
				if err != nil || r.StatusCode != 200 {
					t.Fatalf("login: %v %v", r, err)
				}
				return m["access_token"].(string)
			}
			visits := func(token, client string) []any {
				r, m, err := call("GET", "/api/v1/clients/"+client+"/visits", token, "", nil)
				if err != nil || r.StatusCode != 200 {
					t.Fatalf("visits: %v %v", r, err)
				}
				return m["items"].([]any)
			}

			const key = "visit-kill-9"
			cmd := start("BRUG_TEST_CRASH_AFTER_COMMIT=" + key)
			tok := login()
			r, m, err := call("GET", "/api/v1/clients?limit=1", tok, "", nil)
			if err != nil || r.StatusCode != 200 {
				t.Fatalf("clients: %v %v", r, err)
			}
			client := m["items"].([]any)[0].(map[string]any)["id"].(string)
			before := len(visits(tok, client))
			visit := map[string]any{"mode": "home", "duration_minutes": 25, "note": "Na de crash"}
			if r, _, err := call("POST", "/api/v1/clients/"+client+"/visits", tok, key, visit); err == nil {
				t.Fatalf("the write was answered (%d) instead of the process dying", r.StatusCode)
			}
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child did not die of SIGKILL: %v", err)
			}

			start()
			tok = login()
			r, got, err := call("POST", "/api/v1/clients/"+client+"/visits", tok, key, visit)
			if err != nil || r.StatusCode != 201 || r.Header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("retry after the crash: %v %v %v", r, got, err)
			}
			after := visits(tok, client)
			if len(after) != before+1 {
				t.Fatalf("%d new visits after the crash and the retry, want 1", len(after)-before)
			}
			n := 0
			for _, v := range after {
				if v.(map[string]any)["id"] == got["id"] {
					n++
				}
			}
			if n != 1 {
				t.Errorf("the replayed visit %v is listed %d times", got["id"], n)
			}
		})
	}
}

// Read events are batched (BRUG_AUDIT_READ_BATCH, BRUG_AUDIT_READ_EVERY);
// change events are written before the request answers. With batches of 10
// and a window of a minute, 25 reads of a client and 3 visits written
// between them, then kill -9: every change event is there, the reads of
// the two full batches are there, and only the 5 reads still waiting in the
// window are lost; the chain verifies. Then a graceful stop (SIGTERM)
// writes the reads still waiting.
func TestAuditReadBatchesOnKill9(t *testing.T) {
	for _, engine := range testutil.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := testutil.DatabaseURL(t, engine)
			dir := t.TempDir()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			base := "http://" + addr
			start := func() *exec.Cmd {
				return startChild(t, dsn, dir, addr, "BRUG_AUDIT_READ_BATCH=10", "BRUG_AUDIT_READ_EVERY=1m")
			}
			call := func(method, path, token string, body any) map[string]any {
				var rd *bytes.Reader
				if body != nil {
					raw, _ := json.Marshal(body)
					rd = bytes.NewReader(raw)
				}
				req, _ := http.NewRequest(method, base+path, nil)
				if rd != nil {
					req, _ = http.NewRequest(method, base+path, rd)
					req.Header.Set("Content-Type", "application/json")
				}
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				r, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", method, path, err)
				}
				defer r.Body.Close()
				if r.StatusCode >= 300 {
					t.Fatalf("%s %s: %d", method, path, r.StatusCode)
				}
				var m map[string]any
				_ = json.NewDecoder(r.Body).Decode(&m)
				return m
			}
			cmd := start()
			d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			count := func(action, client string) int64 {
				var n int64
				if err := d.Gorm.Model(&model.AuditEvent{}).Where("action = ? AND client_id = ?", action, client).Count(&n).Error; err != nil {
					t.Fatal(err)
				}
				return n
			}
			tok := call("POST", "/api/v1/auth/login", "", map[string]string{"email": "chw.gent1@example.org", "password": demo.Password})["access_token"].(string)
			client := call("GET", "/api/v1/clients?limit=1", tok, nil)["items"].([]any)[0].(map[string]any)["id"].(string)
			readsBefore, changesBefore := count("client.read", client), count("visit.create", client)
			for i := range 25 {
				call("GET", "/api/v1/clients/"+client, tok, nil)
				if i%10 == 4 {
					call("POST", "/api/v1/clients/"+client+"/visits", tok, map[string]any{"mode": "home", "duration_minutes": 10})
					// Answered: its audit event is already committed.
					if got := count("visit.create", client) - changesBefore; got != int64(i/10+1) {
						t.Fatalf("%d visit.create events after %d answered writes", got, i/10+1)
					}
				}
			}
			// Two batches of 10 are written by the writer goroutine.
			for range 1000 {
				if count("client.read", client)-readsBefore >= 20 {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if got := count("visit.create", client) - changesBefore; got != 3 {
				t.Fatalf("%d of 3 change events after kill -9", got)
			}
			if got := count("client.read", client) - readsBefore; got != 20 {
				t.Fatalf("%d of 25 reads after kill -9, want the 20 of the two full batches (5 lost in the window)", got)
			}
			st := store.New(d.Gorm, nil)
			if res, err := st.VerifyAudit(context.Background(), "", ""); err != nil || res.Break != nil {
				t.Fatalf("verify after kill -9: %v %v", err, res.Break)
			}

			// A graceful stop writes what waits.
			cmd = start()
			tok = call("POST", "/api/v1/auth/login", "", map[string]string{"email": "chw.gent1@example.org", "password": demo.Password})["access_token"].(string)
			readsBefore = count("client.read", client)
			for range 5 {
				call("GET", "/api/v1/clients/"+client, tok, nil)
			}
			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("graceful stop: %v", err)
			}
			if got := count("client.read", client) - readsBefore; got != 5 {
				t.Fatalf("%d of 5 waiting reads written on shutdown", got)
			}
			if res, err := st.VerifyAudit(context.Background(), "", ""); err != nil || res.Break != nil {
				t.Fatalf("verify after shutdown: %v %v", err, res.Break)
			}
		})
	}
}
