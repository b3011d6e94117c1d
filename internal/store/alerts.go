package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// AlertSettings returns a team's alert thresholds; ok is false when the
// team has none of its own.
func (s *Store) AlertSettings(ctx context.Context, teamID string) (model.TeamAlertSettings, bool, error) {
	var out model.TeamAlertSettings
	err := s.q(ctx).Where("team_id = ?", teamID).Take(&out).Error
	if err = mapErr(err, "alert settings"); errors.Is(err, ErrNotFound) {
		return out, false, nil
	}
	return out, err == nil, err
}

// SaveAlertSettings sets a team's alert thresholds.
func (s *Store) SaveAlertSettings(ctx context.Context, a model.TeamAlertSettings) error {
	a.UpdatedAt = s.Now()
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("team_id = ?", a.TeamID).Delete(&model.TeamAlertSettings{}).Error; err != nil {
			return mapErr(err, "alert settings")
		}
		return mapErr(tx.q(ctx).Create(&a).Error, "alert settings")
	})
}

// LastVisits maps each of the CHWs who ever logged a visit to the time
// of their latest one.
func (s *Store) LastVisits(ctx context.Context, chwIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for _, id := range chwIDs {
		var v model.Visit
		err := s.q(ctx).Model(&model.Visit{}).Select("visited_at").Where("chw_id = ?", id).Order("visited_at DESC").Limit(1).Find(&v).Error
		if err != nil {
			return nil, mapErr(err, "last visit")
		}
		if !v.VisitedAt.IsZero() {
			out[id] = v.VisitedAt
		}
	}
	return out, nil
}

// StuckReferrals lists the team's referrals in one of the open statuses
// that have not moved since before.
func (s *Store) StuckReferrals(ctx context.Context, teamID string, open []string, before time.Time) ([]model.Referral, error) {
	var out []model.Referral
	err := s.q(ctx).Model(&model.Referral{}).Select("referrals.*").
		Joins("JOIN clients ON clients.id = referrals.client_id").
		Where("referrals.team_id = ? AND referrals.status IN ? AND referrals.last_event_at < ? AND clients.merged_into_id IS NULL", teamID, open, before.UTC()).
		Order("referrals.last_event_at, referrals.id").Find(&out).Error
	return out, mapErr(err, "stuck referrals")
}

// AppointmentOutcomes lists the attended and missed appointments since
// since of the team's clients, the latest of each client first.
func (s *Store) AppointmentOutcomes(ctx context.Context, teamID string, since, until time.Time) ([]model.Appointment, error) {
	var out []model.Appointment
	err := s.q(ctx).Model(&model.Appointment{}).Select("appointments.id, appointments.client_id, appointments.status, appointments.starts_at").
		Joins("JOIN clients ON clients.id = appointments.client_id").
		Where("clients.team_id = ? AND clients.merged_into_id IS NULL AND clients.status <> 'closed' AND appointments.status IN ('attended', 'missed') AND appointments.starts_at >= ? AND appointments.starts_at <= ?",
			teamID, since.UTC(), until.UTC()).
		Order("appointments.client_id, appointments.starts_at DESC, appointments.id").Find(&out).Error
	return out, mapErr(err, "appointment outcomes")
}

// CreateAlertTask stores an alert task unless a task of the same
// condition (alert key) exists: the unique key makes that hold across
// processes.
func (s *Store) CreateAlertTask(ctx context.Context, t *model.Task) (bool, error) {
	var n int64
	if err := s.q(ctx).Model(&model.Task{}).Where("alert_key = ?", *t.AlertKey).Count(&n).Error; err != nil {
		return false, mapErr(err, "alert dedupe")
	}
	if n > 0 {
		return false, nil
	}
	t.ID = NewID()
	err := mapErr(s.q(ctx).Create(t).Error, "create alert task")
	if errors.Is(err, ErrConflict) {
		return false, nil // another process raised it first
	}
	return err == nil, err
}

// TeamAlertTasks lists the team's alert tasks that still hold a key.
func (s *Store) TeamAlertTasks(ctx context.Context, teamID string) ([]model.Task, error) {
	var out []model.Task
	err := s.q(ctx).Where("team_id = ? AND alert_key IS NOT NULL", teamID).Find(&out).Error
	return out, mapErr(err, "alert tasks")
}

// ReleaseAlert closes an alert task whose condition cleared (if still
// open) and frees its key for a later spell.
func (s *Store) ReleaseAlert(ctx context.Context, id string) (closed bool, err error) {
	res := s.q(ctx).Model(&model.Task{}).Where("id = ? AND done_at IS NULL", id).
		Updates(map[string]any{"done_at": s.Now(), "alert_key": nil, "updated_at": s.Now()})
	if res.Error != nil {
		return false, mapErr(res.Error, "close alert")
	}
	if res.RowsAffected > 0 {
		return true, nil
	}
	err = s.q(ctx).Model(&model.Task{}).Where("id = ?", id).Updates(map[string]any{"alert_key": nil}).Error
	return false, mapErr(err, "release alert")
}

// teamTasks are the tasks of the caller's teams that name no client (a
// coordinator's alerts about a CHW).
func (s *Store) teamTasks(ctx context.Context, sc Scope) *gorm.DB {
	q := s.q(ctx).Model(&model.Task{}).Where("tasks.client_id IS NULL")
	if sc.Role != model.RoleCoordinator || len(sc.TeamIDs) == 0 {
		return q.Where("1 = 0")
	}
	return q.Where("tasks.team_id IN ?", sc.TeamIDs)
}

// TeamIDs lists every team's id.
func (s *Store) TeamIDs(ctx context.Context) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&model.Team{}).Order("id").Pluck("id", &out).Error
	return out, mapErr(err, "team ids")
}
