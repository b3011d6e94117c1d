package store

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// Refresh-token outcomes a service must tell apart.
var (
	ErrTokenReused  = errors.New("store: refresh token reused")
	ErrTokenExpired = errors.New("store: refresh token expired")
)

// CreateRefreshToken stores a token's hash for a new or existing family.
func (s *Store) CreateRefreshToken(ctx context.Context, userID, familyID, hash, userAgent string, expires time.Time) error {
	t := model.RefreshToken{ID: NewID(), UserID: userID, FamilyID: familyID, TokenHash: hash, UserAgent: userAgent, ExpiresAt: expires.UTC()}
	return mapErr(s.q(ctx).Create(&t).Error, "create refresh token")
}

// RotateRefreshToken uses up the token with oldHash and stores newHash in the
// same family. Presenting a token that was already used or revoked revokes
// the whole family: a stolen token then stops working for thief and victim,
// and the victim signs in again.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash, newHash string, expires time.Time) (model.RefreshToken, error) {
	var rotated model.RefreshToken
	var reused bool
	err := s.Tx(ctx, func(tx *Store) error {
		var old model.RefreshToken
		if err := tx.q(ctx).Where("token_hash = ?", oldHash).Take(&old).Error; err != nil {
			return mapErr(err, "find refresh token")
		}
		now := tx.Now()
		if old.UsedAt != nil || old.RevokedAt != nil {
			reused = true
			return tx.RevokeFamily(ctx, old.FamilyID)
		}
		if !now.Before(old.ExpiresAt) {
			return ErrTokenExpired
		}
		// The guard on used_at makes two concurrent rotations of one token
		// race safely: only one update matches.
		res := tx.q(ctx).Model(&model.RefreshToken{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", old.ID).
			Updates(map[string]any{"used_at": now, "updated_at": now})
		if res.Error != nil {
			return mapErr(res.Error, "use refresh token")
		}
		if res.RowsAffected != 1 {
			reused = true
			return tx.RevokeFamily(ctx, old.FamilyID)
		}
		rotated = model.RefreshToken{ID: NewID(), UserID: old.UserID, FamilyID: old.FamilyID, TokenHash: newHash, UserAgent: old.UserAgent, ExpiresAt: expires.UTC()}
		return mapErr(tx.q(ctx).Create(&rotated).Error, "store rotated token")
	})
	if err != nil {
		return model.RefreshToken{}, err
	}
	if reused {
		return model.RefreshToken{}, ErrTokenReused
	}
	return rotated, nil
}

// RevokeFamily revokes every token of a family (logout, reuse).
func (s *Store) RevokeFamily(ctx context.Context, familyID string) error {
	return s.revokeTokens(ctx, "family_id", familyID, AuthChange{SessionID: familyID})
}

// RevokeUserTokens revokes every token of a user (disable, password or role change).
func (s *Store) RevokeUserTokens(ctx context.Context, userID string) error {
	return s.revokeTokens(ctx, "user_id", userID, AuthChange{UserID: userID})
}

// revokeTokens revokes the live tokens whose column (family_id or
// user_id) is id, and tells of the change in the same transaction.
func (s *Store) revokeTokens(ctx context.Context, column, id string, change AuthChange) error {
	now := s.Now()
	return s.Tx(ctx, func(tx *Store) error {
		err := tx.q(ctx).Model(&model.RefreshToken{}).Where(column+" = ? AND revoked_at IS NULL", id).
			Updates(map[string]any{"revoked_at": now, "updated_at": now}).Error
		if err != nil {
			return mapErr(err, "revoke tokens by "+column)
		}
		return tx.authChanged(ctx, change)
	})
}

// FamilyOf returns the family of a token hash (logout by token).
func (s *Store) FamilyOf(ctx context.Context, hash string) (string, error) {
	var t model.RefreshToken
	err := s.q(ctx).Select("family_id").Where("token_hash = ?", hash).Take(&t).Error
	return t.FamilyID, mapErr(err, "token family")
}

// SessionActive reports whether a family still has a live token: an access
// token of a logged-out or revoked session stops working at once.
func (s *Store) SessionActive(ctx context.Context, familyID string) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&model.RefreshToken{}).
		Where("family_id = ? AND revoked_at IS NULL AND expires_at > ?", familyID, s.Now()).Limit(1).Count(&n).Error
	return n > 0, mapErr(err, "session active")
}

// DeleteExpiredTokens removes tokens past their expiry (housekeeping).
func (s *Store) DeleteExpiredTokens(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("expires_at < ?", before.UTC()).Delete(&model.RefreshToken{})
	return res.RowsAffected, mapErr(res.Error, "delete expired tokens")
}

// LiveSession is one signed-in session of a user: a refresh-token family
// with a live token.
type LiveSession struct {
	ID         string
	UserAgent  string
	StartedAt  time.Time
	LastUsedAt time.Time
}

// LiveSessions lists a user's sessions that can still be refreshed, the
// most recently used first.
func (s *Store) LiveSessions(ctx context.Context, userID string) ([]LiveSession, error) {
	var rows []model.RefreshToken
	if err := s.q(ctx).Where("user_id = ?", userID).Order("created_at").Find(&rows).Error; err != nil {
		return nil, mapErr(err, "sessions")
	}
	now := s.Now()
	byFamily := map[string]*LiveSession{}
	live := map[string]bool{}
	var order []string
	for _, r := range rows {
		ls, ok := byFamily[r.FamilyID]
		if !ok {
			ls = &LiveSession{ID: r.FamilyID, UserAgent: r.UserAgent, StartedAt: r.CreatedAt}
			byFamily[r.FamilyID] = ls
			order = append(order, r.FamilyID)
		}
		ls.LastUsedAt = r.CreatedAt
		if r.RevokedAt == nil && r.UsedAt == nil && now.Before(r.ExpiresAt) {
			live[r.FamilyID] = true
		}
	}
	out := []LiveSession{}
	for _, id := range order {
		if live[id] {
			out = append(out, *byFamily[id])
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LastUsedAt.After(out[j].LastUsedAt) })
	return out, nil
}

// EndUserSession revokes one of the user's own sessions; ErrNotFound when
// it is not theirs or no longer live.
func (s *Store) EndUserSession(ctx context.Context, userID, familyID string) error {
	now := s.Now()
	res := s.q(ctx).Model(&model.RefreshToken{}).Where("user_id = ? AND family_id = ? AND revoked_at IS NULL AND used_at IS NULL AND expires_at > ?", userID, familyID, now).
		Updates(map[string]any{"revoked_at": now, "updated_at": now})
	if res.Error != nil {
		return mapErr(res.Error, "end session")
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return s.RevokeFamily(ctx, familyID)
}
