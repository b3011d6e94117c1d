package service

import (
	"context"
	"errors"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// WithVersion runs fn, an edit of the record id of table (of clientID, for
// barriers), only if the record is still at version want: the check and
// the edit share one transaction (the row is locked on PostgreSQL), so a
// change by someone else in between is caught. A stale version is 412
// (code stale; the cause is store.ErrStale), nothing written.
func (s *Service) WithVersion(ctx context.Context, table, id, clientID string, want int, fn func(ctx context.Context) error) error {
	return s.Store.RequestTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CheckVersion(ctx, table, id, clientID, want); err != nil {
			if errors.Is(err, store.ErrStale) {
				return &apperr.Error{Kind: apperr.KindPrecondition, Detail: "Someone changed this record after you loaded it; nothing was saved.",
					Extra: map[string]any{"code": "stale"}, Cause: err}
			}
			return storeErr(err)
		}
		return fn(ctx)
	})
}

// Task is one task in the caller's scope (a stale edit shows it as it is).
func (s *Service) Task(ctx context.Context, p *Principal, id string) (model.Task, error) {
	t, err := s.Store.TaskByID(ctx, p.Scope, id)
	return t, storeErr(err)
}

// Barrier is one barrier of a client the caller may edit.
func (s *Service) Barrier(ctx context.Context, p *Principal, clientID, barrierID string) (model.Barrier, error) {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return model.Barrier{}, err
	}
	b, err := s.Store.BarrierOf(ctx, clientID, barrierID)
	return b, storeErr(err)
}
