// Package db owns the database connection: it opens SQLite (pure Go, WAL,
// one writer) or PostgreSQL (pooled) from BRUG_DATABASE_URL and applies the
// goose migrations of the matching engine.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/brug-chw/brug/migrations"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database with its engine. Read and ReadSQL are the pool
// for statements that only read: on SQLite, read-only connections beside
// the one writer (WAL lets them read while it writes); on PostgreSQL, and
// for an in-memory SQLite database, the same pool as Gorm and SQL.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Read    *gorm.DB
	ReadSQL *sql.DB
	Engine  string
}

// Options tune the pool. Zero values take the defaults: 20 open
// connections on PostgreSQL, as many kept when idle (a pool that closes
// half of them after a burst opens them again at the next one, a
// PostgreSQL session each time), replaced after 30 minutes.
type Options struct {
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	// SQLiteReaders is the size of SQLite's read pool (default 4).
	SQLiteReaders int
}

// Open connects to the database named by url ("sqlite:PATH" or "postgres://…").
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	gcfg := &gorm.Config{
		// SQL text can carry personal data; queries are never logged.
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		TranslateError:         true,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	}
	var (
		g, rg  *gorm.DB
		err    error
		engine string
	)
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		engine = SQLite
		path := strings.TrimPrefix(url, "sqlite:")
		if path != ":memory:" && !strings.HasPrefix(path, "file:") {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		g, err = gorm.Open(sqlite.Open(sqliteDSN(path, false)), gcfg)
		if err == nil && path != ":memory:" && !strings.Contains(path, "mode=memory") {
			rg, err = gorm.Open(sqlite.Open(sqliteDSN(path, true)), gcfg)
		}
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		engine = Postgres
		g, err = gorm.Open(postgres.New(postgres.Config{DSN: url}), gcfg)
	default:
		return nil, errors.New("database URL must start with sqlite: or postgres://")
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", engine, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	readDB := sqlDB
	if rg != nil {
		if readDB, err = rg.DB(); err != nil {
			_ = sqlDB.Close()
			return nil, err
		}
	} else {
		rg = g
	}
	if engine == SQLite {
		// SQLite allows one writer at a time; a single connection serialises
		// writers in Go instead of failing with SQLITE_BUSY under load.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetConnMaxLifetime(0)
		if readDB != sqlDB {
			n := opt.SQLiteReaders
			if n <= 0 {
				n = 4
			}
			readDB.SetMaxOpenConns(n)
			readDB.SetMaxIdleConns(n)
			readDB.SetConnMaxLifetime(0)
		}
	} else {
		opt = opt.withDefaults()
		sqlDB.SetMaxOpenConns(opt.MaxOpenConns)
		sqlDB.SetMaxIdleConns(opt.MaxIdleConns)
		sqlDB.SetConnMaxLifetime(opt.ConnMaxLifetime)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		_ = readDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", engine, err)
	}
	if readDB != sqlDB {
		// The writer has made the file and turned WAL on: now the readers.
		if err := readDB.PingContext(pctx); err != nil {
			_ = sqlDB.Close()
			_ = readDB.Close()
			return nil, fmt.Errorf("connect to %s database for reading: %w", engine, err)
		}
	}
	return &DB{Gorm: g, SQL: sqlDB, Read: rg, ReadSQL: readDB, Engine: engine}, nil
}

func (o Options) withDefaults() Options {
	if o.MaxOpenConns <= 0 {
		o.MaxOpenConns = 20
	}
	if o.MaxIdleConns <= 0 || o.MaxIdleConns > o.MaxOpenConns {
		o.MaxIdleConns = o.MaxOpenConns
	}
	if o.ConnMaxLifetime <= 0 {
		o.ConnMaxLifetime = 30 * time.Minute
	}
	return o
}

// sqliteDSN is the writer's connection string, or a reader's: a reader
// refuses to write (query_only) and starts its transactions deferred, so a
// read never takes the write lock.
func sqliteDSN(path string, reader bool) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	if reader {
		return path + sep + strings.Join([]string{
			"_pragma=busy_timeout(10000)",
			"_pragma=foreign_keys(1)",
			"_pragma=query_only(1)",
		}, "&")
	}
	return path + sep + strings.Join([]string{
		"_pragma=journal_mode(WAL)",
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}, "&")
}

// Close closes the pools.
func (d *DB) Close() error {
	err := d.SQL.Close()
	if d.ReadSQL != d.SQL {
		if rerr := d.ReadSQL.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Ping checks the database answers within a short time.
func (d *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return d.SQL.PingContext(ctx)
}

// Migrate applies every pending migration of the engine's folder.
func (d *DB) Migrate(ctx context.Context) error {
	p, err := d.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Version returns the current migration version.
func (d *DB) Version(ctx context.Context) (int64, error) {
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// Schema returns the database's migration version and the one this binary
// brings, without waiting on a migration under way (no lock is taken).
func (d *DB) Schema(ctx context.Context) (current, target int64, err error) {
	p, err := d.provider()
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

func (d *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations.FS, d.Engine)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if d.Engine == Postgres {
		dialect = goose.DialectPostgres
		// Two processes starting together must not both migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, d.SQL, sub, opts...)
}
