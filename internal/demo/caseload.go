package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

var givenNames = []string{"Amina", "Mohamed", "Fatma", "Ionut", "Maria", "Yusuf", "Sarah", "Kevin", "Nadia", "Omar",
	"Elif", "Ahmed", "Sofia", "Jan", "Leila", "Hamza", "Ana", "Dimitar", "Khadija", "Marc", "Zainab", "Ali", "Julie",
	"Hassan", "Irina", "Samir", "Lucie", "Abdi", "Emma", "Rachid", "Nina", "Bilal", "Chloé", "Yasmina", "Pieter", "Hodan",
	"Mustafa", "Gloria", "Tomasz", "Aïcha", "Ilias", "Mireille"}

var familyNames = []string{"El Idrissi", "Yilmaz", "Popescu", "Diallo", "Janssens", "Benali", "Ivanova", "Mertens",
	"Nkosi", "Kaya", "Dubois", "Haddad", "Petrov", "De Smet", "Mahamud", "Lambert", "Bouzid", "Nowak", "Martin", "Ozturk",
	"Wouters", "Cissé", "Georgiev", "Maes", "Rahimi", "Lejeune", "Osman", "Peeters", "Traoré", "Claes"}

var spoken = []string{"Arabic", "Turkish", "Romanian", "Bulgarian", "Somali", "Pashto", "Tigrinya", "Polish", "Berber", "Spanish"}

var topics = []string{"GP registration", "dental care", "medication", "insurance fund", "child and family", "mental health",
	"appointment", "costs", "housing", "interpreting"}

// demoCaseload: team slug, demo CHW (or "" for unassigned), how many.
var demoCaseload = []struct {
	team, chw string
	n         int
}{
	{"gent", "chw.gent1@example.org", 14},
	{"gent", "chw.gent2@example.org", 12},
	{"gent", "", 3},
	{"liege", "chw.liege1@example.org", 11},
	{"liege", "", 2},
}

// SeedCaseload creates a believable caseload when there are no clients yet:
// clients in Gent and Liège, with visits, barriers and consents spread over
// the last months (some without a recent visit, some unassigned).
func SeedCaseload(ctx context.Context, st *store.Store) (int, error) {
	if n, err := st.CountClients(ctx); err != nil || n > 0 {
		return 0, err
	}
	terms, err := st.TaxonomyTerms(ctx)
	if err != nil {
		return 0, err
	}
	codes := map[string][]string{}
	for _, t := range terms {
		codes[t.Kind] = append(codes[t.Kind], t.Code)
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	now := st.Now()
	created := 0
	for _, group := range demoCaseload {
		team, err := st.TeamBySlug(ctx, group.team)
		if err != nil {
			return created, err
		}
		trees, err := st.Teams(ctx)
		if err != nil {
			return created, err
		}
		var neighbourhoods []string
		for _, tr := range trees {
			if tr.Team.ID == team.ID {
				for _, m := range tr.Municipalities {
					for _, n := range m.Neighbourhoods {
						neighbourhoods = append(neighbourhoods, n.ID)
					}
				}
			}
		}
		coordinator, err := st.UserByEmail(ctx, "coordinator."+group.team+"@example.org")
		if err != nil {
			return created, err
		}
		actor := coordinator.ID
		var chwID *string
		if group.chw != "" {
			u, err := st.UserByEmail(ctx, group.chw)
			if err != nil {
				return created, err
			}
			chwID, actor = &u.ID, u.ID
		}
		lang := "nl"
		if group.team == "liege" {
			lang = "fr"
		}
		for i := 0; i < group.n; i++ {
			c := model.Client{
				TeamID: team.ID, AssignedCHWID: chwID, GivenName: pick(givenNames), FamilyName: pick(familyNames),
				Language: lang, Source: pick(model.ClientSources), Status: "active", SpokenLanguages: "[]", CareRights: "[]",
			}
			if rng.IntN(5) == 0 {
				c.GivenName, c.FamilyName, c.Pseudonym = "", "", fmt.Sprintf("%s-%d", pick([]string{"Ster", "Étoile", "Zon", "Lune"}), 10+rng.IntN(89))
			}
			if rng.IntN(4) > 0 {
				y := 1950 + rng.IntN(55)
				c.BirthYear = &y
			}
			if rng.IntN(3) > 0 {
				p := fmt.Sprintf("+324%02d%06d", 70+rng.IntN(30), rng.IntN(1000000))
				c.Phone = &p
			}
			if rng.IntN(6) == 0 {
				c.Language = pick(model.Languages)
			}
			if len(neighbourhoods) > 0 {
				c.NeighbourhoodID = &neighbourhoods[rng.IntN(len(neighbourhoods))]
			}
			sl, _ := json.Marshal([]string{pick(spoken)})
			c.SpokenLanguages = string(sl)
			rights := []string{}
			for _, r := range codes["belgian_care_rights"] {
				if rng.IntN(3) == 0 {
					rights = append(rights, r)
				}
			}
			cr, _ := json.Marshal(rights)
			c.CareRights = string(cr)
			if err := st.CreateClient(ctx, &c, actor); err != nil {
				return created, err
			}
			if _, err := st.GiveConsent(ctx, c.ID, "care_coordination", actor); err != nil {
				return created, err
			}
			if c.Phone != nil && rng.IntN(3) > 0 {
				if _, err := st.GiveConsent(ctx, c.ID, "sms_reminders", actor); err != nil {
					return created, err
				}
			}
			since := now.AddDate(0, 0, -(35 + rng.IntN(120)))
			if err := st.Backdate(ctx, c.ID, since); err != nil {
				return created, err
			}
			// Every fourth client has had no visit for more than 30 days.
			recent := i%4 != 3
			visits := 1 + rng.IntN(4)
			for v := 0; v < visits; v++ {
				var at time.Time
				if recent {
					at = now.Add(-time.Duration(rng.IntN(28*24)+1) * time.Hour)
				} else {
					at = since.Add(time.Duration(rng.IntN(48)+1) * time.Hour)
				}
				missions, _ := json.Marshal([]string{"inform", pick([]string{"direct", "support", "detect"})})
				tp, _ := json.Marshal([]string{pick(topics)})
				visit := model.Visit{ClientID: c.ID, CHWID: actor, VisitedAt: at.Truncate(time.Minute), Mode: pick(model.VisitModes),
					DurationMinutes: 15 + 15*rng.IntN(6), Missions: string(missions), Topics: string(tp), Note: ""}
				var barriers []model.Barrier
				if rng.IntN(2) == 0 {
					b := model.Barrier{ClientID: c.ID, Category: pick(codes["barrier_categories"]), Status: "open",
						DetectedAt: visit.VisitedAt, CreatedBy: actor}
					b.SetStatus(pick(model.BarrierStatuses), visit.VisitedAt.Add(72*time.Hour))
					barriers = append(barriers, b)
				}
				if err := st.CreateVisit(ctx, &visit, barriers); err != nil {
					return created, err
				}
			}
			created++
		}
	}
	return created, nil
}
