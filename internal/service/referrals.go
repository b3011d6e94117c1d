package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ReferralTransitions is the referral state machine of DESIGN.md, the one
// place it is decided which status may follow which. cancelled and expired
// can be reached from every open state.
var ReferralTransitions = map[string][]string{
	"draft":           {"sent", "cancelled"},
	"sent":            {"acknowledged", "accepted", "declined", "waitlisted", "appointment_set", "cancelled", "expired"},
	"acknowledged":    {"accepted", "declined", "waitlisted", "appointment_set", "cancelled", "expired"},
	"accepted":        {"appointment_set", "cancelled", "expired"},
	"waitlisted":      {"accepted", "declined", "appointment_set", "cancelled", "expired"},
	"appointment_set": {"completed", "cancelled", "expired"},
	"declined":        {},
	"completed":       {},
	"cancelled":       {},
	"expired":         {},
}

// ReferralStatuses lists every status, in the order of the flow.
var ReferralStatuses = []string{"draft", "sent", "acknowledged", "accepted", "declined", "waitlisted", "appointment_set", "completed", "cancelled", "expired"}

// OpenReferralStatuses are those a referral can still move on from.
var OpenReferralStatuses = []string{"draft", "sent", "acknowledged", "accepted", "waitlisted", "appointment_set"}

// ReferralLinkTTL is how long a provider link works.
const ReferralLinkTTL = 14 * 24 * time.Hour

// ReferralInput is a referral as submitted.
type ReferralInput struct {
	ClientID     string
	ProviderID   *string
	ProviderType string
	Reason       string
	Urgency      string
	BarrierIDs   []string
	Note         string
	Send         bool
}

// ReferralView is a referral with its decoded barrier list and events.
type ReferralView struct {
	model.Referral
	BarrierIDs []string
	Events     []model.ReferralEvent
	// Named by NameReferrals (a list is named as it is read).
	Client     *Ref
	Provider   *Ref
	ActorNames map[string]string
}

// MaxReferralReason is the longest reason a referral (or its decline) has.
const MaxReferralReason = 1000

// checkReferralReason: a reason is required and has at most 1000 characters.
func checkReferralReason(v string, f *apperr.Fields) {
	switch {
	case v == "":
		f.Add("reason", apperr.CodeRequired, "Give the reason for the referral.")
	case len([]rune(v)) > MaxReferralReason:
		f.AddP("reason", apperr.CodeMax, fmt.Sprintf("Must be at most %d characters.", MaxReferralReason), apperr.Max(MaxReferralReason))
	}
}

func referralView(r model.Referral, events []model.ReferralEvent) ReferralView {
	v := ReferralView{Referral: r, Events: events}
	_ = json.Unmarshal([]byte(r.BarrierIDs), &v.BarrierIDs)
	if v.BarrierIDs == nil {
		v.BarrierIDs = []string{}
	}
	if v.Events == nil {
		v.Events = []model.ReferralEvent{}
	}
	return v
}

// CreateReferral refers a client the caller may see to a provider, or to a
// type of provider when none is chosen yet.
func (s *Service) CreateReferral(ctx context.Context, p *Principal, in ReferralInput) (ReferralView, error) {
	c, err := s.writableClient(ctx, p, in.ClientID)
	if err != nil {
		if apperr.IsKind(err, apperr.KindNotFound) {
			return ReferralView{}, apperr.Validation("client_id", "unknown", "There is no such client in your caseload.")
		}
		return ReferralView{}, err
	}
	var f apperr.Fields
	r := model.Referral{ClientID: c.ID, Reason: strings.TrimSpace(in.Reason), Urgency: in.Urgency, Note: strings.TrimSpace(in.Note), Status: "draft"}
	if in.Send {
		r.Status = "sent"
	}
	checkReferralReason(r.Reason, &f)
	if len([]rune(r.Note)) > 4000 {
		f.AddP("note", apperr.CodeMax, "Must be at most 4000 characters.", apperr.Max(4000))
	}
	if r.Urgency == "" {
		r.Urgency = "routine"
	}
	if !slices.Contains(model.ReferralUrgencies, r.Urgency) {
		f.OneOf("urgency", model.ReferralUrgencies)
	}
	types, err := s.codes(ctx, "provider_types")
	if err != nil {
		return ReferralView{}, err
	}
	if in.ProviderID != nil {
		prov, err := s.Store.ProviderByID(ctx, []string{c.TeamID}, *in.ProviderID)
		if errors.Is(err, store.ErrNotFound) {
			f.Add("provider_id", "unknown", "There is no such provider in the team's directory.")
		} else if err != nil {
			return ReferralView{}, err
		} else {
			r.ProviderID, r.ProviderType = &prov.ID, prov.Type
		}
	} else if in.ProviderType == "" {
		f.Add("provider_type", "required", "Choose a provider, or at least a type of provider.")
	} else if !slices.Contains(types, in.ProviderType) {
		f.OneOf("provider_type", types)
	} else {
		r.ProviderType = in.ProviderType
	}
	if in.ProviderID != nil && in.ProviderType != "" && in.ProviderType != r.ProviderType && r.ProviderType != "" {
		f.Add("provider_type", "mismatch", "Does not match the chosen provider.")
	}
	barriers, err := s.Store.Barriers(ctx, c.ID)
	if err != nil {
		return ReferralView{}, err
	}
	for i, id := range in.BarrierIDs {
		if !slices.ContainsFunc(barriers, func(b model.Barrier) bool { return b.ID == id }) {
			f.Add(fmt.Sprintf("barrier_ids[%d]", i), "unknown", "Not a barrier of this client.")
		}
	}
	r.BarrierIDs = jsonList(dedupe(in.BarrierIDs))
	if err := f.Err(); err != nil {
		return ReferralView{}, err
	}
	if err := s.Store.CreateReferral(ctx, &r, p.UserID); err != nil {
		return ReferralView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "referral.create", c.ID, "referral="+r.ID)
	return s.Referral(ctx, p, r.ID)
}

// Referral returns one referral with its events.
func (s *Service) Referral(ctx context.Context, p *Principal, id string) (ReferralView, error) {
	r, err := s.Store.ReferralByID(ctx, p.Scope, id)
	if err != nil {
		return ReferralView{}, storeErr(err)
	}
	events, err := s.Store.ReferralEvents(ctx, []string{id})
	if err != nil {
		return ReferralView{}, err
	}
	return referralView(r, events), nil
}

// Referrals lists visible referrals.
func (s *Service) Referrals(ctx context.Context, p *Principal, f store.ReferralFilter) ([]ReferralView, error) {
	rows, err := s.Store.Referrals(ctx, p.Scope, f)
	if err != nil {
		return nil, storeErr(err)
	}
	out := make([]ReferralView, len(rows))
	for i, r := range rows {
		out[i] = referralView(r, nil)
	}
	return s.NameReferrals(ctx, p, out)
}

// UpdateReferral edits the reason, urgency, note or provider of an open referral.
func (s *Service) UpdateReferral(ctx context.Context, p *Principal, id string, reason, urgency, note, providerID *string) (ReferralView, error) {
	r, err := s.Store.ReferralByID(ctx, p.Scope, id)
	if err != nil {
		return ReferralView{}, storeErr(err)
	}
	if !s.canWriteClients(p) {
		return ReferralView{}, apperr.NotFound()
	}
	if !slices.Contains(OpenReferralStatuses, r.Status) {
		return ReferralView{}, apperr.Newf(apperr.KindConflict, "A %s referral can no longer be changed.", r.Status)
	}
	var f apperr.Fields
	set := map[string]any{"updated_at": s.Store.Now()}
	if reason != nil {
		v := strings.TrimSpace(*reason)
		checkReferralReason(v, &f)
		set["reason"] = v
	}
	if urgency != nil {
		if !slices.Contains(model.ReferralUrgencies, *urgency) {
			f.OneOf("urgency", model.ReferralUrgencies)
		}
		set["urgency"] = *urgency
	}
	if note != nil {
		set["note"] = strings.TrimSpace(*note)
	}
	if providerID != nil {
		c, err := s.visibleClient(ctx, p, r.ClientID)
		if err != nil {
			return ReferralView{}, err
		}
		prov, err := s.Store.ProviderByID(ctx, []string{c.TeamID}, *providerID)
		if err != nil {
			f.Add("provider_id", "unknown", "There is no such provider in the team's directory.")
		} else {
			set["provider_id"], set["provider_type"] = prov.ID, prov.Type
		}
	}
	if err := f.Err(); err != nil {
		return ReferralView{}, err
	}
	if err := s.Store.UpdateReferralFields(ctx, id, set); err != nil {
		return ReferralView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "referral.update", r.ClientID, "referral="+id)
	return s.Referral(ctx, p, id)
}

// TransitionInput asks a referral to move on.
type TransitionInput struct {
	To      string
	Reason  string
	Outcome string
}

// checkTransition enforces the state machine and the rules per target.
func checkTransition(from string, in TransitionInput) (map[string]any, error) {
	allowed := ReferralTransitions[from]
	if !slices.Contains(ReferralStatuses, in.To) {
		return nil, apperr.OneOf("to", ReferralStatuses)
	}
	if !slices.Contains(allowed, in.To) {
		detail := fmt.Sprintf("A %s referral cannot become %s.", from, in.To)
		if len(allowed) > 0 {
			detail += " It can become: " + strings.Join(allowed, ", ") + "."
		} else {
			detail += " It is closed."
		}
		return nil, &apperr.Error{Kind: apperr.KindConflict, Detail: detail, Extra: map[string]any{"allowed": append([]string{}, allowed...)}}
	}
	set := map[string]any{}
	var f apperr.Fields
	switch in.To {
	case "declined":
		if strings.TrimSpace(in.Reason) == "" {
			f.Add("reason", "required", "Say why the referral was declined.")
		}
		set["decline_reason"] = strings.TrimSpace(in.Reason)
	case "completed":
		if !slices.Contains(model.ReferralOutcomes, in.Outcome) {
			f.AddP("outcome", apperr.CodeOneOf, "Give the outcome: "+strings.Join(model.ReferralOutcomes, ", ")+".", apperr.Options(model.ReferralOutcomes...))
		}
		set["outcome"] = in.Outcome
	}
	if in.Outcome != "" && in.To != "completed" {
		f.Add("outcome", "unexpected", "An outcome is only given when the referral is completed.")
	}
	if len([]rune(in.Reason)) > MaxReferralReason {
		f.AddP("reason", apperr.CodeMax, "Must be at most 1000 characters.", apperr.Max(MaxReferralReason))
	}
	return set, f.Err()
}

// TransitionReferral moves a referral on, recording who, when and why.
func (s *Service) TransitionReferral(ctx context.Context, p *Principal, id string, in TransitionInput) (ReferralView, error) {
	r, err := s.Store.ReferralByID(ctx, p.Scope, id)
	if err != nil {
		return ReferralView{}, storeErr(err)
	}
	if !s.canWriteClients(p) {
		return ReferralView{}, apperr.NotFound()
	}
	set, err := checkTransition(r.Status, in)
	if err != nil {
		return ReferralView{}, err
	}
	actor := p.UserID
	if err := s.Store.TransitionReferral(ctx, id, r.Status, in.To, set, &actor, "", strings.TrimSpace(in.Reason)); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return ReferralView{}, apperr.New(apperr.KindConflict, "The referral changed meanwhile; reload it.")
		}
		return ReferralView{}, err
	}
	s.auditClient(ctx, p, "referral.transition", r.ClientID, fmt.Sprintf("referral=%s %s->%s", id, r.Status, in.To))
	return s.Referral(ctx, p, id)
}
