package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Two `brug serve` replicas on one PostgreSQL database share the sign-in
// and contact-form limits: an attacker who alternates between them gets the
// allowance of one, not of two. (SQLite runs one process; its buckets are
// the limit, tested in internal/auth and internal/httpapi.)
func TestReplicasShareTheLimits(t *testing.T) {
	for _, engine := range testutil.Engines() {
		if engine != "postgres" {
			continue
		}
		t.Run(engine, func(t *testing.T) {
			dsn := testutil.DatabaseURL(t, engine)
			start := func(demoData bool) string {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				addr := ln.Addr().String()
				ln.Close()
				dir := t.TempDir()
				cfg, err := config.FromMap(map[string]string{
					"BRUG_DATABASE_URL": dsn, "BRUG_DATA_DIR": dir, "BRUG_ADDR": addr, "BRUG_DEMO": fmt.Sprint(demoData),
					"BRUG_LOG_LEVEL": "error", "BRUG_JWT_SECRET": fmt.Sprintf("%064d", 7), "BRUG_TRUSTED_PROXIES": "127.0.0.1/32",
				})
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				ready, done := make(chan string, 1), make(chan error, 1)
				go func() { done <- app.Serve(ctx, cfg, &bytes.Buffer{}, &bytes.Buffer{}, ready) }()
				t.Cleanup(func() { cancel(); <-done })
				select {
				case a := <-ready:
					return "http://" + a
				case err := <-done:
					t.Fatalf("serve: %v", err)
				case <-time.After(3 * time.Minute):
					t.Fatal("serve did not start")
				}
				return ""
			}
			a := start(true)
			b := start(false)
			post := func(base, path, ip string, body any) int {
				raw, _ := json.Marshal(body)
				req, _ := http.NewRequest("POST", base+path, bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", ip)
				r, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				r.Body.Close()
				return r.StatusCode
			}
			// Wrong passwords for one account from rotating addresses, to
			// both replicas in turn: each replica alone would admit 10.
			wrong := 0
			for i := range 40 {
				base := a
				if i%2 == 1 {
					base = b
				}
				switch st := post(base, "/api/v1/auth/login", fmt.Sprintf("203.0.113.%d", i+1),
					map[string]any{"email": "coordinator.gent@example.org", "password": "guess-" + fmt.Sprint(i)}); st {
				case 401:
					wrong++
				case 429:
				default:
					t.Fatalf("attempt %d: %d", i, st)
				}
			}
			if wrong > 11 {
				t.Fatalf("two replicas admitted %d wrong passwords for one account; one allowance is 10", wrong)
			}
			if wrong < 10 {
				t.Fatalf("only %d wrong passwords were checked: the limit is too tight", wrong)
			}
			// The contact form: one address, both replicas in turn.
			accepted := 0
			for i := range 16 {
				base := a
				if i%2 == 1 {
					base = b
				}
				body := map[string]any{"kind": "want_chw", "name": "Fatima El Amrani", "phone": "0470 12 34 56", "municipality": "Gent",
					"language": "nl", "message": "Ik zoek een huisarts.", "consent": true, "consent_version": service.ConsentVersion}
				switch st := post(base, "/api/v1/public/contact", "198.51.100.77", body); st {
				case 202:
					accepted++
				case 429:
				default:
					t.Fatalf("contact %d: %d", i, st)
				}
			}
			if accepted != 10 {
				t.Fatalf("two replicas accepted %d messages from one address in an hour; the allowance is 10", accepted)
			}
		})
	}
}
