package reminder_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/testutil"
)

// A link the CHW sends from Brug reaches the provider's directory address
// through the outbox, in the provider's language, once, after a retry; the
// link in it works. A link replaced before its e-mail left is not sent.
func TestProviderLinkMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		rec := &recorder{fail: 1}
		w, err := app.NewWorker(e.api.Config, e.api.Svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		w.Senders, w.Now, w.BaseBackoff = map[string]reminder.Sender{"email": rec}, e.api.Clock.Now, time.Minute
		as := e.api.Bearer(chw)
		e.api.Do("POST", "/api/v1/clients/"+e.client+"/consents", map[string]any{"purpose": "provider_sharing"}, as)
		prov := e.api.Do("POST", "/api/v1/providers", map[string]any{"name": "Cabinet Dentaire", "type": "dentist", "email": "accueil@cabinet.example.be",
			"languages": []string{"fr"}}, e.api.Bearer("coordinator.gent@example.org")).JSON(t)["id"].(string)
		link := func() map[string]any {
			ref := e.api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": e.client, "provider_id": prov, "reason": "mal de dents", "send": true}, as).JSON(t)["id"].(string)
			r := e.api.Do("POST", "/api/v1/referrals/"+ref+"/link", map[string]any{"email": true}, as)
			if r.Status != 201 {
				t.Fatalf("link: %d %s", r.Status, r.Body)
			}
			m := r.JSON(t)
			m["referral"] = ref
			return m
		}
		sent := link()
		replaced := link()
		e.api.Do("POST", "/api/v1/referrals/"+replaced["referral"].(string)+"/link", map[string]any{}, as)

		for range 2 {
			if _, err := w.RunProviderMail(t.Context()); err != nil {
				t.Fatal(err)
			}
			e.api.Clock.Advance(time.Hour)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if len(rec.got) != 1 {
			t.Fatalf("%d e-mails sent, want 1: %+v", len(rec.got), rec.got)
		}
		o := rec.got[0]
		url := sent["url"].(string)
		if o.To != "accueil@cabinet.example.be" || o.Message.Subject != "Orientation par un agent de santé" || !strings.Contains(o.Message.Text, url) ||
			strings.Contains(o.Message.Text, "mal de dents") || strings.Contains(o.Message.Text, "Amina") {
			t.Fatalf("e-mail: %+v (link %s)", o, url)
		}
		if r := e.api.Do("GET", "/api/v1/public/referral-links/"+url[strings.LastIndex(url, "/")+1:], nil, nil); r.Status != 200 {
			t.Fatalf("the e-mailed link: %d %s", r.Status, r.Body)
		}
		var first, second model.ReferralLink
		e.api.DB.Gorm.Where("referral_id = ? AND mail_status <> 'none'", sent["referral"]).Take(&first)
		e.api.DB.Gorm.Where("referral_id = ? AND mail_status <> 'none'", replaced["referral"]).Take(&second)
		if first.MailStatus != "sent" || first.MailAttempts != 2 || second.MailStatus != "cancelled" {
			t.Fatalf("outbox: %+v / %+v", first, second)
		}
	})
}
