package testutil

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/migrations"
)

// A migrated template per engine and set of migrations: a test database is
// a copy of it (a file copy on SQLite, CREATE DATABASE … TEMPLATE on
// PostgreSQL) instead of 34 migrations run again. The template is named by
// the hash of the engine's migration files, so a changed or added
// migration makes a new one; it is a cache kept between runs (one small
// database or file), and older ones are dropped when a new one is made.
// Every test still gets its own database and drops it.

var templates = struct {
	sync.Mutex
	made map[string]string // engine -> template (PostgreSQL name or SQLite path)
}{made: map[string]string{}}

// migrationsHash is the hash of the engine's migration files, in order.
func migrationsHash(engine string) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, engine, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		f, err := migrations.FS.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, _ = io.WriteString(h, path+"\n")
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// migrate opens a database, migrates it and closes it.
func migrate(dsn string) error {
	d, err := db.Open(context.Background(), dsn, db.Options{MaxOpenConns: 1})
	if err != nil {
		return err
	}
	if err := d.Migrate(context.Background()); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}

// migratedCopy gives the test its own migrated database, dropped when the
// test ends.
func migratedCopy(t testing.TB, engine string) string {
	t.Helper()
	tpl, err := template(engine)
	if err != nil {
		t.Fatalf("migrated template (%s): %v", engine, err)
	}
	if engine == db.SQLite {
		path := filepath.Join(t.TempDir(), "brug.db")
		if err := copyFile(tpl, path); err != nil {
			t.Fatalf("copy the migrated template: %v", err)
		}
		return "sqlite:" + path
	}
	return createDatabase(t, "TEMPLATE "+tpl)
}

func template(engine string) (string, error) {
	templates.Lock()
	defer templates.Unlock()
	if tpl, ok := templates.made[engine]; ok {
		return tpl, nil
	}
	hash, err := migrationsHash(engine)
	if err != nil {
		return "", err
	}
	var tpl string
	if engine == db.SQLite {
		tpl, err = sqliteTemplate(hash)
	} else {
		tpl, err = pgTemplate(hash)
	}
	if err != nil {
		return "", err
	}
	templates.made[engine] = tpl
	return tpl, nil
}

// sqliteTemplate is a migrated database file in the system's temporary
// folder, made once (by whichever test process gets there first; a
// rename makes it appear whole).
func sqliteTemplate(hash string) (string, error) {
	dir := filepath.Join(os.TempDir(), "brug-test-templates")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "sqlite-"+hash+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp, err := os.MkdirTemp(dir, "making-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	made := filepath.Join(tmp, "brug.db")
	if err := migrate("sqlite:" + made); err != nil {
		return "", err
	}
	for _, side := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(made + side); err == nil {
			return "", errors.New("the template was not checkpointed: " + made + side)
		}
	}
	if err := os.Rename(made, path); err != nil {
		return "", err
	}
	// Older templates (other migrations) go.
	old, _ := filepath.Glob(filepath.Join(dir, "sqlite-*.db"))
	for _, o := range old {
		if o != path {
			_ = os.Remove(o)
		}
	}
	return path, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// pgTemplate is a migrated database on the test server, brug_tpl_<hash>.
// It is made under another name and renamed when complete, so a test
// process never copies a half-migrated one; two processes racing to make
// it both succeed (the loser drops its own).
func pgTemplate(hash string) (string, error) {
	name := "brug_tpl_" + hash
	admin, err := sql.Open("pgx", os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return name, nil
	}
	making := "brug_tplmaking_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:16]
	if _, err := admin.Exec("CREATE DATABASE " + making); err != nil {
		return "", err
	}
	dropMaking := func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + making + " WITH (FORCE)") }
	u, err := url.Parse(os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		dropMaking()
		return "", err
	}
	u.Path = "/" + making
	if err := migrate(u.String()); err != nil {
		dropMaking()
		return "", err
	}
	// The migration's sessions may take a moment to leave.
	for try := 0; ; try++ {
		_, err = admin.Exec("ALTER DATABASE " + making + " RENAME TO " + name)
		var pgErr *pgconn.PgError
		switch {
		case err == nil:
		case errors.As(err, &pgErr) && pgErr.Code == "42P04": // another process made it first
			dropMaking()
			return name, nil
		case errors.As(err, &pgErr) && pgErr.Code == "55006" && try < 50: // still in use
			time.Sleep(100 * time.Millisecond)
			continue
		default:
			dropMaking()
			return "", err
		}
		break
	}
	// Templates of other migrations go (unless another run is copying one).
	rows, err := admin.Query("SELECT datname FROM pg_database WHERE datname LIKE 'brug\\_tpl\\_%' AND datname <> $1", name)
	if err == nil {
		var old []string
		for rows.Next() {
			var o string
			if rows.Scan(&o) == nil {
				old = append(old, o)
			}
		}
		rows.Close()
		for _, o := range old {
			_, _ = admin.Exec("DROP DATABASE IF EXISTS " + o)
		}
	}
	return name, nil
}
