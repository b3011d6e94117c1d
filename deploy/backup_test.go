package deploy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/testutil"
)

// The backup and restore drill of deploy/RUNBOOK.md, on both engines: a
// running Brug is backed up online (pg_dump on PostgreSQL, VACUUM INTO on
// SQLite), the backup is restored into a fresh database, `brug audit verify`
// passes on it, and `brug serve` starts on it and shows the last write made
// before the backup.
func TestBackupAndRestoreDrill(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		if engine == db.Postgres {
			for _, tool := range []string{"pg_dump", "pg_restore"} {
				if _, err := exec.LookPath(tool); err != nil {
					t.Fatalf("%s is needed for the PostgreSQL drill (apt-get install postgresql-client): %v", tool, err)
				}
			}
		}
		dsn := testutil.DatabaseURL(t, engine)
		vars := map[string]string{"BRUG_DATABASE_URL": dsn, "BRUG_JWT_SECRET": fmt.Sprintf("%064d", 7)}
		if out, code := brugStdin(t, vars, drillPassword+"\n",
			"user", "create", "--email", "drill@example.org", "--name", "Lotte Peeters", "--role", "chw", "--team", "gent", "--password-stdin"); code != 0 {
			t.Fatalf("brug user create: exit %d: %s", code, out)
		}
		live := serve(t, vars)
		c := client{http: testClient}
		tok := c.loginWith(t, live.base, "drill@example.org", drillPassword)
		made, err := c.do("POST", live.base+"/api/v1/clients", tok, "", map[string]any{"given_name": "Amina", "family_name": "Diallo", "birth_year": 1984})
		if err != nil || made.status != 201 {
			t.Fatalf("client: %d %v %v", made.status, made.body, err)
		}
		clientID := made.body["id"].(string)
		visit, err := c.do("POST", live.base+"/api/v1/clients/"+clientID+"/visits", tok, "before-backup",
			map[string]any{"mode": "office", "duration_minutes": 30, "note": "Vlak voor de back-up"})
		if err != nil || visit.status != 201 {
			t.Fatalf("visit: %d %v %v", visit.status, visit.body, err)
		}

		// The backup, taken while the server runs.
		dir := t.TempDir()
		restored := testutil.DatabaseURL(t, engine)
		switch engine {
		case db.Postgres:
			dump := filepath.Join(dir, "brug.dump")
			if out, err := exec.Command("pg_dump", "--format=custom", "--no-owner", "--file="+dump, dsn).CombinedOutput(); err != nil {
				t.Fatalf("pg_dump: %v: %s", err, out)
			}
			if out, err := exec.Command("pg_restore", "--no-owner", "--exit-on-error", "--dbname="+restored, dump).CombinedOutput(); err != nil {
				t.Fatalf("pg_restore: %v: %s", err, out)
			}
		case db.SQLite:
			d, err := db.Open(context.Background(), dsn, db.Options{})
			if err != nil {
				t.Fatal(err)
			}
			path := strings.TrimPrefix(restored, "sqlite:")
			if _, err := d.SQL.Exec("VACUUM INTO ?", path); err != nil {
				t.Fatalf("VACUUM INTO: %v", err)
			}
			_ = d.Close()
		}
		live.kill()

		// The restored copy: the audit chain holds, and Brug serves it.
		rvars := map[string]string{"BRUG_DATABASE_URL": restored, "BRUG_JWT_SECRET": vars["BRUG_JWT_SECRET"]}
		out, code := brug(t, rvars, "audit", "verify")
		if code != 0 {
			t.Fatalf("brug audit verify on the restored copy: exit %d: %s", code, out)
		}
		m := regexp.MustCompile(`audit chain intact: (\d+) event`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("audit verify said: %s", out)
		}
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			t.Fatalf("the restored copy has no audit events: %s", out)
		}
		copyOf := serve(t, rvars)
		tok = c.loginWith(t, copyOf.base, "drill@example.org", drillPassword)
		got, err := c.do("GET", copyOf.base+"/api/v1/clients/"+url.PathEscape(clientID)+"/visits", tok, "", nil)
		if err != nil || got.status != 200 {
			t.Fatalf("visits on the restored copy: %d %v", got.status, err)
		}
		found := false
		for _, v := range got.body["items"].([]any) {
			v := v.(map[string]any)
			found = found || (v["id"] == visit.body["id"] && v["note"] == "Vlak voor de back-up")
		}
		if !found {
			t.Fatalf("the visit written before the backup is not on the restored copy")
		}
		t.Logf("backup drill (%s): %s", engine, strings.TrimSpace(out))
	})
}

const drillPassword = "staple horse battery at the Korenmarkt 2026"

var testClient = newHTTPClient()

func newHTTPClient() *http.Client { return &http.Client{Timeout: 30 * time.Second} }
