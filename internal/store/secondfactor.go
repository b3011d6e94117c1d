package store

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/brug-chw/brug/internal/model"
)

// SecondFactorOf returns a user's second factor row (ErrNotFound when the
// person never started one).
func (s *Store) SecondFactorOf(ctx context.Context, userID string) (model.SecondFactor, error) {
	var f model.SecondFactor
	err := s.q(ctx).Where("user_id = ?", userID).Take(&f).Error
	return f, mapErr(err, "second factor")
}

// SecondFactorUsers tells which of the users have a second factor in use.
func (s *Store) SecondFactorUsers(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []string
	err := s.q(ctx).Model(&model.SecondFactor{}).Where("user_id IN ? AND enabled_at IS NOT NULL", ids).Pluck("user_id", &rows).Error
	for _, id := range rows {
		out[id] = true
	}
	return out, mapErr(err, "second factor users")
}

// SetPendingSecondFactor stores a secret waiting for its first code,
// keeping a second factor already in use as it is until that code comes.
func (s *Store) SetPendingSecondFactor(ctx context.Context, userID, sealed string) error {
	row := model.SecondFactor{UserID: userID, Pending: sealed, UpdatedAt: s.Now()}
	err := s.q(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"pending", "updated_at"}),
	}).Create(&row).Error
	return mapErr(err, "pending second factor")
}

// EnableSecondFactor turns the pending secret whose first code came at step
// into the one in use and replaces the recovery codes, in one transaction.
// ErrConflict when the pending secret changed meanwhile.
func (s *Store) EnableSecondFactor(ctx context.Context, userID, pending string, step int64, codeHashes []string) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		res := tx.q(ctx).Model(&model.SecondFactor{}).Where("user_id = ? AND pending = ?", userID, pending).
			Updates(map[string]any{"secret": pending, "pending": "", "enabled_at": now, "last_step": step, "updated_at": now})
		if res.Error != nil {
			return mapErr(res.Error, "enable second factor")
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		return tx.replaceRecoveryCodes(ctx, userID, codeHashes)
	})
}

func (s *Store) replaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&model.RecoveryCode{}).Error; err != nil {
		return mapErr(err, "drop recovery codes")
	}
	rows := make([]model.RecoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = model.RecoveryCode{ID: NewID(), UserID: userID, CodeHash: h, CreatedAt: s.Now()}
	}
	if len(rows) == 0 {
		return nil
	}
	return mapErr(s.q(ctx).Create(&rows).Error, "recovery codes")
}

// ReplaceRecoveryCodes gives a person a fresh set; the old ones stop.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.replaceRecoveryCodes(ctx, userID, hashes) })
}

// UseTOTPStep records that the code of step was used, if no code of that
// step or a later one was: ErrConflict for a replayed code, also when two
// requests race with one code.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) error {
	res := s.q(ctx).Model(&model.SecondFactor{}).Where("user_id = ? AND enabled_at IS NOT NULL AND last_step < ?", userID, step).
		Updates(map[string]any{"last_step": step, "updated_at": s.Now()})
	if res.Error != nil {
		return mapErr(res.Error, "use code")
	}
	if res.RowsAffected == 0 {
		return ErrConflict
	}
	return nil
}

// UseRecoveryCode spends a recovery code once (ErrNotFound when it is not
// one of the user's unused codes).
func (s *Store) UseRecoveryCode(ctx context.Context, userID, hash string) error {
	res := s.q(ctx).Model(&model.RecoveryCode{}).Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, hash).
		Update("used_at", s.Now())
	if res.Error != nil {
		return mapErr(res.Error, "use recovery code")
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int64
	err := s.q(ctx).Model(&model.RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error
	return int(n), mapErr(err, "recovery codes left")
}

// ResetSecondFactor removes a user's second factor and recovery codes, ends
// their sessions and leaves them a notice (e-mailed too), in one
// transaction. ErrNotFound when there was nothing to reset.
func (s *Store) ResetSecondFactor(ctx context.Context, userID string, notice model.StaffNotice) error {
	return s.Tx(ctx, func(tx *Store) error {
		var enabled int64
		err := tx.q(ctx).Model(&model.SecondFactor{}).Where("user_id = ? AND enabled_at IS NOT NULL", userID).Count(&enabled).Error
		if err != nil {
			return mapErr(err, "second factor")
		}
		if enabled == 0 {
			// Only a set-up never finished, or nothing: nothing to reset.
			return ErrNotFound
		}
		if err := tx.q(ctx).Where("user_id = ?", userID).Delete(&model.SecondFactor{}).Error; err != nil {
			return mapErr(err, "reset second factor")
		}
		if err := tx.q(ctx).Where("user_id = ?", userID).Delete(&model.RecoveryCode{}).Error; err != nil {
			return mapErr(err, "drop recovery codes")
		}
		if err := tx.RevokeUserTokens(ctx, userID); err != nil {
			return err
		}
		return tx.CreateNotices(ctx, []model.StaffNotice{notice})
	})
}

// ClaimNoticeMail claims queued notice e-mails for the worker.
func (s *Store) ClaimNoticeMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]model.StaffNotice, error) {
	var out []model.StaffNotice
	return out, s.claimMail(ctx, "staff_notices", false, now, limit, lease, &out)
}

// FinishNoticeMail records a send's outcome if the caller still holds the lease.
func (s *Store) FinishNoticeMail(ctx context.Context, id string, attempt int, set map[string]any) error {
	return s.finishMail(ctx, &model.StaffNotice{}, false, id, attempt, set)
}
