package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/service"
)

// Targets and progress (issue 17): the indicators a programme sets monthly
// goals for, each CHW's progress against them, the coordinator's coaching
// view and the aggregate targets report.

type indicatorDTO struct {
	Key  string `json:"key"`
	Unit string `json:"unit"`
	Max  int    `json:"max"`
	// Table is the report table the figure is read from.
	Table string `json:"table"`
}

func indicatorDTOs() []indicatorDTO {
	out := make([]indicatorDTO, len(service.Indicators))
	for i, ind := range service.Indicators {
		out[i] = indicatorDTO{ind.Key, ind.Unit, ind.Max(), ind.Table}
	}
	return out
}

type progressDTO struct {
	Indicator  string   `json:"indicator"`
	Unit       string   `json:"unit"`
	Value      *int64   `json:"value"`
	Of         *int64   `json:"of,omitempty"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Goal       *int     `json:"goal"`
	GoalSource string   `json:"goal_source,omitempty"`
	Expected   *float64 `json:"expected,omitempty"`
	Behind     bool     `json:"behind"`
}

type monthProgressDTO struct {
	Month      string        `json:"month"`
	Day        int           `json:"day"`
	Days       int           `json:"days"`
	Indicators []progressDTO `json:"indicators"`
}

func progressItems(items []service.Progress) []progressDTO {
	out := make([]progressDTO, len(items))
	for i, p := range items {
		out[i] = progressDTO{Indicator: p.Indicator.Key, Unit: p.Indicator.Unit, Value: p.Figure.Value, Of: p.Figure.Of,
			Suppressed: p.Figure.Suppressed, Goal: p.Goal, GoalSource: p.GoalSource, Expected: p.Expected, Behind: p.Behind}
	}
	return out
}

func toMonthProgress(m service.MonthProgress) monthProgressDTO {
	return monthProgressDTO{Month: m.Month, Day: m.Pace.Day, Days: m.Pace.Days, Indicators: progressItems(m.Items)}
}

// monthParam reads ?month=YYYY-MM (default: this month in Brussels).
func (s *Server) monthParam(c echo.Context, f *apperr.Fields) string {
	v := c.QueryParam("month")
	if v == "" {
		return s.svc.CurrentMonth()
	}
	if _, ok := service.ParseMonth(v); !ok {
		f.AddP("month", "month", "Must be a month, YYYY-MM.", map[string]any{"example": s.svc.CurrentMonth()})
	}
	return v
}

func (s *Server) myProgress(c echo.Context) error {
	var f apperr.Fields
	month := s.monthParam(c, &f)
	if err := f.Err(); err != nil {
		return err
	}
	m, err := s.svc.MyProgress(c.Request().Context(), principal(c), month)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMonthProgress(m))
}

func (s *Server) myProgressHistory(c echo.Context) error {
	ms, err := s.svc.MyHistory(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	out := struct {
		Months []monthProgressDTO `json:"months"`
	}{Months: make([]monthProgressDTO, len(ms))}
	for i, m := range ms {
		out.Months[i] = toMonthProgress(m)
	}
	return c.JSON(http.StatusOK, out)
}

type declaredGoalDTO struct {
	Indicator string    `json:"indicator"`
	Goal      *int      `json:"goal"`
	Since     string    `json:"since"`
	SetAt     time.Time `json:"set_at"`
	SetBy     string    `json:"set_by"`
}

type effectiveGoalDTO struct {
	Indicator string `json:"indicator"`
	Goal      *int   `json:"goal"`
	Source    string `json:"source,omitempty"`
}

type scopeGoalsDTO struct {
	ID        string             `json:"id,omitempty"`
	Name      string             `json:"name,omitempty"`
	TeamID    string             `json:"team_id,omitempty"`
	Goals     []declaredGoalDTO  `json:"goals"`
	Effective []effectiveGoalDTO `json:"effective,omitempty"`
}

type targetsDTO struct {
	Month        string          `json:"month"`
	EditableFrom string          `json:"editable_from"`
	Indicators   []indicatorDTO  `json:"indicators"`
	Programme    scopeGoalsDTO   `json:"programme"`
	Teams        []scopeGoalsDTO `json:"teams"`
	CHWs         []scopeGoalsDTO `json:"chws"`
}

func toScopeGoals(g service.ScopeGoals) scopeGoalsDTO {
	out := scopeGoalsDTO{ID: g.ID, Name: g.Name, TeamID: g.TeamID, Goals: []declaredGoalDTO{}}
	for _, d := range g.Goals {
		out.Goals = append(out.Goals, declaredGoalDTO{d.Indicator, d.Goal, d.Since, d.SetAt.UTC(), d.SetBy})
	}
	for _, e := range g.Effective {
		out.Effective = append(out.Effective, effectiveGoalDTO(e))
	}
	return out
}

func toTargets(v service.TargetsView) targetsDTO {
	out := targetsDTO{Month: v.Month, EditableFrom: v.EditableFrom, Indicators: indicatorDTOs(), Programme: toScopeGoals(v.Programme),
		Teams: []scopeGoalsDTO{}, CHWs: []scopeGoalsDTO{}}
	for _, t := range v.Teams {
		out.Teams = append(out.Teams, toScopeGoals(t))
	}
	for _, u := range v.CHWs {
		out.CHWs = append(out.CHWs, toScopeGoals(u))
	}
	return out
}

func (s *Server) listTargets(c echo.Context) error {
	var f apperr.Fields
	month := s.monthParam(c, &f)
	team := c.QueryParam("team_id")
	if team != "" && uuid.Validate(team) != nil {
		f.Add("team_id", "uuid", "Must be a UUID.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	v, err := s.svc.TargetsOf(c.Request().Context(), principal(c), month, team)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTargets(v))
}

type targetsRequest struct {
	Scope  string                     `json:"scope"`
	TeamID string                     `json:"team_id"`
	UserID string                     `json:"user_id"`
	Month  string                     `json:"month"`
	Goals  map[string]json.RawMessage `json:"goals"`
}

func (s *Server) putTargets(c echo.Context) error {
	var req targetsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := service.TargetsInput{Scope: req.Scope, TeamID: req.TeamID, UserID: req.UserID, Month: req.Month, Goals: map[string]*float64{}}
	var f apperr.Fields
	keys := make([]string, 0, len(req.Goals))
	for k := range req.Goals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		raw := req.Goals[k]
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			in.Goals[k] = nil
			continue
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			f.AddP("goals."+k, apperr.CodeType, "Must be a whole number or null.", map[string]any{"expected": "integer"})
			continue
		}
		in.Goals[k] = &v
	}
	if err := f.Err(); err != nil {
		return err
	}
	v, err := s.svc.SetTargets(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toTargets(v))
}

type coachingCHWDTO struct {
	ID             string           `json:"id"`
	Name           string           `json:"name"`
	Caseload       int64            `json:"caseload"`
	WithoutContact int64            `json:"without_contact"`
	OverdueTasks   int64            `json:"overdue_tasks"`
	StuckReferrals int64            `json:"stuck_referrals"`
	Behind         int              `json:"behind"`
	This           monthProgressDTO `json:"this_month"`
	Last           monthProgressDTO `json:"last_month"`
}

func (s *Server) teamCoaching(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var f apperr.Fields
	month := s.monthParam(c, &f)
	if err := f.Err(); err != nil {
		return err
	}
	v, err := s.svc.Coaching(c.Request().Context(), principal(c), id, month)
	if err != nil {
		return err
	}
	out := struct {
		TeamID            string           `json:"team_id"`
		Month             string           `json:"month"`
		Indicators        []indicatorDTO   `json:"indicators"`
		NoContactDays     int              `json:"no_contact_days"`
		StuckReferralDays int              `json:"stuck_referral_days"`
		CHWs              []coachingCHWDTO `json:"chws"`
	}{TeamID: v.TeamID, Month: month, Indicators: indicatorDTOs(), NoContactDays: service.NoContactDays,
		StuckReferralDays: service.StuckReferralDays, CHWs: []coachingCHWDTO{}}
	for _, u := range v.CHWs {
		out.CHWs = append(out.CHWs, coachingCHWDTO{u.User.ID, u.User.Name, u.Caseload, u.WithoutContact, u.OverdueTasks, u.StuckReferrals,
			u.Behind, toMonthProgress(u.This), toMonthProgress(u.Last)})
	}
	return c.JSON(http.StatusOK, out)
}

type targetGroupDTO struct {
	Key        string        `json:"key"`
	Label      string        `json:"label"`
	Indicators []progressDTO `json:"indicators"`
}

func (s *Server) targetsReport(c echo.Context) error {
	var f apperr.Fields
	month := s.monthParam(c, &f)
	team, fund := c.QueryParam("team_id"), c.QueryParam("fund_id")
	for name, v := range map[string]string{"team_id": team, "fund_id": fund} {
		if v != "" && uuid.Validate(v) != nil {
			f.Add(name, "uuid", "Must be a UUID.")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	r, err := s.svc.TargetsReportOf(c.Request().Context(), principal(c), month, team, fund)
	if err != nil {
		return err
	}
	out := struct {
		Month      string           `json:"month"`
		Day        int              `json:"day"`
		Days       int              `json:"days"`
		Exact      bool             `json:"exact"`
		Threshold  int              `json:"threshold"`
		Indicators []indicatorDTO   `json:"indicators"`
		Teams      []targetGroupDTO `json:"teams"`
		Total      targetGroupDTO   `json:"total"`
	}{Month: r.Month, Day: r.Pace.Day, Days: r.Pace.Days, Exact: r.Exact, Threshold: r.Threshold, Indicators: indicatorDTOs(), Teams: []targetGroupDTO{},
		Total: targetGroupDTO{r.Total.Key, r.Total.Label, progressItems(r.Total.Items)}}
	for _, t := range r.Teams {
		out.Teams = append(out.Teams, targetGroupDTO{t.Key, t.Label, progressItems(t.Items)})
	}
	return c.JSON(http.StatusOK, out)
}
