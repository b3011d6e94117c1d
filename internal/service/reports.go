package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/report"
	"github.com/brug-chw/brug/internal/store"
)

// GroupBys are the dimensions a report can be split by; periods are cut in
// Europe/Brussels.
var GroupBys = append([]string{"none", "team", "municipality", "neighbourhood", "fund"}, store.Periods...)

// ReportParams are a report's parameters, validated by the handler.
type ReportParams struct {
	From, To time.Time
	GroupBy  string
	TeamID   string
	FundID   string
	// Download: the figures leave Brug (CSV, XLSX, PDF), so they are
	// suppressed whoever asks.
	Download bool
}

// ReportGate bounds how many report computations run at once, so a burst
// of managers cannot take every database connection from the CHWs: the
// others wait their turn (until their request gives up).
type ReportGate struct {
	slots  chan struct{}
	flight singleflight.Group
}

// NewReportGate lets n reports run at once.
func NewReportGate(n int) *ReportGate {
	if n < 1 {
		n = 1
	}
	return &ReportGate{slots: make(chan struct{}, n)}
}

// share runs fn once for every caller asking key at the same time. The
// computation outlives a caller who gives up, so the others still get it.
func (g *ReportGate) share(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	if g == nil {
		return fn(ctx)
	}
	ch := g.flight.DoChan(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		return fn(ctx)
	})
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, apperr.New(apperr.KindUnavailable, "Reports are busy; try again in a moment.")
	}
}

// Enter waits for a slot, or until ctx ends (503: reports are busy); the
// returned func frees the slot.
func (g *ReportGate) Enter(ctx context.Context) (func(), error) {
	if g == nil {
		return func() {}, nil
	}
	release := func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, apperr.New(apperr.KindUnavailable, "Reports are busy; try again in a moment.")
	}
}

// errGateBusy: no report slot is free now.
var errGateBusy = errors.New("every report slot is taken")

// tryEnter takes a slot only when one is free now: background work yields
// to the people asking.
func (g *ReportGate) tryEnter(context.Context) (func(), error) {
	if g == nil {
		return func() {}, nil
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	default:
		return nil, errGateBusy
	}
}

// SnapshotRefreshWindow: snapshots asked for in the last week are kept up
// to date by the worker.
const SnapshotRefreshWindow = 7 * 24 * time.Hour

// RefreshReportSnapshots computes again the report snapshots of closed
// periods that writes made stale (a back-dated visit, a late answer, a
// correction), when they were asked for in the last week — so the next
// reader is served from the snapshot instead of waiting for the rows. It
// takes a report slot only when one is free, and up to limit statements
// a run. The worker runs it every minute.
func (s *Service) RefreshReportSnapshots(ctx context.Context, limit int) (int, error) {
	n, err := s.Store.RefreshStaleSnapshots(ctx, s.Store.Now().Add(-SnapshotRefreshWindow), limit, s.Reports.tryEnter)
	if errors.Is(err, errGateBusy) {
		return n, nil
	}
	return n, err
}

// reportScope decides whose work the caller may count: a CHW their own, a
// coordinator their teams, a manager their fund or (reports:read_all) the
// programme. Admins count nothing. It also says whether the figures are
// exact: a CHW's own work and a coordinator's own teams are about people
// the viewer can already read record by record, so nothing is hidden —
// unless the figures leave Brug as a download.
func (s *Service) reportScope(p *Principal, prm ReportParams) (store.ReportScope, bool, error) {
	exact := !prm.Download
	switch p.Role {
	case model.RoleCHW:
		return store.ReportScope{CHWID: p.UserID}, exact, nil
	case model.RoleCoordinator:
		teams := p.TeamIDs
		if prm.TeamID != "" {
			if !p.InTeam(prm.TeamID) {
				return store.ReportScope{}, false, apperr.Validation("team_id", "team", "Must be one of your teams.")
			}
			teams = []string{prm.TeamID}
		}
		return store.ReportScope{TeamIDs: teams}, exact, nil
	case model.RoleManager:
		if p.AllReports {
			switch {
			case prm.TeamID != "":
				return store.ReportScope{TeamIDs: []string{prm.TeamID}}, false, nil
			case prm.FundID != "":
				return store.ReportScope{FundID: prm.FundID}, false, nil
			}
			return store.ReportScope{All: true}, false, nil
		}
		if prm.FundID != "" && prm.FundID != p.FundID {
			return store.ReportScope{}, false, apperr.Validation("fund_id", "fund", "Must be your own fund.")
		}
		if prm.TeamID != "" {
			return store.ReportScope{}, false, apperr.Validation("team_id", "scope", "A fund manager's reports cover the fund, not one team.")
		}
		return store.ReportScope{FundID: p.FundID}, false, nil
	}
	return store.ReportScope{}, false, apperr.Forbidden()
}

// reportRun is one report being computed: its scope, whether it is exact,
// and the labels of its groups.
type reportRun struct {
	sc     store.ReportScope
	exact  bool
	prm    ReportParams
	labels map[string]string
	done   func()
}

func (s *Service) startReport(ctx context.Context, p *Principal, prm ReportParams) (*reportRun, error) {
	sc, exact, err := s.reportScope(p, prm)
	if err != nil {
		return nil, err
	}
	done, err := s.Reports.Enter(ctx)
	if err != nil {
		return nil, err
	}
	labels, err := s.Store.GroupLabels(ctx, prm.GroupBy)
	if err != nil {
		done()
		return nil, err
	}
	return &reportRun{sc: sc, exact: exact, prm: prm, labels: labels, done: done}, nil
}

// BarrierReportView is the policy signal report: barriers found, resolved and
// signalled, by category, per group, with small numbers suppressed.
type BarrierReportView struct {
	Params    ReportParams
	Threshold int
	// Exact: nothing is hidden or rounded (see reportScope).
	Exact  bool
	Tables []report.Table
	// Top lists each group's most frequent visible categories.
	Top map[string][]string
}

// BarrierReport builds the barrier report.
func (s *Service) BarrierReport(ctx context.Context, p *Principal, prm ReportParams) (BarrierReportView, error) {
	run, err := s.startReport(ctx, p, prm)
	if err != nil {
		return BarrierReportView{}, err
	}
	defer run.done()
	cats, err := s.codes(ctx, "barrier_categories")
	if err != nil {
		return BarrierReportView{}, err
	}
	out := BarrierReportView{Params: prm, Threshold: s.ReportThreshold, Exact: run.exact, Top: map[string][]string{}}
	for _, tc := range barrierTables(cats) {
		t, err := s.table(ctx, run, tc.name, tc.unit, tc.fact, tc.cols)
		if err != nil {
			return BarrierReportView{}, err
		}
		out.Tables = append(out.Tables, t)
	}
	for _, r := range out.Tables[0].Rows {
		type kv struct {
			cat string
			n   int64
		}
		var vis []kv
		for j, c := range r.Cells {
			if !c.Suppressed && c.Value > 0 {
				vis = append(vis, kv{cats[j], c.Value})
			}
		}
		sort.SliceStable(vis, func(a, b int) bool { return vis[a].n > vis[b].n })
		for i := 0; i < len(vis) && i < 3; i++ {
			out.Top[r.Key] = append(out.Top[r.Key], vis[i].cat)
		}
	}
	s.audit(ctx, p, "report.read", "report", "barriers", prm.GroupBy)
	return out, nil
}

// barrierTables are the tables of the barrier report: barriers placed in
// time when detected, addressed, resolved and signalled.
func barrierTables(cats []string) []activityTable {
	var out []activityTable
	for _, tc := range []struct{ name, col string }{{"detected", "detected_at"}, {"addressed", "addressed_at"}, {"resolved", "resolved_at"}, {"signalled", "signalled_at"}} {
		out = append(out, activityTable{tc.name, "barriers", store.BarrierFact(tc.col), cats})
	}
	return out
}

// table builds one table of a fact: a cell per group and category, with
// the distinct people behind every total, suppressed unless the run is
// exact. cats nil takes the categories found, most frequent first.
func (s *Service) table(ctx context.Context, run *reportRun, name, unit string, f store.Fact, cats []string) (report.Table, error) {
	grains, err := s.Store.CountGrains(ctx, run.sc, f, run.prm.GroupBy, run.prm.From, run.prm.To)
	if err != nil {
		return report.Table{}, err
	}
	cells, rowP, colP, grandP := grains.Cells, grains.Rows, grains.Columns, grains.All
	if cats == nil {
		sort.SliceStable(colP, func(a, b int) bool {
			if colP[a].Value != colP[b].Value {
				return colP[a].Value > colP[b].Value
			}
			return colP[a].Category < colP[b].Category
		})
		cats = []string{}
		for _, c := range colP {
			cats = append(cats, c.Category)
		}
	}
	labels := run.labels
	t := report.Table{Name: name, Unit: unit, Columns: cats, Rows: []report.Row{}}
	rowIndex := map[string]int{}
	var groups []string
	for _, c := range rowP {
		groups = append(groups, c.Group)
	}
	sort.Slice(groups, func(a, b int) bool { return label(labels, groups[a]) < label(labels, groups[b]) })
	rowPersons := make([]int64, len(groups))
	for i, g := range groups {
		rowIndex[g] = i
		t.Rows = append(t.Rows, report.Row{Key: g, Label: label(labels, g), Cells: make([]report.Cell, len(cats))})
	}
	for _, c := range rowP {
		rowPersons[rowIndex[c.Group]] = c.Persons
	}
	for _, c := range cells {
		j := slices.Index(cats, c.Category)
		if j < 0 {
			continue
		}
		t.Rows[rowIndex[c.Group]].Cells[j] = report.Cell{Value: c.Value, Persons: c.Persons}
	}
	colPersons := make([]int64, len(cats))
	for _, c := range colP {
		if j := slices.Index(cats, c.Category); j >= 0 {
			colPersons[j] = c.Persons
		}
	}
	var grand int64
	if len(grandP) > 0 {
		grand = grandP[0].Persons
	}
	t.Finish(rowPersons, colPersons, grand)
	if f.People {
		// Totals of people are the distinct people, not the sum of the
		// cells: a client reached in two months is one client of the year.
		for _, c := range rowP {
			t.Rows[rowIndex[c.Group]].Total.Value = c.Value
		}
		for _, c := range colP {
			if j := slices.Index(cats, c.Category); j >= 0 {
				t.Totals[j].Value = c.Value
			}
		}
		if len(grandP) > 0 {
			t.Grand.Value = grandP[0].Value
		}
	}
	if !run.exact {
		report.Suppress(&t, s.ReportThreshold)
	}
	return t, nil
}

func label(labels map[string]string, key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	if key == "" {
		return "—"
	}
	return key
}

// AuditExport records who downloaded which report.
func (s *Service) AuditExport(ctx context.Context, p *Principal, name, detail string) {
	s.audit(ctx, p, "report.export", "report", name, detail)
}

// ActivityReport is what the CHWs did: clients reached, visits by mode,
// mission and topic touches, referrals by provider type and status,
// appointments kept or missed, reminders sent or failed — per group.
type ActivityReport struct {
	Params    ReportParams
	Threshold int
	Exact     bool
	Tables    []report.Table
	// MedianDays: days from referral to first appointment, per group; hidden
	// when it is of fewer referrals than the threshold.
	MedianDays []MedianRow
}

// MedianRow is one group's median, or hidden.
type MedianRow struct {
	Key        string   `json:"key"`
	Label      string   `json:"label"`
	Days       *float64 `json:"days"`
	Suppressed bool     `json:"suppressed,omitempty"`
}

// activityTable is one table of the activity report.
type activityTable struct {
	name, unit string
	fact       store.Fact
	cols       []string // nil: the categories found
}

func (s *Service) activityTables(ctx context.Context) ([]activityTable, error) {
	types, err := s.codes(ctx, "provider_types")
	if err != nil {
		return nil, err
	}
	missions, err := s.codes(ctx, "chw_missions")
	if err != nil {
		return nil, err
	}
	visits := store.Fact{From: "visits f", TimeCol: "f.visited_at", Author: "f.chw_id"}
	with := func(f store.Fact, set func(*store.Fact)) store.Fact { set(&f); return f }
	referrals := store.ReferralFact
	// Held sessions; their participants are anonymous counts, so a cell is
	// judged small by its number, not by people behind it.
	groups := store.Fact{From: "group_sessions f", TimeCol: "f.starts_at", Where: "f.status = 'held'", Person: "CAST(NULL AS text)",
		Neighbourhood: "f.neighbourhood_id", Authors: "(SELECT gf.chw_id FROM group_session_facilitators gf WHERE gf.session_id = f.id)",
		AuthorsJoin: " JOIN group_session_facilitators gfa ON gfa.session_id = f.id", AuthorsCol: "gfa.chw_id"}
	// A referral's loop closes when it is completed: counted in the month
	// it closed, for the CHW, team and fund that made the referral.
	closed := store.Fact{From: "referral_events f JOIN referrals r ON r.id = f.referral_id", TimeCol: "f.created_at", Category: "'completed'",
		Where: "f.to_status = 'completed'", Team: "r.team_id", Fund: "r.fund_id", Author: "r.created_by", Client: "r.client_id"}
	// Reminders count under the appointment they remind of.
	reminders := store.Fact{From: "reminders f JOIN appointments a ON a.id = f.appointment_id", TimeCol: "f.due_at", Category: "f.status",
		Where: "f.status IN ('sent', 'failed')", Team: "a.team_id", Fund: "a.fund_id", Author: "a.created_by"}
	return []activityTable{
		{"new_clients", "clients", store.Fact{From: "clients f", TimeCol: "f.created_at", Category: "f.source",
			Team: "f.origin_team_id", Fund: "f.origin_fund_id", Client: "f.id"}, model.ClientSources},
		// Clients reached: people with a visit in the period.
		{"clients_active", "people", with(visits, func(f *store.Fact) { f.Category, f.People = "'active'", true }), []string{"active"}},
		{"clients_closed", "clients", store.Fact{From: "client_events f", TimeCol: "f.created_at", Category: "'closed'", Author: "f.actor_id",
			Where: "f.kind = 'status_changed' AND f.detail LIKE '%\"to\":\"closed\"%'"}, []string{"closed"}},
		{"visits_by_mode", "visits", with(visits, func(f *store.Fact) { f.Category = "f.mode" }), model.VisitModes},
		// A visit counts once under each mission it touched.
		{"mission_touches", "mission_touches", with(visits, func(f *store.Fact) { f.Expand, f.ExpandCodes = "f.missions", missions }), missions},
		{"topic_touches", "topic_touches", with(visits, func(f *store.Fact) { f.Expand = "f.topics" }), nil},
		{"referrals_by_type", "referrals", with(referrals, func(f *store.Fact) { f.Category = "f.provider_type" }), types},
		{"referrals_by_status", "referrals", with(referrals, func(f *store.Fact) { f.Category = "f.status" }), ReferralStatuses},
		{"referrals_by_outcome", "referrals", with(referrals, func(f *store.Fact) { f.Category, f.Where = "f.outcome", "f.status = 'completed'" }), model.ReferralOutcomes},
		{"referrals_completed", "referrals", closed, []string{"completed"}},
		{"appointments", "appointments", store.Fact{From: "appointments f", TimeCol: "f.starts_at", Category: "f.status",
			Where: "f.status IN ('attended', 'missed')"}, []string{"attended", "missed"}},
		{"reminders", "reminders", reminders, []string{"sent", "failed"}},
		// Group work: people reached (the anonymous headcounts added up)
		// and sessions held, by topic and by mission; a session counts for
		// each of its facilitators' own figures.
		{"group_sessions_held", "sessions", with(groups, func(f *store.Fact) { f.Category = "'held'" }), []string{"held"}},
		{"group_participants", "people", with(groups, func(f *store.Fact) { f.Category, f.Sum = "'participants'", "f.participants" }), []string{"participants"}},
		{"group_sessions_by_topic", "topic_touches", with(groups, func(f *store.Fact) { f.Expand = "f.topics" }), nil},
		{"group_sessions_by_mission", "mission_touches", with(groups, func(f *store.Fact) { f.Expand, f.ExpandCodes = "f.missions", missions }), missions},
	}, nil
}

// Activity builds the activity report. Callers asking the same report of
// the same scope at the same moment (a dashboard opened by many managers
// at once) share one computation.
func (s *Service) Activity(ctx context.Context, p *Principal, prm ReportParams) (ActivityReport, error) {
	sc, exact, err := s.reportScope(p, prm)
	if err != nil {
		return ActivityReport{}, err
	}
	key := fmt.Sprintf("activity|%v|%v|%+v", sc, exact, prm)
	v, err := s.Reports.share(ctx, key, func(ctx context.Context) (any, error) { return s.activity(ctx, p, prm) })
	if err != nil {
		return ActivityReport{}, err
	}
	s.audit(ctx, p, "report.read", "report", "activity", prm.GroupBy)
	return v.(ActivityReport), nil
}

func (s *Service) activity(ctx context.Context, p *Principal, prm ReportParams) (ActivityReport, error) {
	run, err := s.startReport(ctx, p, prm)
	if err != nil {
		return ActivityReport{}, err
	}
	defer run.done()
	specs, err := s.activityTables(ctx)
	if err != nil {
		return ActivityReport{}, err
	}
	out := ActivityReport{Params: prm, Threshold: s.ReportThreshold, Exact: run.exact, Tables: make([]report.Table, len(specs)), MedianDays: []MedianRow{}}
	// The tables are independent statements: on a pooled engine a few run
	// side by side.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.Store.ReportParallelism())
	for i, sp := range specs {
		g.Go(func() error {
			t, err := s.table(gctx, run, sp.name, sp.unit, sp.fact, sp.cols)
			out.Tables[i] = t
			return err
		})
	}
	var meds []store.GroupMedian
	g.Go(func() error {
		var err error
		meds, err = s.Store.MedianDaysToAppointment(gctx, run.sc, prm.GroupBy, prm.From, prm.To)
		return err
	})
	if err := g.Wait(); err != nil {
		return ActivityReport{}, err
	}
	k := s.ReportThreshold
	if k < report.MinThreshold {
		k = report.MinThreshold
	}
	for _, m := range meds {
		row := MedianRow{Key: m.Group, Label: label(run.labels, m.Group)}
		if !run.exact && m.N < int64(k) {
			row.Suppressed = true
		} else {
			d := math.Round(m.Median*10) / 10
			row.Days = &d
		}
		out.MedianDays = append(out.MedianDays, row)
	}
	sort.Slice(out.MedianDays, func(a, b int) bool { return out.MedianDays[a].Label < out.MedianDays[b].Label })
	return out, nil
}
