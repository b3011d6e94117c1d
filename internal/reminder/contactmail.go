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
	w.settleMail(err, r.MailAttempts, "contact_email", func(set map[string]any) { w.finishContact(ctx, r, set) },
		"contact confirmation failed", "contact_request_id", r.ID)
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

// settleMail records the outcome of one outbox e-mail the same way for every
// mail queue (contact confirmations, provider links, invitations, staff
// notices): sent; failed for good after a permanent error or the last
// attempt (logged with the row's id, never an address); or queued again
// after the back-off.
func (w *Worker) settleMail(err error, attempts int, label string, finish func(set map[string]any), failed, idKey, id string) {
	switch {
	case err == nil:
		finish(map[string]any{"mail_status": "sent", "mail_next_at": nil})
		w.Metrics.Sent.WithLabelValues(label).Inc()
	case IsPermanent(err) || attempts >= w.MaxAttempts:
		finish(map[string]any{"mail_status": "failed", "mail_next_at": nil})
		w.Metrics.Failed.WithLabelValues(label).Inc()
		w.Log.Warn(failed, idKey, id, "attempts", attempts)
	default:
		finish(map[string]any{"mail_status": "queued", "mail_next_at": w.Now().Add(w.mailBackoff(attempts)).UTC()})
		w.Metrics.Retried.WithLabelValues(label).Inc()
	}
}
