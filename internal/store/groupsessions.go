package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// visibleGroupSessions restricts a query on group_sessions to the caller's
// scope: CHWs and coordinators see the sessions of their teams (group work
// is team work and names nobody); every other role sees none.
func visibleGroupSessions(q *gorm.DB, s Scope) *gorm.DB {
	if len(s.TeamIDs) == 0 || (s.Role != model.RoleCHW && s.Role != model.RoleCoordinator) {
		return q.Where("1 = 0")
	}
	return q.Where("group_sessions.team_id IN ?", s.TeamIDs)
}

// CreateGroupSession stores a session and its facilitators in one transaction.
func (s *Store) CreateGroupSession(ctx context.Context, g *model.GroupSession, facilitators []model.GroupSessionFacilitator) error {
	if g.ID == "" {
		g.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(g).Error; err != nil {
			return mapErr(err, "create group session")
		}
		return tx.addFacilitators(ctx, g.ID, facilitators)
	})
}

func (s *Store) addFacilitators(ctx context.Context, sessionID string, rows []model.GroupSessionFacilitator) error {
	if len(rows) == 0 {
		return nil
	}
	now := s.Now()
	for i := range rows {
		rows[i].SessionID, rows[i].CreatedAt = sessionID, now
	}
	return mapErr(s.q(ctx).Create(&rows).Error, "group session facilitators")
}

// GroupSessionByID returns a session the caller may see, or ErrNotFound.
func (s *Store) GroupSessionByID(ctx context.Context, sc Scope, id string) (model.GroupSession, error) {
	var g model.GroupSession
	err := visibleGroupSessions(s.q(ctx).Model(&model.GroupSession{}), sc).Where("group_sessions.id = ?", id).Take(&g).Error
	return g, mapErr(err, "group session")
}

// GroupSessionFilter narrows ListGroupSessions.
type GroupSessionFilter struct {
	From, To      *time.Time
	TeamID        string
	FacilitatorID string
	Status        string
	Descending    bool
	Limit         int
}

// ListGroupSessions lists visible sessions starting in [From, To).
func (s *Store) ListGroupSessions(ctx context.Context, sc Scope, f GroupSessionFilter) ([]model.GroupSession, error) {
	q := visibleGroupSessions(s.q(ctx).Model(&model.GroupSession{}), sc)
	if f.TeamID != "" {
		q = q.Where("group_sessions.team_id = ?", f.TeamID)
	}
	if f.From != nil {
		q = q.Where("group_sessions.starts_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("group_sessions.starts_at < ?", f.To.UTC())
	}
	if f.Status != "" {
		q = q.Where("group_sessions.status = ?", f.Status)
	}
	if f.FacilitatorID != "" {
		q = q.Where("EXISTS (SELECT 1 FROM group_session_facilitators gf WHERE gf.session_id = group_sessions.id AND gf.chw_id = ?)", f.FacilitatorID)
	}
	order := "group_sessions.starts_at, group_sessions.id"
	if f.Descending {
		order = "group_sessions.starts_at DESC, group_sessions.id DESC"
	}
	var out []model.GroupSession
	err := q.Order(order).Limit(f.Limit).Find(&out).Error
	return out, mapErr(err, "list group sessions")
}

// GroupSessionFacilitators loads the facilitators of sessions, by session id.
// Callers pass ids of sessions they already loaded in scope.
func (s *Store) GroupSessionFacilitators(ctx context.Context, sessionIDs []string) (map[string][]model.GroupSessionFacilitator, error) {
	out := map[string][]model.GroupSessionFacilitator{}
	if len(sessionIDs) == 0 {
		return out, nil
	}
	var rows []model.GroupSessionFacilitator
	if err := s.q(ctx).Where("session_id IN ?", sessionIDs).Order("created_at, chw_id").Find(&rows).Error; err != nil {
		return nil, mapErr(err, "group session facilitators")
	}
	for _, r := range rows {
		out[r.SessionID] = append(out[r.SessionID], r)
	}
	return out, nil
}

// UpdateGroupSession changes a visible session. When facilitators is not
// nil it is the new list: rows of facilitators who stay are kept as they
// were written (their team and fund of then), new ones are added, others
// removed.
func (s *Store) UpdateGroupSession(ctx context.Context, sc Scope, id string, set map[string]any, facilitators []model.GroupSessionFacilitator) (model.GroupSession, error) {
	var out model.GroupSession
	err := s.Tx(ctx, func(tx *Store) error {
		cur, err := tx.GroupSessionByID(ctx, sc, id)
		if err != nil {
			return err
		}
		set["updated_at"] = tx.Now()
		if err := tx.q(ctx).Model(&model.GroupSession{}).Where("id = ?", cur.ID).Updates(set).Error; err != nil {
			return mapErr(err, "update group session")
		}
		if facilitators != nil {
			if err := tx.replaceFacilitators(ctx, cur.ID, facilitators); err != nil {
				return err
			}
		}
		out, err = tx.GroupSessionByID(ctx, sc, id)
		return err
	})
	return out, err
}

func (s *Store) replaceFacilitators(ctx context.Context, sessionID string, want []model.GroupSessionFacilitator) error {
	var have []model.GroupSessionFacilitator
	if err := s.q(ctx).Where("session_id = ?", sessionID).Find(&have).Error; err != nil {
		return mapErr(err, "group session facilitators")
	}
	kept := map[string]bool{}
	for _, h := range have {
		kept[h.CHWID] = false
	}
	var add []model.GroupSessionFacilitator
	var keep []string
	for _, w := range want {
		if _, ok := kept[w.CHWID]; ok {
			keep = append(keep, w.CHWID)
			continue
		}
		add = append(add, w)
	}
	del := s.q(ctx).Where("session_id = ?", sessionID)
	if len(keep) > 0 {
		del = del.Where("chw_id NOT IN ?", keep)
	}
	if err := del.Delete(&model.GroupSessionFacilitator{}).Error; err != nil {
		return mapErr(err, "remove facilitators")
	}
	return s.addFacilitators(ctx, sessionID, add)
}

// FacilitatorSessions returns the sessions a user facilitates that start
// from from on, for their calendar feed (which is not a signed-in request,
// so it is scoped by the facilitator instead of a Scope).
func (s *Store) FacilitatorSessions(ctx context.Context, userID string, from time.Time) ([]model.GroupSession, error) {
	var out []model.GroupSession
	err := s.q(ctx).Model(&model.GroupSession{}).
		Joins("JOIN group_session_facilitators gf ON gf.session_id = group_sessions.id").
		Where("gf.chw_id = ? AND group_sessions.starts_at >= ?", userID, from.UTC()).
		Order("group_sessions.starts_at").Limit(2000).Find(&out).Error
	return out, mapErr(err, "calendar group sessions")
}

// CountGroupSessions counts every session (demo seeding checks for none).
func (s *Store) CountGroupSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.GroupSession{}).Count(&n).Error
	return n, mapErr(err, "count group sessions")
}
