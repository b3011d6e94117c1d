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

// The invitation of a new account reaches the person through the outbox,
// in their language, once, after a retry; its link sets the password. A
// link replaced before its e-mail left is not sent.
func TestInvitationMail(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		rec := &recorder{fail: 1}
		w := mailWorker(t, api, rec)
		var gent model.Team
		api.DB.Gorm.Where("slug = ?", "gent").Take(&gent)
		admin := api.Bearer("admin@example.org")
		r := api.Do("POST", "/api/v1/users", map[string]any{"email": "jonas.de@example.org", "name": "Jonas Neu", "role": "chw", "team_ids": []string{gent.ID}, "language": "de"}, admin)
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		id := r.JSON(t)["id"].(string)
		other := api.Do("POST", "/api/v1/users", map[string]any{"email": "ersetzt@example.org", "name": "Ersetzt", "role": "manager", "all_reports": true}, admin).JSON(t)["id"].(string)
		api.Do("POST", "/api/v1/users/"+other+"/invitation", nil, admin) // the first link of this account is replaced

		for range 3 {
			if _, err := w.RunInvitationMail(t.Context()); err != nil {
				t.Fatal(err)
			}
			api.Clock.Advance(time.Hour)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		var mine []reminder.Outgoing
		for _, o := range rec.got {
			if o.To == "jonas.de@example.org" {
				mine = append(mine, o)
			}
		}
		if len(mine) != 1 || len(rec.got) != 2 {
			t.Fatalf("sent %d e-mails (%d to Jonas), want 2 (1 to Jonas): %+v", len(rec.got), len(mine), rec.got)
		}
		o := mine[0]
		if o.Message.Subject != "Ihr Konto bei Brug" || !strings.Contains(o.Message.Text, "Guten Tag Jonas") {
			t.Fatalf("e-mail: %+v", o)
		}
		i := strings.Index(o.Message.Text, "/invite/")
		if i < 0 {
			t.Fatalf("no link: %s", o.Message.Text)
		}
		token := strings.Fields(o.Message.Text[i+len("/invite/"):])[0]
		if r := api.Do("POST", "/api/v1/public/invitations/"+token, map[string]any{"password": "gruene Tanne am Fluss"}, nil); r.Status != 204 {
			t.Fatalf("the e-mailed link: %d %s", r.Status, r.Body)
		}
		var invs []model.UserInvitation
		api.DB.Gorm.Where("user_id IN ?", []string{id, other}).Order("created_at").Find(&invs)
		statuses := map[string]int{}
		for _, inv := range invs {
			statuses[inv.MailStatus]++
		}
		if statuses["sent"] != 2 || statuses["cancelled"] != 1 {
			t.Fatalf("outbox: %v", statuses)
		}
	})
}

// mailWorker is the worker of the staff e-mail tests: e-mail through rec,
// on the test's clock, retrying after a minute.
func mailWorker(t *testing.T, api *testutil.API, rec *recorder) *reminder.Worker {
	t.Helper()
	w, err := app.NewWorker(api.Config, api.Svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Senders, w.Now, w.BaseBackoff = map[string]reminder.Sender{"email": rec}, api.Clock.Now, time.Minute
	return w
}
