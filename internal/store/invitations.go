package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// CreateInvitation stores a new invitation and revokes the user's earlier
// open ones: only the newest link works.
func (s *Store) CreateInvitation(ctx context.Context, inv *model.UserInvitation) error {
	if inv.ID == "" {
		inv.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q(ctx).Model(&model.UserInvitation{}).
			Where("user_id = ? AND used_at IS NULL AND revoked_at IS NULL", inv.UserID).
			Updates(map[string]any{"revoked_at": inv.CreatedAt}).Error
		if err != nil {
			return mapErr(err, "revoke invitations")
		}
		return mapErr(tx.q(ctx).Create(inv).Error, "create invitation")
	})
}

// InvitationByTokenHash finds an invitation by its token's hash.
func (s *Store) InvitationByTokenHash(ctx context.Context, hash string) (model.UserInvitation, error) {
	var inv model.UserInvitation
	err := s.q(ctx).Where("token_hash = ?", hash).Take(&inv).Error
	return inv, mapErr(err, "invitation")
}

// UseInvitation sets the password from an invitation, once: a concurrent
// second use finds it used and gets ErrConflict. The user's sessions end.
func (s *Store) UseInvitation(ctx context.Context, id, userID, passwordHash string, now time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&model.UserInvitation{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", id).
			Update("used_at", now.UTC())
		if res.Error != nil {
			return mapErr(res.Error, "use invitation")
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if _, err := tx.UpdateUser(ctx, userID, UserChanges{PasswordHash: &passwordHash}); err != nil {
			return err
		}
		return tx.RevokeUserTokens(ctx, userID)
	})
}

// ClaimInvitationMail claims queued invitation e-mails for the worker.
func (s *Store) ClaimInvitationMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]model.UserInvitation, error) {
	var out []model.UserInvitation
	return out, s.claimMail(ctx, "user_invitations", false, now, limit, lease, &out)
}

// FinishInvitationMail records a send's outcome if the caller still holds the lease.
func (s *Store) FinishInvitationMail(ctx context.Context, id string, attempt int, set map[string]any) error {
	return s.finishMail(ctx, &model.UserInvitation{}, false, id, attempt, set)
}

// CreateNotices stores notices for staff.
func (s *Store) CreateNotices(ctx context.Context, notices []model.StaffNotice) error {
	if len(notices) == 0 {
		return nil
	}
	for i := range notices {
		if notices[i].ID == "" {
			notices[i].ID = NewID()
		}
		if notices[i].MailStatus == "" {
			notices[i].MailStatus = "none"
		}
	}
	return mapErr(s.q(ctx).Create(&notices).Error, "create notices")
}

// UnreadNotices lists a user's unread notices, newest first.
func (s *Store) UnreadNotices(ctx context.Context, userID string) ([]model.StaffNotice, error) {
	var out []model.StaffNotice
	err := s.q(ctx).Where("user_id = ? AND read_at IS NULL", userID).Order("created_at DESC, id DESC").Limit(100).Find(&out).Error
	return out, mapErr(err, "notices")
}

// MarkNoticeRead marks one of the user's notices read (ErrNotFound for
// anyone else's).
func (s *Store) MarkNoticeRead(ctx context.Context, userID, id string) error {
	res := s.q(ctx).Model(&model.StaffNotice{}).Where("id = ? AND user_id = ?", id, userID).Update("read_at", s.Now())
	if res.Error != nil {
		return mapErr(res.Error, "read notice")
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
