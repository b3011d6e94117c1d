package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// AddTargets records declared goals; earlier rows stay as history.
func (s *Store) AddTargets(ctx context.Context, ts []model.Target) error {
	if len(ts) == 0 {
		return nil
	}
	now := s.Now()
	for i := range ts {
		if ts[i].ID == "" {
			ts[i].ID = NewID()
		}
		if ts[i].SetAt.IsZero() {
			ts[i].SetAt = now
		}
	}
	return mapErr(s.q(ctx).Create(&ts).Error, "add targets")
}

// TargetsThrough lists the declared goals of months up to and including
// month (YYYY-MM), oldest first (month, then when set): the programme's,
// and those of the given teams and users (nil: every team and user). A
// scope's goal for a month is the last row of that scope with a month at
// or before it.
func (s *Store) TargetsThrough(ctx context.Context, month string, teamIDs, userIDs []string) ([]model.Target, error) {
	q := s.q(ctx).Where("month <= ?", month)
	if teamIDs != nil || userIDs != nil {
		cond, args := "scope_kind = 'programme'", []any{}
		if len(teamIDs) > 0 {
			cond, args = cond+" OR (scope_kind = 'team' AND team_id IN ?)", append(args, teamIDs)
		}
		if len(userIDs) > 0 {
			cond, args = cond+" OR (scope_kind = 'chw' AND user_id IN ?)", append(args, userIDs)
		}
		q = q.Where(cond, args...)
	}
	var out []model.Target
	err := q.Order("month, set_at, id").Find(&out).Error
	return out, mapErr(err, "targets")
}

// CoachingCounts counts, for the CHWs of a team, their open tasks due
// before today (Brussels date) and the open referrals they made for the
// team whose last movement is before stuckBefore.
func (s *Store) CoachingCounts(ctx context.Context, teamID string, chwIDs []string, today string, stuckBefore time.Time, open []string) (map[string]int64, map[string]int64, error) {
	type count struct {
		ID string
		N  int64
	}
	var tasks, refs []count
	if len(chwIDs) == 0 {
		return map[string]int64{}, map[string]int64{}, nil
	}
	if err := s.q(ctx).Raw(`SELECT CAST(t.assignee_id AS text) AS id, COUNT(*) AS n FROM tasks t JOIN clients c ON c.id = t.client_id
	      WHERE t.assignee_id IN ? AND t.done_at IS NULL AND t.due_on < ? AND c.team_id = ? AND c.merged_into_id IS NULL
	      GROUP BY t.assignee_id`, chwIDs, today, teamID).Scan(&tasks).Error; err != nil {
		return nil, nil, mapErr(err, "overdue tasks")
	}
	if err := s.q(ctx).Raw(`SELECT CAST(r.created_by AS text) AS id, COUNT(*) AS n FROM referrals r
	      WHERE r.created_by IN ? AND r.team_id = ? AND r.status IN ? AND r.last_event_at < ?
	      GROUP BY r.created_by`, chwIDs, teamID, open, stuckBefore.UTC()).Scan(&refs).Error; err != nil {
		return nil, nil, mapErr(err, "stuck referrals")
	}
	to := func(cs []count) map[string]int64 {
		m := map[string]int64{}
		for _, c := range cs {
			m[c.ID] = c.N
		}
		return m
	}
	return to(tasks), to(refs), nil
}
