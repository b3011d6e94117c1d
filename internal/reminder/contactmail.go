package reminder

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/site"
	"github.com/brug-chw/brug/internal/store"
)

// ContactMailBatch is how many confirmation e-mails one round claims.
const ContactMailBatch = 50

// ContactMessage is the confirmation e-mail of a contact-form request, with
// its consent-withdrawal link, in the visitor's language.
func ContactMessage(lang, withdrawURL string) Message {
	text := site.T(lang, "mail.body", withdrawURL)
	return Message{Subject: site.T(lang, "mail.subject"), Text: text, HTML: toHTML(text)}
}

// RunContactMail sends the queued confirmation e-mails of the contact form;
// it returns how many it handled. Without an e-mail sender they stay queued.
func (w *Worker) RunContactMail(ctx context.Context) (int, error) {
	w.defaults()
	sender := w.Senders["email"]
	if sender == nil {
		return 0, nil
	}
	batch, err := w.Store.ClaimContactMail(ctx, w.Now(), ContactMailBatch, w.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for _, r := range batch {
		w.sendContactMail(ctx, sender, r)
	}
	return len(batch), nil
}

func (w *Worker) finishContact(ctx context.Context, r model.ContactRequest, set map[string]any) {
	if err := w.Store.FinishContactMail(ctx, r.ID, r.MailAttempts, set); err != nil && !errors.Is(err, store.ErrConflict) {
		w.Log.Error("finish contact mail", "contact_request_id", r.ID, "err", err)
	}
}

func (w *Worker) sendContactMail(ctx context.Context, sender Sender, r model.ContactRequest) {
	if r.Email == nil || r.WithdrawnAt != nil || r.PurgedAt != nil {
		w.finishContact(ctx, r, map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
		return
	}
	lang := r.Language
	url := strings.TrimRight(w.BaseURL, "/") + "/" + lang + "/withdraw/" + service.ContactToken(w.ReplySecret, r.ID)
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	err := sender.Send(sctx, Outgoing{To: *r.Email, Reference: "contact:" + r.ID, Message: ContactMessage(lang, url)})
	cancel()
	switch {
	case err == nil:
		w.finishContact(ctx, r, map[string]any{"mail_status": "sent", "mail_next_at": nil})
		w.Metrics.Sent.WithLabelValues("contact_email").Inc()
	case IsPermanent(err) || r.MailAttempts >= w.MaxAttempts:
		w.finishContact(ctx, r, map[string]any{"mail_status": "failed", "mail_next_at": nil})
		w.Metrics.Failed.WithLabelValues("contact_email").Inc()
		w.Log.Warn("contact confirmation failed", "contact_request_id", r.ID, "attempts", r.MailAttempts)
	default:
		w.finishContact(ctx, r, map[string]any{"mail_status": "queued", "mail_next_at": w.Now().Add(w.mailBackoff(r.MailAttempts)).UTC()})
		w.Metrics.Retried.WithLabelValues("contact_email").Inc()
	}
}

// mailBackoff is the wait before another attempt of an e-mail carried by its
// own row (contact confirmations, provider links): doubling, at most an hour.
func (w *Worker) mailBackoff(attempts int) time.Duration {
	backoff := w.BaseBackoff << (attempts - 1)
	if backoff > time.Hour || backoff <= 0 {
		backoff = time.Hour
	}
	return backoff
}
