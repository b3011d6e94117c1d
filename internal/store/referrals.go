package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// ErrUsed is returned for a link that was used already.
var ErrUsed = errors.New("store: already used")

func visibleVia(q *gorm.DB, table string, sc Scope) *gorm.DB {
	return visibleClients(q.Joins("JOIN clients ON clients.id = "+table+".client_id"), sc)
}

// CreateReferral stores a referral and its first event.
func (s *Store) CreateReferral(ctx context.Context, r *model.Referral, actorID string) error {
	if r.ID == "" {
		r.ID = NewID()
	}
	now := s.Now()
	r.LastEventAt, r.CreatedBy = now, actorID
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.stamp(ctx, &r.TeamID, &r.FundID, r.ClientID, actorID); err != nil {
			return err
		}
		if err := tx.q(ctx).Create(r).Error; err != nil {
			return mapErr(err, "create referral")
		}
		e := model.ReferralEvent{ID: NewID(), ReferralID: r.ID, ActorID: &actorID, FromStatus: "", ToStatus: r.Status, CreatedAt: now}
		if err := tx.q(ctx).Create(&e).Error; err != nil {
			return mapErr(err, "first referral event")
		}
		return tx.TouchClient(ctx, r.ClientID, now)
	})
}

// ReferralByID returns a referral of a visible client.
func (s *Store) ReferralByID(ctx context.Context, sc Scope, id string) (model.Referral, error) {
	var r model.Referral
	err := visibleVia(s.q(ctx).Model(&model.Referral{}), "referrals", sc).Select("referrals.*").
		Where("referrals.id = ?", id).Take(&r).Error
	return r, mapErr(err, "referral")
}

// ReferralByIDUnscoped is for the provider link, which has no user.
func (s *Store) ReferralByIDUnscoped(ctx context.Context, id string) (model.Referral, error) {
	var r model.Referral
	err := s.q(ctx).Where("id = ?", id).Take(&r).Error
	return r, mapErr(err, "referral")
}

// ReferralFilter narrows Referrals.
type ReferralFilter struct {
	ClientID string
	Statuses []string
	Limit    int
}

// Referrals lists visible referrals, most recent event first.
func (s *Store) Referrals(ctx context.Context, sc Scope, f ReferralFilter) ([]model.Referral, error) {
	q := visibleVia(s.q(ctx).Model(&model.Referral{}), "referrals", sc).Select("referrals.*")
	if f.ClientID != "" {
		q = q.Where("referrals.client_id = ?", f.ClientID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("referrals.status IN ?", f.Statuses)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var out []model.Referral
	err := q.Order("referrals.last_event_at DESC, referrals.id DESC").Limit(f.Limit).Find(&out).Error
	return out, mapErr(err, "referrals")
}

// TransitionReferral moves a referral from one status to another, guarded by
// the current status so concurrent transitions cannot both apply, and
// records the event.
func (s *Store) TransitionReferral(ctx context.Context, id, from, to string, set map[string]any, actorID *string, actorLabel, note string) error {
	return s.Tx(ctx, func(tx *Store) error {
		return tx.transitionReferral(ctx, id, from, to, set, actorID, actorLabel, note)
	})
}

func (s *Store) transitionReferral(ctx context.Context, id, from, to string, set map[string]any, actorID *string, actorLabel, note string) error {
	now := s.Now()
	if set == nil {
		set = map[string]any{}
	}
	set["status"], set["last_event_at"], set["updated_at"] = to, now, now
	res := s.q(ctx).Model(&model.Referral{}).Where("id = ? AND status = ?", id, from).Updates(set)
	if res.Error != nil {
		return mapErr(res.Error, "transition referral")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	e := model.ReferralEvent{ID: NewID(), ReferralID: id, ActorID: actorID, ActorLabel: actorLabel, FromStatus: from, ToStatus: to, Note: note, CreatedAt: now}
	if err := s.q(ctx).Create(&e).Error; err != nil {
		return mapErr(err, "referral event")
	}
	var clientID string
	if err := s.q(ctx).Model(&model.Referral{}).Where("id = ?", id).Pluck("client_id", &clientID).Error; err != nil {
		return mapErr(err, "referral client")
	}
	return s.TouchClient(ctx, clientID, now)
}

// ReferralEvents lists the events of referrals, oldest first.
func (s *Store) ReferralEvents(ctx context.Context, referralIDs []string) ([]model.ReferralEvent, error) {
	var out []model.ReferralEvent
	if len(referralIDs) == 0 {
		return out, nil
	}
	err := s.q(ctx).Where("referral_id IN ?", referralIDs).Order("created_at, id").Find(&out).Error
	return out, mapErr(err, "referral events")
}

// CreateReferralLink stores a provider link's hash.
func (s *Store) CreateReferralLink(ctx context.Context, l *model.ReferralLink) error {
	l.ID, l.CreatedAt = NewID(), s.Now()
	return mapErr(s.q(ctx).Create(l).Error, "create referral link")
}

// ReferralLinkByHash finds a link by its token's hash.
func (s *Store) ReferralLinkByHash(ctx context.Context, hash string) (model.ReferralLink, error) {
	var l model.ReferralLink
	err := s.q(ctx).Where("token_hash = ?", hash).Take(&l).Error
	return l, mapErr(err, "referral link")
}

// UseReferralLink marks a link used and applies the provider's answer in
// one transaction; a second use finds used_at set and gets ErrUsed.
func (s *Store) UseReferralLink(ctx context.Context, linkID, action string, apply func(tx *Store) error) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		res := tx.q(ctx).Model(&model.ReferralLink{}).Where("id = ? AND used_at IS NULL", linkID).
			Updates(map[string]any{"used_at": now, "used_action": action})
		if res.Error != nil {
			return mapErr(res.Error, "use link")
		}
		if res.RowsAffected == 0 {
			return ErrUsed
		}
		return apply(tx)
	})
}

// TransitionReferralTx is TransitionReferral inside a caller's transaction.
func (s *Store) TransitionReferralTx(ctx context.Context, id, from, to string, set map[string]any, actorID *string, actorLabel, note string) error {
	return s.transitionReferral(ctx, id, from, to, set, actorID, actorLabel, note)
}

// ReferralsIdleSince lists referrals in the given statuses whose last event
// is before t (for the chase and expiry rules).
func (s *Store) ReferralsIdleSince(ctx context.Context, statuses []string, t time.Time) ([]model.Referral, error) {
	var out []model.Referral
	err := s.q(ctx).Where("status IN ? AND last_event_at < ?", statuses, t).Order("last_event_at, id").Limit(1000).Find(&out).Error
	return out, mapErr(err, "idle referrals")
}

// UpdateReferralFields changes a referral's editable fields.
func (s *Store) UpdateReferralFields(ctx context.Context, id string, set map[string]any) error {
	return mapErr(s.q(ctx).Model(&model.Referral{}).Where("id = ?", id).Updates(set).Error, "update referral")
}
