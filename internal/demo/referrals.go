package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

var streets = []string{"Kerkstraat", "Stationsstraat", "Rue de la Station", "Rue du Marché", "Dorpsstraat", "Place Saint-Lambert", "Marktplein", "Rue Haute"}

// referralPaths lead a referral, status by status, to each final state the
// demo shows; every intermediate step is a real event.
var referralPaths = [][]string{
	{"draft"},
	{"draft", "sent"},
	{"draft", "sent", "acknowledged"},
	{"draft", "sent", "accepted"},
	{"draft", "sent", "declined"},
	{"draft", "sent", "waitlisted"},
	{"draft", "sent", "accepted", "appointment_set"},
	{"draft", "sent", "acknowledged", "accepted", "appointment_set", "completed"},
	{"draft", "sent", "cancelled"},
	{"draft", "sent", "expired"},
}

// SeedReferrals adds, when the directory is empty: providers of every type
// in each team's municipalities, referrals in every state for clients in
// Gent and Liège, appointments past and future, and open tasks.
func SeedReferrals(ctx context.Context, st *store.Store) error {
	if n, err := st.CountProviders(ctx); err != nil || n > 0 {
		return err
	}
	terms, err := st.TaxonomyTerms(ctx)
	if err != nil {
		return err
	}
	trees, err := st.Teams(ctx)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(5, 24))
	providersByTeam := map[string][]model.Provider{}
	for _, tr := range trees {
		var ps []model.Provider
		for i, t := range terms {
			if t.Kind != "provider_types" || t.Code == "other" {
				continue
			}
			mun := tr.Municipalities[i%len(tr.Municipalities)].Municipality.Name
			label := t.LabelNL
			if tr.Region.Code == "WAL" || tr.Region.Code == "BRU" && i%2 == 1 {
				label = t.LabelFR
			} else if tr.Region.Code == "DG" {
				label = t.LabelDE
			}
			phone := fmt.Sprintf("+3292%02d%04d", rng.IntN(100), rng.IntN(10000))
			langs := `["nl","fr"]`
			if rng.IntN(2) == 0 {
				langs = `["nl","fr","en","ar"]`
			}
			ps = append(ps, model.Provider{TeamID: tr.Team.ID, Name: fmt.Sprintf("%s %s", label, mun), Type: t.Code,
				Address: fmt.Sprintf("%s %d", streets[rng.IntN(len(streets))], 1+rng.IntN(120)), Municipality: mun, Phone: &phone,
				Languages: langs, AcceptsNew: rng.IntN(4) > 0, ThirdPartyPayment: rng.IntN(2) == 0, Conventioned: rng.IntN(5) > 0})
		}
		if err := st.SaveProviders(ctx, ps); err != nil {
			return err
		}
		providersByTeam[tr.Team.ID] = ps
	}
	now := st.Now()
	for _, email := range []string{"chw.gent1@example.org", "chw.gent2@example.org", "chw.liege1@example.org"} {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		sc := store.Scope{UserID: u.ID, Role: u.Role, TeamIDs: u.TeamIDs}
		page, err := st.ListClients(ctx, sc, store.ClientFilter{Limit: 12})
		if err != nil {
			return err
		}
		provs := providersByTeam[u.TeamIDs[0]]
		for i, path := range referralPaths {
			if i >= len(page.Items) {
				break
			}
			c := page.Items[i]
			p := provs[rng.IntN(len(provs))]
			r := model.Referral{ClientID: c.ID, ProviderID: &p.ID, ProviderType: p.Type, Reason: demoReasons[i%len(demoReasons)],
				Urgency: model.ReferralUrgencies[i%3], BarrierIDs: "[]", Status: "draft"}
			if err := st.CreateReferral(ctx, &r, u.ID); err != nil {
				return err
			}
			for j := 1; j < len(path); j++ {
				set := map[string]any{}
				switch path[j] {
				case "declined":
					set["decline_reason"] = "no new patients this month"
				case "completed":
					set["outcome"] = "seen"
				}
				actor := u.ID
				if err := st.TransitionReferral(ctx, r.ID, path[j-1], path[j], set, &actor, "", ""); err != nil {
					return err
				}
				if path[j] == "appointment_set" {
					at := now.Add(time.Duration(2+i) * 24 * time.Hour).Truncate(time.Hour)
					if path[len(path)-1] == "completed" {
						at = now.Add(-10 * 24 * time.Hour).Truncate(time.Hour)
					}
					status := "planned"
					if at.Before(now) {
						status = "attended"
					}
					a := model.Appointment{ClientID: c.ID, ProviderID: &p.ID, ReferralID: &r.ID, StartsAt: at, DurationMinutes: 30,
						Location: p.Address, Status: status, CreatedBy: u.ID}
					if err := st.CreateAppointment(ctx, &a, nil); err != nil {
						return err
					}
				}
			}
		}
		// A missed appointment yesterday, one this afternoon, and tasks: overdue, today, this week.
		for k, c := range page.Items[:min(3, len(page.Items))] {
			p := provs[rng.IntN(len(provs))]
			at := []time.Time{now.Add(-26 * time.Hour), now.Add(3 * time.Hour), now.Add(6 * 24 * time.Hour)}[k].Truncate(15 * time.Minute)
			status := "planned"
			if at.Before(now) {
				status = "missed"
			}
			a := model.Appointment{ClientID: c.ID, ProviderID: &p.ID, StartsAt: at, DurationMinutes: 20, Location: p.Address, Status: status, CreatedBy: u.ID}
			if err := st.CreateAppointment(ctx, &a, nil); err != nil {
				return err
			}
			due := now.AddDate(0, 0, []int{-2, 0, 4}[k]).Format("2006-01-02")
			kind := []string{"call_client", "follow_up", "other"}[k]
			t := model.Task{ClientID: c.ID, AssigneeID: &u.ID, Kind: kind, DueOn: due, Note: []string{"", "Check the GMD was opened", "Bring the insurance fund form"}[k]}
			if _, err := st.CreateTask(ctx, &t); err != nil {
				return err
			}
		}
	}
	return nil
}

var demoReasons = []string{"Needs a GP and a global medical file", "Dental pain for weeks", "Low mood, sleeps badly", "Medication review",
	"Not yet registered with an insurance fund", "Vaccination of the children", "Eyes, needs glasses", "Back pain after work"}
