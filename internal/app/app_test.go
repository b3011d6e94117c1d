package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := app.Main(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func setEnv(t *testing.T, dsn string) {
	t.Setenv("BRUG_DATABASE_URL", dsn)
	t.Setenv("BRUG_DATA_DIR", t.TempDir())
	t.Setenv("BRUG_LOG_LEVEL", "error")
}

func countUsers(t *testing.T, dsn string) int64 {
	d, err := db.Open(context.Background(), dsn, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int64
	d.Gorm.Model(&model.User{}).Count(&n)
	return n
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		dsn := testutil.DatabaseURL(t, engine)
		setEnv(t, dsn)
		code, out, errOut := run(t, "", "seed", "--demo")
		if code != 0 || !strings.Contains(out, "7 account(s) created") || !strings.Contains(out, "2000 client(s)") ||
			!strings.Contains(out, "6 contact request(s) created") {
			t.Fatalf("first seed: %d %s %s", code, out, errOut)
		}
		users := countUsers(t, dsn)
		code, out, _ = run(t, "", "seed", "--demo")
		if code != 0 || !strings.Contains(out, "0 account(s) created, 7 already present; 0 client(s), 0 contact request(s) created") {
			t.Fatalf("second seed: %d %s", code, out)
		}
		// The demo accounts plus a coordinator and CHWs in each of the 10 teams.
		if n := countUsers(t, dsn); n != users || n < 7+10*5 {
			t.Fatalf("%d users after two seeds, %d after one", n, users)
		}
		if code, out, _ := run(t, "", "migrate"); code != 0 || !strings.Contains(out, "migration version") {
			t.Fatalf("migrate: %d %s", code, out)
		}
	})
}

// The first admin of a fresh database is created from the command line, by
// no account: the audit event is written (actor "system") on both engines.
func TestUserCreateIsAudited(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		dsn := testutil.DatabaseURL(t, engine)
		setEnv(t, dsn)
		code, out, errOut := run(t, "a-very-long-password\n", "user", "create", "--email", "first@example.org", "--name", "First", "--role", "admin", "--password-stdin")
		if code != 0 || !strings.Contains(out, "created first@example.org (admin)") || strings.Contains(errOut, "audit write failed") {
			t.Fatalf("create: %d %q %q", code, out, errOut)
		}
		d, err := db.Open(context.Background(), dsn, db.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var events []model.AuditEvent
		if err := d.Gorm.Where("action = ?", "user.create").Find(&events).Error; err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || events[0].ActorID != nil || events[0].ActorRole != "system" || events[0].Detail != "role=admin" {
			t.Fatalf("audit of user create: %+v", events)
		}
	})
}

func TestUserCreate(t *testing.T) {
	dsn := testutil.DatabaseURL(t, "sqlite")
	setEnv(t, dsn)
	code, out, errOut := run(t, "a-very-long-password\n", "user", "create", "--email", "Ops@Example.org", "--name", "Ops", "--role", "coordinator", "--team", "gent,liege", "--password-stdin")
	if code != 0 || !strings.Contains(out, "created ops@example.org (coordinator)") {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	code, _, errOut = run(t, "a-very-long-password\n", "user", "create", "--email", "ops@example.org", "--name", "Ops", "--role", "coordinator", "--team", "gent", "--password-stdin")
	if code != 2 || !strings.Contains(errOut, "exists") {
		t.Fatalf("duplicate: %d %q", code, errOut)
	}
	code, _, errOut = run(t, "", "user", "create", "--email", "x@example.org", "--name", "X", "--role", "chw")
	if code != 2 || !strings.Contains(errOut, "--team") {
		t.Fatalf("chw without team: %d %q", code, errOut)
	}
	code, out, _ = run(t, "", "user", "create", "--email", "m@example.org", "--name", "M", "--role", "manager", "--fund", "cm")
	if code != 0 || !strings.Contains(out, "generated password (shown once): ") {
		t.Fatalf("generated password: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "user", "create", "--email", "y@example.org", "--name", "Y", "--role", "chw", "--team", "atlantis"); code != 2 || !strings.Contains(errOut, "atlantis") {
		t.Fatalf("unknown team: %d %q", code, errOut)
	}
}

func TestConfigErrorsStopStartup(t *testing.T) {
	t.Setenv("BRUG_ENV", "production")
	t.Setenv("BRUG_JWT_SECRET", "")
	t.Setenv("BRUG_DEMO", "true")
	code, _, errOut := run(t, "", "serve")
	if code != 2 || !strings.Contains(errOut, "BRUG_JWT_SECRET") || !strings.Contains(errOut, "BRUG_DEMO") {
		t.Fatalf("production without secret: %d %q", code, errOut)
	}
	if code, _, _ := run(t, "", "frobnicate"); code != 2 {
		t.Fatalf("unknown command: %d", code)
	}
}

func TestServeStartsAndShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := free.Addr().String()
	free.Close()
	cfg, err := config.FromMap(map[string]string{
		"BRUG_DATABASE_URL": "sqlite:" + filepath.Join(dir, "b.db"), "BRUG_DATA_DIR": dir,
		"BRUG_ADDR": "127.0.0.1:0", "BRUG_DEMO": "true", "BRUG_LOG_LEVEL": "error",
		"BRUG_METRICS_ADDR": metricsAddr,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- app.Serve(ctx, cfg, &out, &bytes.Buffer{}, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	case <-time.After(3 * time.Minute): // seeding the demo year on a busy machine
		t.Fatal("serve did not start")
	}
	r, err := http.Get(fmt.Sprintf("http://%s/readyz", addr))
	if err != nil || r.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", r, err)
	}
	r.Body.Close()
	// The metrics have their own listener; the public one has none.
	if r, err := http.Get(fmt.Sprintf("http://%s/metrics", addr)); err != nil || r.StatusCode != 404 {
		t.Fatalf("main listener's /metrics: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	mr, err := http.Get(fmt.Sprintf("http://%s/metrics", metricsAddr))
	if err != nil || mr.StatusCode != 200 {
		t.Fatalf("metrics listener: %v %v", mr, err)
	}
	body, _ := io.ReadAll(mr.Body)
	mr.Body.Close()
	if !strings.Contains(string(body), "brug_http_requests_total") {
		t.Fatalf("metrics listener serves no brug metrics: %.300s", body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no graceful shutdown")
	}
	if !strings.Contains(out.String(), "demo-brug-2026") {
		t.Fatalf("start banner lacks the demo login: %s", out.String())
	}
}

func TestAccessRegisterCommand(t *testing.T) {
	testutil.ForEachEngine(t, testAccessRegisterCommand)
}

func testAccessRegisterCommand(t *testing.T, engine string) {
	dsn := testutil.DatabaseURL(t, engine)
	setEnv(t, dsn)
	if code, _, errOut := run(t, "a-very-long-password\n", "user", "create", "--email", "reg@example.org", "--name", "Rita Register", "--role", "coordinator", "--team", "gent", "--password-stdin"); code != 0 {
		t.Fatalf("create: %d %s", code, errOut)
	}
	code, out, errOut := run(t, "", "access-register")
	if code != 0 {
		t.Fatalf("access-register: %d %s", code, errOut)
	}
	for _, want := range []string{
		"30 July 2018",
		"chw — fieldworker: own caseload only (READS CLIENT RECORDS)",
		"admin — system administrator",
		"clients:read_team",
		"clients:emergency_access",
		"Gent (1)",
		"coordinator  Rita Register <reg@example.org>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("register lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "admin — system administrator: accounts, teams, reference data, audit log; never client records (READS") {
		t.Errorf("admins must not read client records:\n%s", out)
	}
}
