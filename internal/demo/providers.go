package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// directory is how many providers of each type a team's directory lists,
// and how they are named in each language (%s: a street or place).
var directory = []struct {
	Type  string
	N     int
	Names lang3
}{
	{"gp", 4, lang3{"Huisartsenpraktijk %s", "Cabinet médical %s", "Hausarztpraxis %s"}},
	{"community_health_centre", 1, lang3{"Wijkgezondheidscentrum %s", "Maison médicale %s", "Gesundheitszentrum %s"}},
	{"dentist", 3, lang3{"Tandartspraktijk %s", "Cabinet dentaire %s", "Zahnarztpraxis %s"}},
	{"psychologist", 2, lang3{"Eerstelijnspsycholoog %s", "Psychologue de première ligne %s", "Psychologische Praxis %s"}},
	{"mental_health_centre", 1, lang3{"Centrum Geestelijke Gezondheidszorg %s", "Service de santé mentale %s", "Zentrum für psychische Gesundheit %s"}},
	{"pharmacy", 3, lang3{"Apotheek %s", "Pharmacie %s", "Apotheke %s"}},
	{"health_insurance_fund", 2, lang3{"Ziekenfonds, kantoor %s", "Mutualité, agence %s", "Krankenkasse, Geschäftsstelle %s"}},
	{"child_family", 1, lang3{"Kind en Gezin, consultatiebureau %s", "ONE, consultation %s", "Kaleido, Standort %s"}},
	{"social_welfare", 1, lang3{"OCMW %s", "CPAS %s", "ÖSHZ %s"}},
	{"social_work", 1, lang3{"CAW %s", "Service social %s", "Sozialdienst %s"}},
	{"hospital", 1, lang3{"Ziekenhuis %s", "Hôpital %s", "Krankenhaus %s"}},
	{"specialist", 2, lang3{"Oogarts %s", "Ophtalmologue %s", "Augenarzt %s"}},
	{"physiotherapist", 1, lang3{"Kinepraktijk %s", "Cabinet de kinésithérapie %s", "Physiotherapie %s"}},
}

var streetsBy = map[string][]string{
	"nl": {"Kerkstraat", "Stationsstraat", "Dorpsstraat", "Marktplein", "Molenstraat", "Nieuwstraat", "Kapelstraat", "Schoolstraat", "Lindelaan", "Beukenlaan", "Brugstraat", "Kouter"},
	"fr": {"Rue de la Station", "Rue du Marché", "Place Saint-Lambert", "Rue Haute", "Rue de l'Église", "Avenue des Tilleuls", "Rue du Moulin", "Rue des Écoles", "Quai de la Meuse", "Rue Neuve", "Rue du Pont", "Place Verte"},
	"de": {"Kirchstraße", "Bahnhofstraße", "Marktplatz", "Aachener Straße", "Neustraße", "Klosterstraße", "Hookstraße", "Lindenweg"},
}

var providerLanguages = []string{"ar", "tr", "en", "ro", "bg", "pl", "so", "es", "ru", "prs"}

// seedDirectory creates a team's provider directory when it has none, and
// returns the team's providers by type.
func seedDirectory(ctx context.Context, st *store.Store, tr store.TeamTree, rng *rand.Rand) (map[string][]model.Provider, error) {
	var ps []model.Provider
	n, err := st.CountRows(ctx, &model.Provider{}, "team_id = ?", tr.Team.ID)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		lang := teamLanguage(tr)
		for i, d := range directory {
			for k := 0; k < d.N; k++ {
				l := lang
				if l == "mix" {
					l = []string{"nl", "fr"}[(i+k)%2]
				}
				mun := tr.Municipalities[(i+k)%len(tr.Municipalities)].Municipality.Name
				street := streetsBy[l][rng.IntN(len(streetsBy[l]))]
				place := street
				if d.Type == "hospital" || d.Type == "social_welfare" || d.Type == "child_family" || d.Type == "health_insurance_fund" {
					place = mun
					if k > 0 {
						place = mun + " " + street
					}
				}
				langs := []string{l}
				if l != "fr" {
					langs = append(langs, "fr")
				} else {
					langs = append(langs, "nl")
				}
				for _, extra := range providerLanguages {
					if rng.IntN(6) == 0 {
						langs = append(langs, extra)
					}
				}
				lj, _ := json.Marshal(langs)
				phone := fmt.Sprintf("+32%d%07d", []int{9, 2, 4, 3, 71, 87, 59, 89, 16}[(i+k)%9], rng.IntN(10000000))
				ps = append(ps, model.Provider{TeamID: tr.Team.ID, Name: fmt.Sprintf(d.Names.in(l), place), Type: d.Type,
					Address: fmt.Sprintf("%s %d", street, 1+rng.IntN(140)), Municipality: mun, Phone: &phone, Languages: string(lj),
					AcceptsNew: rng.IntN(4) > 0, ThirdPartyPayment: d.Type == "community_health_centre" || rng.IntN(2) == 0, Conventioned: rng.IntN(6) > 0})
			}
		}
		if err := st.SaveProviders(ctx, ps); err != nil {
			return nil, err
		}
	} else {
		page, err := st.Providers(ctx, store.ProviderFilter{TeamIDs: []string{tr.Team.ID}, Limit: 500})
		if err != nil {
			return nil, err
		}
		ps = page.Items
	}
	out := map[string][]model.Provider{}
	for _, p := range ps {
		out[p.Type] = append(out[p.Type], p)
	}
	return out, nil
}
