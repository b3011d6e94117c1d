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

// DB is an open database with its engine.
type DB struct {
	Gorm   *gorm.DB
	SQL    *sql.DB
	Engine string
}

// Options tune the pool.
type Options struct {
	MaxOpenConns int
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
		g      *gorm.DB
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
		g, err = gorm.Open(sqlite.Open(sqliteDSN(path)), gcfg)
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
	if engine == SQLite {
		// SQLite allows one writer at a time; a single connection serialises
		// writers in Go instead of failing with SQLITE_BUSY under load.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetConnMaxLifetime(0)
	} else {
		n := opt.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n / 2)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", engine, err)
	}
	return &DB{Gorm: g, SQL: sqlDB, Engine: engine}, nil
}

func sqliteDSN(path string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + strings.Join([]string{
		"_pragma=journal_mode(WAL)",
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}, "&")
}

// Close closes the pool.
func (d *DB) Close() error { return d.SQL.Close() }

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
