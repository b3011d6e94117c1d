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
	// LastContact is each stale client's last visit, call or group
	// session (absent: never); system events such as a referral expiring
	// are no contact.
	LastContact map[string]time.Time
}

// staleClients selects active clients of a team, older than the window,
// with no contact inside it: a visit (a phone call is a visit by phone) or
// joining a group session. Referral events, consents and edits are not contact.
func (s *Store) staleClients(ctx context.Context, teamID string, since time.Time) *gorm.DB {
	return s.q(ctx).Model(&model.Client{}).
		Where("clients.team_id = ? AND clients.status = 'active' AND clients.created_at < ? AND clients.merged_into_id IS NULL", teamID, since).
		Where("NOT EXISTS (SELECT 1 FROM visits WHERE visits.client_id = clients.id AND visits.visited_at >= ?)", since).
		Where("NOT EXISTS (SELECT 1 FROM client_events WHERE client_events.client_id = clients.id AND client_events.kind = 'group_session' AND client_events.created_at >= ?)", since)
}

// lastContacts finds when clients were last visited, called or in a group session.
func (s *Store) lastContacts(ctx context.Context, clientIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	var visits []model.Visit
	if err := s.q(ctx).Select("client_id, visited_at").Where("client_id IN ?", clientIDs).Find(&visits).Error; err != nil {
		return nil, mapErr(err, "last visits")
	}
	var events []model.ClientEvent
	if err := s.q(ctx).Select("client_id, created_at").Where("client_id IN ? AND kind = 'group_session'", clientIDs).Find(&events).Error; err != nil {
		return nil, mapErr(err, "last group sessions")
	}
	later := func(id string, t time.Time) {
		if t.After(out[id]) {
			out[id] = t
		}
	}
	for _, v := range visits {
		later(v.ClientID, v.VisitedAt)
	}
	for _, e := range events {
		later(e.ClientID, e.CreatedAt)
	}
	return out, nil
}

// Board computes a team's board. The caller's scope must include the team.
func (s *Store) Board(ctx context.Context, sc Scope, teamID string, since time.Time) (TeamBoard, error) {
	var b TeamBoard
	if !sc.InTeam(teamID) || sc.Role != model.RoleCoordinator {
		return b, ErrNotFound
	}
	loads, err := s.TeamLoads(ctx, teamID, since)
	if err != nil {
		return b, err
	}
	b.CHWs = loads
	if err := s.q(ctx).Model(&model.Client{}).Where("team_id = ? AND status <> 'closed' AND assigned_chw_id IS NULL AND merged_into_id IS NULL", teamID).
		Order("last_activity_at DESC, id DESC").Limit(200).Find(&b.Unassigned).Error; err != nil {
		return b, mapErr(err, "unassigned")
	}
	if err := s.staleClients(ctx, teamID, since).Order("last_activity_at ASC, id").Limit(200).Find(&b.Stale).Error; err != nil {
		return b, mapErr(err, "stale")
	}
	ids := make([]string, len(b.Stale))
	for i, c := range b.Stale {
		ids[i] = c.ID
	}
	var err2 error
	b.LastContact, err2 = s.lastContacts(ctx, ids)
	return b, err2
}

// TeamLoads are the caseload of each CHW of a team and how many of their
// active clients had no contact since since.
func (s *Store) TeamLoads(ctx context.Context, teamID string, since time.Time) ([]CHWLoad, error) {
	chws, err := s.UsersOfTeam(ctx, teamID, model.RoleCHW)
	if err != nil {
		return nil, err
	}
	type count struct {
		ID string `gorm:"column:assigned_chw_id"`
		N  int64  `gorm:"column:n"`
	}
	var loads, stale []count
	if err := s.q(ctx).Model(&model.Client{}).Select("assigned_chw_id, COUNT(*) AS n").
		Where("team_id = ? AND status <> 'closed' AND assigned_chw_id IS NOT NULL AND merged_into_id IS NULL", teamID).
		Group("assigned_chw_id").Scan(&loads).Error; err != nil {
		return nil, mapErr(err, "caseloads")
	}
	if err := s.staleClients(ctx, teamID, since).Select("assigned_chw_id, COUNT(*) AS n").
		Where("assigned_chw_id IS NOT NULL").Group("assigned_chw_id").Scan(&stale).Error; err != nil {
		return nil, mapErr(err, "stale caseloads")
	}
	loadOf, staleOf := map[string]int64{}, map[string]int64{}
	for _, c := range loads {
		loadOf[c.ID] = c.N
	}
	for _, c := range stale {
		staleOf[c.ID] = c.N
	}
	var out []CHWLoad
	for _, u := range chws {
		out = append(out, CHWLoad{User: u, Caseload: loadOf[u.ID], Stale: staleOf[u.ID]})
	}
	return out, nil
}
