package reminder

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// noticeKinds maps the notices that are e-mailed too to their template.
var noticeKinds = map[string]string{"second_factor_reset": KindSecondFactorReset, "monthly_summary": KindMonthlySummary}

// noticePages are where a notice's e-mail links to (else the sign-in page).
var noticePages = map[string]string{"monthly_summary": "/summary"}

// RunNoticeMail e-mails the queued staff notices (a second factor reset)
// in the person's language; it returns how many it handled. Without an
// e-mail sender they stay queued.
func (w *Worker) RunNoticeMail(ctx context.Context) (int, error) {
	w.defaults()
	sender := w.Senders["email"]
	if sender == nil {
		return 0, nil
	}
	batch, err := w.Store.ClaimNoticeMail(ctx, w.Now(), ContactMailBatch, w.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for _, n := range batch {
		w.sendNoticeMail(ctx, sender, n)
	}
	return len(batch), nil
}

func (w *Worker) finishNoticeMail(ctx context.Context, n model.StaffNotice, set map[string]any) {
	if err := w.Store.FinishNoticeMail(ctx, n.ID, n.MailAttempts, set); err != nil && !errors.Is(err, store.ErrConflict) {
		w.Log.Error("finish notice mail", "notice_id", n.ID, "err", err)
	}
}

func (w *Worker) sendNoticeMail(ctx context.Context, sender Sender, n model.StaffNotice) {
	kind, ok := noticeKinds[n.Kind]
	u, err := w.Store.UserByID(ctx, n.UserID)
	if !ok || (err == nil && u.DisabledAt != nil) {
		w.finishNoticeMail(ctx, n, map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
		return
	}
	var msg Message
	if err == nil {
		first, _, _ := strings.Cut(u.Name, " ")
		page := "/login"
		if p, ok := noticePages[n.Kind]; ok {
			page = p
		}
		msg, err = Render(u.Language, kind, Data{When: n.CreatedAt, CHWName: first, ReplyURL: strings.TrimRight(w.BaseURL, "/") + page})
	}
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err = sender.Send(sctx, Outgoing{To: u.Email, Reference: "notice:" + n.ID, Message: msg})
		cancel()
	}
	w.settleMail(err, n.MailAttempts, "notice_email", func(set map[string]any) { w.finishNoticeMail(ctx, n, set) },
		"notice e-mail failed", "notice_id", n.ID)
}
