package reminder_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// An admin's reset of a second factor reaches the person by e-mail too, in
// their language, once, after a retry: a reset they did not ask for is
// noticed even if they never open the app.
func TestSecondFactorResetMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		rec := &recorder{fail: 1}
		w := mailWorker(t, api, rec)
		const who = "coordinator.liege@example.org" // French profile
		me := api.Bearer(who)
		secret := api.Do("POST", "/api/v1/me/second-factor/enrolment", map[string]any{}, me).JSON(t)["secret"].(string)
		if r := api.Do("POST", "/api/v1/me/second-factor/enrolment/confirm", map[string]any{"code": auth.CodeAt(secret, api.Clock.Now())}, me); r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		var id string
		api.DB.Gorm.Raw("SELECT id FROM users WHERE email = ?", who).Scan(&id)
		if r := api.Do("POST", "/api/v1/users/"+id+"/second-factor/reset", nil, api.Bearer("admin@example.org")); r.Status != 204 {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		for range 3 {
			if _, err := w.RunNoticeMail(t.Context()); err != nil {
				t.Fatal(err)
			}
			api.Clock.Advance(time.Hour)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if len(rec.got) != 1 {
			t.Fatalf("sent %d e-mails, want 1: %+v", len(rec.got), rec.got)
		}
		o := rec.got[0]
		if o.To != who || o.Message.Subject != "Votre second facteur Brug a été effacé" || !strings.Contains(o.Message.Text, "/login") {
			t.Fatalf("e-mail: %+v", o)
		}
		var n model.StaffNotice
		api.DB.Gorm.Where("user_id = ? AND kind = 'second_factor_reset'", id).Take(&n)
		if n.MailStatus != "sent" || n.MailAttempts != 2 {
			t.Fatalf("outbox: %+v", n)
		}
		// Other notices are not e-mailed.
		var queued int64
		api.DB.Gorm.Model(&model.StaffNotice{}).Where("kind <> 'second_factor_reset' AND mail_status <> 'none'").Count(&queued)
		if queued != 0 {
			t.Fatalf("%d other notices in the outbox", queued)
		}
	})
}

// The monthly summary reaches each person by e-mail too, in their
// language, once, with a link to the summary page.
func TestMonthlySummaryMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		rec := &recorder{}
		w := mailWorker(t, api, rec)
		now := api.Clock.Now()
		next := time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
		api.Clock.Set(service.FirstWorkingDay(next).Add(10 * time.Hour))
		for range 2 {
			if _, err := api.Svc.RunMonthlySummaries(t.Context(), api.Clock.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := w.RunNoticeMail(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		to := map[string]int{}
		for _, o := range rec.got {
			to[o.To]++
			if o.To == "coordinator.liege@example.org" && (o.Message.Subject != "Votre bilan mensuel dans Brug" || !strings.Contains(o.Message.Text, "/summary")) {
				t.Fatalf("e-mail: %+v", o)
			}
		}
		for _, who := range []string{"coordinator.liege@example.org", "chw.gent1@example.org"} {
			if to[who] != 1 {
				t.Fatalf("%s got %d summary e-mails, want 1 (%v)", who, to[who], to)
			}
		}
		if to["manager@example.org"] != 0 {
			t.Fatal("a manager got a summary")
		}
	})
}
