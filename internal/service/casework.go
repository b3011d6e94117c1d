package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// VisitEditWindow is how long the CHW who logged a visit may edit or
// delete it (a wrong field, a second tap on Save); after it, only a
// coordinator may, so the record of what happened stays trustworthy.
const VisitEditWindow = 24 * time.Hour

// BarrierInput is a barrier as submitted.
type BarrierInput struct {
	Category string
	Detail   string
	Status   string
}

// VisitInput is a visit as submitted; for updates nil keeps a field.
type VisitInput struct {
	VisitedAt       *time.Time
	Mode            *string
	DurationMinutes *int
	Missions        *[]string
	Topics          *[]string
	Note            *string
	Barriers        []BarrierInput
}

// VisitView is a visit with its lists decoded and its barriers.
type VisitView struct {
	model.Visit
	Missions []string
	Topics   []string
	Barriers []model.Barrier
}

// decodeList reads a stored JSON list; an unreadable one is empty.
func decodeList(raw string) []string {
	var out []string
	_ = json.Unmarshal([]byte(raw), &out)
	if out == nil {
		out = []string{}
	}
	return out
}

func visitView(v model.Visit, b []model.Barrier) VisitView {
	out := VisitView{Visit: v, Barriers: b}
	_ = json.Unmarshal([]byte(v.Missions), &out.Missions)
	_ = json.Unmarshal([]byte(v.Topics), &out.Topics)
	if out.Missions == nil {
		out.Missions = []string{}
	}
	if out.Topics == nil {
		out.Topics = []string{}
	}
	if out.Barriers == nil {
		out.Barriers = []model.Barrier{}
	}
	return out
}

func (s *Service) writableClient(ctx context.Context, p *Principal, id string) (model.Client, error) {
	c, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return c, err
	}
	if !s.canWriteClients(p) {
		return c, apperr.NotFound()
	}
	if c.ErasedAt != nil {
		return c, apperr.New(apperr.KindConflict, "This client's data was erased: nothing can be added or changed.")
	}
	return c, nil
}

func (s *Service) applyVisit(ctx context.Context, v *model.Visit, in VisitInput, f *apperr.Fields) error {
	now := s.Store.Now()
	if in.VisitedAt != nil {
		at := in.VisitedAt.UTC().Truncate(time.Second)
		if at.After(now.Add(10 * time.Minute)) {
			f.Add("visited_at", "future", "A visit cannot be in the future.")
		}
		if at.Before(now.AddDate(-1, 0, 0)) {
			f.AddP("visited_at", apperr.CodeRange, "A visit cannot be more than a year ago.", map[string]any{"reason": "past_year"})
		}
		v.VisitedAt = at
	}
	if in.Mode != nil {
		if !slices.Contains(model.VisitModes, *in.Mode) {
			f.OneOf("mode", model.VisitModes)
		}
		v.Mode = *in.Mode
	}
	if in.DurationMinutes != nil {
		if *in.DurationMinutes < 1 || *in.DurationMinutes > 720 {
			f.AddP("duration_minutes", apperr.CodeRange, "Must be from 1 to 720 minutes.", apperr.Between(1, 720))
		}
		v.DurationMinutes = *in.DurationMinutes
	}
	if in.Missions != nil {
		valid, err := s.codes(ctx, "chw_missions")
		if err != nil {
			return err
		}
		checkCodes(*in.Missions, valid, "missions", f)
		v.Missions = jsonList(dedupe(*in.Missions))
	}
	if in.Topics != nil {
		var topics []string
		for i, t := range *in.Topics {
			t = strings.TrimSpace(t)
			switch field := fmt.Sprintf("topics[%d]", i); {
			case t == "":
				f.Add(field, apperr.CodeRequired, "A topic cannot be empty.")
			case len([]rune(t)) > 60:
				f.AddP(field, apperr.CodeMax, "Each topic has at most 60 characters.", apperr.Max(60))
			}
			topics = append(topics, t)
		}
		if len(topics) > 20 {
			f.AddP("topics", apperr.CodeMax, "At most 20 topics.", apperr.Max(20))
		}
		v.Topics = jsonList(topics)
	}
	if in.Note != nil {
		v.Note = trimmed(in.Note, 4000, "note", f)
	}
	return nil
}

func (s *Service) checkBarrier(ctx context.Context, field string, b BarrierInput, f *apperr.Fields) error {
	valid, err := s.codes(ctx, "barrier_categories")
	if err != nil {
		return err
	}
	if !slices.Contains(valid, b.Category) {
		f.OneOf(field+"category", valid)
	}
	if len([]rune(b.Detail)) > 2000 {
		f.AddP(field+"detail", apperr.CodeMax, "Must be at most 2000 characters.", apperr.Max(2000))
	}
	if b.Status != "" && !slices.Contains(model.BarrierStatuses, b.Status) {
		f.OneOf(field+"status", model.BarrierStatuses)
	}
	return nil
}

func newBarrier(in BarrierInput, clientID, by string, now time.Time) model.Barrier {
	b := model.Barrier{ClientID: clientID, Category: in.Category, Detail: strings.TrimSpace(in.Detail), Status: "open", DetectedAt: now, CreatedBy: by}
	if in.Status != "" && in.Status != "open" {
		b.SetStatus(in.Status, now)
	}
	return b
}

// LogVisit records a visit, with the barriers found during it.
func (s *Service) LogVisit(ctx context.Context, p *Principal, clientID string, in VisitInput) (VisitView, error) {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return VisitView{}, err
	}
	var f apperr.Fields
	now := s.Store.Now()
	v := model.Visit{ClientID: clientID, CHWID: p.UserID, VisitedAt: now.Truncate(time.Second), Missions: "[]", Topics: "[]"}
	if in.Mode == nil {
		f.Add("mode", "required", "Say how the visit took place.")
	}
	if in.DurationMinutes == nil {
		f.Add("duration_minutes", "required", "Give the duration in minutes.")
	}
	if err := s.applyVisit(ctx, &v, in, &f); err != nil {
		return VisitView{}, err
	}
	if len(in.Barriers) > 20 {
		f.AddP("barriers", apperr.CodeMax, "At most 20 barriers per visit.", apperr.Max(20))
	}
	var barriers []model.Barrier
	for i, b := range in.Barriers {
		if err := s.checkBarrier(ctx, fmt.Sprintf("barriers[%d].", i), b, &f); err != nil {
			return VisitView{}, err
		}
		barriers = append(barriers, newBarrier(b, clientID, p.UserID, v.VisitedAt))
	}
	if err := f.Err(); err != nil {
		return VisitView{}, err
	}
	if err := s.Store.CreateVisit(ctx, &v, barriers); err != nil {
		return VisitView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "visit.create", clientID, "visit="+v.ID)
	stored, err := s.Store.VisitOf(ctx, clientID, v.ID)
	if err != nil {
		return VisitView{}, storeErr(err)
	}
	byVisit, err := s.Store.BarriersOfVisits(ctx, []string{v.ID})
	if err != nil {
		return VisitView{}, err
	}
	return visitView(stored, byVisit[v.ID]), nil
}

// Visits lists a client's visits.
func (s *Service) Visits(ctx context.Context, p *Principal, clientID string) ([]VisitView, error) {
	if _, err := s.visibleClient(ctx, p, clientID); err != nil {
		return nil, err
	}
	visits, err := s.Store.Visits(ctx, clientID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(visits))
	for i, v := range visits {
		ids[i] = v.ID
	}
	byVisit, err := s.Store.BarriersOfVisits(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]VisitView, len(visits))
	for i, v := range visits {
		out[i] = visitView(v, byVisit[v.ID])
	}
	s.auditClient(ctx, p, "client.read", clientID, "visits")
	return out, nil
}

// editableVisit loads a visit the caller may change: the CHW who logged it
// within VisitEditWindow, a coordinator of the team at any time.
func (s *Service) editableVisit(ctx context.Context, p *Principal, clientID, visitID string) (model.Visit, error) {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return model.Visit{}, err
	}
	v, err := s.Store.VisitOf(ctx, clientID, visitID)
	if err != nil {
		return v, storeErr(err)
	}
	if p.Role == model.RoleCoordinator {
		return v, nil
	}
	if v.CHWID != p.UserID {
		return v, apperr.New(apperr.KindForbidden, "Only the CHW who logged a visit, or a coordinator, can change it.")
	}
	if s.Store.Now().Sub(v.CreatedAt) > VisitEditWindow {
		return v, apperr.New(apperr.KindForbidden, "A visit logged more than 24 hours ago can only be changed by a coordinator.")
	}
	return v, nil
}

// UpdateVisit edits a visit (see editableVisit for who may).
func (s *Service) UpdateVisit(ctx context.Context, p *Principal, clientID, visitID string, in VisitInput) (VisitView, error) {
	v, err := s.editableVisit(ctx, p, clientID, visitID)
	if err != nil {
		return VisitView{}, err
	}
	var f apperr.Fields
	if len(in.Barriers) > 0 {
		f.Add("barriers", "read_only", "Add barriers with POST /api/v1/clients/{id}/barriers.")
	}
	next := v
	if err := s.applyVisit(ctx, &next, in, &f); err != nil {
		return VisitView{}, err
	}
	if err := f.Err(); err != nil {
		return VisitView{}, err
	}
	var changed []string
	for _, c := range []struct {
		name string
		diff bool
	}{
		{"visited_at", !next.VisitedAt.Equal(v.VisitedAt)}, {"mode", next.Mode != v.Mode},
		{"duration_minutes", next.DurationMinutes != v.DurationMinutes}, {"missions", next.Missions != v.Missions},
		{"topics", next.Topics != v.Topics}, {"note", next.Note != v.Note},
	} {
		if c.diff {
			changed = append(changed, c.name)
		}
	}
	if len(changed) == 0 {
		byVisit, err := s.Store.BarriersOfVisits(ctx, []string{visitID})
		if err != nil {
			return VisitView{}, err
		}
		return visitView(v, byVisit[visitID]), nil
	}
	updated, err := s.Store.UpdateVisit(ctx, clientID, visitID, map[string]any{
		"visited_at": next.VisitedAt, "mode": next.Mode, "duration_minutes": next.DurationMinutes,
		"missions": next.Missions, "topics": next.Topics, "note": next.Note,
	}, p.UserID, changed)
	if err != nil {
		return VisitView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "visit.update", clientID, "visit="+visitID)
	byVisit, err := s.Store.BarriersOfVisits(ctx, []string{visitID})
	if err != nil {
		return VisitView{}, err
	}
	return visitView(updated, byVisit[visitID]), nil
}

// DeleteVisit removes a visit and the barriers recorded with it (see
// editableVisit for who may); the timeline keeps that it was removed.
func (s *Service) DeleteVisit(ctx context.Context, p *Principal, clientID, visitID string) error {
	v, err := s.editableVisit(ctx, p, clientID, visitID)
	if err != nil {
		return err
	}
	detail := map[string]any{"visit_id": v.ID, "visited_at": v.VisitedAt.UTC().Format(time.RFC3339), "mode": v.Mode,
		"duration_minutes": v.DurationMinutes, "logged_by": v.CHWID}
	if err := s.Store.DeleteVisit(ctx, clientID, visitID, p.UserID, detail); err != nil {
		return storeErr(err)
	}
	s.auditClient(ctx, p, "visit.delete", clientID, "visit="+visitID)
	return nil
}

// AddBarrier records a barrier outside a visit.
func (s *Service) AddBarrier(ctx context.Context, p *Principal, clientID string, in BarrierInput) (model.Barrier, error) {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return model.Barrier{}, err
	}
	var f apperr.Fields
	if err := s.checkBarrier(ctx, "", in, &f); err != nil {
		return model.Barrier{}, err
	}
	if err := f.Err(); err != nil {
		return model.Barrier{}, err
	}
	b := newBarrier(in, clientID, p.UserID, s.Store.Now())
	if err := s.Store.CreateBarrier(ctx, &b); err != nil {
		return model.Barrier{}, storeErr(err)
	}
	s.auditClient(ctx, p, "barrier.create", clientID, "barrier="+b.ID)
	return s.Store.BarrierOf(ctx, clientID, b.ID)
}

// Barriers lists a client's barriers.
func (s *Service) Barriers(ctx context.Context, p *Principal, clientID string) ([]model.Barrier, error) {
	if _, err := s.visibleClient(ctx, p, clientID); err != nil {
		return nil, err
	}
	s.auditClient(ctx, p, "client.read", clientID, "barriers")
	return s.Store.Barriers(ctx, clientID)
}

// barrierTransitions: a barrier is worked on (addressed), solved
// (resolved), or signalled to policy when it is structural; it can be
// reopened when it comes back.
var barrierTransitions = map[string][]string{
	"open":      {"addressed", "resolved", "signalled"},
	"addressed": {"open", "resolved", "signalled"},
	"signalled": {"addressed", "resolved"},
	"resolved":  {"open"},
}

// UpdateBarrier changes a barrier's status or detail.
func (s *Service) UpdateBarrier(ctx context.Context, p *Principal, clientID, barrierID string, status, detail *string) (model.Barrier, error) {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return model.Barrier{}, err
	}
	b, err := s.Store.BarrierOf(ctx, clientID, barrierID)
	if err != nil {
		return model.Barrier{}, storeErr(err)
	}
	set := map[string]any{}
	if detail != nil {
		d := strings.TrimSpace(*detail)
		if len([]rune(d)) > 2000 {
			return model.Barrier{}, apperr.ValidationP("detail", apperr.CodeMax, "Must be at most 2000 characters.", apperr.Max(2000))
		}
		set["detail"] = d
	}
	if status != nil && *status != b.Status {
		if !slices.Contains(model.BarrierStatuses, *status) {
			return model.Barrier{}, apperr.OneOf("status", model.BarrierStatuses)
		}
		allowed := barrierTransitions[b.Status]
		if !slices.Contains(allowed, *status) {
			return model.Barrier{}, &apperr.Error{Kind: apperr.KindConflict,
				Detail: fmt.Sprintf("A %s barrier can become: %s.", b.Status, strings.Join(allowed, ", ")),
				Extra:  map[string]any{"allowed": append([]string{}, allowed...)}}
		}
		next := b
		next.SetStatus(*status, s.Store.Now())
		set["status"], set["addressed_at"], set["resolved_at"], set["signalled_at"] = next.Status, next.AddressedAt, next.ResolvedAt, next.SignalledAt
		if *status == "open" {
			set["resolved_at"] = nil
		}
	}
	if len(set) == 0 {
		return b, nil
	}
	updated, err := s.Store.UpdateBarrier(ctx, clientID, barrierID, b.Status, set)
	if err != nil {
		return model.Barrier{}, storeErr(err)
	}
	s.auditClient(ctx, p, "barrier.update", clientID, "barrier="+barrierID)
	return updated, nil
}

// ConsentState is the current state of one purpose.
type ConsentState struct {
	Purpose     string
	Given       bool
	GivenAt     *time.Time
	GivenBy     *string
	TextVersion string // the privacy text's version, for a consent given on the contact form
	WithdrawnAt *time.Time
	// Warning says why a given consent cannot work: no_phone for SMS
	// reminders without a phone number, no_email for e-mail ones.
	Warning string
}

// Consents returns the current state per purpose and the full history.
func (s *Service) Consents(ctx context.Context, p *Principal, clientID string) ([]ConsentState, []model.Consent, error) {
	c, err := s.visibleClient(ctx, p, clientID)
	if err != nil {
		return nil, nil, err
	}
	history, err := s.Store.Consents(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	s.auditClient(ctx, p, "client.read", clientID, "consents")
	return consentStates(c, history), history, nil
}

func consentStates(client model.Client, history []model.Consent) []ConsentState {
	out := make([]ConsentState, 0, len(model.ConsentPurposes))
	for _, purpose := range model.ConsentPurposes {
		st := ConsentState{Purpose: purpose}
		for _, c := range history { // oldest first: the last row wins
			if c.Purpose == purpose {
				c := c
				st.Given = c.WithdrawnAt == nil
				st.GivenAt, st.GivenBy, st.WithdrawnAt, st.TextVersion = &c.GivenAt, &c.GivenBy, c.WithdrawnAt, c.TextVersion
			}
		}
		switch {
		case st.Given && purpose == "sms_reminders" && client.Phone == nil:
			st.Warning = "no_phone"
		case st.Given && purpose == "email_reminders" && client.Email == nil:
			st.Warning = "no_email"
		}
		out = append(out, st)
	}
	return out
}

func checkPurpose(purpose string) error {
	if !slices.Contains(model.ConsentPurposes, purpose) {
		return apperr.OneOf("purpose", model.ConsentPurposes)
	}
	return nil
}

// GiveConsent records that the client gave consent for a purpose.
func (s *Service) GiveConsent(ctx context.Context, p *Principal, clientID, purpose string) ([]ConsentState, error) {
	client, err := s.writableClient(ctx, p, clientID)
	if err != nil {
		return nil, err
	}
	if err := checkPurpose(purpose); err != nil {
		return nil, err
	}
	// A reminder consent re-plans the queued reminders in the same
	// transaction: the appointments ahead follow the channel now possible.
	var added bool
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if added, err = tx.GiveConsent(ctx, clientID, purpose, p.UserID); err != nil || !added || !reminderPurpose(purpose) {
			return err
		}
		return s.replanClient(ctx, tx, clientID)
	})
	if err != nil {
		return nil, storeErr(err)
	}
	if added {
		s.auditClient(ctx, p, "consent.give", clientID, purpose)
	}
	history, err := s.Store.Consents(ctx, clientID)
	return consentStates(client, history), err
}

// WithdrawConsent records that the client withdrew consent for a purpose.
func (s *Service) WithdrawConsent(ctx context.Context, p *Principal, clientID, purpose string) error {
	if _, err := s.writableClient(ctx, p, clientID); err != nil {
		return err
	}
	if err := checkPurpose(purpose); err != nil {
		return err
	}
	var withdrawn bool
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if withdrawn, err = tx.WithdrawConsent(ctx, clientID, purpose, p.UserID); err != nil {
			return err
		}
		// Withdrawing provider_sharing cancels the provider e-mails not sent
		// yet, at once rather than when a worker next looks.
		if withdrawn && purpose == "provider_sharing" {
			_, err := tx.CancelProviderMail(ctx, clientID)
			return err
		}
		// Withdrawing a reminder consent stops that channel's queue at once;
		// the appointments ahead are planned again on the channel left.
		channel := map[string]string{"sms_reminders": "sms", "email_reminders": "email"}[purpose]
		if !withdrawn || channel == "" {
			return nil
		}
		if _, err := tx.CancelChannel(ctx, clientID, channel); err != nil {
			return err
		}
		return s.replanClient(ctx, tx, clientID)
	})
	if err != nil {
		return storeErr(err)
	}
	if withdrawn {
		s.auditClient(ctx, p, "consent.withdraw", clientID, purpose)
	}
	return nil
}

// TimelineItem is one entry of a client's timeline.
type TimelineItem struct {
	At      time.Time
	Type    string
	ID      string
	ActorID string
	Data    map[string]any
}

// Timeline merges visits, barriers, consents and client events, newest first.
func (s *Service) Timeline(ctx context.Context, p *Principal, clientID string) ([]TimelineItem, map[string]string, error) {
	if _, err := s.visibleClient(ctx, p, clientID); err != nil {
		return nil, nil, err
	}
	visits, err := s.Store.Visits(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	barriers, err := s.Store.Barriers(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	consents, err := s.Store.Consents(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	events, err := s.Store.ClientEvents(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	var items []TimelineItem
	actors := []string{}
	add := func(it TimelineItem) {
		items = append(items, it)
		if it.ActorID != "" {
			actors = append(actors, it.ActorID)
		}
	}
	for _, v := range visits {
		vv := visitView(v, nil)
		add(TimelineItem{At: v.VisitedAt, Type: "visit", ID: v.ID, ActorID: v.CHWID, Data: map[string]any{
			"mode": v.Mode, "duration_minutes": v.DurationMinutes, "missions": vv.Missions, "topics": vv.Topics, "note": v.Note, "logged_at": v.CreatedAt}})
	}
	for _, b := range barriers {
		data := map[string]any{"category": b.Category, "detail": b.Detail, "status": b.Status}
		add(TimelineItem{At: b.DetectedAt, Type: "barrier_detected", ID: b.ID, ActorID: b.CreatedBy, Data: data})
		if b.AddressedAt != nil {
			add(TimelineItem{At: *b.AddressedAt, Type: "barrier_addressed", ID: b.ID, Data: data})
		}
		if b.ResolvedAt != nil {
			add(TimelineItem{At: *b.ResolvedAt, Type: "barrier_resolved", ID: b.ID, Data: data})
		}
		if b.SignalledAt != nil {
			add(TimelineItem{At: *b.SignalledAt, Type: "barrier_signalled", ID: b.ID, Data: data})
		}
	}
	for _, c := range consents {
		add(TimelineItem{At: c.GivenAt, Type: "consent_given", ID: c.ID, ActorID: c.GivenBy, Data: map[string]any{"purpose": c.Purpose}})
		if c.WithdrawnAt != nil {
			by := ""
			if c.WithdrawnBy != nil {
				by = *c.WithdrawnBy
			}
			add(TimelineItem{At: *c.WithdrawnAt, Type: "consent_withdrawn", ID: c.ID, ActorID: by, Data: map[string]any{"purpose": c.Purpose}})
		}
	}
	for _, e := range events {
		data := map[string]any{}
		_ = json.Unmarshal([]byte(e.Detail), &data)
		by := ""
		if e.ActorID != nil {
			by = *e.ActorID
		}
		for _, k := range []string{"from", "to"} {
			if id, ok := data[k].(string); ok && e.Kind == "assigned" && id != "" {
				actors = append(actors, id)
			}
		}
		add(TimelineItem{At: e.CreatedAt, Type: e.Kind, ID: e.ID, ActorID: by, Data: data})
	}
	refs, err := s.Store.Referrals(ctx, p.Scope, store.ReferralFilter{ClientID: clientID, Limit: 500})
	if err != nil {
		return nil, nil, err
	}
	refByID := map[string]model.Referral{}
	var refIDs []string
	for _, r := range refs {
		refByID[r.ID], refIDs = r, append(refIDs, r.ID)
	}
	revents, err := s.Store.ReferralEvents(ctx, refIDs)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range revents {
		r := refByID[e.ReferralID]
		by := ""
		if e.ActorID != nil {
			by = *e.ActorID
		}
		add(TimelineItem{At: e.CreatedAt, Type: "referral", ID: e.ReferralID, ActorID: by, Data: map[string]any{
			"from": e.FromStatus, "to": e.ToStatus, "note": e.Note, "by": e.ActorLabel, "provider_type": r.ProviderType, "reason": r.Reason}})
	}
	apps, err := s.Store.Appointments(ctx, p.Scope, store.AppointmentFilter{ClientID: clientID})
	if err != nil {
		return nil, nil, err
	}
	for _, a := range apps {
		add(TimelineItem{At: a.StartsAt, Type: "appointment", ID: a.ID, Data: map[string]any{
			"status": a.Status, "location": a.Location, "starts_at_local": a.StartsAt.In(Brussels).Format("2006-01-02T15:04")}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].At.After(items[j].At) })
	names, err := s.Store.UserNames(ctx, dedupe(actors))
	if err != nil {
		return nil, nil, err
	}
	s.auditClient(ctx, p, "client.read", clientID, "timeline")
	return items, names, nil
}

func reminderPurpose(purpose string) bool {
	return purpose == "sms_reminders" || purpose == "email_reminders"
}
