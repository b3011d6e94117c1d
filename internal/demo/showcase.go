package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// showcasePaths lead a referral to each state a demo CHW should find in
// their caseload, a step a day (expired: a month without news).
var showcasePaths = map[string][]string{
	"draft":           {},
	"sent":            {"sent"},
	"acknowledged":    {"sent", "acknowledged"},
	"accepted":        {"sent", "accepted"},
	"declined":        {"sent", "declined"},
	"waitlisted":      {"sent", "waitlisted"},
	"appointment_set": {"sent", "accepted", "appointment_set"},
	"completed":       {"sent", "accepted", "appointment_set", "completed"},
	"cancelled":       {"sent", "cancelled"},
	"expired":         {"sent"},
}

// showcase makes sure each demo CHW account of the team finds what the
// demo promises in their own caseload: referrals in every state, a missed
// appointment on the last working day, one coming up, and tasks overdue,
// due today and due this week.
func (tc *teamCtx) showcase(rng *rand.Rand) {
	now := tc.now
	for _, s := range tc.staff.chws {
		if !slices.ContainsFunc(Accounts, func(a Account) bool { return a.Email == s.Email }) {
			continue
		}
		var mine []*life
		for _, l := range tc.lives {
			if l.c.AssignedCHWID != nil && *l.c.AssignedCHWID == s.ID && l.c.Status == "active" {
				mine = append(mine, l)
			}
		}
		if len(mine) == 0 {
			continue
		}
		have := map[string]bool{}
		for _, r := range tc.rows.referrals {
			for _, l := range mine {
				if r.ClientID == l.c.ID {
					have[r.Status] = true
				}
			}
		}
		k := 0
		for _, status := range service.ReferralStatuses {
			if have[status] {
				continue
			}
			l := mine[k%len(mine)]
			k++
			nd := needs[k%3]
			back := 12.0
			switch status {
			case "draft":
				back = 1
			case "completed":
				back = 18
			case "expired":
				back = 45
			}
			t0 := workTime(rng, now.Add(-days(back)), 0)
			var after time.Time
			if status == "appointment_set" {
				after = now.Add(14 * time.Hour)
			}
			if t0.Before(now) {
				tc.referral(rng, l, nd, t0, showcasePaths[status], after, true)
			}
		}
		tc.showcaseDay(rng, s, mine)
	}
	for i, l := range tc.lives { // the showcase came after the clients were written
		tc.rows.clients[i].LastActivityAt, tc.rows.clients[i].UpdatedAt = l.lastAt, l.lastAt
	}
}

// showcaseDay: yesterday's missed appointment with its call-back task, the
// next appointment, and tasks made by hand around today.
func (tc *teamCtx) showcaseDay(rng *rand.Rand, s *staffer, mine []*life) {
	now := tc.now
	var gps []model.Provider
	gps = append(gps, tc.providers["gp"]...)
	var p *model.Provider
	if len(gps) > 0 {
		p = &gps[0]
	}
	prev := dayOf(now).AddDate(0, 0, -1)
	for !service.WorkingDay(prev) {
		prev = prev.AddDate(0, 0, -1)
	}
	missed := tc.appointment(rng, mine[0], "", p, "gp", now.Add(-days(7)), time.Time{}, true)
	missed.StartsAt = atMinute(prev, 10*60)
	missed.Status, missed.UpdatedAt = "missed", missed.StartsAt.Add(15*time.Minute)
	tc.rows.appointments = append(tc.rows.appointments, *missed)
	tc.appointmentTasks(rng, mine[0], *missed)
	next := tc.appointment(rng, mine[min(1, len(mine)-1)], "", p, "gp", now.Add(-days(2)), now.Add(14*time.Hour), false)
	tc.rows.appointments = append(tc.rows.appointments, *next)
	for i, off := range []int{-2, 0, 4} {
		l := mine[min(i, len(mine)-1)]
		by := s.ID
		made := now.Add(-days(3))
		tc.rows.tasks = append(tc.rows.tasks, model.Task{ID: store.NewID(), ClientID: l.c.ID, AssigneeID: &by, Kind: service.TaskManual,
			DueOn: service.BrusselsDate(now.AddDate(0, 0, off)), Note: taskNotes[i].in(s.Lang), CreatedBy: &by, CreatedAt: made, UpdatedAt: made})
	}
}
