package demo

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// seg: from when a staffer followed a client.
type seg struct {
	who  *staffer
	from time.Time
}

// life is one client's year while it is drawn.
type life struct {
	c        *model.Client
	segs     []seg
	needs    []need
	closedAt time.Time // zero: not closed
	end      time.Time // no visits after (closed, paused, or now)
	lastAt   time.Time
	visits   []*model.Visit
	flags    []map[string]bool // missions a visit touched because of what happened at it
}

func (l *life) author(t time.Time) *staffer {
	s := l.segs[0].who
	for _, sg := range l.segs {
		if !sg.from.After(t) {
			s = sg.who
		}
	}
	return s
}

func (l *life) touch(t, now time.Time) {
	if t.After(l.lastAt) && !t.After(now) {
		l.lastAt = t
	}
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

// drawYear draws n clients of the team and their year.
func (tc *teamCtx) drawYear(rng *rand.Rand, n int) {
	weights := make([]int, len(needs))
	for i, nd := range needs {
		weights[i] = nd.Weight
	}
	for i := 0; i < n; i++ {
		l := tc.drawClient(rng, i)
		for k := 1 + rng.IntN(3); len(l.needs) < k; {
			nd := pickWeighted(rng, needs, weights)
			if !slices.ContainsFunc(l.needs, func(x need) bool { return x.Code == nd.Code }) {
				l.needs = append(l.needs, nd)
			}
		}
		tc.drawVisits(rng, l)
		tc.drawBarriers(rng, l)
		if l.c.AssignedCHWID != nil {
			for vi, nd := range l.needs {
				if len(nd.Types) > 0 && rng.IntN(4) > 0 {
					v := l.visits[min(vi+rng.IntN(2), len(l.visits)-1)]
					t0 := v.VisitedAt.Add(time.Duration(v.DurationMinutes+5) * time.Minute)
					if tc.referral(rng, l, nd, t0, fatePath(rng), time.Time{}, false) != nil {
						l.flags[slices.Index(l.visits, v)]["direct"] = true
					}
				}
			}
		}
		tc.drawExtras(rng, l)
		tc.finish(rng, l)
	}
}

// drawClient draws who the client is, who follows them and how their
// follow-up goes (closed, paused, transferred).
func (tc *teamCtx) drawClient(rng *rand.Rand, i int) *life {
	now, story := tc.now, tc.story
	var created time.Time
	for offset := 5 + rng.IntN(360); ; offset++ {
		created = workTime(rng, now.Add(-days(float64(offset))), 90)
		if created.Add(90 * time.Minute).Before(now) {
			break
		}
	}
	var who *staffer
	unassigned := rng.IntN(40) == 0 && now.Sub(created) < days(60)
	if unassigned {
		who = tc.staff.coordinator
	} else {
		var active []*staffer
		for _, s := range tc.staff.chws {
			if s.activeAt(created) {
				active = append(active, s)
			}
		}
		who = active[rng.IntN(len(active))]
	}
	lang := tc.lang
	if lang == "mix" {
		lang = who.Lang
	}
	c := newClient(rng, tc, lang, created)
	c.CreatedBy, c.OriginTeamID, c.OriginFundID = who.ID, tc.teamID, who.fundAt(created)
	if unassigned {
		c.Source = "intake_form"
	}
	l := &life{c: &c, segs: []seg{{who, created}}, end: now, lastAt: created}
	age := now.Sub(created)
	switch r := rng.IntN(100); {
	case unassigned:
	case r < 11 && age > days(60):
		l.closedAt = workTime(rng, created.Add(days(30+rng.Float64()*(age.Hours()/24-32))), 30)
		l.end = l.closedAt
	case r < 16 && age > days(45):
		l.end = workTime(rng, created.Add(days(20+rng.Float64()*(age.Hours()/24-22))), 30)
		c.Status = "paused"
	}
	if !l.closedAt.IsZero() {
		if l.closedAt.After(now) {
			l.closedAt, l.end = time.Time{}, now
		} else {
			c.Status, c.CloseReason = "closed", closeReasons[rng.IntN(len(closeReasons))].in(lang)
		}
	}
	stillThere := func(t time.Time) bool { return l.closedAt.IsZero() || l.closedAt.After(t) }
	switch {
	case who.Email == story.leaver && stillThere(story.leftAt):
		l.segs = append(l.segs, seg{tc.byEmail(story.replacement), story.leftAt.Add(9 * time.Hour)})
	case who.Email == story.rebalanceFrom && created.Before(story.rebalancedAt) && stillThere(story.rebalancedAt) &&
		c.Status == "active" && tc.rebalanced < story.rebalanceN:
		tc.rebalanced++
		l.segs = append(l.segs, seg{tc.byEmail(story.rebTo), story.rebalancedAt.Add(10 * time.Hour)})
	}
	if !unassigned {
		c.AssignedCHWID = &l.segs[len(l.segs)-1].who.ID
	}
	tc.lives = append(tc.lives, l)
	return l
}

func (tc *teamCtx) byEmail(email string) *staffer {
	for _, s := range tc.staff.chws {
		if s.Email == email {
			return s
		}
	}
	return tc.staff.chws[0]
}

var (
	visitModes   = []string{"home", "office", "phone", "street", "partner"}
	modeWeights  = []int{30, 25, 25, 10, 10}
	missionOrder = []string{"inform", "direct", "support", "detect", "signal"}
)

// drawVisits: an intake visit when the client is taken on, then follow-ups
// every few weeks (closer together at first) until the follow-up ends.
func (tc *teamCtx) drawVisits(rng *rand.Rand, l *life) {
	t := l.c.CreatedAt
	for k := 0; k < 16; k++ {
		mode := pickWeighted(rng, visitModes, modeWeights)
		if k == 0 && mode == "phone" {
			mode = "office"
		}
		dur := []int{30, 45, 60, 75, 90}[rng.IntN(5)]
		switch mode {
		case "phone":
			dur = []int{15, 20, 30}[rng.IntN(3)]
		case "street":
			dur = []int{15, 30, 45}[rng.IntN(3)]
		}
		if k > 0 {
			gap := 7 + rng.IntN(21)
			if k > 2 {
				gap = 12 + rng.IntN(35)
			}
			t = workTime(rng, t.Add(days(float64(gap))), dur)
		}
		if t.Add(time.Duration(dur)*time.Minute).After(l.end) || (k > 0 && l.c.AssignedCHWID == nil) {
			break
		}
		who := l.author(t)
		var topics []string
		note := followUpNotes[rng.IntN(len(followUpNotes))]
		if k == 0 {
			for _, nd := range l.needs[:min(2, len(l.needs))] {
				topics = append(topics, nd.Topic)
			}
			note = l.needs[0].Notes[rng.IntN(len(l.needs[0].Notes))]
		} else if rng.IntN(10) < 7 {
			nd := l.needs[rng.IntN(len(l.needs))]
			topics, note = []string{nd.Topic}, nd.Notes[rng.IntN(len(nd.Notes))]
		}
		if topics == nil {
			topics = []string{}
		}
		v := &model.Visit{ID: store.NewID(), ClientID: l.c.ID, CHWID: who.ID, VisitedAt: t, Mode: mode, DurationMinutes: dur,
			Topics: jsonOf(topics), Note: note.in(who.Lang), TeamID: tc.teamID, FundID: who.fundAt(t), CreatedAt: t.Add(time.Duration(dur) * time.Minute)}
		v.UpdatedAt = v.CreatedAt
		l.visits = append(l.visits, v)
		l.flags = append(l.flags, map[string]bool{})
		l.touch(t, tc.now)
	}
}

// drawBarriers: most clients meet one or two barriers, found at an early
// visit; older ones have been addressed or resolved, a few signalled.
func (tc *teamCtx) drawBarriers(rng *rand.Rand, l *life) {
	weights := make([]int, len(barrierKinds))
	for i, b := range barrierKinds {
		weights[i] = b.Weight
	}
	n := pickWeighted(rng, []int{0, 1, 2, 3}, []int{35, 40, 18, 7})
	var seen []string
	for i := 0; i < n; i++ {
		kind := pickWeighted(rng, barrierKinds, weights)
		if slices.Contains(seen, kind.Code) {
			continue
		}
		seen = append(seen, kind.Code)
		vi := min(rng.IntN(3), len(l.visits)-1)
		v := l.visits[vi]
		who := l.author(v.VisitedAt)
		at := v.VisitedAt.Add(time.Duration(v.DurationMinutes) * time.Minute)
		b := model.Barrier{ID: store.NewID(), ClientID: l.c.ID, VisitID: &v.ID, Category: kind.Code, Detail: kind.Detail.in(who.Lang),
			Status: "open", DetectedAt: at, TeamID: v.TeamID, FundID: v.FundID, CreatedBy: who.ID, CreatedAt: at, UpdatedAt: at}
		l.flags[vi]["detect"] = true
		limit := tc.now
		if !l.closedAt.IsZero() {
			limit = l.closedAt
		}
		if si, ok := structuralOf[kind.Code]; ok && rng.IntN(9) == 0 && vi+1 < len(l.visits) {
			sv := l.visits[vi+1+rng.IntN(len(l.visits)-vi-1)]
			b.SetStatus("signalled", sv.VisitedAt.Add(time.Duration(sv.DurationMinutes)*time.Minute))
			b.Detail += " " + structural[si].in(l.author(sv.VisitedAt).Lang)
			l.flags[slices.Index(l.visits, sv)]["signal"] = true
			b.UpdatedAt = *b.SignalledAt
		} else if t := workTime(rng, at.Add(days(float64(7+rng.IntN(35)))), 0); rng.IntN(5) > 0 && t.Before(limit) {
			b.SetStatus("addressed", t)
			b.UpdatedAt = t
			if t2 := workTime(rng, t.Add(days(float64(10+rng.IntN(70)))), 0); rng.IntN(5) > 1 && t2.Before(limit) {
				b.SetStatus("resolved", t2)
				b.UpdatedAt = t2
			}
		}
		l.touch(b.UpdatedAt, tc.now)
		tc.rows.barriers = append(tc.rows.barriers, b)
	}
}

// fatePath draws how a referral goes, if time lets it get that far.
func fatePath(rng *rand.Rand) []string {
	return pickWeighted(rng, [][]string{
		{"sent", "accepted", "appointment_set", "completed"},
		{"sent", "acknowledged", "appointment_set", "completed"},
		{"sent", "appointment_set", "completed"},
		{"sent", "waitlisted", "appointment_set", "completed"},
		{"sent", "declined"},
		{"sent", "acknowledged", "declined"},
		{"sent", "cancelled"},
		{"cancelled"},
		{"sent"},
		{"sent", "acknowledged"},
		{"sent", "waitlisted"},
		{"sent", "accepted", "appointment_set", "missed"},
	}, []int{30, 15, 12, 6, 8, 3, 5, 2, 6, 3, 4, 6})
}

var providerAnswers = []string{"acknowledged", "accepted", "declined", "waitlisted"}

// referral draws a referral for a need from t0 along path, stopped at now
// (or when the client's follow-up closed), with an event for every
// transition; a referral left open for the expiry period expires as the
// rules would expire it. apptAfter, when set, is the earliest start of its
// appointment. fast keeps the steps a day apart (the showcase).
func (tc *teamCtx) referral(rng *rand.Rand, l *life, nd need, t0 time.Time, path []string, apptAfter time.Time, fast bool) *model.Referral {
	now := tc.now
	cutoff := now
	if !l.closedAt.IsZero() {
		cutoff = l.closedAt
	}
	if !t0.Before(cutoff) {
		return nil
	}
	author := l.author(t0)
	typ := nd.Types[rng.IntN(len(nd.Types))]
	r := model.Referral{ID: store.NewID(), ClientID: l.c.ID, ProviderType: typ, Reason: nd.Reasons[rng.IntN(len(nd.Reasons))].in(author.Lang),
		Urgency: pickWeighted(rng, model.ReferralUrgencies, []int{60, 30, 10}), BarrierIDs: "[]", Status: "draft",
		TeamID: tc.teamID, FundID: author.fundAt(t0), CreatedBy: author.ID, CreatedAt: t0, LastEventAt: t0}
	var provider *model.Provider
	if ps := tc.providers[typ]; len(ps) > 0 && rng.IntN(10) > 0 {
		provider = &ps[rng.IntN(len(ps))]
		r.ProviderID = &provider.ID
	}
	event := func(to string, at time.Time, actor *staffer, label, note string) {
		e := model.ReferralEvent{ID: store.NewID(), ReferralID: r.ID, ActorLabel: label, FromStatus: r.Status, ToStatus: to, Note: note, CreatedAt: at}
		if to == "draft" {
			e.FromStatus = ""
		}
		if actor != nil {
			e.ActorID = &actor.ID
		}
		tc.rows.refEvents = append(tc.rows.refEvents, e)
		r.Status, r.LastEventAt = to, at
		l.touch(at, now)
	}
	event("draft", t0, author, "", "")
	t := t0
	var appt *model.Appointment
	for _, step := range path {
		gap := days(1 + rng.Float64()*9)
		switch {
		case fast:
			gap = 20 * time.Hour
		case step == "sent" && rng.IntN(10) < 7:
			gap = time.Duration(5+rng.IntN(25)) * time.Minute
		case step == "sent" || step == "appointment_set":
			gap = days(rng.Float64() * 4)
		case step == "cancelled":
			gap = days(1 + rng.Float64()*12)
		}
		if r.Status == "waitlisted" && !fast {
			gap = days(7 + rng.Float64()*23)
		}
		next := workTime(rng, t.Add(gap), 0)
		if step == "sent" && gap < time.Hour {
			next = t.Add(gap).Truncate(time.Minute)
		}
		if (step == "completed" || step == "missed") && appt != nil {
			next = workTime(rng, appt.StartsAt.Add(days(1+rng.Float64()*3)), 0)
		}
		if next.After(cutoff) {
			break
		}
		t = next
		who := l.author(t)
		switch step {
		case "missed", "completed":
			r.Outcome = pickWeighted(rng, []string{"seen", "treatment_started", "other"}, []int{50, 42, 8})
			if appt.Status == "missed" {
				r.Outcome = "no_show"
			}
			event("completed", t, who, "", "")
		case "declined":
			reason := declineReasons[rng.IntN(len(declineReasons))].in(who.Lang)
			r.DeclineReason = reason
			if rng.IntN(5) < 2 {
				event(step, t, nil, "provider (link)", reason)
			} else {
				event(step, t, who, "", reason)
			}
		case "appointment_set":
			event(step, t, who, "", "appointment planned")
			appt = tc.appointment(rng, l, r.ID, provider, typ, t, apptAfter, path[len(path)-1] == "missed")
		default:
			if slices.Contains(providerAnswers, step) && rng.IntN(5) < 2 {
				event(step, t, nil, "provider (link)", "")
			} else {
				event(step, t, who, "", "")
			}
		}
	}
	if slices.Contains(service.OpenReferralStatuses, r.Status) {
		expiry := r.LastEventAt.Add(service.DefaultExpiry + time.Hour)
		switch {
		case !expiry.After(cutoff):
			if slices.Contains([]string{"sent", "acknowledged", "waitlisted"}, r.Status) {
				tc.chase(l, r, true)
			}
			event("expired", expiry, nil, "system", "nothing happened for "+service.DefaultExpiry.String())
		case cutoff.Before(now):
			event("cancelled", cutoff, l.author(cutoff), "", "")
			if appt != nil && appt.StartsAt.After(cutoff) {
				appt.Status, appt.UpdatedAt = "cancelled", cutoff
			}
		case slices.Contains([]string{"sent", "acknowledged", "waitlisted"}, r.Status) && now.Sub(r.LastEventAt) > service.ChaseAfter:
			tc.chase(l, r, false)
		}
	}
	r.UpdatedAt = r.LastEventAt
	tc.rows.referrals = append(tc.rows.referrals, r)
	if appt != nil {
		tc.rows.appointments = append(tc.rows.appointments, *appt)
		tc.appointmentTasks(rng, l, *appt)
	}
	return &r
}

// chase is the task the rules make for a referral without answer.
func (tc *teamCtx) chase(l *life, r model.Referral, done bool) {
	key := "referral:" + r.ID + ":chase:" + r.LastEventAt.UTC().Format(time.RFC3339)
	due := r.LastEventAt.Add(service.ChaseAfter)
	t := model.Task{ID: store.NewID(), ClientID: l.c.ID, AssigneeID: l.c.AssignedCHWID, Kind: service.TaskChaseReferral,
		DueOn: service.BrusselsDate(due), DedupeKey: &key, CreatedAt: due, UpdatedAt: due}
	if done {
		d := due.Add(26 * time.Hour)
		t.DoneAt, t.UpdatedAt = &d, d
	}
	tc.rows.tasks = append(tc.rows.tasks, t)
}

// appointment is made with a provider when a referral gets one.
func (tc *teamCtx) appointment(rng *rand.Rand, l *life, referralID string, p *model.Provider, typ string, made, after time.Time, missed bool) *model.Appointment {
	dur := map[string]int{"gp": 15, "dentist": 30, "psychologist": 50, "mental_health_centre": 60, "health_insurance_fund": 20,
		"pharmacy": 15, "child_family": 30, "social_welfare": 45, "hospital": 30, "specialist": 20, "physiotherapist": 30}[typ]
	if dur == 0 {
		dur = 30
	}
	from := made.Add(days(2 + rng.Float64()*19))
	if from.Before(after) {
		from = after
	}
	start := clinicTime(rng, from, typ, dur)
	if start.After(tc.now) && start.Before(tc.now.Add(14*time.Hour)) {
		start = clinicTime(rng, tc.now.Add(14*time.Hour), typ, dur)
	}
	who := l.author(made)
	a := &model.Appointment{ID: store.NewID(), ClientID: l.c.ID, ProviderID: nil, StartsAt: start, DurationMinutes: dur, Status: "planned",
		TeamID: tc.teamID, FundID: who.fundAt(made), CreatedBy: who.ID, CreatedAt: made, UpdatedAt: made}
	if referralID != "" {
		a.ReferralID = &referralID
	}
	if p != nil {
		a.ProviderID, a.Location = &p.ID, p.Address+", "+p.Municipality
	}
	if rng.IntN(6) == 0 {
		a.AccompaniedBy = &who.ID
	}
	if !start.After(tc.now) {
		a.Status = "attended"
		if missed || rng.IntN(12) == 0 {
			a.Status = "missed"
		}
		a.UpdatedAt = start.Add(time.Duration(dur) * time.Minute)
	}
	l.touch(made, tc.now)
	return a
}

// appointmentTasks are the rule tasks of an appointment that took place.
func (tc *teamCtx) appointmentTasks(rng *rand.Rand, l *life, a model.Appointment) {
	var kind string
	var due time.Time
	switch a.Status {
	case "attended":
		kind, due = service.TaskFollowUp, a.StartsAt.Add(service.FollowUpAfter)
	case "missed":
		kind, due = service.TaskCallClient, a.StartsAt.Add(24*time.Hour)
	default:
		return
	}
	key := "appointment:" + a.ID + ":" + kind
	t := model.Task{ID: store.NewID(), ClientID: l.c.ID, AssigneeID: l.c.AssignedCHWID, Kind: kind, DueOn: service.BrusselsDate(due),
		DedupeKey: &key, CreatedAt: a.UpdatedAt, UpdatedAt: a.UpdatedAt}
	// Follow-ups are done within days; a few of the last weeks still wait.
	if due.Before(tc.now.Add(-48*time.Hour)) && (due.Before(tc.now.Add(-days(21))) || rng.IntN(3) > 0 || !l.closedAt.IsZero()) {
		d := workTime(rng, due, 0)
		if d.After(tc.now) {
			d = due
		}
		t.DoneAt, t.UpdatedAt = &d, d
	}
	tc.rows.tasks = append(tc.rows.tasks, t)
}

// drawExtras: tasks made by hand and appointments planned without a
// referral (a check-up with the GP) for clients still followed.
func (tc *teamCtx) drawExtras(rng *rand.Rand, l *life) {
	if l.c.Status != "active" || l.c.AssignedCHWID == nil {
		return
	}
	now := tc.now
	who := l.author(now)
	if rng.IntN(8) == 0 {
		due := now.Add(days(float64(rng.IntN(14) - 3)))
		made := now.Add(-days(float64(1 + rng.IntN(5))))
		by := who.ID
		tc.rows.tasks = append(tc.rows.tasks, model.Task{ID: store.NewID(), ClientID: l.c.ID, AssigneeID: &who.ID, Kind: service.TaskManual,
			DueOn: service.BrusselsDate(due), Note: taskNotes[rng.IntN(len(taskNotes))].in(who.Lang), CreatedBy: &by, CreatedAt: made, UpdatedAt: made})
	}
	if rng.IntN(14) == 0 {
		made := workTime(rng, now.Add(-days(float64(3+rng.IntN(8)))), 0)
		if made.After(now) {
			return
		}
		typ := []string{"gp", "gp", "dentist"}[rng.IntN(3)]
		var p *model.Provider
		if ps := tc.providers[typ]; len(ps) > 0 {
			p = &ps[rng.IntN(len(ps))]
		}
		a := tc.appointment(rng, l, "", p, typ, made, now.Add(14*time.Hour), false)
		tc.rows.appointments = append(tc.rows.appointments, *a)
	}
}

// finish writes the client's rows: the client, assignments, events,
// consents and visits (with the missions their events touched).
func (tc *teamCtx) finish(rng *rand.Rand, l *life) {
	c := l.c
	r := &tc.rows
	if c.AssignedCHWID != nil {
		for i, sg := range l.segs {
			a := model.ClientAssignment{ID: store.NewID(), ClientID: c.ID, CHWID: &sg.who.ID, AssignedBy: c.CreatedBy, StartedAt: sg.from, CreatedAt: sg.from, UpdatedAt: sg.from}
			if i > 0 {
				a.AssignedBy = tc.staff.coordinator.ID
				prev := &r.assignments[len(r.assignments)-1]
				prev.EndedAt, prev.UpdatedAt = &sg.from, sg.from
				tc.event(c.ID, tc.staff.coordinator, "assigned", map[string]any{"from": l.segs[i-1].who.ID, "to": sg.who.ID}, sg.from)
				l.touch(sg.from, tc.now)
			}
			r.assignments = append(r.assignments, a)
		}
	}
	tc.event(c.ID, l.segs[0].who, "created", map[string]any{"status": "active"}, c.CreatedAt)
	if c.Status != "active" {
		at := l.end
		tc.event(c.ID, l.author(at), "status_changed", map[string]any{"from": "active", "to": c.Status, "reason": c.CloseReason}, at)
		l.touch(at, tc.now)
	}
	consent := func(purpose string, at time.Time, by string) *model.Consent {
		r.consents = append(r.consents, model.Consent{ID: store.NewID(), ClientID: c.ID, Purpose: purpose, GivenAt: at, GivenBy: by, CreatedAt: at, UpdatedAt: at})
		return &r.consents[len(r.consents)-1]
	}
	consent("care_coordination", c.CreatedAt, c.CreatedBy)
	if c.Phone != nil && rng.IntN(20) < 17 {
		k := consent("sms_reminders", c.CreatedAt, c.CreatedBy)
		if rng.IntN(25) == 0 && len(l.visits) > 1 {
			at := l.visits[1].VisitedAt
			k.WithdrawnAt, k.WithdrawnBy, k.UpdatedAt = &at, &l.visits[1].CHWID, at
		}
	}
	if c.Email != nil && rng.IntN(2) == 0 {
		consent("email_reminders", c.CreatedAt, c.CreatedBy)
	}
	if rng.IntN(3) == 0 {
		consent("provider_sharing", c.CreatedAt.Add(10*time.Minute), c.CreatedBy)
	}
	// Two clients in five agree to the programme's scientific evaluation.
	// Chosen by position rather than drawn, so the rest of the draw (and
	// every figure derived from it) stays as it was.
	if len(r.clients)%5 < 2 {
		consent("research", c.CreatedAt.Add(15*time.Minute), c.CreatedBy)
	}
	for i, v := range l.visits {
		f := l.flags[i]
		if rng.IntN(10) < 8 || len(f) == 0 {
			f["inform"] = true
		}
		if rng.IntN(20) < 9 || (i > 0 && rng.IntN(3) == 0) {
			f["support"] = true
		}
		var missions []string
		for _, m := range missionOrder {
			if f[m] && len(missions) < 3 {
				missions = append(missions, m)
			}
		}
		v.Missions = jsonOf(missions)
		r.visits = append(r.visits, *v)
	}
	c.LastActivityAt, c.UpdatedAt = l.lastAt, l.lastAt
	r.clients = append(r.clients, *c)
}

func (tc *teamCtx) event(clientID string, actor *staffer, kind string, detail map[string]any, at time.Time) {
	tc.rows.events = append(tc.rows.events, model.ClientEvent{ID: store.NewID(), ClientID: clientID, ActorID: &actor.ID, Kind: kind,
		Detail: jsonOf(detail), TeamID: tc.teamID, FundID: actor.fundAt(at), CreatedAt: at})
}
