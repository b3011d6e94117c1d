// Package reference owns the programme's reference data: the regions, teams,
// municipalities and neighbourhoods where CHWs work (areas.json), the taxonomy
// of missions, provider types, barrier categories and care rights
// (taxonomy.json), and the health insurance funds (funds.json). The JSON files
// are copies of ../shared/data embedded into the binary; a test keeps them equal.
package reference

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed data/*.json
var files embed.FS

// Labels are the four interface languages' names for one thing.
type Labels struct {
	NL string `json:"nl"`
	FR string `json:"fr"`
	DE string `json:"de"`
	EN string `json:"en"`
}

// Get returns the label in lang, falling back to English.
func (l Labels) Get(lang string) string {
	switch lang {
	case "nl":
		return l.NL
	case "fr":
		return l.FR
	case "de":
		return l.DE
	}
	return l.EN
}

// Areas is areas.json.
type Areas struct {
	Regions []Region `json:"regions"`
}

// Region groups teams (Flanders, Wallonia, Brussels, German-speaking Community).
type Region struct {
	Code  string `json:"code"`
	Names Labels `json:"names"`
	Teams []Team `json:"teams"`
}

// Team is a city team of CHWs.
type Team struct {
	Name           string         `json:"team"`
	Municipalities []Municipality `json:"municipalities"`
	Outreach       string         `json:"outreach"`
}

// Slug is the team's stable key, derived from its name ("Brussel/Bruxelles" -> "brussel-bruxelles").
func (t Team) Slug() string { return Slugify(t.Name) }

// Municipality is a municipality a team covers.
type Municipality struct {
	Name           string   `json:"name"`
	Neighbourhoods []string `json:"neighbourhoods"`
}

// Term is one coded taxonomy entry.
type Term struct {
	Code   string
	Labels Labels
}

func (t *Term) UnmarshalJSON(b []byte) error {
	var raw struct {
		Code string `json:"code"`
		Labels
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	t.Code, t.Labels = raw.Code, raw.Labels
	return nil
}

// Taxonomy is taxonomy.json.
type Taxonomy struct {
	Missions          []Term   `json:"chw_missions"`
	ProviderTypes     []Term   `json:"provider_types"`
	BarrierCategories []Term   `json:"barrier_categories"`
	CareRights        []Term   `json:"belgian_care_rights"`
	UILanguages       []string `json:"ui_languages"`
}

// Kinds lists the taxonomy lists by their stored kind name.
func (t *Taxonomy) Kinds() map[string][]Term {
	return map[string][]Term{
		"chw_missions":        t.Missions,
		"provider_types":      t.ProviderTypes,
		"barrier_categories":  t.BarrierCategories,
		"belgian_care_rights": t.CareRights,
	}
}

// Fund is a health insurance fund.
type Fund struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Data is all reference data.
type Data struct {
	Areas    Areas
	Taxonomy Taxonomy
	Funds    []Fund
}

// Load parses the embedded files.
func Load() (*Data, error) {
	d := &Data{}
	if err := decode("data/areas.json", &d.Areas); err != nil {
		return nil, err
	}
	if err := decode("data/taxonomy.json", &d.Taxonomy); err != nil {
		return nil, err
	}
	var funds struct {
		Funds []Fund `json:"funds"`
	}
	if err := decode("data/funds.json", &funds); err != nil {
		return nil, err
	}
	d.Funds = funds.Funds
	return d, nil
}

// File returns an embedded file's bytes (the match test compares them with shared/data).
func File(name string) ([]byte, error) { return files.ReadFile("data/" + name) }

func decode(name string, v any) error {
	b, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	return nil
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a display name into a lowercase ASCII key.
func Slugify(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 128 {
			b.WriteRune(r)
		}
	}
	return strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-")
}
