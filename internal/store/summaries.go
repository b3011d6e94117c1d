package store

import (
	"context"
	"errors"

	"github.com/brug-chw/brug/internal/model"
)

// SummaryRecipients lists the enabled CHWs and coordinators who belong to
// a team: the people who get a monthly summary.
func (s *Store) SummaryRecipients(ctx context.Context) ([]model.User, error) {
	var out []model.User
	err := s.q(ctx).Model(&model.User{}).
		Where("role IN ? AND disabled_at IS NULL AND id IN (?)", []string{model.RoleCHW, model.RoleCoordinator},
			s.q(ctx).Model(&model.TeamMembership{}).Select("user_id")).
		Order("id").Find(&out).Error
	return out, mapErr(err, "summary recipients")
}

// CreateNoticeOnce stores a notice unless one with its dedupe key exists
// (made by another process, or before a restart).
func (s *Store) CreateNoticeOnce(ctx context.Context, n *model.StaffNotice) (bool, error) {
	var count int64
	if err := s.q(ctx).Model(&model.StaffNotice{}).Where("dedupe_key = ?", *n.DedupeKey).Count(&count).Error; err != nil {
		return false, mapErr(err, "notice dedupe")
	}
	if count > 0 {
		return false, nil
	}
	n.ID = NewID()
	if n.MailStatus == "" {
		n.MailStatus = "none"
	}
	err := mapErr(s.q(ctx).Create(n).Error, "create notice")
	if errors.Is(err, ErrConflict) {
		return false, nil
	}
	return err == nil, err
}
