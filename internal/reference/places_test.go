package reference

import (
	"regexp"
	"testing"
)

// Every other name belongs to a municipality of areas.json, every postcode
// is a Belgian one (four digits) and names only one municipality, and every
// team working through outreach places has its text in the four languages.
func TestPlaceNamesMatchAreas(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	outreach := map[string]string{}
	for _, r := range d.Areas.Regions {
		for _, tm := range r.Teams {
			for _, m := range tm.Municipalities {
				known[m.Name] = true
			}
			if tm.Outreach != "" {
				outreach[tm.Name] = tm.Outreach
			}
		}
	}
	postcode := regexp.MustCompile(`^[1-9][0-9]{3}$`)
	seen := map[string]string{}
	for _, m := range NamedMunicipalities() {
		if !known[m] {
			t.Errorf("%q has other names but is not a municipality of areas.json", m)
		}
		for _, pc := range OtherNames(m).Postcodes {
			if !postcode.MatchString(pc) {
				t.Errorf("%s: %q is not a Belgian postcode", m, pc)
			}
			if other, ok := seen[pc]; ok {
				t.Errorf("postcode %s names %s and %s", pc, other, m)
			}
			seen[pc] = m
		}
	}
	for team, english := range outreach {
		l, ok := OutreachTeams()[team]
		if !ok || l.NL == "" || l.FR == "" || l.DE == "" || l.EN != english {
			t.Errorf("team %s: outreach texts %+v, want four languages with areas.json's English", team, l)
		}
		if Outreach(team, english, "fr") == english {
			t.Errorf("team %s: the French page shows the English outreach text", team)
		}
	}
}
