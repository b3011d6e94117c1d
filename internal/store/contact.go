package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// CreateContactRequest stores a request from the public form (with its
// id when the caller chose one).
func (s *Store) CreateContactRequest(ctx context.Context, r *model.ContactRequest) error {
	now := s.Now()
	if r.ID == "" {
		r.ID = NewID()
	}
	r.CreatedAt, r.UpdatedAt = now, now
	return mapErr(s.q(ctx).Create(r).Error, "create contact request")
}

// ContactRequestByTokenHash finds a request by its withdrawal token.
func (s *Store) ContactRequestByTokenHash(ctx context.Context, hash string) (model.ContactRequest, error) {
	var r model.ContactRequest
	err := s.q(ctx).Where("withdraw_token_hash = ?", hash).Take(&r).Error
	return r, mapErr(err, "contact request by token")
}

// visibleContacts limits requests to coordinators of the covering team;
// requests whose area matches no team (the programme intake) only to
// coordinators who hold the intake duty, never to every coordinator.
func visibleContacts(q *gorm.DB, sc Scope) *gorm.DB {
	if sc.Role != model.RoleCoordinator {
		return q.Where("1 = 0")
	}
	switch {
	case sc.IntakeDuty && len(sc.TeamIDs) == 0:
		return q.Where("contact_requests.team_id IS NULL")
	case sc.IntakeDuty:
		return q.Where("contact_requests.team_id IS NULL OR contact_requests.team_id IN ?", sc.TeamIDs)
	case len(sc.TeamIDs) == 0:
		return q.Where("1 = 0")
	}
	return q.Where("contact_requests.team_id IN ?", sc.TeamIDs)
}

// ContactFilter narrows the triage queue.
type ContactFilter struct {
	Open bool // new requests only; otherwise handled ones, newest first
	Kind string
}

// ContactRequests lists the caller's triage queue (at most 500 rows).
func (s *Store) ContactRequests(ctx context.Context, sc Scope, f ContactFilter) ([]model.ContactRequest, error) {
	q := visibleContacts(s.q(ctx).Model(&model.ContactRequest{}), sc)
	if f.Open {
		q = q.Where("status = 'new'").Order("created_at, id")
	} else {
		q = q.Where("status <> 'new'").Order("COALESCE(handled_at, withdrawn_at, created_at) DESC, id")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	var out []model.ContactRequest
	err := q.Limit(500).Find(&out).Error
	return out, mapErr(err, "contact requests")
}

// ContactRequestByID returns a request in the caller's triage scope.
func (s *Store) ContactRequestByID(ctx context.Context, sc Scope, id string) (model.ContactRequest, error) {
	var r model.ContactRequest
	err := visibleContacts(s.q(ctx).Model(&model.ContactRequest{}), sc).Where("id = ?", id).Take(&r).Error
	return r, mapErr(err, "contact request")
}

// UpdateContactRequest changes a request that is still in fromStatus;
// ErrConflict when somebody else handled it first.
func (s *Store) UpdateContactRequest(ctx context.Context, id, fromStatus string, set map[string]any) error {
	set["updated_at"] = s.Now()
	res := s.q(ctx).Model(&model.ContactRequest{}).Where("id = ? AND status = ?", id, fromStatus).Updates(set)
	if res.Error != nil {
		return mapErr(res.Error, "update contact request")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// PurgeContactRequests empties the personal data of requests handled
// before cutoff; it returns how many it purged.
func (s *Store) PurgeContactRequests(ctx context.Context, cutoff time.Time) (int64, error) {
	set := model.ContactErasure()
	now := s.Now()
	set["purged_at"], set["updated_at"] = now, now
	set["mail_status"] = gorm.Expr("CASE WHEN mail_status IN ('queued', 'sending') THEN 'cancelled' ELSE mail_status END")
	res := s.q(ctx).Model(&model.ContactRequest{}).
		Where("purged_at IS NULL AND status <> 'new' AND COALESCE(handled_at, withdrawn_at) < ?", cutoff.UTC()).
		Updates(set)
	return res.RowsAffected, mapErr(res.Error, "purge contact requests")
}

// ContactCounts counts new requests, and those of them created before
// overdueBefore; sc nil counts the whole programme (for /metrics).
func (s *Store) ContactCounts(ctx context.Context, sc *Scope, overdueBefore time.Time) (open, overdue int64, err error) {
	var row struct{ Open, Overdue int64 }
	q := s.q(ctx).Model(&model.ContactRequest{})
	if sc != nil {
		q = visibleContacts(q, *sc)
	}
	err = q.Where("status = 'new'").
		Select("COUNT(*) AS open, COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0) AS overdue", overdueBefore.UTC()).
		Scan(&row).Error
	return row.Open, row.Overdue, mapErr(err, "count contact requests")
}

// ClaimContactMail leases up to limit queued confirmation e-mails.
func (s *Store) ClaimContactMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]model.ContactRequest, error) {
	var out []model.ContactRequest
	return out, s.claimMail(ctx, "contact_requests", true, now, limit, lease, &out)
}

// FinishContactMail records a send's outcome if the caller still holds the lease.
func (s *Store) FinishContactMail(ctx context.Context, id string, attempt int, set map[string]any) error {
	return s.finishMail(ctx, &model.ContactRequest{}, true, id, attempt, set)
}

// claimMail leases up to limit queued e-mails of a table whose rows carry
// their own outbox columns (mail_status, mail_attempts, mail_next_at): a
// row in "sending" whose lease ran out is claimed again. stamp: the table
// has updated_at.
func (s *Store) claimMail(ctx context.Context, table string, stamp bool, now time.Time, limit int, lease time.Duration, dst any) error {
	now = now.UTC()
	pick := `SELECT id FROM ` + table + `
	         WHERE (mail_status = 'queued' AND (mail_next_at IS NULL OR mail_next_at <= ?))
	            OR (mail_status = 'sending' AND mail_next_at < ?)
	         ORDER BY created_at, id LIMIT ?`
	if s.db.Dialector.Name() == "postgres" {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	set := "mail_status = 'sending', mail_attempts = mail_attempts + 1, mail_next_at = ?"
	args := []any{now.Add(lease)}
	if stamp {
		set += ", updated_at = ?"
		args = append(args, now)
	}
	args = append(args, now, now, limit)
	err := s.q(ctx).Raw(`UPDATE `+table+` SET `+set+` WHERE id IN (`+pick+`) RETURNING *`, args...).Scan(dst).Error
	return mapErr(err, "claim "+table+" mail")
}

// finishMail records a send's outcome if the caller still holds the lease.
func (s *Store) finishMail(ctx context.Context, row any, stamp bool, id string, attempt int, set map[string]any) error {
	if stamp {
		set["updated_at"] = s.Now()
	}
	res := s.q(ctx).Model(row).Where("id = ? AND mail_status = 'sending' AND mail_attempts = ?", id, attempt).Updates(set)
	if res.Error != nil {
		return mapErr(res.Error, "finish mail")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// CountContactRequests counts every request (the demo seeds only an empty table).
func (s *Store) CountContactRequests(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.ContactRequest{}).Count(&n).Error
	return n, mapErr(err, "count contact requests")
}

// BackdateContact moves a demo request back in time and keeps its
// confirmation e-mail from being sent.
func (s *Store) BackdateContact(ctx context.Context, id string, created time.Time) error {
	err := s.q(ctx).Model(&model.ContactRequest{}).Where("id = ?", id).
		Updates(map[string]any{"created_at": created.UTC(), "consent_at": created.UTC(), "updated_at": created.UTC(), "mail_status": "none"}).Error
	return mapErr(err, "backdate contact request")
}
