package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Client names: people the programme reaches, many with a migration
// background, and names common in each language area. The browser test of
// reports checks that none of the first two lists ever shows in a report.
var givenNames = []string{"Amina", "Mohamed", "Fatma", "Ionut", "Maria", "Yusuf", "Sarah", "Kevin", "Nadia", "Omar",
	"Elif", "Ahmed", "Sofia", "Jan", "Leila", "Hamza", "Ana", "Dimitar", "Khadija", "Marc", "Zainab", "Ali", "Julie",
	"Hassan", "Irina", "Samir", "Lucie", "Abdi", "Emma", "Rachid", "Nina", "Bilal", "Chloé", "Yasmina", "Pieter", "Hodan",
	"Mustafa", "Gloria", "Tomasz", "Aïcha", "Ilias", "Mireille"}

var familyNames = []string{"El Idrissi", "Yilmaz", "Popescu", "Diallo", "Janssens", "Benali", "Ivanova", "Mertens",
	"Nkosi", "Kaya", "Dubois", "Haddad", "Petrov", "De Smet", "Mahamud", "Lambert", "Bouzid", "Nowak", "Martin", "Ozturk",
	"Wouters", "Cissé", "Georgiev", "Maes", "Rahimi", "Lejeune", "Osman", "Peeters", "Traoré", "Claes"}

var localNames = map[string]struct{ given, family []string }{
	"nl": {[]string{"Jef", "Marleen", "Rita", "Dirk", "Gert", "Annick", "Kelly", "Jens", "Mieke", "Roger"},
		[]string{"Van Damme", "Verhoeven", "De Backer", "Segers", "Thys", "Vervoort", "Baert", "Lauwers"}},
	"fr": {[]string{"Jacqueline", "Michel", "Brigitte", "Jean-Luc", "Sandrine", "Didier", "Cindy", "Dylan", "Monique", "Fabrice"},
		[]string{"Lefèvre", "Dumont", "Jacquet", "Lambotte", "Dethier", "Wéry", "Remacle", "Fontaine"}},
	"de": {[]string{"Heinz", "Gisela", "Jürgen", "Monika", "Kevin", "Sabine", "Dieter", "Petra"},
		[]string{"Schröder", "Radermacher", "Heinen", "Küpper", "Offermann", "Thissen", "Bongartz", "Scholzen"}},
}

var spoken = []string{"Arabic", "Turkish", "Romanian", "Bulgarian", "Somali", "Pashto", "Tigrinya", "Polish", "Berber", "Spanish", "Dari", "Ukrainian"}

var pseudonyms = map[string][]string{"nl": {"Ster", "Zon", "Maan", "Wolk"}, "fr": {"Étoile", "Lune", "Soleil", "Nuage"}, "de": {"Stern", "Mond", "Sonne", "Wolke"}}

// newClient draws a client of a team: a name (or a pseudonym), birth year,
// phone and e-mail for most, languages, care rights and where they live.
func newClient(rng *rand.Rand, tc *teamCtx, lang string, created time.Time) model.Client {
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	c := model.Client{ID: store.NewID(), TeamID: tc.tree.Team.ID, Language: lang, Status: "active",
		Source:    pickWeighted(rng, []string{"outreach", "intake_form", "partner"}, []int{50, 20, 30}),
		CreatedAt: created, UpdatedAt: created}
	if rng.IntN(3) == 0 {
		local := localNames[lang]
		c.GivenName, c.FamilyName = pick(local.given), pick(local.family)
	} else {
		c.GivenName, c.FamilyName = pick(givenNames), pick(familyNames)
	}
	if rng.IntN(8) == 0 {
		c.GivenName, c.FamilyName, c.Pseudonym = "", "", fmt.Sprintf("%s-%d", pick(pseudonyms[lang]), 10+rng.IntN(89))
	}
	c.SearchText = store.SearchText(c.GivenName, c.FamilyName, c.Pseudonym)
	if rng.IntN(6) > 0 {
		y := 1945 + rng.IntN(62)
		c.BirthYear = &y
	}
	if rng.IntN(5) > 0 {
		p := fmt.Sprintf("+324%d%07d", 84+rng.IntN(16), rng.IntN(10000000))
		c.Phone = &p
	}
	if rng.IntN(5) == 0 {
		e := fmt.Sprintf("client%d.%s@example.net", rng.IntN(1000000), emailKey(tc.tree.Team.Slug))
		c.Email = &e
	}
	if rng.IntN(7) == 0 {
		c.Language = pick([]string{"en", "fr", "nl", "de"})
	}
	var sl []string
	if rng.IntN(3) > 0 {
		sl = append(sl, pick(spoken))
	}
	b, _ := json.Marshal(append([]string{}, sl...))
	c.SpokenLanguages = string(b)
	rights := []string{}
	for _, r := range []string{"gmd", "increased_reimbursement", "third_party_payment", "maximum_billing", "urgent_medical_aid"} {
		if rng.IntN(4) == 0 {
			rights = append(rights, r)
		}
	}
	b, _ = json.Marshal(rights)
	c.CareRights = string(b)
	if len(tc.neighbourhoods) > 0 {
		c.NeighbourhoodID = &tc.neighbourhoods[rng.IntN(len(tc.neighbourhoods))]
	}
	return c
}

func pickWeighted[T any](rng *rand.Rand, items []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return items[i]
		}
		r -= w
	}
	return items[len(items)-1]
}
