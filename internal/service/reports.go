package service

import (
	"context"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/report"
	"github.com/brug-chw/brug/internal/store"
)

// GroupBys are the dimensions a report can be split by.
var GroupBys = []string{"none", "team", "municipality", "neighbourhood", "fund", "week", "month", "quarter"}

// ReportParams are a report's parameters, validated by the handler.
type ReportParams struct {
	From, To time.Time
	GroupBy  string
	TeamID   string
	FundID   string
}

// BarrierReportView is the policy signal report: barriers found, resolved and
// signalled, by category, per group, with small numbers suppressed.
type BarrierReportView struct {
	Params    ReportParams
	Threshold int
	Tables    []report.Table
	// Top lists each group's most frequent visible categories.
	Top map[string][]string
}

// reportScope decides whose work the caller may count: a CHW their own, a
// coordinator their teams, a manager their fund or (reports:read_all) the
// programme. Admins count nothing.
func (s *Service) reportScope(p *Principal, prm ReportParams) (store.ReportScope, error) {
	switch p.Role {
	case model.RoleCHW:
		return store.ReportScope{CHWID: p.UserID}, nil
	case model.RoleCoordinator:
		teams := p.TeamIDs
		if prm.TeamID != "" {
			if !p.InTeam(prm.TeamID) {
				return store.ReportScope{}, apperr.Validation("team_id", "team", "Must be one of your teams.")
			}
			teams = []string{prm.TeamID}
		}
		return store.ReportScope{TeamIDs: teams}, nil
	case model.RoleManager:
		if p.AllReports {
			switch {
			case prm.TeamID != "":
				return store.ReportScope{TeamIDs: []string{prm.TeamID}}, nil
			case prm.FundID != "":
				return store.ReportScope{FundID: prm.FundID}, nil
			}
			return store.ReportScope{All: true}, nil
		}
		if prm.FundID != "" && prm.FundID != p.FundID {
			return store.ReportScope{}, apperr.Validation("fund_id", "fund", "Must be your own fund.")
		}
		if prm.TeamID != "" {
			return store.ReportScope{}, apperr.Validation("team_id", "scope", "A fund manager's reports cover the fund, not one team.")
		}
		return store.ReportScope{FundID: p.FundID}, nil
	}
	return store.ReportScope{}, apperr.Forbidden()
}

// BarrierReport builds the policy signal report.
func (s *Service) BarrierReport(ctx context.Context, p *Principal, prm ReportParams) (BarrierReportView, error) {
	sc, err := s.reportScope(p, prm)
	if err != nil {
		return BarrierReportView{}, err
	}
	cats, err := s.codes(ctx, "barrier_categories")
	if err != nil {
		return BarrierReportView{}, err
	}
	labels, err := s.Store.GroupLabels(ctx, prm.GroupBy)
	if err != nil {
		return BarrierReportView{}, err
	}
	out := BarrierReportView{Params: prm, Threshold: s.ReportThreshold, Top: map[string][]string{}}
	for _, tc := range []struct{ name, col string }{{"detected", "detected_at"}, {"addressed", "addressed_at"}, {"resolved", "resolved_at"}, {"signalled", "signalled_at"}} {
		t, err := s.table(ctx, sc, prm, tc.name, store.BarrierFact(tc.col), cats, labels)
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

// table builds one suppressed table of a fact: a cell per group and
// category, with the distinct people behind every total.
func (s *Service) table(ctx context.Context, sc store.ReportScope, prm ReportParams, name string, f store.Fact, cats []string, labels map[string]string) (report.Table, error) {
	grains, err := s.Store.CountGrains(ctx, sc, f, prm.GroupBy, prm.From, prm.To)
	if err != nil {
		return report.Table{}, err
	}
	cells, rowP, colP, grandP := grains.Cells, grains.Rows, grains.Columns, grains.All
	t := report.Table{Name: name, Columns: cats, Rows: []report.Row{}}
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
	report.Suppress(&t, s.ReportThreshold)
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

// ActivityReport is what the CHWs did: clients reached, visits by mode and
// mission, referrals by provider type and status, appointments kept or
// missed, reminders sent or failed — per group, suppressed.
type ActivityReport struct {
	Params    ReportParams
	Threshold int
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

// Activity builds the activity report.
func (s *Service) Activity(ctx context.Context, p *Principal, prm ReportParams) (ActivityReport, error) {
	sc, err := s.reportScope(p, prm)
	if err != nil {
		return ActivityReport{}, err
	}
	labels, err := s.Store.GroupLabels(ctx, prm.GroupBy)
	if err != nil {
		return ActivityReport{}, err
	}
	types, err := s.codes(ctx, "provider_types")
	if err != nil {
		return ActivityReport{}, err
	}
	missions, err := s.codes(ctx, "chw_missions")
	if err != nil {
		return ActivityReport{}, err
	}
	missionCase := "CASE"
	for _, m := range missions {
		missionCase += " WHEN f.missions LIKE '%\"" + m + "\"%' THEN '" + m + "'"
	}
	missionCase += " ELSE '' END"
	specs := []struct {
		name string
		fact store.Fact
		cols []string
	}{
		{"new_clients", store.Fact{From: "clients c", TimeCol: "c.created_at", Category: "c.source"}, model.ClientSources},
		// Clients reached: people with a visit in the period.
		{"clients_active", store.Fact{From: "visits AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.visited_at", Category: "'active'", People: true},
			[]string{"active"}},
		{"clients_closed", store.Fact{From: "client_events AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.created_at",
			Category: "'closed'", Where: "f.kind = 'status_changed' AND f.detail LIKE '%\"to\":\"closed\"%'"}, []string{"closed"}},
		{"visits_by_mode", store.Fact{From: "visits AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.visited_at", Category: "f.mode"}, model.VisitModes},
		// A visit touching several missions counts under its first listed one.
		{"visits_by_mission", store.Fact{From: "visits AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.visited_at", Category: missionCase}, missions},
		{"referrals_by_type", store.Fact{From: "referrals AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.created_at", Category: "f.provider_type"}, types},
		{"referrals_by_status", store.Fact{From: "referrals AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.created_at", Category: "f.status"}, ReferralStatuses},
		{"referrals_by_outcome", store.Fact{From: "referrals AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.created_at", Category: "f.outcome",
			Where: "f.status = 'completed'"}, model.ReferralOutcomes},
		{"appointments", store.Fact{From: "appointments AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.starts_at", Category: "f.status",
			Where: "f.status IN ('attended', 'missed')"}, []string{"attended", "missed"}},
		{"reminders", store.Fact{From: "reminders AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.due_at", Category: "f.status",
			Where: "f.status IN ('sent', 'failed')"}, []string{"sent", "failed"}},
	}
	out := ActivityReport{Params: prm, Threshold: s.ReportThreshold}
	for _, sp := range specs {
		t, err := s.table(ctx, sc, prm, sp.name, sp.fact, sp.cols, labels)
		if err != nil {
			return ActivityReport{}, err
		}
		out.Tables = append(out.Tables, t)
	}
	meds, err := s.Store.MedianDaysToAppointment(ctx, sc, prm.GroupBy, prm.From, prm.To)
	if err != nil {
		return ActivityReport{}, err
	}
	k := s.ReportThreshold
	if k < report.MinThreshold {
		k = report.MinThreshold
	}
	for _, m := range meds {
		row := MedianRow{Key: m.Group, Label: label(labels, m.Group)}
		if m.N < int64(k) {
			row.Suppressed = true
		} else {
			d := math.Round(m.Median*10) / 10
			row.Days = &d
		}
		out.MedianDays = append(out.MedianDays, row)
	}
	sort.Slice(out.MedianDays, func(a, b int) bool { return out.MedianDays[a].Label < out.MedianDays[b].Label })
	s.audit(ctx, p, "report.read", "report", "activity", prm.GroupBy)
	return out, nil
}
