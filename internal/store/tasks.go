package store

import (
	"context"
	"errors"
	"sort"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// CreateTask stores a task. A task with a dedupe key that exists already is
// not created again: rules may run any number of times.
func (s *Store) CreateTask(ctx context.Context, t *model.Task) (bool, error) {
	if t.ID == "" {
		t.ID = NewID()
	}
	if t.DedupeKey != nil {
		var n int64
		if err := s.q(ctx).Model(&model.Task{}).Where("dedupe_key = ?", *t.DedupeKey).Count(&n).Error; err != nil {
			return false, mapErr(err, "task dedupe")
		}
		if n > 0 {
			return false, nil
		}
	}
	err := mapErr(s.q(ctx).Create(t).Error, "create task")
	if errors.Is(err, ErrConflict) && t.DedupeKey != nil {
		return false, nil // a concurrent rule run won the race
	}
	return err == nil, err
}

// TaskFilter narrows Tasks. DueFrom/DueTo are YYYY-MM-DD bounds (inclusive).
type TaskFilter struct {
	ClientID string
	Open     bool
	DueFrom  string
	DueTo    string
	Mine     bool
}

// Tasks lists tasks of visible clients, by due date. A CHW sees the tasks
// assigned to them; Mine narrows a coordinator's list the same way.
func (s *Store) Tasks(ctx context.Context, sc Scope, f TaskFilter) ([]model.Task, error) {
	q := visibleVia(s.q(ctx).Model(&model.Task{}), "tasks", sc).Select("tasks.*")
	switch {
	case sc.Role == model.RoleCHW:
		q = q.Where("tasks.assignee_id = ?", sc.UserID)
	case f.Mine:
		// A coordinator's own tasks include the team's alerts.
		q = q.Where("(tasks.assignee_id = ? OR tasks.team_id IS NOT NULL)", sc.UserID)
	}
	if f.ClientID != "" {
		q = q.Where("tasks.client_id = ?", f.ClientID)
	}
	// window keeps the open tasks and the due dates asked for.
	window := func(q *gorm.DB) *gorm.DB {
		if f.Open {
			q = q.Where("tasks.done_at IS NULL")
		}
		if f.DueFrom != "" {
			q = q.Where("tasks.due_on >= ?", f.DueFrom)
		}
		if f.DueTo != "" {
			q = q.Where("tasks.due_on <= ?", f.DueTo)
		}
		return q
	}
	var out []model.Task
	err := window(q).Order("tasks.due_on, tasks.created_at, tasks.id").Limit(1000).Find(&out).Error
	// Only a coordinator's teams have alerts about a CHW, which name no
	// client: nobody else needs the second statement.
	if err != nil || f.ClientID != "" || sc.Role != model.RoleCoordinator || len(sc.TeamIDs) == 0 {
		return out, mapErr(err, "tasks")
	}
	tq := window(s.teamTasks(ctx, sc))
	var team []model.Task
	if err := tq.Order("tasks.due_on, tasks.created_at, tasks.id").Limit(1000).Find(&team).Error; err != nil {
		return nil, mapErr(err, "team tasks")
	}
	if len(team) == 0 {
		return out, nil
	}
	out = append(out, team...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.DueOn != b.DueOn {
			return a.DueOn < b.DueOn
		}
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	if len(out) > 1000 {
		out = out[:1000]
	}
	return out, nil
}

// TaskByID returns a task the caller may see.
func (s *Store) TaskByID(ctx context.Context, sc Scope, id string) (model.Task, error) {
	var t model.Task
	q := visibleVia(s.q(ctx).Model(&model.Task{}), "tasks", sc).Select("tasks.*").Where("tasks.id = ?", id)
	if sc.Role == model.RoleCHW {
		q = q.Where("tasks.assignee_id = ?", sc.UserID)
	}
	err := q.Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		err = s.teamTasks(ctx, sc).Where("tasks.id = ?", id).Take(&t).Error
	}
	return t, mapErr(err, "task")
}

// UpdateTask changes a task.
func (s *Store) UpdateTask(ctx context.Context, id string, set map[string]any) error {
	set["updated_at"] = s.Now()
	return mapErr(s.q(ctx).Model(&model.Task{}).Where("id = ?", id).Updates(set).Error, "update task")
}

// moveOpenWork hands a client's open tasks and future accompanied
// appointments to the new CHW (or to nobody) when the client is transferred.
func (s *Store) moveOpenWork(ctx context.Context, clientID string, from, to *string) error {
	// A coordinator's alert about the client stays with the team.
	if err := s.q(ctx).Model(&model.Task{}).Where("client_id = ? AND done_at IS NULL AND team_id IS NULL", clientID).
		Updates(map[string]any{"assignee_id": to, "updated_at": s.Now()}).Error; err != nil {
		return mapErr(err, "move tasks")
	}
	if from == nil {
		return nil
	}
	err := s.q(ctx).Model(&model.Appointment{}).
		Where("client_id = ? AND accompanied_by = ? AND starts_at >= ? AND status = 'planned'", clientID, *from, s.Now()).
		Updates(map[string]any{"accompanied_by": to, "updated_at": s.Now()}).Error
	return mapErr(err, "move appointments")
}

// CreateCalendarToken revokes the user's earlier feed tokens and stores a new one.
func (s *Store) CreateCalendarToken(ctx context.Context, userID, hash string) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.RevokeCalendarTokens(ctx, userID); err != nil {
			return err
		}
		t := model.CalendarToken{ID: NewID(), UserID: userID, TokenHash: hash, CreatedAt: tx.Now()}
		return mapErr(tx.q(ctx).Create(&t).Error, "calendar token")
	})
}

// RevokeCalendarTokens ends every feed of a user.
func (s *Store) RevokeCalendarTokens(ctx context.Context, userID string) error {
	err := s.q(ctx).Model(&model.CalendarToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", s.Now()).Error
	return mapErr(err, "revoke calendar tokens")
}

// CalendarUser returns the enabled user of a live feed token.
func (s *Store) CalendarUser(ctx context.Context, hash string) (model.User, error) {
	var u model.User
	err := s.q(ctx).Model(&model.User{}).Select("users.*").
		Joins("JOIN calendar_tokens ON calendar_tokens.user_id = users.id").
		Where("calendar_tokens.token_hash = ? AND calendar_tokens.revoked_at IS NULL AND users.disabled_at IS NULL", hash).
		Take(&u).Error
	return u, mapErr(err, "calendar user")
}
