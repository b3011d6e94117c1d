package service

import (
	"context"
	"sort"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// StuckReferralDays is how long an open referral may go without moving
// before the coaching view counts it as stuck.
const StuckReferralDays = 21

// NoContactDays is the window of the coaching view's clients without a
// real contact (a visit, a call, a group session).
const NoContactDays = 30

// CoachingCHW is one CHW of a coordinator's team: their work this month
// and last against their goals, and what needs attention.
type CoachingCHW struct {
	User           model.User
	Caseload       int64
	WithoutContact int64
	OverdueTasks   int64
	StuckReferrals int64
	// Behind counts this month's indicators behind pace.
	Behind int
	This   MonthProgress
	Last   MonthProgress
}

// CoachingView is a team's CHWs side by side.
type CoachingView struct {
	TeamID string
	CHWs   []CoachingCHW
}

// Coaching builds the coaching view of a coordinator's team for a month
// and the month before: exact figures of the work done for the team, per
// CHW (the activity report's code, grouped by the CHW who did the work).
// A team outside the coordinator's is not found.
func (s *Service) Coaching(ctx context.Context, p *Principal, teamID, month string) (CoachingView, error) {
	if p.Role != model.RoleCoordinator || !p.InTeam(teamID) {
		return CoachingView{}, apperr.NotFound()
	}
	now := s.Store.Now()
	loads, err := s.Store.TeamLoads(ctx, teamID, now.Add(-NoContactDays*24*time.Hour))
	if err != nil {
		return CoachingView{}, err
	}
	ids := make([]string, len(loads))
	for i, l := range loads {
		ids[i] = l.User.ID
	}
	today := now.In(store.Brussels).Format(time.DateOnly)
	var open []string
	for _, st := range OpenReferralStatuses {
		if st != "draft" {
			open = append(open, st)
		}
	}
	overdue, stuck, err := s.Store.CoachingCounts(ctx, teamID, ids, today, now.Add(-StuckReferralDays*24*time.Hour), open)
	if err != nil {
		return CoachingView{}, err
	}
	prev := addMonths(month, -1)
	sc := store.ReportScope{TeamIDs: []string{teamID}}
	from, to := monthBounds(month)
	cur, _, err := s.runFigures(ctx, sc, true, store.GroupCHW, from, to)
	if err != nil {
		return CoachingView{}, err
	}
	pfrom, pto := monthBounds(prev)
	last, _, err := s.runFigures(ctx, sc, true, store.GroupCHW, pfrom, pto)
	if err != nil {
		return CoachingView{}, err
	}
	g, err := s.goals(ctx, month, []string{teamID}, ids)
	if err != nil {
		return CoachingView{}, err
	}
	fig := func(f Figures, chw string) func(string) Figure {
		return func(k string) Figure {
			if v, ok := f.Groups[k][chw]; ok {
				return v
			}
			return zeroFigure(k)
		}
	}
	out := CoachingView{TeamID: teamID, CHWs: []CoachingCHW{}}
	for _, l := range loads {
		id := l.User.ID
		c := CoachingCHW{User: l.User, Caseload: l.Caseload, WithoutContact: l.Stale, OverdueTasks: overdue[id], StuckReferrals: stuck[id],
			This: progressOf(month, s.paceOf(month), fig(cur, id), func(k string) (*int, string) { return g.For(month, id, teamID, k) }),
			Last: progressOf(prev, s.paceOf(prev), fig(last, id), func(k string) (*int, string) { return g.For(prev, id, teamID, k) })}
		for _, it := range c.This.Items {
			if it.Behind {
				c.Behind++
			}
		}
		out.CHWs = append(out.CHWs, c)
	}
	s.audit(ctx, p, "report.read", "report", "coaching", teamID+" "+month)
	return out, nil
}

// TargetGroup is one group (a team, or the whole scope) of the targets
// report: its figures against the sum of its CHWs' goals.
type TargetGroup struct {
	Key, Label string
	Items      []Progress
}

// TargetsReport is the month's progress as team and programme aggregates,
// under the report's rules: exact for a CHW's own work and a coordinator's
// teams, suppressed for managers.
type TargetsReport struct {
	Month     string
	Pace      Pace
	Exact     bool
	Threshold int
	Teams     []TargetGroup
	Total     TargetGroup
}

// TargetsReportOf builds the targets report of a month for the caller's
// report scope (team_id and fund_id narrow it as for any report). A
// team's goal for a count is the sum of the goals of its CHWs; for a
// share, the team's own target (else the programme's). The total's goal
// is the sum of the teams'.
func (s *Service) TargetsReportOf(ctx context.Context, p *Principal, month, teamID, fundID string) (TargetsReport, error) {
	from, to := monthBounds(month)
	sc, exact, err := s.reportScope(p, ReportParams{TeamID: teamID, FundID: fundID, From: from, To: to})
	if err != nil {
		return TargetsReport{}, err
	}
	figs, labels, err := s.runFigures(ctx, sc, exact, "team", from, to)
	if err != nil {
		return TargetsReport{}, err
	}
	g, err := s.goals(ctx, month, nil, nil)
	if err != nil {
		return TargetsReport{}, err
	}
	keys := map[string]bool{}
	for _, groups := range figs.Groups {
		for k := range groups {
			keys[k] = true
		}
	}
	teams := make([]string, 0, len(keys))
	for k := range keys {
		teams = append(teams, k)
	}
	sort.Slice(teams, func(a, b int) bool { return label(labels, teams[a]) < label(labels, teams[b]) })
	pace := s.paceOf(month)
	out := TargetsReport{Month: month, Pace: pace, Exact: exact, Threshold: s.ReportThreshold, Teams: []TargetGroup{}}
	totalGoal := map[string]*int{}
	for _, t := range teams {
		var chws []model.User
		if t != "" {
			if chws, err = s.Store.UsersOfTeam(ctx, t, model.RoleCHW); err != nil {
				return TargetsReport{}, err
			}
		}
		teamGoal := func(k string) (*int, string) {
			ind, _ := indicatorOf(k)
			if ind.Unit == "percent" {
				return g.For(month, "", t, k)
			}
			var sum *int
			for _, u := range chws {
				if v, _ := g.For(month, u.ID, t, k); v != nil {
					if sum == nil {
						sum = new(int)
					}
					*sum += *v
				}
			}
			if sum != nil {
				if totalGoal[k] == nil {
					totalGoal[k] = new(int)
				}
				*totalGoal[k] += *sum
			}
			return sum, model.TargetTeam
		}
		mp := progressOf(month, pace, func(k string) Figure {
			if v, ok := figs.Groups[k][t]; ok {
				return v
			}
			return zeroFigure(k)
		}, teamGoal)
		out.Teams = append(out.Teams, TargetGroup{Key: t, Label: label(labels, t), Items: mp.Items})
	}
	mp := progressOf(month, pace, func(k string) Figure { return figs.Totals[k] }, func(k string) (*int, string) {
		ind, _ := indicatorOf(k)
		if ind.Unit == "percent" {
			return g.For(month, "", "", k)
		}
		return totalGoal[k], model.TargetProgramme
	})
	out.Total = TargetGroup{Key: "all", Label: "", Items: mp.Items}
	s.audit(ctx, p, "report.read", "report", "targets", month)
	return out, nil
}
