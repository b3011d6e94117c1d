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

// demoGroup is one kind of session a team holds.
type demoGroup struct {
	title, partner, location string
	topics, languages        []string
	interpreter              bool
	neighbourhood            bool
}

var demoGroups = map[string][]demoGroup{
	"gent": {
		{title: "Infosessie tandzorg", partner: "CAW Oost-Vlaanderen", location: "Onthaal Rabot", topics: []string{"dental_care", "care_costs"}, languages: []string{"nl", "ar"}, interpreter: true},
		{title: "Je huisarts en het GMD", partner: "Wijkgezondheidscentrum Brugse Poort", location: "Polyvalente zaal", topics: []string{"gp_gmd", "health_insurance"}, languages: []string{"nl", "tr"}},
		{title: "Infomoment ziekenfonds en verhoogde tegemoetkoming", partner: "OCMW Gent", location: "Sociaal Huis Nieuw Gent", topics: []string{"health_insurance", "care_costs"}, languages: []string{"nl", "en"}},
		{title: "Praatcafé mentaal welzijn", location: "Buurtcentrum", topics: []string{"mental_health"}, languages: []string{"nl", "ar", "so"}, interpreter: true, neighbourhood: true},
		{title: "Vaccinatie en Kind en Gezin", partner: "Huis van het Kind Gent", location: "Consultatiebureau Dampoort", topics: []string{"child_family", "vaccination"}, languages: []string{"nl", "bg", "ro"}, interpreter: true},
	},
	"liege": {
		{title: "Séance d'information mutualité", partner: "CPAS de Liège", location: "Antenne Sainte-Marguerite", topics: []string{"health_insurance", "care_costs"}, languages: []string{"fr", "ar"}, interpreter: true},
		{title: "Le médecin généraliste et le DMG", partner: "Maison médicale du Laveu", location: "Salle d'attente", topics: []string{"gp_gmd"}, languages: []string{"fr"}},
		{title: "Atelier santé dentaire", partner: "Planning familial Louise Michel", location: "Salle de réunion", topics: []string{"dental_care"}, languages: []string{"fr", "tr"}},
		{title: "Café santé du quartier", location: "Maison de quartier", topics: []string{"healthy_living", "medication"}, languages: []string{"fr", "es"}, neighbourhood: true},
		{title: "Santé mentale : à qui s'adresser ?", partner: "Espace 28", location: "Local associatif", topics: []string{"mental_health"}, languages: []string{"fr", "ar", "ps"}, interpreter: true},
	},
}

// demoSessionCHWs are the facilitators of each team's demo sessions.
var demoSessionCHWs = map[string][]string{
	"gent":  {"chw.gent1@example.org", "chw.gent2@example.org"},
	"liege": {"chw.liege1@example.org"},
}

var demoStarts = []struct{ h, m int }{{9, 30}, {10, 0}, {13, 30}, {14, 0}, {18, 0}}

// SeedGroupSessions creates, when there are none yet, about 15 sessions per
// demo team over the last twelve months on working days in working hours
// (most held, one cancelled), plus an upcoming planned one per team. The
// same seed gives the same sessions.
func SeedGroupSessions(ctx context.Context, st *store.Store) (int, error) {
	if n, err := st.CountGroupSessions(ctx); err != nil || n > 0 {
		return 0, err
	}
	trees, err := st.Teams(ctx)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	now := st.Now()
	created := 0
	for _, slug := range []string{"gent", "liege"} {
		var tree *store.TeamTree
		for i := range trees {
			if trees[i].Team.Slug == slug {
				tree = &trees[i]
			}
		}
		if tree == nil {
			return created, fmt.Errorf("demo team %s missing", slug)
		}
		var nbs []model.Neighbourhood
		for _, m := range tree.Municipalities {
			nbs = append(nbs, m.Neighbourhoods...)
		}
		var chws []store.UserWithTeams
		for _, email := range demoSessionCHWs[slug] {
			u, err := st.UserByEmail(ctx, email)
			if err != nil {
				return created, fmt.Errorf("demo facilitator %s: %w", email, err)
			}
			chws = append(chws, u)
		}
		// 15 past sessions about three weeks apart, then one upcoming.
		for i := 0; i < 16; i++ {
			days := 360 - i*23 - rng.IntN(5)
			status := "held"
			if i == 15 {
				days = -9 - rng.IntN(5)
				status = "planned"
			} else if i == 6 {
				status = "cancelled"
			}
			g := demoSession(rng, tree.Team.ID, demoGroups[slug][i%len(demoGroups[slug])], workingDay(now, days), status, nbs)
			lead := chws[i%len(chws)]
			g.CreatedBy, g.FundID = lead.ID, lead.FundID
			fac := []model.GroupSessionFacilitator{{CHWID: lead.ID, TeamID: tree.Team.ID, FundID: lead.FundID}}
			if len(chws) > 1 && i%3 == 0 {
				other := chws[(i+1)%len(chws)]
				fac = append(fac, model.GroupSessionFacilitator{CHWID: other.ID, TeamID: tree.Team.ID, FundID: other.FundID})
			}
			if err := st.CreateGroupSession(ctx, &g, fac); err != nil {
				return created, fmt.Errorf("demo group session: %w", err)
			}
			created++
		}
	}
	return created, nil
}

// workingDay is the Brussels date days before now (after, when negative),
// moved back to the Friday before when it falls in a weekend.
func workingDay(now time.Time, days int) time.Time {
	d := now.In(brussels()).AddDate(0, 0, -days)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

func demoSession(rng *rand.Rand, teamID string, kind demoGroup, day time.Time, status string, nbs []model.Neighbourhood) model.GroupSession {
	at := demoStarts[rng.IntN(len(demoStarts))]
	starts := time.Date(day.Year(), day.Month(), day.Day(), at.h, at.m, 0, 0, brussels()).UTC()
	g := model.GroupSession{
		TeamID:              teamID,
		StartsAt:            starts,
		DurationMinutes:     []int{60, 90, 90, 120}[rng.IntN(4)],
		PlaceKind:           "partner",
		Location:            kind.location,
		PartnerOrganisation: kind.partner,
		Title:               kind.title,
		Missions:            jsonText([]string{"inform", "direct"}[:1+rng.IntN(2)]),
		Topics:              jsonText(kind.topics),
		Languages:           jsonText(kind.languages),
		Interpreter:         kind.interpreter,
		Status:              status,
		CreatedAt:           starts.Add(-14 * 24 * time.Hour),
		UpdatedAt:           starts.Add(24 * time.Hour),
	}
	if kind.neighbourhood && len(nbs) > 0 {
		nb := nbs[rng.IntN(len(nbs))]
		g.PlaceKind, g.NeighbourhoodID, g.PartnerOrganisation = "neighbourhood", &nb.ID, ""
		g.Location = kind.location + " " + nb.Name
	}
	if status == "held" {
		g.Participants = 6 + rng.IntN(25)
		young := rng.IntN(g.Participants / 3)
		mid := rng.IntN(g.Participants - young)
		bands := map[string]int{"18-29": young, "30-49": mid, "50-64": g.Participants - young - mid}
		g.ParticipantsByAge = ptr(jsonText(bands))
	}
	if status != "held" {
		g.UpdatedAt = g.CreatedAt
	}
	return g
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ptr[T any](v T) *T { return &v }
