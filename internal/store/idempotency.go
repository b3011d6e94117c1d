package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/brug-chw/brug/internal/model"
)

// IdempotencyTTL is how long a stored outcome answers a repeated key.
const IdempotencyTTL = 24 * time.Hour

// IdempotencyGrace is how long a row stays after its TTL: a late retry of
// the same request is told its key expired (422) instead of being done a
// second time. Housekeeping deletes rows older than TTL+grace.
const IdempotencyGrace = 24 * time.Hour

// IdempotencyLockWait is how long, on PostgreSQL, a request waits for
// another still running with the same key before it answers 409 (SQLite
// runs one writer at a time: the second request waits for the first).
var IdempotencyLockWait = 10 * time.Second

// ErrIdempotencyBusy: another request with the same key is still running.
var ErrIdempotencyBusy = errors.New("store: idempotency key in use")

// IdempotencyOutcome is what the request run under a key produced.
type IdempotencyOutcome struct {
	// Commit keeps the request's writes; false rolls them back (our own
	// failure: a retry must be able to do the work).
	Commit bool
	// Keep stores the answer with the key; false frees the key (a
	// transient refusal such as 429) while keeping the writes.
	Keep        bool
	Status      int
	ContentType string
	Body        []byte
}

// requestTxKey holds the transaction a request runs in (RunIdempotent).
type requestTxKey struct{}

// stmtSavepointKey marks statements run on a request's transaction outside
// any Store.Tx: on PostgreSQL each gets a savepoint, so a statement that
// fails as expected (a unique violation mapped to 409) does not abort the
// request's transaction.
type stmtSavepointKey struct{}

// RunIdempotent runs fn, the whole request, in ONE database transaction
// that also holds the key's row, and commits them together:
//
//   - the row (caller, key) is inserted first with ON CONFLICT DO NOTHING;
//     a second request with the same key waits on that row (PostgreSQL's
//     unique index, or SQLite's single writer) until the first commits or
//     rolls back, then finds the stored outcome; so the work is done once;
//   - every store call made with the context fn gets joins the transaction
//     (Store.Tx becomes a savepoint), so the work and its stored answer
//     commit atomically: a crash (kill -9) after the commit leaves the key
//     with the answer to replay, a crash before it leaves nothing at all;
//   - the caller sends the answer only after this returns, so a request
//     whose commit failed is never answered as done.
//
// It returns the row found when the key was already used (nothing was run),
// or nil when fn ran. ErrIdempotencyBusy: the first request still holds the
// key after IdempotencyLockWait (PostgreSQL).
func (s *Store) RunIdempotent(ctx context.Context, caller, key, hash string, fn func(ctx context.Context) IdempotencyOutcome) (*model.IdempotencyKey, error) {
	now := s.Now()
	var prev *model.IdempotencyKey
	errDone := errors.New("nothing to commit")
	pending := &authPending{}
	defer func() { s.tellAuth(pending.take()) }()
	ctx = context.WithValue(ctx, authPendingKey{}, pending)
	err := s.db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		if s.isPG() {
			if err := g.Exec(fmt.Sprintf("SET LOCAL lock_timeout = '%dms'", IdempotencyLockWait.Milliseconds())).Error; err != nil {
				return err
			}
		}
		res := g.Exec(`INSERT INTO idempotency_keys (caller, key, request_hash, state, created_at, expires_at)
			VALUES (?, ?, ?, 'in_progress', ?, ?) ON CONFLICT (caller, key) DO NOTHING`,
			caller, key, hash, now, now.Add(IdempotencyTTL))
		if res.Error != nil {
			if strings.Contains(res.Error.Error(), "55P03") || strings.Contains(res.Error.Error(), "lock timeout") {
				return ErrIdempotencyBusy
			}
			return res.Error
		}
		if res.RowsAffected == 0 {
			var got model.IdempotencyKey
			if err := g.Where("caller = ? AND key = ?", caller, key).Take(&got).Error; err != nil {
				return err
			}
			if got.ExpiresAt.After(now) || got.RequestHash == hash {
				prev = &got
				return errDone
			}
			// Past its life and sent with another request: the key is
			// free again.
			if err := g.Model(&model.IdempotencyKey{}).Where("caller = ? AND key = ?", caller, key).
				Updates(map[string]any{"request_hash": hash, "state": "in_progress", "status": 0, "content_type": "",
					"body": "", "created_at": now, "expires_at": now.Add(IdempotencyTTL)}).Error; err != nil {
				return err
			}
		}
		out := fn(context.WithValue(ctx, requestTxKey{}, g))
		switch {
		case !out.Commit:
			return errDone
		case out.Keep:
			return g.Model(&model.IdempotencyKey{}).Where("caller = ? AND key = ?", caller, key).
				Updates(map[string]any{"state": "done", "status": out.Status, "content_type": out.ContentType, "body": string(out.Body)}).Error
		default:
			return g.Where("caller = ? AND key = ?", caller, key).Delete(&model.IdempotencyKey{}).Error
		}
	})
	if errors.Is(err, errDone) {
		return prev, nil
	}
	if err != nil && !errors.Is(err, ErrIdempotencyBusy) {
		return nil, mapErr(err, "idempotent request")
	}
	return nil, err
}

// InRequestTx reports whether ctx runs inside RunIdempotent's transaction.
func InRequestTx(ctx context.Context) bool {
	_, ok := ctx.Value(requestTxKey{}).(*gorm.DB)
	return ok
}

// DeleteExpiredIdempotencyKeys removes keys past their life and grace
// (housekeeping); returns how many.
func (s *Store) DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error) {
	res := s.q(ctx).Where("expires_at < ?", s.Now().Add(-IdempotencyGrace)).Delete(&model.IdempotencyKey{})
	return res.RowsAffected, mapErr(res.Error, "delete expired idempotency keys")
}

// savepointCallbacks registers, once per database, the callbacks that wrap
// a statement marked with stmtSavepointKey in a savepoint on PostgreSQL.
var savepointCallbacks sync.Map // *gorm.Config → struct{}

func registerSavepoints(db *gorm.DB) {
	if db.Dialector.Name() != "postgres" {
		return
	}
	if _, done := savepointCallbacks.LoadOrStore(db.Config, struct{}{}); done {
		return
	}
	begin := func(g *gorm.DB) {
		if g.Error != nil || g.Statement.Context == nil || g.Statement.Context.Value(stmtSavepointKey{}) == nil {
			return
		}
		if _, err := g.Statement.ConnPool.ExecContext(g.Statement.Context, "SAVEPOINT brug_stmt"); err != nil {
			_ = g.AddError(err)
			return
		}
		g.InstanceSet("brug:savepoint", true)
	}
	end := func(g *gorm.DB) {
		if _, ok := g.InstanceGet("brug:savepoint"); !ok {
			return
		}
		stmt := "RELEASE SAVEPOINT brug_stmt"
		if g.Error != nil {
			stmt = "ROLLBACK TO SAVEPOINT brug_stmt"
		}
		if _, err := g.Statement.ConnPool.ExecContext(g.Statement.Context, stmt); err != nil {
			_ = g.AddError(err)
		}
	}
	cb := db.Callback()
	// Row (Rows, Scan, Raw().Scan) is left out: a savepoint cannot be
	// released while its rows are still being read.
	_ = cb.Create().Before("*").Register("brug:savepoint_begin", begin)
	_ = cb.Create().After("*").Register("brug:savepoint_end", end)
	_ = cb.Query().Before("*").Register("brug:savepoint_begin", begin)
	_ = cb.Query().After("*").Register("brug:savepoint_end", end)
	_ = cb.Update().Before("*").Register("brug:savepoint_begin", begin)
	_ = cb.Update().After("*").Register("brug:savepoint_end", end)
	_ = cb.Delete().Before("*").Register("brug:savepoint_begin", begin)
	_ = cb.Delete().After("*").Register("brug:savepoint_end", end)
	_ = cb.Raw().Before("*").Register("brug:savepoint_begin", begin)
	_ = cb.Raw().After("*").Register("brug:savepoint_end", end)
}

// ErrStale: the record's version is not the one the caller edited.
var ErrStale = errors.New("store: stale version")

// RequestTx runs fn with every store call made with its context in one
// transaction (joining the request's, when ctx already runs in one).
func (s *Store) RequestTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if InRequestTx(ctx) {
		return fn(ctx)
	}
	pending := &authPending{}
	defer func() { s.tellAuth(pending.take()) }()
	ctx = context.WithValue(ctx, authPendingKey{}, pending)
	return s.db.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		return fn(context.WithValue(ctx, requestTxKey{}, g))
	})
}

// versioned are the tables whose rows carry a version (migration 00022).
var versioned = map[string]bool{"clients": true, "referrals": true, "appointments": true, "tasks": true, "barriers": true}

// CheckVersion answers ErrStale unless the row id of table (of clientID,
// for barriers) is at version want; on PostgreSQL it locks the row until
// the transaction ends, so nobody changes it between the check and the
// update. Call it inside RequestTx.
func (s *Store) CheckVersion(ctx context.Context, table, id, clientID string, want int) error {
	if !versioned[table] {
		return fmt.Errorf("check version: %s has none", table)
	}
	q := s.q(ctx).Table(table).Where("id = ?", id)
	if clientID != "" {
		q = q.Where("client_id = ?", clientID)
	}
	if s.isPG() {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var vs []int
	if err := q.Pluck("version", &vs).Error; err != nil {
		return mapErr(err, "check version")
	}
	if len(vs) == 0 {
		return fmt.Errorf("check version: %w", ErrNotFound)
	}
	if vs[0] != want {
		return ErrStale
	}
	return nil
}
