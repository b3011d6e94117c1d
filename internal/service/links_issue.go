package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// MessageLanguages are the languages Brug writes messages in.
var MessageLanguages = []string{"nl", "fr", "de", "en"}

// linkableStatuses are those a provider can still answer through a link.
var linkableStatuses = []string{"draft", "sent", "acknowledged", "waitlisted"}

// ReferralLinkToken derives a link's token from its id: the link shown to
// the CHW and the one the worker e-mails later are the same, and only its
// hash is stored.
func ReferralLinkToken(secret []byte, linkID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("referral-link:" + linkID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// ProviderLanguage picks the language of the message to a provider: the
// CHW's own when the provider speaks it, else the first language of the
// provider's directory entry that Brug writes, else the CHW's.
func ProviderLanguage(providerLanguages []string, chwLanguage string) string {
	if slices.Contains(providerLanguages, chwLanguage) {
		return chwLanguage
	}
	for _, l := range providerLanguages {
		if slices.Contains(MessageLanguages, l) {
			return l
		}
	}
	return chwLanguage
}

// IssuedLink is a new provider link.
type IssuedLink struct {
	Token     string
	ExpiresAt time.Time
	Language  string // of the ready-made message
	EmailTo   string // set when Brug e-mails the link (queued in the outbox)
}

// ReferralLink makes a link for the provider, revoking the referral's
// earlier ones. With email, Brug also sends it to the provider's directory
// address, which needs the client's live provider_sharing consent.
func (s *Service) ReferralLink(ctx context.Context, p *Principal, id string, email bool) (IssuedLink, error) {
	r, err := s.Store.ReferralByID(ctx, p.Scope, id)
	if err != nil {
		return IssuedLink{}, storeErr(err)
	}
	if !s.canWriteClients(p) {
		return IssuedLink{}, apperr.NotFound()
	}
	if !slices.Contains(linkableStatuses, r.Status) {
		return IssuedLink{}, apperr.Newf(apperr.KindConflict, "A %s referral needs no answer from the provider.", r.Status)
	}

	var prov *model.Provider
	if r.ProviderID != nil {
		ps, err := s.Store.ProvidersByID(ctx, []string{*r.ProviderID})
		if err != nil {
			return IssuedLink{}, err
		}
		if pr, ok := ps[*r.ProviderID]; ok {
			prov = &pr
		}
	}
	out := IssuedLink{Language: p.Language}
	if prov != nil {
		out.Language = ProviderLanguage(decodeList(prov.Languages), p.Language)
	}
	if email {
		if err := s.checkProviderMail(ctx, r, prov); err != nil {
			return IssuedLink{}, err
		}
		out.EmailTo = *prov.Email
	}

	l := model.ReferralLink{ID: store.NewID(), ReferralID: id, CreatedBy: p.UserID, ExpiresAt: s.Store.Now().Add(ReferralLinkTTL)}
	out.Token, out.ExpiresAt = ReferralLinkToken(s.contactSecret(), l.ID), l.ExpiresAt
	l.TokenHash = auth.HashRefreshToken(out.Token)
	if email {
		l.MailStatus, l.MailLanguage = "queued", out.Language
	}
	if err := s.Store.CreateReferralLink(ctx, &l); err != nil {
		return IssuedLink{}, err
	}
	if r.Status == "draft" {
		actor := p.UserID
		if err := s.Store.TransitionReferral(ctx, id, "draft", "sent", nil, &actor, "", "link for the provider"); err != nil && !errors.Is(err, store.ErrConflict) {
			return IssuedLink{}, err
		}
	}
	detail := "referral=" + id
	if email {
		detail += " emailed"
	}
	s.auditClient(ctx, p, "referral.link", r.ClientID, detail)
	return out, nil
}

// checkProviderMail says why a link cannot be e-mailed, if it cannot.
func (s *Service) checkProviderMail(ctx context.Context, r model.Referral, prov *model.Provider) error {
	var f apperr.Fields
	if prov == nil || prov.Email == nil || *prov.Email == "" {
		f.Add("email", "no_address", "The provider directory has no e-mail address for this provider.")
	}
	consents, err := s.Store.LiveConsents(ctx, r.ClientID)
	if err != nil {
		return err
	}
	if !slices.Contains(consents, "provider_sharing") {
		f.Add("email", "consent", "The client has not consented to sharing data with a provider (provider_sharing).")
	}
	return f.Err()
}
