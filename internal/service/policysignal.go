package service

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/report"
)

// PolicySignal is the quarterly policy signal: per region, the barriers
// CHWs signalled as structural, how many, and what the CHWs wrote of the
// structural problem — never who it was about.
type PolicySignal struct {
	Params    ReportParams
	Language  string
	Threshold int
	Exact     bool
	Regions   []SignalRegion
}

// SignalRegion is one region's signals.
type SignalRegion struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	Total      report.Cell      `json:"total"`
	Categories []SignalCategory `json:"categories"`
}

// SignalCategory is one barrier category's signals in a region.
type SignalCategory struct {
	Code  string      `json:"code"`
	Label string      `json:"label"`
	Count report.Cell `json:"count"`
	// Descriptions are the CHWs' words, with the client's names blanked;
	// only given where the count itself is shown.
	Descriptions []string `json:"descriptions"`
}

// PolicySignalReport builds the policy signal of a period in lang.
func (s *Service) PolicySignalReport(ctx context.Context, p *Principal, prm ReportParams, lang string) (PolicySignal, error) {
	run, err := s.startReport(ctx, p, prm)
	if err != nil {
		return PolicySignal{}, err
	}
	defer run.done()
	rows, err := s.Store.SignalledBarriers(ctx, run.sc, prm.From, prm.To)
	if err != nil {
		return PolicySignal{}, err
	}
	regions, err := s.Store.Regions(ctx)
	if err != nil {
		return PolicySignal{}, err
	}
	terms, err := s.Store.TaxonomyTerms(ctx)
	if err != nil {
		return PolicySignal{}, err
	}
	var cats []string
	labels := map[string]string{}
	for _, t := range terms {
		if t.Kind == "barrier_categories" {
			cats = append(cats, t.Code)
			labels[t.Code] = pick(lang, t.LabelNL, t.LabelFR, t.LabelDE, t.LabelEN)
		}
	}
	// One table, regions × categories, with distinct people behind each
	// number, suppressed like any report for viewers who do not know them.
	type key struct{ region, cat string }
	people := map[key]map[string]bool{}
	texts := map[key][]string{}
	add := func(k key, client string) {
		if people[k] == nil {
			people[k] = map[string]bool{}
		}
		people[k][client] = true
	}
	count := map[key]int64{}
	for _, r := range rows {
		for _, k := range []key{{r.RegionID, r.Category}, {r.RegionID, ""}, {"", r.Category}, {"", ""}} {
			add(k, r.ClientID)
			count[k]++
		}
		k := key{r.RegionID, r.Category}
		if d := blankNames(r.Detail, r.GivenName, r.FamilyName, r.Pseudonym); d != "" && !slices.Contains(texts[k], d) {
			texts[k] = append(texts[k], d)
		}
	}
	t := report.Table{Name: "signalled", Unit: "barriers", Columns: cats}
	var regionIDs []string
	for _, rg := range regions {
		if _, ok := count[key{rg.ID, ""}]; ok {
			regionIDs = append(regionIDs, rg.ID)
		}
	}
	rowP := make([]int64, len(regionIDs))
	for i, id := range regionIDs {
		row := report.Row{Key: id, Cells: make([]report.Cell, len(cats))}
		for j, c := range cats {
			row.Cells[j] = report.Cell{Value: count[key{id, c}], Persons: int64(len(people[key{id, c}]))}
		}
		t.Rows = append(t.Rows, row)
		rowP[i] = int64(len(people[key{id, ""}]))
	}
	colP := make([]int64, len(cats))
	for j, c := range cats {
		colP[j] = int64(len(people[key{"", c}]))
	}
	t.Finish(rowP, colP, int64(len(people[key{"", ""}])))
	if !run.exact {
		report.Suppress(&t, s.ReportThreshold)
	}
	out := PolicySignal{Params: prm, Language: lang, Threshold: s.ReportThreshold, Exact: run.exact, Regions: []SignalRegion{}}
	for i, id := range regionIDs {
		rg := regions[slices.IndexFunc(regions, func(r model.Region) bool { return r.ID == id })]
		sr := SignalRegion{Code: rg.Code, Name: pick(lang, rg.NameNL, rg.NameFR, rg.NameDE, rg.NameEN), Total: t.Rows[i].Total, Categories: []SignalCategory{}}
		for j, c := range cats {
			cell := t.Rows[i].Cells[j]
			if cell.Value == 0 && !cell.Suppressed {
				continue
			}
			sc := SignalCategory{Code: c, Label: labels[c], Count: cell, Descriptions: []string{}}
			if d := texts[key{id, c}]; !cell.Suppressed && d != nil {
				sc.Descriptions = d
			}
			sr.Categories = append(sr.Categories, sc)
		}
		sort.SliceStable(sr.Categories, func(a, b int) bool { return sr.Categories[a].Count.Value > sr.Categories[b].Count.Value })
		out.Regions = append(out.Regions, sr)
	}
	s.audit(ctx, p, "report.read", "report", "policy_signal", prm.From.Format("2006-01-02"))
	return out, nil
}

func pick(lang, nl, fr, de, en string) string {
	switch lang {
	case "fr":
		return fr
	case "de":
		return de
	case "en":
		return en
	}
	return nl
}

// blankNames removes a client's names from a CHW's description, so that a
// signal about a structural problem never carries who it was about.
func blankNames(text string, names ...string) string {
	text = strings.TrimSpace(text)
	for _, n := range names {
		for _, part := range strings.Fields(n) {
			if len([]rune(part)) < 2 {
				continue
			}
			re := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(part) + `\b`)
			text = re.ReplaceAllString(text, "…")
		}
	}
	return text
}
