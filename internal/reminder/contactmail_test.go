package reminder_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
)

// recorder is an e-mail sender that keeps what it was given, failing the
// first fail calls.
type recorder struct {
	mu   sync.Mutex
	got  []reminder.Outgoing
	fail int
}

func (r *recorder) Send(_ context.Context, o reminder.Outgoing) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		return errors.New("421 try later")
	}
	r.got = append(r.got, o)
	return nil
}

func contact(t *testing.T, e *env, email, lang string) (id, withdrawURL string) {
	t.Helper()
	r := e.api.Do("POST", "/api/v1/public/contact", map[string]any{"kind": "question", "name": "Visitor", "email": email, "language": lang,
		"message": "Hello", "consent": true, "consent_version": service.ConsentVersion, "page_language": lang}, nil)
	if r.Status != 202 {
		t.Fatalf("contact: %d %s", r.Status, r.Body)
	}
	m := r.JSON(t)
	return m["id"].(string), m["withdraw_url"].(string)
}

func TestContactConfirmationMail(t *testing.T) {
	e := setup(t, "sqlite")
	rec := &recorder{fail: 1}
	// The worker as the server builds it: its links must match the form's.
	w, err := app.NewWorker(e.api.Config, e.api.Svc, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Senders, w.Now, w.BaseBackoff = map[string]reminder.Sender{"email": rec}, e.api.Clock.Now, time.Minute
	e.worker = w
	id, url := contact(t, e, "visitor@example.org", "de")

	// First round: the gateway refuses once, so the first message is retried later.
	if _, err := e.worker.RunContactMail(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.api.Clock.Advance(time.Hour)
	if _, err := e.worker.RunContactMail(t.Context()); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var toVisitor []reminder.Outgoing
	for _, o := range rec.got {
		if o.To == "visitor@example.org" {
			toVisitor = append(toVisitor, o)
		}
	}
	if len(toVisitor) != 1 {
		t.Fatalf("%d confirmations to the visitor, want 1 (after one retry)", len(toVisitor))
	}
	msg := toVisitor[0].Message
	if msg.Subject != "Ihre Anfrage an Brug" || !strings.Contains(msg.Text, url) || !strings.Contains(msg.HTML, `href="`+url+`"`) {
		t.Fatalf("confirmation: %+v (url %s)", msg, url)
	}
	var row model.ContactRequest
	e.api.DB.Gorm.Where("id = ?", id).Take(&row)
	if row.MailStatus != "sent" || row.MailAttempts != 2 {
		t.Fatalf("mail status %s after %d attempts", row.MailStatus, row.MailAttempts)
	}
}

func TestContactMailSkipsWithdrawn(t *testing.T) {
	e := setup(t, "sqlite")
	rec := &recorder{}
	e.worker.Senders = map[string]reminder.Sender{"email": rec}
	id, url := contact(t, e, "changed-mind@example.org", "fr")
	r := e.api.Do("POST", "/api/v1/public/contact-withdrawals/"+url[strings.LastIndex(url, "/")+1:], map[string]any{}, nil)
	if r.Status != 200 {
		t.Fatalf("withdraw: %d %s", r.Status, r.Body)
	}
	if _, err := e.worker.RunContactMail(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(rec.got) != 0 {
		t.Fatalf("sent %d messages to a visitor who withdrew", len(rec.got))
	}
	var row model.ContactRequest
	e.api.DB.Gorm.Where("id = ?", id).Take(&row)
	if row.MailStatus != "cancelled" || row.Email != nil {
		t.Fatalf("after withdrawal: status %s, email %v", row.MailStatus, row.Email)
	}
}

// The confirmation e-mail does not promise that withdrawing erases what a
// CHW already keeps: it says what happens when the request became a client.
func TestContactMessageSaysWhatWithdrawalDoes(t *testing.T) {
	for lang, want := range map[string]string{
		"nl": "Helpt een CHW je al, dan vragen we die om contact met je op te nemen",
		"fr": "Si un CHW vous aide déjà, nous lui demandons de vous contacter",
		"de": "Hilft Ihnen bereits ein CHW, bitten wir ihn, sich bei Ihnen zu melden",
		"en": "If a CHW is already helping you, we ask them to contact you",
	} {
		m := reminder.ContactMessage(lang, "https://brug.example/x")
		if !strings.Contains(m.Text, want) || !strings.Contains(m.Text, "https://brug.example/x") {
			t.Errorf("%s confirmation e-mail:\n%s", lang, m.Text)
		}
	}
}
