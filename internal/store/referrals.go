package store

import (
	"context"
	"errors"
	"slices"
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
	if slices.Contains(linkEndingStatuses, to) {
		// Every path an answer or a closing takes (the CHW, a provider's
		// link, the expiry rule) passes here: no old link outlives it.
		if err := s.revokeReferralLinks(ctx, id, to); err != nil {
			return err
		}
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

// CreateReferralLink stores a provider link's hash (and its queued e-mail,
// when l.MailStatus is "queued") and revokes the referral's earlier links:
// only the newest link works.
func (s *Store) CreateReferralLink(ctx context.Context, l *model.ReferralLink) error {
	if l.ID == "" {
		l.ID = NewID()
	}
	l.CreatedAt = s.Now()
	if l.MailStatus == "" {
		l.MailStatus = "none"
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.revokeReferralLinks(ctx, l.ReferralID, "replaced"); err != nil {
			return err
		}
		return mapErr(tx.q(ctx).Create(l).Error, "create referral link")
	})
}

// linkEndingStatuses are the referral statuses that end every link: an
// answer (by whatever path) or a closing. sent and acknowledged keep them.
var linkEndingStatuses = []string{"accepted", "declined", "waitlisted", "appointment_set", "completed", "cancelled", "expired"}

func (s *Store) revokeReferralLinks(ctx context.Context, referralID, reason string) error {
	now := s.Now()
	err := s.q(ctx).Model(&model.ReferralLink{}).
		Where("referral_id = ? AND used_at IS NULL AND revoked_at IS NULL", referralID).
		Updates(map[string]any{"revoked_at": now, "revoked_reason": reason}).Error
	return mapErr(err, "revoke referral links")
}

// ReferralLinkByHash finds a link by its token's hash.
func (s *Store) ReferralLinkByHash(ctx context.Context, hash string) (model.ReferralLink, error) {
	var l model.ReferralLink
	err := s.q(ctx).Where("token_hash = ?", hash).Take(&l).Error
	return l, mapErr(err, "referral link")
}

// ReferralLinkByID finds a link by id.
func (s *Store) ReferralLinkByID(ctx context.Context, id string) (model.ReferralLink, error) {
	var l model.ReferralLink
	err := s.q(ctx).Where("id = ?", id).Take(&l).Error
	return l, mapErr(err, "referral link")
}

// UseReferralLink applies a provider's answer through a link in one
// transaction, if the link still works (not used, revoked or expired; else
// ErrUsed). A final answer spends the link; a step (acknowledge) does not.
func (s *Store) UseReferralLink(ctx context.Context, linkID, action string, final bool, apply func(tx *Store) error) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		live := tx.q(ctx).Model(&model.ReferralLink{}).
			Where("id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?", linkID, now)
		var n int64
		var err error
		if final {
			res := live.Updates(map[string]any{"used_at": now, "used_action": action})
			n, err = res.RowsAffected, res.Error
		} else {
			err = live.Count(&n).Error
		}
		if err != nil {
			return mapErr(err, "use link")
		}
		if n == 0 {
			return ErrUsed
		}
		return apply(tx)
	})
}

// ClaimReferralLinkMail leases up to limit queued provider e-mails.
func (s *Store) ClaimReferralLinkMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]model.ReferralLink, error) {
	var out []model.ReferralLink
	return out, s.claimMail(ctx, "referral_links", false, now, limit, lease, &out)
}

// FinishReferralLinkMail records a send's outcome if the caller still holds the lease.
func (s *Store) FinishReferralLinkMail(ctx context.Context, id string, attempt int, set map[string]any) error {
	return s.finishMail(ctx, &model.ReferralLink{}, false, id, attempt, set)
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

// CancelProviderMail cancels the provider e-mails of a client's referral
// links that are queued or being sent: the client withdrew their
// provider_sharing consent, so nothing may go any more. A worker holding
// one mid-send finds it cancelled when it reports back.
func (s *Store) CancelProviderMail(ctx context.Context, clientID string) (int64, error) {
	res := s.q(ctx).Model(&model.ReferralLink{}).
		Where("mail_status IN ? AND referral_id IN (SELECT id FROM referrals WHERE client_id = ?)", []string{"queued", "sending"}, clientID).
		Updates(map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
	return res.RowsAffected, mapErr(res.Error, "cancel provider mail")
}
