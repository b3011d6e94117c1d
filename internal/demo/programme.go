package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// Scale is how big the demo programme is.
type Scale struct {
	Clients int // over all teams
}

// FullScale is the programme of `brug seed --demo`: about 2,000 clients.
var FullScale = Scale{Clients: 2000}

// Summary counts what SeedProgramme created.
type Summary struct {
	Teams, Clients, Visits, Barriers, Referrals, Appointments, Reminders, Tasks int
}

// teamShare: a team's part of the programme's clients (other teams: 8).
var teamShare = map[string]int{"antwerpen": 13, "genk": 10, "gent": 11, "oostende": 10, "tienen": 7, "charleroi": 12,
	"liege": 13, "verviers-dison": 9, "brussel-bruxelles": 11, "eupen-und-kelmis": 4}

// rows is what one team's year of work adds, inserted in one transaction.
type rows struct {
	clients      []model.Client
	assignments  []model.ClientAssignment
	events       []model.ClientEvent
	consents     []model.Consent
	visits       []model.Visit
	barriers     []model.Barrier
	referrals    []model.Referral
	refEvents    []model.ReferralEvent
	appointments []model.Appointment
	tasks        []model.Task
}

// teamCtx is one team while its year is drawn.
type teamCtx struct {
	tree           store.TeamTree
	teamID         *string
	lang           string
	neighbourhoods []string
	staff          *teamStaff
	providers      map[string][]model.Provider
	now            time.Time
	story          history
	rows           rows
	lives          []*life
	rebalanced     int
}

// SeedProgramme creates the demo programme: every team of areas.json with
// its coordinator and CHWs (each with a fund), a provider directory, and a
// year of work ending now on the store's clock — clients, visits, barriers,
// referrals with their events, appointments, reminders through the app's
// own planning, consents and tasks. Rows are attributed as the app writes
// them: the client's team and the author's fund on that day, including
// after the fund changes and caseload transfers of the story. A team that
// has clients already is left alone, so seeding twice changes nothing; the
// draw is seeded, so the data is the same every run relative to the clock.
func SeedProgramme(ctx context.Context, svc *service.Service, sc Scale) (Summary, error) {
	st := svc.Store
	var sum Summary
	trees, err := st.Teams(ctx)
	if err != nil {
		return sum, err
	}
	now := st.Now()
	story := storyOf(now)
	staff, err := seedStaff(ctx, st, trees, story)
	if err != nil {
		return sum, err
	}
	total := 0
	for _, tr := range trees {
		total += share(tr.Team.Slug)
	}
	for ti, tr := range trees {
		n, err := st.CountRows(ctx, &model.Client{}, "team_id = ?", tr.Team.ID)
		if err != nil {
			return sum, err
		}
		if n > 0 {
			continue
		}
		providers, err := seedDirectory(ctx, st, tr, rand.New(rand.NewPCG(24, uint64(ti)+1)))
		if err != nil {
			return sum, fmt.Errorf("demo directory of %s: %w", tr.Team.Slug, err)
		}
		teamID := tr.Team.ID
		tc := &teamCtx{tree: tr, teamID: &teamID, lang: teamLanguage(tr), staff: staff[tr.Team.ID], providers: providers, now: now, story: story}
		for _, m := range tr.Municipalities {
			for _, nb := range m.Neighbourhoods {
				tc.neighbourhoods = append(tc.neighbourhoods, nb.ID)
			}
		}
		rng := rand.New(rand.NewPCG(2026, uint64(ti)+1))
		tc.drawYear(rng, max(1, sc.Clients*share(tr.Team.Slug)/total))
		tc.showcase(rng)
		planned, err := tc.insert(ctx, svc)
		if err != nil {
			return sum, fmt.Errorf("demo year of %s: %w", tr.Team.Slug, err)
		}
		r := tc.rows
		sum.Teams++
		sum.Clients += len(r.clients)
		sum.Visits += len(r.visits)
		sum.Barriers += len(r.barriers)
		sum.Referrals += len(r.referrals)
		sum.Appointments += len(r.appointments)
		sum.Tasks += len(r.tasks)
		sum.Reminders += planned
	}
	return sum, nil
}

func share(slug string) int {
	if s, ok := teamShare[slug]; ok {
		return s
	}
	return 8
}

// insert writes a team's rows in one transaction, in foreign-key order, and
// plans the reminders of its future appointments as the app does when an
// appointment is made (same rows, same dedupe keys). It returns how many
// reminders were queued.
func (tc *teamCtx) insert(ctx context.Context, svc *service.Service) (int, error) {
	r := &tc.rows
	queued := 0
	err := svc.Store.Tx(ctx, func(tx *store.Store) error {
		for _, batch := range []any{&r.clients, &r.assignments, &r.events, &r.consents, &r.visits, &r.barriers,
			&r.referrals, &r.refEvents, &r.appointments, &r.tasks} {
			if err := tx.InsertBatches(ctx, batch, 200); err != nil {
				return err
			}
		}
		for _, a := range r.appointments {
			if a.Status != "planned" || !a.StartsAt.After(tc.now) {
				continue
			}
			if err := svc.PlanReminders(ctx, tx, a); err != nil {
				return err
			}
		}
		n, err := tx.CountRows(ctx, &model.Reminder{}, "status = 'queued' AND client_id IN (SELECT id FROM clients WHERE team_id = ?)", tc.tree.Team.ID)
		queued = int(n)
		return err
	})
	return queued, err
}
