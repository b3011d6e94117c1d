package reminder

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// RunProviderMail sends the queued e-mails of referral links to providers;
// it returns how many it handled. Without an e-mail sender they stay queued.
func (w *Worker) RunProviderMail(ctx context.Context) (int, error) {
	w.defaults()
	sender := w.Senders["email"]
	if sender == nil {
		return 0, nil
	}
	batch, err := w.Store.ClaimReferralLinkMail(ctx, w.Now(), ContactMailBatch, w.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for _, l := range batch {
		w.sendProviderMail(ctx, sender, l)
	}
	return len(batch), nil
}

func (w *Worker) finishProviderMail(ctx context.Context, l model.ReferralLink, set map[string]any) {
	if err := w.Store.FinishReferralLinkMail(ctx, l.ID, l.MailAttempts, set); err != nil && !errors.Is(err, store.ErrConflict) {
		w.Log.Error("finish provider mail", "referral_link_id", l.ID, "err", err)
	}
}

// providerMail builds the e-mail of a link, or says why it must not go any
// more: the link no longer works, the consent was withdrawn, the address
// left the directory.
func (w *Worker) providerMail(ctx context.Context, l model.ReferralLink) (to string, msg Message, stop string, err error) {
	if l.UsedAt != nil || l.RevokedAt != nil || !w.Now().Before(l.ExpiresAt) {
		return "", msg, "the link no longer works", nil
	}
	r, err := w.Store.ReferralByIDUnscoped(ctx, l.ReferralID)
	if err != nil {
		return "", msg, "", err
	}
	consents, err := w.Store.LiveConsents(ctx, r.ClientID)
	if err != nil {
		return "", msg, "", err
	}
	if !slices.Contains(consents, "provider_sharing") {
		return "", msg, "no provider_sharing consent", nil
	}
	var prov model.Provider
	if r.ProviderID != nil {
		ps, err := w.Store.ProvidersByID(ctx, []string{*r.ProviderID})
		if err != nil {
			return "", msg, "", err
		}
		prov = ps[*r.ProviderID]
	}
	if prov.Email == nil || *prov.Email == "" {
		return "", msg, "no provider address", nil
	}
	chw := ""
	if u, err := w.Store.UserByID(ctx, l.CreatedBy); err == nil {
		chw, _, _ = strings.Cut(u.Name, " ")
	}
	url := strings.TrimRight(w.BaseURL, "/") + "/provider/" + service.ReferralLinkToken(w.ReplySecret, l.ID)
	msg, err = Render(l.MailLanguage, KindReferralLink, Data{When: l.ExpiresAt, CHWName: chw, ReplyURL: url})
	return *prov.Email, msg, "", err
}

func (w *Worker) sendProviderMail(ctx context.Context, sender Sender, l model.ReferralLink) {
	to, msg, stop, err := w.providerMail(ctx, l)
	if stop != "" {
		w.finishProviderMail(ctx, l, map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
		return
	}
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err = sender.Send(sctx, Outgoing{To: to, Reference: "referral-link:" + l.ID, Message: msg})
		cancel()
	}
	w.settleMail(err, l.MailAttempts, "provider_email", func(set map[string]any) { w.finishProviderMail(ctx, l, set) },
		"provider link e-mail failed", "referral_link_id", l.ID)
}
