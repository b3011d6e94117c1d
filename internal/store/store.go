// Package store owns every query. One file per domain; every method that
// reads domain rows takes the caller's Scope so that rows outside it are
// never returned. Stores speak GORM and sentinel errors, never HTTP.
package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/textpolicy"
)

// Sentinel errors returned by stores; services map them to apperr kinds.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrConflict  = errors.New("store: conflict")
	ErrBadCursor = errors.New("store: bad cursor")
)

// Store is the data access layer.
type Store struct {
	db *gorm.DB
	// read, when set, is the pool the hot reads use outside a transaction
	// (SQLite's read-only connections beside its one writer).
	read  *gorm.DB
	now   func() time.Time
	cache *refCache
	// auditShards is how many hash chains each day of audit events is
	// spread over (see RecordAudit).
	auditShards int
	// bound: db is a transaction of this store's own (Tx), which calls
	// made with a request's transaction in their context must not leave.
	bound bool
	// hooks hear of committed changes to what AuthState reads; pending
	// holds a transaction's changes until it ends (see authChanged).
	hooks   *authHooks
	pending *authPending
}

// refCache keeps what reports derive from reference data, which does not
// change while the process runs.
type refCache struct {
	mu     sync.Mutex
	places map[string]teamPlace
	snaps  snapshotStats
	// snapsOff turns report snapshots off.
	snapsOff atomic.Bool
}

// New wraps an open database; now is the clock (tests inject one).
func New(db *gorm.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	// Rows stamped by GORM (created_at, updated_at) take the same clock,
	// so a report's period and a test's clock agree.
	db = db.Session(&gorm.Session{NowFunc: func() time.Time { return now().UTC().Truncate(time.Microsecond) }})
	shards := 1
	if db.Dialector.Name() == "postgres" {
		// Concurrent writers on PostgreSQL would queue behind one head
		// row's lock held through each commit: spread them.
		shards = DefaultAuditShards
	}
	registerSavepoints(db)
	return &Store{db: db, now: now, cache: &refCache{}, auditShards: shards, hooks: &authHooks{}}
}

// SetReader routes the hot reads (the caseload list, a client, the report
// statements on SQLite) to another pool when they run outside a
// transaction; inside one (a Tx, a request's RunIdempotent transaction)
// they stay on it and see its own writes. A read after a commit sees it:
// SQLite's WAL shows a reader every committed transaction.
func (s *Store) SetReader(g *gorm.DB) {
	if g != nil && g != s.db {
		s.read = g
	}
}

// qr is q for a read that may go to the read pool.
func (s *Store) qr(ctx context.Context) *gorm.DB {
	if s.read == nil || s.bound || ctx.Value(requestTxKey{}) != nil {
		return s.q(ctx)
	}
	return s.read.WithContext(ctx)
}

// DefaultAuditShards is the number of audit chains per day on PostgreSQL.
const DefaultAuditShards = 8

// SetAuditShards sets how many chains a day of audit events is spread over
// (1: one chain per day, named by the day alone).
func (s *Store) SetAuditShards(n int) {
	if n < 1 {
		n = 1
	}
	s.auditShards = n
}

// Now returns the store clock in UTC, truncated to what both engines keep.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// NewID returns a fresh UUIDv7.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Tx runs fn in one transaction on a store bound to it. Inside a request
// run by RunIdempotent it is a savepoint of the request's transaction.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	db := s.db
	if g, ok := ctx.Value(requestTxKey{}).(*gorm.DB); ok && !s.bound {
		db = g
	}
	// Changes are told once the outermost transaction has ended: the
	// request's, this store's own, or this one.
	pending, own := s.pending, false
	if pending == nil {
		if p, ok := ctx.Value(authPendingKey{}).(*authPending); ok {
			pending = p
		} else {
			pending, own = &authPending{}, true
		}
	}
	err := db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(&Store{db: g, now: s.now, cache: s.cache, auditShards: s.auditShards, bound: true, hooks: s.hooks, pending: pending})
	})
	if own {
		s.tellAuth(pending.take())
	}
	return err
}

// q is the handle every query starts from: the request's transaction when
// ctx carries one (RunIdempotent), else the store's database.
func (s *Store) q(ctx context.Context) *gorm.DB {
	if g, ok := ctx.Value(requestTxKey{}).(*gorm.DB); ok && !s.bound {
		return g.WithContext(context.WithValue(ctx, stmtSavepointKey{}, true))
	}
	return s.db.WithContext(ctx)
}

// mapErr turns driver errors into sentinels, keeping the cause for logs.
func mapErr(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	case errors.Is(err, gorm.ErrDuplicatedKey), isUniqueViolation(err):
		return fmt.Errorf("%s: %w", what, ErrConflict)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// Page is a keyset-paginated result.
type Page[T any] struct {
	Items      []T
	NextCursor string
}

// cursor is the opaque position after the last row of a page.
type cursor struct {
	K  string `json:"k"`
	ID string `json:"id"`
}

func encodeCursor(k, id string) string {
	b, _ := json.Marshal(cursor{K: k, ID: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID == "" {
		return c, ErrBadCursor
	}
	// A forged cursor must not carry a NUL (PostgreSQL refuses it with an
	// error) or other text no row can hold.
	if !textpolicy.Check(c.K, textpolicy.Line).OK() || !textpolicy.Check(c.ID, textpolicy.Line).OK() {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}

// likePattern escapes a user's search text for a LIKE with ESCAPE '\'.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(q)) + "%"
}
