package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/testutil"
)

// A place typed in any of the four languages, or a postcode, reaches the
// team that covers it; a place no team covers reaches none.
func TestContactAreaNamesInFourLanguages(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// A request no team covers goes to the programme intake: only coordinators
// holding the intake duty see it (list, read, summary, triage); others get
// 404 as for a request that does not exist. Only an admin sets the duty,
// only on a coordinator, and a role change ends it.
func TestProgrammeIntakeDuty(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gentCoord, liegeCoord := "coordinator.gent@example.org", "coordinator.liege@example.org"
		unmatched := submitContact(t, api, "10.21.0.1", contactBody(map[string]any{"municipality": "Namur", "neighbourhood": nil}))["id"].(string)
		inLiege := submitContact(t, api, "10.21.0.1", contactBody(nil))["id"].(string)
		sees := func(who string) bool {
			in := false
			for _, it := range api.Do(http.MethodGet, "/api/v1/contact-requests", nil, api.Bearer(who)).JSON(t)["items"].([]any) {
				in = in || it.(map[string]any)["id"] == unmatched
			}
			read := api.Do(http.MethodGet, "/api/v1/contact-requests/"+unmatched, nil, api.Bearer(who)).Status
			if in != (read == http.StatusOK) || (!in && read != http.StatusNotFound) {
				t.Errorf("%s: listed %v but reading it answers %d", who, in, read)
			}
			return in
		}
		open := func(who string) float64 {
			return api.Do(http.MethodGet, "/api/v1/contact-requests/summary", nil, api.Bearer(who)).JSON(t)["open"].(float64)
		}
		// The demo gives Gent's coordinator the duty, and nobody else.
		if !sees(gentCoord) || sees(liegeCoord) || open(liegeCoord) != 1 || open(gentCoord) != 1 {
			t.Errorf("before: Gent sees %v, Liège sees %v (open %v)", sees(gentCoord), sees(liegeCoord), open(liegeCoord))
		}
		if r := api.Do(http.MethodPost, "/api/v1/contact-requests/"+unmatched+"/close", map[string]any{"reason": "out_of_area"}, api.Bearer(liegeCoord)); r.Status != http.StatusNotFound {
			t.Errorf("closing the programme intake without the duty: %d", r.Status)
		}

		gent, liege := chwID(t, api, gentCoord), chwID(t, api, liegeCoord)
		scenarios := []struct {
			who, user string
			body      any
			status    int
			field     string
		}{
			{gentCoord, liege, map[string]any{"intake_duty": true}, http.StatusForbidden, ""},
			{"admin@example.org", liege, map[string]any{}, http.StatusUnprocessableEntity, "intake_duty"},
			{"admin@example.org", liege, map[string]any{"intake_duty": "yes"}, http.StatusUnprocessableEntity, "intake_duty"},
			{"admin@example.org", chwID(t, api, "chw.gent1@example.org"), map[string]any{"intake_duty": true}, http.StatusUnprocessableEntity, "intake_duty"},
			{"admin@example.org", "0190a0a0-0000-7000-8000-000000000000", map[string]any{"intake_duty": true}, http.StatusNotFound, ""},
			{"admin@example.org", gent, map[string]any{"intake_duty": false}, http.StatusOK, ""},
			{"admin@example.org", liege, map[string]any{"intake_duty": true}, http.StatusOK, ""},
		}
		for _, sc := range scenarios {
			r := api.Do(http.MethodPut, "/api/v1/users/"+sc.user+"/intake-duty", sc.body, api.Bearer(sc.who))
			if r.Status != sc.status || (sc.field != "" && !strings.Contains(string(r.Body), `"field":"`+sc.field+`"`)) {
				t.Errorf("PUT intake-duty %v as %s: %d %s", sc.body, sc.who, r.Status, r.Body)
			}
			if sc.status == http.StatusOK && r.JSON(t)["intake_duty"] != sc.body.(map[string]any)["intake_duty"] {
				t.Errorf("user after PUT: %s", r.Body)
			}
		}
		var audits int64
		api.DB.Gorm.Table("audit_events").Where("action = 'user.intake_duty' AND entity_id IN ?", []string{gent, liege}).Count(&audits)
		if audits != 2 {
			t.Errorf("%d audit events for the intake duty, want 2", audits)
		}
		if sees(gentCoord) || !sees(liegeCoord) || open(liegeCoord) != 2 {
			t.Errorf("after: Gent sees %v, Liège sees %v", sees(gentCoord), sees(liegeCoord))
		}
		if r := api.Do(http.MethodGet, "/api/v1/contact-requests/"+inLiege, nil, api.Bearer(gentCoord)); r.Status != http.StatusNotFound {
			t.Errorf("Gent reads Liège's request: %d", r.Status)
		}

		// A coordinator who becomes a CHW loses the duty.
		r := api.Do(http.MethodPatch, "/api/v1/users/"+liege, map[string]any{"role": "chw"}, api.Bearer("admin@example.org"))
		if r.Status != http.StatusOK || r.JSON(t)["intake_duty"] != false {
			t.Errorf("role change kept the intake duty: %d %s", r.Status, r.Body)
		}
	})
}

// A request that becomes a client carries the consent ticked on the form as
// the client's care-coordination consent (text version and time); the
// CHW's first-contact task is a kind and parameters shown in the reader's
// language; withdrawing later says what happens and does it: the request's
// data is erased, the client record stays with its own consents, and the
// CHW is asked to contact the person.
func TestConvertedRequestConsentAndWithdrawal(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		coord, chwMail := "coordinator.gent@example.org", "chw.gent2@example.org" // both read Dutch
		rec := submitContact(t, api, "10.22.0.1", contactBody(map[string]any{"municipality": "Rabot, Gand", "neighbourhood": nil,
			"phone": "0470 31 41 59", "email": nil, "message": "Ik zoek een tandarts."}))
		if rec["team"] != "Gent" {
			t.Fatalf("Rabot, Gand went to %v", rec["team"])
		}
		row := contactRow(t, api, rec["id"].(string))
		conv := api.Do(http.MethodPost, "/api/v1/contact-requests/"+rec["id"].(string)+"/convert", map[string]any{"chw_id": chwID(t, api, chwMail)}, api.Bearer(coord))
		if conv.Status != http.StatusCreated {
			t.Fatalf("convert: %d %s", conv.Status, conv.Body)
		}
		client := conv.JSON(t)["id"].(string)

		consents := api.Do(http.MethodGet, "/api/v1/clients/"+client+"/consents", nil, api.Bearer(chwMail)).JSON(t)
		var care map[string]any
		for _, it := range consents["items"].([]any) {
			if it.(map[string]any)["purpose"] == "care_coordination" {
				care = it.(map[string]any)
			}
		}
		if care == nil || care["given"] != true || care["text_version"] != row.ConsentVersion {
			t.Fatalf("care coordination consent: %v", care)
		}
		if at, err := time.Parse(time.RFC3339Nano, care["given_at"].(string)); err != nil || !at.Equal(row.ConsentAt) {
			t.Errorf("consent given_at %v, want the form's %v", care["given_at"], row.ConsentAt)
		}
		if hist := consents["history"].([]any); len(hist) != 1 || hist[0].(map[string]any)["text_version"] != row.ConsentVersion {
			t.Errorf("consent history: %v", hist)
		}

		taskOf := func(who, kind string) map[string]any {
			for _, it := range api.Do(http.MethodGet, "/api/v1/tasks?client_id="+client, nil, api.Bearer(who)).JSON(t)["items"].([]any) {
				if it.(map[string]any)["kind"] == kind {
					return it.(map[string]any)
				}
			}
			t.Fatalf("%s has no %s task for the client", who, kind)
			return nil
		}
		first := taskOf(chwMail, "first_contact")
		if first["params"].(map[string]any)["message"] != "Ik zoek een tandarts." || first["note"] != "" ||
			first["text"] != "Via het contactformulier: Ik zoek een tandarts." {
			t.Errorf("first-contact task: %v", first)
		}

		// The withdrawal page says what happens to a converted request, before and after.
		token := withdrawToken(rec)
		page := string(api.Do(http.MethodGet, "/nl/withdraw/"+token, nil, nil).Body)
		if !strings.Contains(page, "Een CHW helpt je al") || strings.Contains(page, "wissen we de gegevens die je ons stuurde") {
			t.Errorf("withdraw page of a converted request promises the wrong thing:\n%s", page)
		}
		done := string(api.Do(http.MethodPost, "/nl/withdraw/"+token, "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}).Body)
		if !strings.Contains(done, "de gegevens van je aanvraag zijn gewist") || !strings.Contains(done, "volgt de toestemmingen") {
			t.Errorf("withdrawal of a converted request:\n%s", done)
		}
		after := contactRow(t, api, rec["id"].(string))
		if after.WithdrawnAt == nil || after.Name != "" || after.Phone != nil || after.Message != "" || after.AreaText != "" ||
			after.ClientID == nil || *after.ClientID != client || after.Status != "converted" {
			t.Errorf("request after withdrawal: %+v", after)
		}
		if r := api.Do(http.MethodGet, "/api/v1/clients/"+client, nil, api.Bearer(chwMail)); r.Status != http.StatusOK {
			t.Errorf("client record after withdrawal: %d", r.Status)
		}
		gone := taskOf(chwMail, "consent_withdrawn")
		if !strings.HasPrefix(gone["text"].(string), "De toestemming van het contactformulier is ingetrokken") || len(gone["params"].(map[string]any)) != 0 {
			t.Errorf("consent task: %v", gone)
		}
		// The text follows the reader's language.
		if r := api.Do(http.MethodPatch, "/api/v1/me", map[string]any{"language": "fr"}, api.Bearer(chwMail)); r.Status != http.StatusOK {
			t.Fatalf("language: %d", r.Status)
		}
		if first := taskOf(chwMail, "first_contact"); first["text"] != "Via le formulaire de contact : Ik zoek een tandarts." {
			t.Errorf("first-contact task in French: %v", first["text"])
		}
	})
}
