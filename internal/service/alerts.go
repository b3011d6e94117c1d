package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
)

// Alerts are tasks for a team's coordinators, raised by RunAlerts when a
// condition holds and closed by it when the condition clears. Each
// condition has a key (tasks.alert_key, unique), so a condition has one
// task however often and from however many processes the rules run; a
// task closed by hand while its condition holds is not raised again
// until the condition has cleared.

// Alert task kinds.
const (
	TaskAlertNoVisits      = "alert_no_visits"      // a CHW logged no visit for N working days
	TaskAlertOverdueTasks  = "alert_overdue_tasks"  // a CHW has more than M overdue tasks
	TaskAlertStuckReferral = "alert_stuck_referral" // a referral has not moved for 21 days
	TaskAlertMissedInRow   = "alert_missed_in_row"  // a client missed three appointments in a row
)

// AlertKinds lists the alert kinds.
var AlertKinds = []string{TaskAlertNoVisits, TaskAlertOverdueTasks, TaskAlertStuckReferral, TaskAlertMissedInRow}

// Alert defaults and bounds; MissedInRow and StuckReferralDays are fixed.
const (
	DefaultNoVisitDays  = 5
	DefaultOverdueTasks = 10
	MaxNoVisitDays      = 60
	MaxOverdueTasks     = 500
	MissedInRow         = 3
)

// AlertSettings are a team's thresholds; Default is true for a team that
// never set its own.
type AlertSettings struct {
	TeamID       string
	NoVisitDays  int
	OverdueTasks int
	Default      bool
	UpdatedAt    *time.Time
}

func (s *Service) alertSettings(ctx context.Context, teamID string) (AlertSettings, error) {
	a, ok, err := s.Store.AlertSettings(ctx, teamID)
	if err != nil {
		return AlertSettings{}, err
	}
	if !ok {
		return AlertSettings{TeamID: teamID, NoVisitDays: DefaultNoVisitDays, OverdueTasks: DefaultOverdueTasks, Default: true}, nil
	}
	at := a.UpdatedAt
	return AlertSettings{TeamID: teamID, NoVisitDays: a.NoVisitDays, OverdueTasks: a.OverdueTasks, UpdatedAt: &at}, nil
}

// alertTeam checks that the caller may set the team's thresholds: an
// admin any team, a coordinator their own (else not found).
func (s *Service) alertTeam(ctx context.Context, p *Principal, teamID string) error {
	if p.Role == model.RoleCoordinator && p.InTeam(teamID) {
		return nil
	}
	if p.Role == model.RoleAdmin {
		if _, err := s.Store.TeamByID(ctx, teamID); err != nil {
			return storeErr(err)
		}
		return nil
	}
	return apperr.NotFound()
}

// AlertSettingsOf returns a team's alert thresholds.
func (s *Service) AlertSettingsOf(ctx context.Context, p *Principal, teamID string) (AlertSettings, error) {
	if err := s.alertTeam(ctx, p, teamID); err != nil {
		return AlertSettings{}, err
	}
	return s.alertSettings(ctx, teamID)
}

// SetAlertSettings changes a team's thresholds; nil keeps a value.
func (s *Service) SetAlertSettings(ctx context.Context, p *Principal, teamID string, noVisitDays, overdueTasks *int) (AlertSettings, error) {
	if err := s.alertTeam(ctx, p, teamID); err != nil {
		return AlertSettings{}, err
	}
	cur, err := s.alertSettings(ctx, teamID)
	if err != nil {
		return cur, err
	}
	var f apperr.Fields
	if noVisitDays != nil {
		if *noVisitDays < 1 || *noVisitDays > MaxNoVisitDays {
			f.AddP("no_visit_days", "range", fmt.Sprintf("Must be between 1 and %d.", MaxNoVisitDays), map[string]any{"min": 1, "max": MaxNoVisitDays})
		}
		cur.NoVisitDays = *noVisitDays
	}
	if overdueTasks != nil {
		if *overdueTasks < 1 || *overdueTasks > MaxOverdueTasks {
			f.AddP("overdue_tasks", "range", fmt.Sprintf("Must be between 1 and %d.", MaxOverdueTasks), map[string]any{"min": 1, "max": MaxOverdueTasks})
		}
		cur.OverdueTasks = *overdueTasks
	}
	if err := f.Err(); err != nil {
		return cur, err
	}
	err = s.Store.SaveAlertSettings(ctx, model.TeamAlertSettings{TeamID: teamID, NoVisitDays: cur.NoVisitDays, OverdueTasks: cur.OverdueTasks, UpdatedBy: p.UserID})
	if err != nil {
		return cur, err
	}
	s.audit(ctx, p, "team.alert_settings", "team", teamID, fmt.Sprintf("no_visit_days=%d overdue_tasks=%d", cur.NoVisitDays, cur.OverdueTasks))
	// The team's alerts follow the new thresholds at once, not at the next
	// housekeeping round: the coordinator who lowers one sees its tasks.
	if _, _, err := s.runTeamAlerts(ctx, teamID, s.Store.Now()); err != nil {
		return cur, err
	}
	return s.alertSettings(ctx, teamID)
}

// alert is a condition that holds now.
type alert struct {
	key, kind, clientID string
	params              map[string]string
}

// RunAlerts raises the coordinators' alert tasks of every team at now and
// closes those whose condition cleared. Safe to run from several
// processes at once.
func (s *Service) RunAlerts(ctx context.Context, now time.Time) (raised, closed int, err error) {
	teams, err := s.Store.TeamIDs(ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, team := range teams {
		r, c, err := s.runTeamAlerts(ctx, team, now)
		raised, closed = raised+r, closed+c
		if err != nil {
			return raised, closed, fmt.Errorf("alerts of team %s: %w", team, err)
		}
	}
	return raised, closed, nil
}

func (s *Service) runTeamAlerts(ctx context.Context, team string, now time.Time) (raised, closed int, err error) {
	holding, err := s.teamConditions(ctx, team, now)
	if err != nil {
		return 0, 0, err
	}
	existing, err := s.Store.TeamAlertTasks(ctx, team)
	if err != nil {
		return 0, 0, err
	}
	for _, t := range existing {
		if _, ok := holding[*t.AlertKey]; ok {
			continue
		}
		made, err := s.Store.ReleaseAlert(ctx, t.ID)
		if err != nil {
			return raised, closed, err
		}
		if made {
			closed++
		}
	}
	keys := make([]string, 0, len(holding))
	for k := range holding {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	today := BrusselsDate(now)
	for _, k := range keys {
		a := holding[k]
		key, teamID := a.key, team
		t := &model.Task{ClientID: a.clientID, Kind: a.kind, DueOn: today, Params: TaskParams(a.params), TeamID: &teamID, AlertKey: &key}
		made, err := s.Store.CreateAlertTask(ctx, t)
		if err != nil {
			return raised, closed, err
		}
		if made {
			raised++
		}
	}
	return raised, closed, nil
}

// teamConditions finds the alert conditions that hold for a team at now.
func (s *Service) teamConditions(ctx context.Context, team string, now time.Time) (map[string]alert, error) {
	set, err := s.alertSettings(ctx, team)
	if err != nil {
		return nil, err
	}
	out := map[string]alert{}
	add := func(a alert) { out[a.key] = a }
	chws, err := s.Store.UsersOfTeam(ctx, team, model.RoleCHW)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(chws))
	for i, u := range chws {
		ids[i] = u.ID
	}

	// A CHW without a visit since the start of the N-th working day back
	// (one who joined since then is not counted as quiet).
	cutoff := WorkingDaysCutoff(now, set.NoVisitDays)
	last, err := s.Store.LastVisits(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range chws {
		at, ok := last[u.ID]
		if ok && !at.Before(cutoff) || !ok && !u.CreatedAt.Before(cutoff) {
			continue
		}
		since := "—"
		if ok {
			since = BrusselsDate(at)
		}
		add(alert{key: "no_visits:" + team + ":" + u.ID, kind: TaskAlertNoVisits,
			params: map[string]string{"name": u.Name, "days": fmt.Sprint(set.NoVisitDays), "since": since}})
	}

	// Overdue tasks and stuck referrals, counted as the coaching view does.
	var open []string
	for _, st := range OpenReferralStatuses {
		if st != "draft" {
			open = append(open, st)
		}
	}
	stuckBefore := now.Add(-StuckReferralDays * 24 * time.Hour)
	overdue, _, err := s.Store.CoachingCounts(ctx, team, ids, BrusselsDate(now), stuckBefore, open)
	if err != nil {
		return nil, err
	}
	for _, u := range chws {
		if n := overdue[u.ID]; n > int64(set.OverdueTasks) {
			add(alert{key: "overdue_tasks:" + team + ":" + u.ID, kind: TaskAlertOverdueTasks,
				params: map[string]string{"name": u.Name, "count": fmt.Sprint(n), "max": fmt.Sprint(set.OverdueTasks)}})
		}
	}
	stuck, err := s.Store.StuckReferrals(ctx, team, open, stuckBefore)
	if err != nil {
		return nil, err
	}
	for _, r := range stuck {
		add(alert{key: "stuck_referral:" + r.ID, kind: TaskAlertStuckReferral, clientID: r.ClientID,
			params: map[string]string{"referral": r.ID, "since": BrusselsDate(r.LastEventAt), "days": fmt.Sprint(StuckReferralDays)}})
	}

	// Three missed appointments in a row: the client's latest outcomes
	// (attended or missed) in the past year are all missed.
	outcomes, err := s.Store.AppointmentOutcomes(ctx, team, now.AddDate(-1, 0, 0), now)
	if err != nil {
		return nil, err
	}
	streak := map[string]int{}
	broken := map[string]bool{}
	for _, a := range outcomes {
		if broken[a.ClientID] {
			continue
		}
		if a.Status != "missed" {
			broken[a.ClientID] = true
			continue
		}
		streak[a.ClientID]++
	}
	for client, n := range streak {
		if n >= MissedInRow {
			add(alert{key: "missed_in_row:" + client, kind: TaskAlertMissedInRow, clientID: client,
				params: map[string]string{"count": fmt.Sprint(MissedInRow)}})
		}
	}
	return out, nil
}
