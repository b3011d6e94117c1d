package reminder

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// RunInvitationMail sends the queued invitation and reset links to staff;
// it returns how many it handled. Without an e-mail sender they stay queued.
func (w *Worker) RunInvitationMail(ctx context.Context) (int, error) {
	w.defaults()
	sender := w.Senders["email"]
	if sender == nil {
		return 0, nil
	}
	batch, err := w.Store.ClaimInvitationMail(ctx, w.Now(), ContactMailBatch, w.Lease)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	for _, inv := range batch {
		w.sendInvitationMail(ctx, sender, inv)
	}
	return len(batch), nil
}

func (w *Worker) finishInvitationMail(ctx context.Context, inv model.UserInvitation, set map[string]any) {
	if err := w.Store.FinishInvitationMail(ctx, inv.ID, inv.MailAttempts, set); err != nil && !errors.Is(err, store.ErrConflict) {
		w.Log.Error("finish invitation mail", "invitation_id", inv.ID, "err", err)
	}
}

func (w *Worker) sendInvitationMail(ctx context.Context, sender Sender, inv model.UserInvitation) {
	// A link that no longer works is not sent.
	if inv.UsedAt != nil || inv.RevokedAt != nil || !w.Now().Before(inv.ExpiresAt) {
		w.finishInvitationMail(ctx, inv, map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
		return
	}
	u, err := w.Store.UserByID(ctx, inv.UserID)
	if err == nil && u.DisabledAt != nil {
		w.finishInvitationMail(ctx, inv, map[string]any{"mail_status": "cancelled", "mail_next_at": nil})
		return
	}
	var msg Message
	if err == nil {
		first, _, _ := strings.Cut(u.Name, " ")
		url := strings.TrimRight(w.BaseURL, "/") + "/invite/" + service.InvitationToken(w.ReplySecret, inv.ID)
		msg, err = Render(inv.MailLanguage, KindInvitation, Data{When: inv.ExpiresAt, CHWName: first, ReplyURL: url})
	}
	if err == nil {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err = sender.Send(sctx, Outgoing{To: u.Email, Reference: "invitation:" + inv.ID, Message: msg})
		cancel()
	}
	w.settleMail(err, inv.MailAttempts, "invitation_email", func(set map[string]any) { w.finishInvitationMail(ctx, inv, set) },
		"invitation e-mail failed", "invitation_id", inv.ID)
}
