package service

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/report"
	"github.com/brug-chw/brug/internal/store"
)

// Indicator is one figure of a CHW's work a monthly target can be set for.
// Every indicator is read from a table of the activity or barrier report
// (Table), so a target's progress is the report's figure for the same
// scope and month: the same statement, the same attribution (the CHW, team
// and fund recorded on the work when it was done).
type Indicator struct {
	Key  string
	Unit string // "count", or "percent" (a share, goal 0–100)
	// Table is the report table the figure is read from.
	Table string
	// Columns are the cells added up (nil: the row's total). For a share,
	// Columns[0] is the numerator and all of Columns the denominator.
	Columns []string
}

// Max is the highest goal the indicator accepts.
func (ind Indicator) Max() int {
	if ind.Unit == "percent" {
		return 100
	}
	return 10000
}

// Indicators is the fixed list of indicators, in the order they are shown.
var Indicators = []Indicator{
	{Key: "visits", Unit: "count", Table: "visits_by_mode"},
	{Key: "clients_reached", Unit: "count", Table: "clients_active"},
	{Key: "new_clients", Unit: "count", Table: "new_clients"},
	// Sent: every referral made but those still drafts.
	{Key: "referrals_sent", Unit: "count", Table: "referrals_by_status", Columns: slices.DeleteFunc(slices.Clone(ReferralStatuses), func(s string) bool { return s == "draft" })},
	{Key: "referrals_completed", Unit: "count", Table: "referrals_completed"},
	{Key: "appointments_attended", Unit: "percent", Table: "appointments", Columns: []string{"attended", "missed"}},
	{Key: "barriers_resolved", Unit: "count", Table: "resolved"},
	{Key: "barriers_signalled", Unit: "count", Table: "signalled"},
	{Key: "group_sessions", Unit: "count", Table: "group_sessions_held"},
	{Key: "group_participants", Unit: "count", Table: "group_participants"},
}

// IndicatorKeys are the keys of Indicators.
func IndicatorKeys() []string {
	out := make([]string, len(Indicators))
	for i, ind := range Indicators {
		out[i] = ind.Key
	}
	return out
}

func indicatorOf(key string) (Indicator, bool) {
	for _, ind := range Indicators {
		if ind.Key == key {
			return ind, true
		}
	}
	return Indicator{}, false
}

// Figure is an indicator's value for one group: nil when hidden by the
// report's suppression, or (a share) when there is nothing to measure.
type Figure struct {
	Value *int64
	// Of is a share's denominator (appointments with an outcome).
	Of         *int64
	Suppressed bool
}

// figure reads an indicator from one row (or the totals) of its table.
func (ind Indicator) figure(cols []string, total report.Cell, cells []report.Cell) Figure {
	cell := func(name string) (report.Cell, bool) {
		j := slices.Index(cols, name)
		if j < 0 || j >= len(cells) {
			return report.Cell{}, true
		}
		return cells[j], true
	}
	switch {
	case ind.Unit == "percent":
		var num, den int64
		for i, c := range ind.Columns {
			v, _ := cell(c)
			if v.Suppressed {
				return Figure{Suppressed: true}
			}
			if i == 0 {
				num = v.Value
			}
			den += v.Value
		}
		if den == 0 {
			return Figure{Of: &den}
		}
		pct := int64(math.Round(float64(num) * 100 / float64(den)))
		return Figure{Value: &pct, Of: &den}
	case ind.Columns != nil:
		var sum int64
		for _, c := range ind.Columns {
			v, _ := cell(c)
			if v.Suppressed {
				return Figure{Suppressed: true}
			}
			sum += v.Value
		}
		return Figure{Value: &sum}
	}
	if total.Suppressed {
		return Figure{Suppressed: true}
	}
	v := total.Value
	return Figure{Value: &v}
}

// Figures are the indicators of a run: per indicator, per group key, and
// the run's totals.
type Figures struct {
	Groups map[string]map[string]Figure // indicator → group → figure
	Totals map[string]Figure            // indicator → figure over all groups
}

// reportSpecs are the report's tables by name: the activity report's and
// the barrier report's, the very specs both reports are built from.
func (s *Service) reportSpecs(ctx context.Context) (map[string]activityTable, error) {
	specs, err := s.activityTables(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.codes(ctx, "barrier_categories")
	if err != nil {
		return nil, err
	}
	out := map[string]activityTable{}
	for _, sp := range append(specs, barrierTables(cats)...) {
		out[sp.name] = sp
	}
	return out, nil
}

// indicatorFigures computes every indicator of a run through the report's
// own table code (s.table: the same statement, suppressed unless the run
// is exact).
func (s *Service) indicatorFigures(ctx context.Context, run *reportRun) (Figures, error) {
	specs, err := s.reportSpecs(ctx)
	if err != nil {
		return Figures{}, err
	}
	var names []string
	for _, ind := range Indicators {
		if !slices.Contains(names, ind.Table) {
			names = append(names, ind.Table)
		}
	}
	tables := make([]report.Table, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.Store.ReportParallelism())
	for i, name := range names {
		sp, ok := specs[name]
		if !ok {
			return Figures{}, fmt.Errorf("indicator table %q is not a report table", name)
		}
		g.Go(func() error {
			t, err := s.table(gctx, run, sp.name, sp.unit, sp.fact, sp.cols)
			tables[i] = t
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return Figures{}, err
	}
	out := Figures{Groups: map[string]map[string]Figure{}, Totals: map[string]Figure{}}
	for _, ind := range Indicators {
		t := tables[slices.Index(names, ind.Table)]
		groups := map[string]Figure{}
		for _, r := range t.Rows {
			groups[r.Key] = ind.figure(t.Columns, r.Total, r.Cells)
		}
		out.Groups[ind.Key] = groups
		out.Totals[ind.Key] = ind.figure(t.Columns, t.Grand, t.Totals)
	}
	return out, nil
}

// runFigures computes the indicators for a scope over [from, to), grouped
// by groupBy, waiting for a report slot like any report.
func (s *Service) runFigures(ctx context.Context, sc store.ReportScope, exact bool, groupBy string, from, to time.Time) (Figures, map[string]string, error) {
	done, err := s.Reports.Enter(ctx)
	if err != nil {
		return Figures{}, nil, err
	}
	defer done()
	labels, err := s.Store.GroupLabels(ctx, groupBy)
	if err != nil {
		return Figures{}, nil, err
	}
	run := &reportRun{sc: sc, exact: exact, prm: ReportParams{GroupBy: groupBy, From: from, To: to}, labels: labels, done: func() {}}
	f, err := s.indicatorFigures(ctx, run)
	return f, labels, err
}

// Months are Europe/Brussels months, YYYY-MM.
const monthLayout = "2006-01"

// ParseMonth reads YYYY-MM.
func ParseMonth(v string) (time.Time, bool) {
	t, err := time.ParseInLocation(monthLayout, v, store.Brussels)
	if err != nil || len(v) != 7 {
		return time.Time{}, false
	}
	return t, true
}

// monthBounds are a month's first instant and the next month's, in Brussels.
func monthBounds(month string) (time.Time, time.Time) {
	t, _ := ParseMonth(month)
	return t, t.AddDate(0, 1, 0)
}

// CurrentMonth is the Brussels month of now.
func (s *Service) CurrentMonth() string { return s.Store.Now().In(store.Brussels).Format(monthLayout) }

func addMonths(month string, n int) string {
	t, _ := ParseMonth(month)
	return t.AddDate(0, n, 0).Format(monthLayout)
}

// Pace is how far a month has gone on a day: Day days of Days (today
// counted); a past month is over (Day = Days), a future one not begun.
type Pace struct {
	Day, Days int
}

func (s *Service) paceOf(month string) Pace {
	from, to := monthBounds(month)
	days := int(math.Round(to.Sub(from).Hours() / 24))
	now := s.Store.Now().In(store.Brussels)
	cur := now.Format(monthLayout)
	switch {
	case month < cur:
		return Pace{days, days}
	case month > cur:
		return Pace{0, days}
	}
	return Pace{now.Day(), days}
}

// Expected is the count a goal asks for by the pace's day: the goal spread
// evenly over the calendar days of the month.
func (p Pace) Expected(goal int) float64 {
	if p.Days == 0 {
		return 0
	}
	return math.Round(float64(goal)*float64(p.Day)/float64(p.Days)*10) / 10
}

// Behind says whether a value is behind the pace of its goal: a count
// below the expected count (rounded down), a share below its goal. No goal
// or no value is never behind.
func (p Pace) Behind(ind Indicator, f Figure, goal *int) bool {
	if goal == nil || f.Value == nil {
		return false
	}
	if ind.Unit == "percent" {
		return *f.Value < int64(*goal)
	}
	return float64(*f.Value) < math.Floor(p.Expected(*goal))
}

// Goals are the declared targets up to a month, resolved per scope.
type Goals struct {
	rows []model.Target
}

// declared is a scope's own goal for an indicator in a month: the last row
// of that scope with a month at or before it (nil goal: cleared).
func (g Goals) declared(month, kind, id, indicator string) (model.Target, bool) {
	var out model.Target
	found := false
	for _, r := range g.rows {
		if r.Month > month || r.ScopeKind != kind || r.Indicator != indicator {
			continue
		}
		switch kind {
		case model.TargetTeam:
			if r.TeamID == nil || *r.TeamID != id {
				continue
			}
		case model.TargetCHW:
			if r.UserID == nil || *r.UserID != id {
				continue
			}
		}
		out, found = r, true
	}
	return out, found && out.Goal != nil
}

// For is the goal that applies to a CHW of a team in a month: the CHW's
// override, else the team's target, else the programme's default; and
// which of them it is.
func (g Goals) For(month, chwID, teamID, indicator string) (*int, string) {
	if chwID != "" {
		if r, ok := g.declared(month, model.TargetCHW, chwID, indicator); ok {
			return r.Goal, model.TargetCHW
		}
	}
	if teamID != "" {
		if r, ok := g.declared(month, model.TargetTeam, teamID, indicator); ok {
			return r.Goal, model.TargetTeam
		}
	}
	if r, ok := g.declared(month, model.TargetProgramme, "", indicator); ok {
		return r.Goal, model.TargetProgramme
	}
	return nil, ""
}

func (s *Service) goals(ctx context.Context, month string, teamIDs, userIDs []string) (Goals, error) {
	rows, err := s.Store.TargetsThrough(ctx, month, teamIDs, userIDs)
	return Goals{rows}, err
}

// Progress is one indicator of a month against its goal.
type Progress struct {
	Indicator  Indicator
	Figure     Figure
	Goal       *int
	GoalSource string
	Expected   *float64
	Behind     bool
}

// MonthProgress is a month of a CHW's work against their goals.
type MonthProgress struct {
	Month string
	Pace  Pace
	Items []Progress
}

func progressOf(month string, pace Pace, fig func(key string) Figure, goal func(key string) (*int, string)) MonthProgress {
	out := MonthProgress{Month: month, Pace: pace}
	for _, ind := range Indicators {
		f := fig(ind.Key)
		g, src := goal(ind.Key)
		p := Progress{Indicator: ind, Figure: f, Goal: g, GoalSource: src, Behind: pace.Behind(ind, f, g)}
		if g != nil && ind.Unit == "count" {
			e := pace.Expected(*g)
			p.Expected = &e
		}
		out.Items = append(out.Items, p)
	}
	return out
}

// homeTeam is the team whose target applies to a CHW: their first team.
func homeTeam(teamIDs []string) string {
	if len(teamIDs) == 0 {
		return ""
	}
	ids := slices.Clone(teamIDs)
	sort.Strings(ids)
	return ids[0]
}

// MyProgress is the caller's own work in a month against their goals:
// exact figures, from the activity report's code for their own scope.
func (s *Service) MyProgress(ctx context.Context, p *Principal, month string) (MonthProgress, error) {
	if p.Role != model.RoleCHW && p.Role != model.RoleCoordinator {
		return MonthProgress{}, apperr.Forbidden()
	}
	from, to := monthBounds(month)
	figs, _, err := s.runFigures(ctx, store.ReportScope{CHWID: p.UserID}, true, "none", from, to)
	if err != nil {
		return MonthProgress{}, err
	}
	g, err := s.goals(ctx, month, p.TeamIDs, []string{p.UserID})
	if err != nil {
		return MonthProgress{}, err
	}
	team := homeTeam(p.TeamIDs)
	return progressOf(month, s.paceOf(month), func(k string) Figure { return figs.Totals[k] },
		func(k string) (*int, string) { return g.For(month, p.UserID, team, k) }), nil
}

// MyHistory is the caller's last 12 months (this one last) against the
// goals each month had.
func (s *Service) MyHistory(ctx context.Context, p *Principal) ([]MonthProgress, error) {
	if p.Role != model.RoleCHW && p.Role != model.RoleCoordinator {
		return nil, apperr.Forbidden()
	}
	last := s.CurrentMonth()
	first := addMonths(last, -11)
	from, _ := monthBounds(first)
	_, to := monthBounds(last)
	figs, _, err := s.runFigures(ctx, store.ReportScope{CHWID: p.UserID}, true, "month", from, to)
	if err != nil {
		return nil, err
	}
	g, err := s.goals(ctx, last, p.TeamIDs, []string{p.UserID})
	if err != nil {
		return nil, err
	}
	team := homeTeam(p.TeamIDs)
	var out []MonthProgress
	for m := first; m <= last; m = addMonths(m, 1) {
		out = append(out, progressOf(m, s.paceOf(m), func(k string) Figure {
			if f, ok := figs.Groups[k][m]; ok {
				return f
			}
			return zeroFigure(k)
		}, func(k string) (*int, string) { return g.For(m, p.UserID, team, k) }))
	}
	return out, nil
}

// zeroFigure is an indicator with no work counted.
func zeroFigure(key string) Figure {
	ind, _ := indicatorOf(key)
	var z int64
	if ind.Unit == "percent" {
		return Figure{Of: &z}
	}
	return Figure{Value: &z}
}
