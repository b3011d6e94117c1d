package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ProviderLinkView is the minimum a provider sees through a link: the
// client's first name (or pseudonym), the reason, and whom to contact.
type ProviderLinkView struct {
	ClientFirstName string
	Reason          string
	Urgency         string
	ProviderName    string
	CHWName         string
	CHWEmail        string
	ExpiresAt       time.Time
	Status          string
	// Language is the link's language: the one its message was written
	// in (a language the provider speaks, else the CHW's).
	Language string
}

var errBadLink = apperr.New(apperr.KindNotFound, "This link is not valid. Ask the community health worker for a new one.")

// Why a link no longer works (the "reason" of its 410 problem, which the
// provider's page words in its own language).
const (
	LinkAnswered = "answered"          // a final answer was given through it ("answer": accept, waitlist, decline)
	LinkReplaced = "replaced"          // a newer link was made for the referral
	LinkSettled  = "referral_answered" // the referral was answered another way ("referral_status")
	LinkClosed   = "referral_closed"   // the referral was completed, cancelled or expired ("referral_status")
	LinkExpired  = "expired"           // its 14 days ran out ("expired_at")
)

// linkGone tells why a link does not work any more, or nil if it does.
func linkGone(l model.ReferralLink, r model.Referral, now time.Time) error {
	gone := func(reason, detail string, extra map[string]any) error {
		extra["reason"] = reason
		return &apperr.Error{Kind: apperr.KindGone, Detail: detail, Extra: extra}
	}
	status := r.Status
	if l.RevokedAt != nil && l.RevokedReason != LinkReplaced {
		status = l.RevokedReason
	}
	switch {
	case l.UsedAt != nil:
		return gone(LinkAnswered, "This link was used to answer the referral ("+l.UsedAction+"); the community health worker has that answer.",
			map[string]any{"answer": l.UsedAction})
	case l.RevokedAt != nil && l.RevokedReason == LinkReplaced:
		return gone(LinkReplaced, "A newer link was made for this referral; only the newest one works.", map[string]any{})
	case slices.Contains([]string{"completed", "cancelled", "expired"}, status):
		return gone(LinkClosed, "This referral is closed ("+status+").", map[string]any{"referral_status": status})
	case l.RevokedAt != nil || !slices.Contains(linkableStatuses, status):
		return gone(LinkSettled, "This referral was already answered ("+status+").", map[string]any{"referral_status": status})
	case !now.Before(l.ExpiresAt):
		return gone(LinkExpired, "This link has expired. Ask the community health worker for a new one.", map[string]any{"expired_at": l.ExpiresAt})
	}
	return nil
}

func (s *Service) openLink(ctx context.Context, token string) (model.ReferralLink, model.Referral, error) {
	if token == "" || len(token) > 100 {
		return model.ReferralLink{}, model.Referral{}, errBadLink
	}
	l, err := s.Store.ReferralLinkByHash(ctx, auth.HashRefreshToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return l, model.Referral{}, errBadLink
	}
	if err != nil {
		return l, model.Referral{}, err
	}
	r, err := s.Store.ReferralByIDUnscoped(ctx, l.ReferralID)
	if err != nil {
		return l, r, storeErr(err)
	}
	return l, r, linkGone(l, r, s.Store.Now())
}

// ProviderLink shows a referral to a provider through a link (audited).
func (s *Service) ProviderLink(ctx context.Context, token string) (ProviderLinkView, error) {
	l, r, err := s.openLink(ctx, token)
	if err != nil {
		return ProviderLinkView{}, err
	}
	c, err := s.Store.ClientByIDUnscoped(ctx, r.ClientID)
	if err != nil {
		return ProviderLinkView{}, err
	}
	v := ProviderLinkView{ClientFirstName: c.GivenName, Reason: r.Reason, Urgency: r.Urgency, ExpiresAt: l.ExpiresAt, Status: r.Status}
	if v.ClientFirstName == "" {
		v.ClientFirstName = c.Pseudonym
	}
	var spoken []string
	if r.ProviderID != nil {
		if ps, err := s.Store.ProvidersByID(ctx, []string{*r.ProviderID}); err == nil {
			v.ProviderName = ps[*r.ProviderID].Name
			spoken = decodeList(ps[*r.ProviderID].Languages)
		}
	}
	if l.MailLanguage != "" {
		v.Language = l.MailLanguage
	} else if u, err := s.Store.UserByID(ctx, l.CreatedBy); err == nil {
		v.Language = ProviderLanguage(spoken, u.Language)
	}
	chw := l.CreatedBy
	if c.AssignedCHWID != nil {
		chw = *c.AssignedCHWID
	}
	if u, err := s.Store.UserByID(ctx, chw); err == nil {
		v.CHWName, v.CHWEmail = u.Name, u.Email
	}
	s.auditRecord(ctx, nil, "referral.link_opened", "referral", r.ID, r.ClientID, "")
	return v, nil
}

// ProviderAnswer is what a provider answers through a link.
type ProviderAnswer struct {
	Action        string // acknowledge | accept | waitlist | decline
	StartsAtLocal string // with accept: the appointment, Brussels time
	Reason        string // with decline
	Location      string
}

var linkActions = map[string]string{"acknowledge": "acknowledged", "accept": "accepted", "waitlist": "waitlisted", "decline": "declined"}

// AnswerProviderLink applies a provider's answer. acknowledge is a step:
// the link keeps working for the answer that follows; accept, waitlist and
// decline are final and spend it.
func (s *Service) AnswerProviderLink(ctx context.Context, token string, a ProviderAnswer) error {
	l, r, err := s.openLink(ctx, token)
	if err != nil {
		return err
	}
	to, ok := linkActions[a.Action]
	var f apperr.Fields
	if !ok {
		f.AddP("action", apperr.CodeOneOf, "Must be one of: acknowledge, accept, waitlist, decline.", apperr.Options("acknowledge", "accept", "waitlist", "decline"))
	}
	var startsAt *time.Time
	if a.StartsAtLocal != "" {
		if a.Action != "accept" {
			f.Add("starts_at_local", "unexpected", "An appointment time goes with accept.")
		} else if t, err := ParseBrusselsLocal(a.StartsAtLocal); err != nil {
			addLocalTimeError(f.AddP, "starts_at_local", err)
		} else {
			startsAt = &t
		}
	}
	if a.Action == "decline" && strings.TrimSpace(a.Reason) == "" {
		f.Add("reason", "required", "Say why you cannot take this person.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if to == r.Status && to == "acknowledged" {
		// Acknowledged already (a second click, or the page reloaded).
		return nil
	}
	if _, err := checkTransition(r.Status, TransitionInput{To: to, Reason: a.Reason}); err != nil {
		return apperr.Newf(apperr.KindConflict, "This referral is %s; it cannot be %s.", r.Status, to)
	}
	label := "provider (link)"
	final := a.Action != "acknowledge"
	err = s.Store.UseReferralLink(ctx, l.ID, a.Action, final, func(tx *store.Store) error {
		set := map[string]any{}
		if to == "declined" {
			set["decline_reason"] = strings.TrimSpace(a.Reason)
		}
		if err := tx.TransitionReferralTx(ctx, r.ID, r.Status, to, set, nil, label, strings.TrimSpace(a.Reason)); err != nil {
			return err
		}
		if startsAt == nil {
			return nil
		}
		appt := model.Appointment{ClientID: r.ClientID, ProviderID: r.ProviderID, ReferralID: &r.ID, StartsAt: *startsAt,
			DurationMinutes: 30, Location: strings.TrimSpace(a.Location), Status: "planned", CreatedBy: l.CreatedBy}
		return tx.CreateAppointment(ctx, &appt, func(tx2 *store.Store) error {
			if err := tx2.TransitionReferralTx(ctx, r.ID, "accepted", "appointment_set", nil, nil, label, "appointment from the provider"); err != nil {
				return err
			}
			return s.PlanReminders(ctx, tx2, appt)
		})
	})
	switch {
	case errors.Is(err, store.ErrUsed), errors.Is(err, store.ErrConflict):
		// Something happened meanwhile: say what.
		if _, _, gone := s.openLink(ctx, token); gone != nil {
			return gone
		}
		return apperr.New(apperr.KindConflict, "This referral changed meanwhile; reload the page.")
	case err != nil:
		return err
	}
	s.auditRecord(ctx, nil, "referral.link_used", "referral", r.ID, r.ClientID, "action="+a.Action)
	return nil
}
