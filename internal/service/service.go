// Package service owns the rules: who may sign in, how sessions rotate,
// which user changes are allowed, what is audited. Handlers call services;
// services call stores and return apperr kinds.
package service

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Service bundles the dependencies of every domain service.
type Service struct {
	Store *store.Store
	// AuthCache keeps callers' account and session state between requests
	// (nil: read on every request).
	AuthCache *AuthCache
	Hasher    *auth.Hasher
	Tokens    *auth.TokenIssuer
	Limiter   *auth.LoginLimiter
	// LocalLimitsOnly skips the limits counted in the database for every
	// replica (tests whose scenarios sign in many times from one address).
	LocalLimitsOnly bool
	// Devices signs the device cookies that exempt a browser that signed in
	// before from the account's throttle (nil: none issued).
	Devices *auth.DeviceSigner
	// SecondFactor checks TOTP codes and signs sign-in challenges (nil: no
	// second factor at all).
	SecondFactor *auth.SecondFactor
	// SecondFactorRoles must set up a second factor before they get in
	// (BRUG_SECOND_FACTOR_ROLES; in production coordinators, managers,
	// admins and data protection officers by default).
	SecondFactorRoles map[string]bool
	Authz             *auth.Authorizer
	Log               *slog.Logger
	// RefreshTTL is how long a refresh token lives.
	RefreshTTL time.Duration
	// AuditFailed is called when an audit write fails (a metric counts it).
	AuditFailed func()
	// AuditReads, when set, writes read events in batches (brug serve);
	// nil: every event is written before the request answers.
	AuditReads *store.AuditBatcher
	// ReferralExpiry is how long a referral may stay without news.
	ReferralExpiry time.Duration
	// Reminders is how appointment reminders are planned.
	Reminders ReminderPolicy
	// ReportThreshold: cells about fewer people are suppressed (>= 3).
	ReportThreshold int
	// Reports bounds how many reports are computed at once (nil: no bound).
	Reports *ReportGate
	// LinkSecret derives the contact form's withdrawal tokens.
	LinkSecret []byte
	// Areas caches the area index for the public pages and the form.
	Areas *AreaCache
	// ContactRetention is how long a handled contact request keeps its
	// personal data.
	ContactRetention time.Duration
	// RetentionMonths is how long after closing a client keeps its
	// personal data (0: DefaultRetention).
	RetentionMonths int
	// EmergencyAccessTTL is how long a break-the-glass grant lives.
	EmergencyAccessTTL time.Duration
}

// Principal is the signed-in caller.
type Principal struct {
	store.Scope
	Email     string
	Name      string
	Language  string
	SessionID string
}

// Meta is the request context an audit event records.
type Meta struct {
	RequestID string
	IP        string
	// UserAgent names the browser or app, for the sessions list.
	UserAgent string
}

type metaKey struct{}

// WithMeta stores request metadata in ctx.
func WithMeta(ctx context.Context, m Meta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the request metadata of ctx.
func MetaFrom(ctx context.Context) Meta {
	m, _ := ctx.Value(metaKey{}).(Meta)
	return m
}

// audit records an event; a failed write is logged and counted but never
// fails the request that caused it.
func (s *Service) audit(ctx context.Context, actor *Principal, action, entity, entityID, detail string) {
	s.auditRecord(ctx, actor, action, entity, entityID, "", detail)
}

func (s *Service) auditRecord(ctx context.Context, actor *Principal, action, entity, entityID, clientID, detail string) {
	m := MetaFrom(ctx)
	e := &model.AuditEvent{Action: action, Entity: entity, EntityID: entityID, RequestID: m.RequestID, IP: m.IP, Detail: detail}
	if clientID != "" {
		e.ClientID = &clientID
	}
	switch {
	case actor != nil && actor.UserID != "":
		id := actor.UserID
		e.ActorID = &id
		e.ActorRole = actor.Role
	case actor != nil:
		// The command line (brug user create) acts as no account: there is
		// no user id to record, and "" is not a uuid on PostgreSQL.
		e.ActorRole = "system"
	default:
		e.ActorRole = "anonymous"
	}
	record := s.Store.RecordAudit
	if s.AuditReads != nil && IsReadAction(action) {
		record = s.AuditReads.Record
	}
	if err := record(context.WithoutCancel(ctx), e); err != nil {
		s.Log.Error("audit write failed", "action", action, "entity", entity, "request_id", m.RequestID, "err", err)
		if s.AuditFailed != nil {
			s.AuditFailed()
		}
	}
}

// IsReadAction tells the audit actions that only record a read (a record
// opened, a list, a report or a search): those are batched, every other
// event is written before the request answers.
func IsReadAction(action string) bool {
	return strings.HasSuffix(action, ".read") || strings.HasSuffix(action, ".list") || strings.HasSuffix(action, ".search")
}

// flushAuditReads commits the read events queued so far, so that the audit
// reader shows them.
func (s *Service) flushAuditReads(ctx context.Context) {
	if s.AuditReads != nil {
		s.AuditReads.Flush(ctx)
	}
}

// storeErr maps store sentinels to client errors; anything else stays an
// internal error whose cause is logged, never shown.
func storeErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return &apperr.Error{Kind: apperr.KindNotFound, Detail: apperr.NotFound().Detail, Cause: err}
	case errors.Is(err, store.ErrConflict):
		return apperr.Wrap(apperr.KindConflict, "The record conflicts with an existing one.", err)
	case errors.Is(err, store.ErrBadCursor):
		return apperr.Validation("cursor", "invalid", "The cursor is not one this server issued.")
	}
	return err
}
