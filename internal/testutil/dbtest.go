// Package testutil gives tests a fresh database on every engine (SQLite
// always; PostgreSQL too when TEST_DATABASE_URL is set), a running API on
// it, and a scenario runner that sends requests through the real router.
package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/db"
)

// Engines lists the engines to test on. When CI sets TEST_DATABASE_URL,
// PostgreSQL is required, not optional.
func Engines() []string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return []string{db.SQLite, db.Postgres}
	}
	return []string{db.SQLite}
}

// ForEachEngine runs fn as a subtest per engine.
func ForEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) { fn(t, e) })
	}
}

// DatabaseURL creates an empty database of the engine for this test and
// drops it when the test ends.
func DatabaseURL(t testing.TB, engine string) string {
	t.Helper()
	if engine == db.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "brug.db")
	}
	return createDatabase(t, "")
}

// createDatabase creates a PostgreSQL database for this test (with the
// clause given: a TEMPLATE) and drops it when the test ends.
func createDatabase(t testing.TB, clause string) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open TEST_DATABASE_URL: %v", err)
	}
	name := "brug_test_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:20]
	if _, err := admin.Exec("CREATE DATABASE " + name + " " + clause); err != nil {
		_ = admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// OpenDB opens and migrates a fresh database of the engine. The database
// starts as a copy of a migrated template (migratedCopy, template.go):
// running every migration for each of the suite's hundreds of databases was
// most of its time on PostgreSQL. Migrate still runs on the copy (a check,
// nothing to do).
func OpenDB(t testing.TB, engine string) (*db.DB, string) {
	t.Helper()
	dsn := migratedCopy(t, engine)
	d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 10})
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return d, dsn
}

// MetricsToken is the BRUG_METRICS_TOKEN of test servers; MetricsAuth is
// the header that sends it.
const MetricsToken = "test-metrics-token-0123456789"

// MetricsAuth is the Authorization header /metrics asks for in tests.
var MetricsAuth = map[string]string{"Authorization": "Bearer " + MetricsToken}

// Config returns a development configuration for a test database.
func Config(t testing.TB, dsn string) *config.Config {
	t.Helper()
	cfg, err := config.FromMap(map[string]string{
		"BRUG_DATABASE_URL":  dsn,
		"BRUG_DATA_DIR":      t.TempDir(),
		"BRUG_JWT_SECRET":    fmt.Sprintf("%064d", 42),
		"BRUG_LOG_LEVEL":     "error",
		"BRUG_METRICS_TOKEN": MetricsToken,
		// Tests that fire many requests at once test their own subject,
		// not the shedding (which has its own test).
		"BRUG_MAX_IN_FLIGHT": "10000",
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}
