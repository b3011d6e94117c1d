package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/testutil"
)

// A place typed in any of the four languages, or a postcode, reaches the
// team that covers it; a place no team covers reaches none.
func TestContactAreaNamesInFourLanguages(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cases := []struct{ place, team string }{
			{"Rabot, Gand", "Gent"},
			{"Gand", "Gent"},
			{"Ghent", "Gent"},
			{"9000", "Gent"},
			{"Sint-Amandsberg 9040", "Gent"},
			{"Anvers", "Antwerpen"},
			{"Antwerp, Seefhoek", "Antwerpen"},
			{"2060", "Antwerpen"},
			{"Lüttich", "Liège"},
			{"Luik", "Liège"},
			{"4020 Liege", "Liège"},
			{"Ostende", "Oostende"},
			{"Ostend", "Oostende"},
			{"Tirlemont", "Tienen"},
			{"Bruxelles", "Brussel/Bruxelles"},
			{"Brussel", "Brussel/Bruxelles"},
			{"Brüssel", "Brussel/Bruxelles"},
			{"Schaerbeek", "Brussel/Bruxelles"},
			{"1030", "Brussel/Bruxelles"},
			{"La Calamine", "Eupen und Kelmis"},
			{"Verviers", "Verviers-Dison"},
			{"Atlantis", ""},
			{"5000 Namur", ""},
			{"Sint-Niklaas", ""},
		}
		for i, c := range cases {
			r := submitContact(t, api, "10.20.0."+string(rune('1'+i%9)), contactBody(map[string]any{"municipality": c.place, "neighbourhood": nil}))
			got, _ := r["team"].(string)
			if got != c.team {
				t.Errorf("%q went to team %q, want %q", c.place, got, c.team)
			}
		}
		// The search of the public areas finds a place once under any name.
		res := api.Do(http.MethodGet, "/api/v1/public/areas?q="+url.QueryEscape("Gand"), nil, nil).JSON(t)
		if m := res["matches"].([]any); len(m) != 1 || m[0].(map[string]any)["team"] != "Gent" {
			t.Errorf("search Gand: %v", res["matches"])
		}
	})
}

// "Where we work": one heading per region, in the page's language, and the
// teams' ways of working in that language too.
func TestWhereWeWorkRegionsAndTexts(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		heading := regexp.MustCompile(`<h2 id="(r-[a-z]+)">([^<]+)</h2>`)
		want := map[string]struct{ regions, outreach []string }{
			"nl": {[]string{"Vlaanderen", "Wallonië", "Brussel", "Duitstalige Gemeenschap"}, []string{"laagdrempelige inloopplekken", "het inloophuis"}},
			"fr": {[]string{"Flandre", "Wallonie", "Bruxelles", "Communauté germanophone"}, []string{"lieux d&#39;accueil à bas seuil", "maison d&#39;accueil"}},
			"de": {[]string{"Flandern", "Wallonien", "Brüssel", "Deutschsprachige Gemeinschaft"}, []string{"niedrigschwellige Anlaufstellen", "aufsuchende Arbeit"}},
			"en": {[]string{"Flanders", "Wallonia", "Brussels", "German-speaking Community"}, []string{"low-threshold drop-in places", "drop-in house"}},
		}
		for lang, w := range want {
			body := string(api.Do(http.MethodGet, "/"+lang+"/where", nil, nil).Body)
			var names []string
			ids := map[string]bool{}
			for _, m := range heading.FindAllStringSubmatch(body, -1) {
				if ids[m[1]] {
					t.Errorf("/%s/where: id %s twice", lang, m[1])
				}
				ids[m[1]] = true
				names = append(names, m[2])
			}
			if strings.Join(names, "|") != strings.Join(w.regions, "|") {
				t.Errorf("/%s/where region headings %v, want %v", lang, names, w.regions)
			}
			for _, s := range w.outreach {
				if !strings.Contains(body, s) {
					t.Errorf("/%s/where lacks %q", lang, s)
				}
			}
			if lang != "en" && (strings.Contains(body, "across the city") || strings.Contains(body, "where vulnerable people gather")) {
				t.Errorf("/%s/where shows the English outreach text", lang)
			}
		}
		if body := string(api.Do(http.MethodGet, "/fr/where?q=Gand", nil, nil).Body); !strings.Contains(body, "Gent → <strong>Équipe Gent</strong>") {
			t.Errorf("searching Gand on the French page does not name team Gent")
		}
	})
}
