package store

import (
	"context"
	"errors"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// RecordAudit appends an audit event to its stream's hash chain, in a
// short transaction of its own. Audit rows are never updated.
func (s *Store) RecordAudit(ctx context.Context, e *model.AuditEvent) error {
	if e.ID == "" {
		e.ID = NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.Now()
	}
	// Both engines keep microseconds: the hash covers what is read back.
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Microsecond)
	e.Stream = AuditStream(e.CreatedAt)
	var err error
	for range 3 {
		// The head lock makes a lost race impossible; the unique
		// (stream, seq) index would turn one into a conflict, retried.
		err = s.Tx(ctx, func(tx *Store) error { return tx.appendAudit(ctx, e) })
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	return err
}

// AuditFilter narrows AuditEvents.
type AuditFilter struct {
	Entity   string
	EntityID string
	ActorID  string
	Limit    int
}

// AuditEvents lists audit events, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]model.AuditEvent, error) {
	q := s.q(ctx).Model(&model.AuditEvent{})
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []model.AuditEvent
	err := q.Order("created_at DESC, id DESC").Limit(f.Limit).Find(&out).Error
	return out, mapErr(err, "list audit events")
}
