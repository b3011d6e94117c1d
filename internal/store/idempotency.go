package store

import (
	"context"
	"errors"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// IdempotencyTTL is how long a stored outcome answers a repeated key.
const IdempotencyTTL = 24 * time.Hour

// ReserveIdempotencyKey claims (user, key) for a request with hash. It
// returns nil when the claim is new, or the stored row when the key was
// already used (Status 0: that request is still running).
func (s *Store) ReserveIdempotencyKey(ctx context.Context, userID, key, hash string) (*model.IdempotencyKey, error) {
	now := s.Now()
	// Old outcomes of this caller are dropped as they pass their life, so
	// the table stays small without a separate sweeper.
	if err := s.q(ctx).Where("user_id = ? AND created_at < ?", userID, now.Add(-IdempotencyTTL)).Delete(&model.IdempotencyKey{}).Error; err != nil {
		return nil, mapErr(err, "expire idempotency keys")
	}
	row := model.IdempotencyKey{UserID: userID, Key: key, RequestHash: hash, CreatedAt: now}
	err := mapErr(s.q(ctx).Create(&row).Error, "reserve idempotency key")
	if err == nil {
		return nil, nil
	}
	if !errors.Is(err, ErrConflict) {
		return nil, err
	}
	var got model.IdempotencyKey
	if err := s.q(ctx).Where("user_id = ? AND key = ?", userID, key).Take(&got).Error; err != nil {
		return nil, mapErr(err, "idempotency key")
	}
	return &got, nil
}

// CompleteIdempotencyKey stores the outcome of the request that holds the key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, userID, key string, status int, contentType, body string) error {
	err := s.q(ctx).Model(&model.IdempotencyKey{}).Where("user_id = ? AND key = ?", userID, key).
		Updates(map[string]any{"status": status, "content_type": contentType, "body": body}).Error
	return mapErr(err, "complete idempotency key")
}

// ReleaseIdempotencyKey forgets a key whose request failed on our side, so
// that the caller may retry it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, userID, key string) error {
	err := s.q(ctx).Where("user_id = ? AND key = ?", userID, key).Delete(&model.IdempotencyKey{}).Error
	return mapErr(err, "release idempotency key")
}
