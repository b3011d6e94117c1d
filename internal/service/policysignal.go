package service

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/report"
	"github.com/brug-chw/brug/internal/store"
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

// PolicySignalReport builds the policy signal of a period in lang: the
// barrier report's signalled table, grouped by region, plus the words.
func (s *Service) PolicySignalReport(ctx context.Context, p *Principal, prm ReportParams, lang string) (PolicySignal, error) {
	prm.GroupBy = store.GroupRegion
	run, err := s.startReport(ctx, p, prm)
	if err != nil {
		return PolicySignal{}, err
	}
	defer run.done()
	regions, err := s.Store.Regions(ctx)
	if err != nil {
		return PolicySignal{}, err
	}
	codes := map[string]string{}
	for _, rg := range regions {
		run.labels[rg.ID] = reference.Labels{NL: rg.NameNL, FR: rg.NameFR, DE: rg.NameDE, EN: rg.NameEN}.Get(lang)
		codes[rg.ID] = rg.Code
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
			labels[t.Code] = reference.Labels{NL: t.LabelNL, FR: t.LabelFR, DE: t.LabelDE, EN: t.LabelEN}.Get(lang)
		}
	}
	t, err := s.table(ctx, run, "signalled", "barriers", store.BarrierFact("signalled_at"), cats)
	if err != nil {
		return PolicySignal{}, err
	}
	rows, err := s.Store.SignalledBarriers(ctx, run.sc, prm.From, prm.To)
	if err != nil {
		return PolicySignal{}, err
	}
	type key struct{ region, cat string }
	texts := map[key][]string{}
	for _, r := range rows {
		k := key{r.RegionID, r.Category}
		if d := blankNames(r.Detail, append([]string{r.GivenName, r.FamilyName, r.Pseudonym}, r.Aliases...)...); d != "" && !slices.Contains(texts[k], d) {
			texts[k] = append(texts[k], d)
		}
	}
	out := PolicySignal{Params: prm, Language: lang, Threshold: s.ReportThreshold, Exact: run.exact, Regions: []SignalRegion{}}
	for _, row := range t.Rows {
		sr := SignalRegion{Code: codes[row.Key], Name: row.Label, Total: row.Total, Categories: []SignalCategory{}}
		for j, c := range cats {
			cell := row.Cells[j]
			if cell.Value == 0 && !cell.Suppressed {
				continue
			}
			sc := SignalCategory{Code: c, Label: labels[c], Count: cell, Descriptions: []string{}}
			if d := texts[key{row.Key, c}]; !cell.Suppressed && d != nil {
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
