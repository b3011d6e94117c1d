package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// CHWLoad is one CHW's share of a team's caseload.
type CHWLoad struct {
	User     model.User
	Caseload int64 // active and paused clients
	Stale    int64 // active clients without a visit in the window
}

// TeamBoard is what a coordinator watches.
type TeamBoard struct {
	CHWs       []CHWLoad
	Unassigned []model.Client
	Stale      []model.Client
}

// staleClients selects active clients of a team, older than the window,
// with no visit inside it.
func (s *Store) staleClients(ctx context.Context, teamID string, since time.Time) *gorm.DB {
	return s.q(ctx).Model(&model.Client{}).
		Where("clients.team_id = ? AND clients.status = 'active' AND clients.created_at < ? AND clients.merged_into_id IS NULL", teamID, since).
		Where("NOT EXISTS (SELECT 1 FROM visits WHERE visits.client_id = clients.id AND visits.visited_at >= ?)", since)
}

// Board computes a team's board. The caller's scope must include the team.
func (s *Store) Board(ctx context.Context, sc Scope, teamID string, since time.Time) (TeamBoard, error) {
	var b TeamBoard
	if !sc.InTeam(teamID) || sc.Role != model.RoleCoordinator {
		return b, ErrNotFound
	}
	chws, err := s.UsersOfTeam(ctx, teamID, model.RoleCHW)
	if err != nil {
		return b, err
	}
	type count struct {
		ID string `gorm:"column:assigned_chw_id"`
		N  int64  `gorm:"column:n"`
	}
	var loads, stale []count
	if err := s.q(ctx).Model(&model.Client{}).Select("assigned_chw_id, COUNT(*) AS n").
		Where("team_id = ? AND status <> 'closed' AND assigned_chw_id IS NOT NULL AND merged_into_id IS NULL", teamID).
		Group("assigned_chw_id").Scan(&loads).Error; err != nil {
		return b, mapErr(err, "caseloads")
	}
	if err := s.staleClients(ctx, teamID, since).Select("assigned_chw_id, COUNT(*) AS n").
		Where("assigned_chw_id IS NOT NULL").Group("assigned_chw_id").Scan(&stale).Error; err != nil {
		return b, mapErr(err, "stale caseloads")
	}
	loadOf, staleOf := map[string]int64{}, map[string]int64{}
	for _, c := range loads {
		loadOf[c.ID] = c.N
	}
	for _, c := range stale {
		staleOf[c.ID] = c.N
	}
	for _, u := range chws {
		b.CHWs = append(b.CHWs, CHWLoad{User: u, Caseload: loadOf[u.ID], Stale: staleOf[u.ID]})
	}
	if err := s.q(ctx).Model(&model.Client{}).Where("team_id = ? AND status <> 'closed' AND assigned_chw_id IS NULL AND merged_into_id IS NULL", teamID).
		Order("last_activity_at DESC, id DESC").Limit(200).Find(&b.Unassigned).Error; err != nil {
		return b, mapErr(err, "unassigned")
	}
	if err := s.staleClients(ctx, teamID, since).Order("last_activity_at ASC, id").Limit(200).Find(&b.Stale).Error; err != nil {
		return b, mapErr(err, "stale")
	}
	return b, nil
}
