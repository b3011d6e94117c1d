package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
)

// TargetsAhead is how many months ahead a target may be set.
const TargetsAhead = 24

// DeclaredGoal is a scope's own goal for an indicator in a month, and
// since when and by whom it stands.
type DeclaredGoal struct {
	Indicator string
	Goal      *int
	Since     string
	SetAt     time.Time
	SetBy     string
}

// ScopeGoals are the goals one scope declares.
type ScopeGoals struct {
	ID, Name, TeamID string
	Goals            []DeclaredGoal
	// Effective, for a CHW: the goal that applies and where it comes from.
	Effective []EffectiveGoal
}

// EffectiveGoal is the goal that applies to a CHW.
type EffectiveGoal struct {
	Indicator string
	Goal      *int
	Source    string
}

// TargetsView is what a caller may see and set of a month's targets.
type TargetsView struct {
	Month        string
	EditableFrom string
	Programme    ScopeGoals
	Teams        []ScopeGoals
	CHWs         []ScopeGoals
}

// TargetsOf lists a month's targets: the programme's, and for a
// coordinator their teams' and their CHWs' (teamID narrows to one of
// them); an admin sees the programme's and every team's.
func (s *Service) TargetsOf(ctx context.Context, p *Principal, month, teamID string) (TargetsView, error) {
	var teams []string
	switch p.Role {
	case model.RoleCoordinator:
		teams = slices.Clone(p.TeamIDs)
		if teamID != "" {
			if !p.InTeam(teamID) {
				return TargetsView{}, apperr.NotFound()
			}
			teams = []string{teamID}
		}
	case model.RoleAdmin:
		labels, err := s.Store.GroupLabels(ctx, "team")
		if err != nil {
			return TargetsView{}, err
		}
		for id := range labels {
			if teamID == "" || id == teamID {
				teams = append(teams, id)
			}
		}
	default:
		return TargetsView{}, apperr.Forbidden()
	}
	labels, err := s.Store.GroupLabels(ctx, "team")
	if err != nil {
		return TargetsView{}, err
	}
	var chws []model.User
	chwTeam := map[string]string{}
	if p.Role == model.RoleCoordinator {
		for _, t := range teams {
			us, err := s.Store.UsersOfTeam(ctx, t, model.RoleCHW)
			if err != nil {
				return TargetsView{}, err
			}
			for _, u := range us {
				if _, ok := chwTeam[u.ID]; !ok {
					chwTeam[u.ID] = t
					chws = append(chws, u)
				}
			}
		}
	}
	ids := make([]string, len(chws))
	for i, u := range chws {
		ids[i] = u.ID
	}
	g, err := s.goals(ctx, month, teams, ids)
	if err != nil {
		return TargetsView{}, err
	}
	names, err := s.Store.UserNames(ctx, g.setters())
	if err != nil {
		return TargetsView{}, err
	}
	declared := func(kind, id string) []DeclaredGoal {
		var out []DeclaredGoal
		for _, ind := range Indicators {
			if r, ok := g.declared(month, kind, id, ind.Key); ok {
				out = append(out, DeclaredGoal{Indicator: ind.Key, Goal: r.Goal, Since: r.Month, SetAt: r.SetAt, SetBy: names[r.SetBy]})
			}
		}
		return out
	}
	cur := s.CurrentMonth()
	v := TargetsView{Month: month, EditableFrom: cur, Programme: ScopeGoals{Goals: declared(model.TargetProgramme, "")}}
	sort.Slice(teams, func(a, b int) bool { return labels[teams[a]] < labels[teams[b]] })
	for _, t := range teams {
		v.Teams = append(v.Teams, ScopeGoals{ID: t, Name: labels[t], Goals: declared(model.TargetTeam, t)})
	}
	for _, u := range chws {
		sg := ScopeGoals{ID: u.ID, Name: u.Name, TeamID: chwTeam[u.ID], Goals: declared(model.TargetCHW, u.ID)}
		for _, ind := range Indicators {
			goal, src := g.For(month, u.ID, chwTeam[u.ID], ind.Key)
			sg.Effective = append(sg.Effective, EffectiveGoal{Indicator: ind.Key, Goal: goal, Source: src})
		}
		v.CHWs = append(v.CHWs, sg)
	}
	return v, nil
}

func (g Goals) setters() []string {
	var out []string
	for _, r := range g.rows {
		if !slices.Contains(out, r.SetBy) {
			out = append(out, r.SetBy)
		}
	}
	return out
}

// TargetsInput sets goals of one scope from a month on. A goal nil clears
// the scope's own goal (the next scope up then applies).
type TargetsInput struct {
	Scope  string
	TeamID string
	UserID string
	Month  string
	Goals  map[string]*float64
}

// SetTargets records goals for a scope from a month on. Months before the
// current one are refused (month_past): a past month keeps the goals it
// had, so a report of it never changes. An admin sets programme defaults;
// a coordinator their teams' targets and their CHWs' overrides (a team or
// CHW outside their teams is not found).
func (s *Service) SetTargets(ctx context.Context, p *Principal, in TargetsInput) (TargetsView, error) {
	var f apperr.Fields
	if !slices.Contains(model.TargetScopes, in.Scope) {
		f.OneOf("scope", model.TargetScopes)
	}
	cur := s.CurrentMonth()
	switch _, ok := ParseMonth(in.Month); {
	case in.Month == "":
		f.Add("month", apperr.CodeRequired, "Give the month the goals apply from, YYYY-MM.")
	case !ok:
		f.AddP("month", "month", "Must be a month, YYYY-MM.", map[string]any{"example": cur})
	case in.Month < cur:
		f.AddP("month", "month_past", "A past month keeps the goals it had; set goals from this month on.", map[string]any{"min": cur})
	case in.Month > addMonths(cur, TargetsAhead):
		f.AddP("month", apperr.CodeRange, fmt.Sprintf("At most %d months ahead.", TargetsAhead), map[string]any{"reason": "max_months", "max": TargetsAhead})
	}
	if len(in.Goals) == 0 {
		f.Add("goals", apperr.CodeRequired, "Give at least one goal.")
	}
	keys := make([]string, 0, len(in.Goals))
	for k := range in.Goals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ind, ok := indicatorOf(k)
		if !ok {
			f.AddP("goals."+k, "indicator", "Not an indicator.", apperr.Options(IndicatorKeys()...))
			continue
		}
		if v := in.Goals[k]; v != nil && (*v < 0 || *v > float64(ind.Max()) || *v != math.Trunc(*v)) {
			f.AddP("goals."+k, apperr.CodeRange, fmt.Sprintf("Must be a whole number from 0 to %d.", ind.Max()), apperr.Between(0, ind.Max()))
		}
	}
	row := model.Target{ScopeKind: in.Scope, SetBy: p.UserID}
	switch in.Scope {
	case model.TargetProgramme:
		if p.Role != model.RoleAdmin {
			return TargetsView{}, apperr.Forbidden()
		}
	case model.TargetTeam:
		if p.Role != model.RoleCoordinator {
			return TargetsView{}, apperr.Forbidden()
		}
		if uuid.Validate(in.TeamID) != nil {
			f.Add("team_id", "uuid", "Must be a UUID.")
		} else if !p.InTeam(in.TeamID) {
			return TargetsView{}, apperr.NotFound()
		}
		t := in.TeamID
		row.TeamID = &t
	case model.TargetCHW:
		if p.Role != model.RoleCoordinator {
			return TargetsView{}, apperr.Forbidden()
		}
		if uuid.Validate(in.UserID) != nil {
			f.Add("user_id", "uuid", "Must be a UUID.")
			break
		}
		u, err := s.Store.UserByID(ctx, in.UserID)
		if err != nil && !apperr.IsKind(err, apperr.KindNotFound) {
			return TargetsView{}, err
		}
		mine := err == nil && u.User.Role == model.RoleCHW && slices.ContainsFunc(u.TeamIDs, p.InTeam)
		if !mine {
			return TargetsView{}, apperr.NotFound()
		}
		id := in.UserID
		row.UserID = &id
	}
	if err := f.Err(); err != nil {
		return TargetsView{}, err
	}
	row.Month = in.Month
	var rows []model.Target
	var detail []string
	for _, k := range keys {
		r := row
		r.Indicator = k
		if v := in.Goals[k]; v != nil {
			g := int(*v)
			r.Goal = &g
			detail = append(detail, fmt.Sprintf("%s=%d", k, g))
		} else {
			detail = append(detail, k+"=none")
		}
		rows = append(rows, r)
	}
	if err := s.Store.AddTargets(ctx, rows); err != nil {
		return TargetsView{}, err
	}
	scopeID := in.TeamID
	if in.Scope == model.TargetCHW {
		scopeID = in.UserID
	}
	s.audit(ctx, p, "targets.set", "targets", scopeID, in.Scope+" "+in.Month+" "+strings.Join(detail, " "))
	team := ""
	if in.Scope == model.TargetTeam {
		team = in.TeamID
	}
	return s.TargetsOf(ctx, p, in.Month, team)
}
