package service

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// What the handlers name and filter with. They reach data only through the
// service (route → handler → service → store, issue 18): the store's types
// they need are named here, and the lookups below are the service's.

type (
	ClientFilter       = store.ClientFilter
	UserFilter         = store.UserFilter
	ReminderFilter     = store.ReminderFilter
	ReferralFilter     = store.ReferralFilter
	ProviderFilter     = store.ProviderFilter
	GroupSessionFilter = store.GroupSessionFilter
	AppointmentFilter  = store.AppointmentFilter
	AuditSearch        = store.AuditSearch
	IdempotencyOutcome = store.IdempotencyOutcome
	AuditBatcher       = store.AuditBatcher
	AuditBatchStats    = store.AuditBatchStats
)

var (
	// ErrStale: an If-Match named a version the record no longer has.
	ErrStale = store.ErrStale
	// ErrIdempotencyBusy: a request with the same key is still running.
	ErrIdempotencyBusy = store.ErrIdempotencyBusy
)

// MergeUndoWindow is how long a merge can be undone.
const MergeUndoWindow = store.MergeUndoWindow

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.Store.Now() }

// TaxonomyTerms is the reference taxonomy with its labels.
func (s *Service) TaxonomyTerms(ctx context.Context) ([]model.TaxonomyTerm, error) {
	return s.Store.TaxonomyTerms(ctx)
}

// RunIdempotent runs fn once for a caller's Idempotency-Key (see
// store.RunIdempotent): a repeat gets the stored outcome.
func (s *Service) RunIdempotent(ctx context.Context, caller, key, hash string, fn func(ctx context.Context) IdempotencyOutcome) (*model.IdempotencyKey, error) {
	return s.Store.RunIdempotent(ctx, caller, key, hash, fn)
}
