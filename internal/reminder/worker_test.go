package reminder_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

const chw = "chw.gent1@example.org"

// gateway is a fake SMS gateway on loopback.
type gateway struct {
	mu       sync.Mutex
	srv      *httptest.Server
	calls    []map[string]string
	fail     atomic.Int32 // answer 500 to this many calls
	status   int          // otherwise answer this (default 202)
	delay    time.Duration
	authSeen string
}

func newGateway(t *testing.T) *gateway {
	g := &gateway{status: 202}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.delay > 0 {
			time.Sleep(g.delay)
		}
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		g.mu.Lock()
		g.calls = append(g.calls, body)
		g.authSeen = r.Header.Get("Authorization")
		g.mu.Unlock()
		if g.fail.Load() > 0 {
			g.fail.Add(-1)
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(g.status)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) byReference() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]int{}
	for _, c := range g.calls {
		out[c["reference"]]++
	}
	return out
}

type env struct {
	api    *testutil.API
	gw     *gateway
	worker *reminder.Worker
	client string
}

// setup: a Gent client with a phone and SMS consent, a worker on a fake gateway.
func setup(t *testing.T, engine string) *env {
	api := testutil.NewAPI(t, engine)
	api.Svc.Reminders = service.ReminderPolicy{QuietFrom: 21 * 60, QuietTo: 8 * 60, Configured: map[string]bool{"sms": true}}
	// Noon in Brussels, so the tests control quiet hours by the appointment time.
	day := time.Now().In(service.Brussels).AddDate(0, 0, 1)
	api.Clock.Set(time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, service.Brussels))
	gw := newGateway(t)
	r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amina", "family_name": "Secretfamily", "phone": "0470 11 22 33",
		"language": "fr", "confirm_duplicate": true}, api.Bearer(chw))
	if r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	id := r.JSON(t)["id"].(string)
	api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw))
	w := &reminder.Worker{Store: api.Svc.Store, Senders: map[string]reminder.Sender{"sms": reminder.SMSGateway{URL: gw.srv.URL, Token: "gw-token"}},
		Now: api.Clock.Now, MaxAttempts: 3, BaseBackoff: time.Minute, BaseURL: "https://brug.example.be", ReplySecret: []byte(strings.Repeat("s", 32)), Concurrency: 4}
	return &env{api: api, gw: gw, worker: w, client: id}
}

func (e *env) appointment(t *testing.T, in time.Duration) string {
	t.Helper()
	local := e.api.Clock.Now().Add(in).In(service.Brussels).Format("2006-01-02T15:04")
	r := e.api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": e.client, "starts_at_local": local}, e.api.Bearer(chw))
	if r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	return r.JSON(t)["id"].(string)
}

func (e *env) reminders(t *testing.T, appt string) []model.Reminder {
	var rs []model.Reminder
	e.api.DB.Gorm.Where("appointment_id = ?", appt).Order("due_at").Find(&rs)
	return rs
}

func (e *env) drain(t *testing.T) {
	for i := 0; i < 20; i++ {
		n, err := e.worker.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func TestScheduleSendRetryGiveUp(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		appt := e.appointment(t, 50*time.Hour) // the day after tomorrow, 14:00
		rs := e.reminders(t, appt)
		if len(rs) != 2 || rs[0].Status != "queued" || rs[0].Channel != "sms" || rs[0].Language != "fr" {
			t.Fatalf("planned: %+v", rs)
		}
		var a model.Appointment
		e.api.DB.Gorm.Where("id = ?", appt).Take(&a)
		if !rs[0].DueAt.Equal(a.StartsAt.Add(-24*time.Hour)) || !rs[1].DueAt.Equal(a.StartsAt.Add(-2*time.Hour)) {
			t.Fatalf("due times %s %s for %s", rs[0].DueAt, rs[1].DueAt, a.StartsAt)
		}
		// Nothing is due yet.
		e.drain(t)
		if len(e.gw.calls) != 0 {
			t.Fatalf("sent early: %v", e.gw.calls)
		}
		// The first is due: the gateway fails once, then accepts.
		e.gw.fail.Store(1)
		e.api.Clock.Set(rs[0].DueAt)
		e.drain(t)
		rs = e.reminders(t, appt)
		if rs[0].Status != "queued" || rs[0].NextAttemptAt == nil || rs[0].Attempts != 1 || !strings.Contains(rs[0].LastError, "500") {
			t.Fatalf("after a 500: %+v", rs[0])
		}
		e.api.Clock.Advance(2 * time.Minute)
		e.drain(t)
		rs = e.reminders(t, appt)
		if rs[0].Status != "sent" || rs[0].Attempts != 2 || rs[0].ReplyTokenHash == nil {
			t.Fatalf("after retry: %+v", rs[0])
		}
		call := e.gw.calls[len(e.gw.calls)-1]
		if call["to"] != "+32470112233" || call["reference"] != rs[0].DedupeKey || e.gw.authSeen != "Bearer gw-token" ||
			!strings.Contains(call["body"], "Rappel") || strings.Contains(call["body"], "Secretfamily") {
			t.Fatalf("gateway got %v (auth %q)", call, e.gw.authSeen)
		}
		// The second one: the gateway keeps failing; the worker gives up after 3 attempts.
		e.gw.fail.Store(100)
		e.api.Clock.Set(rs[1].DueAt)
		for i := 0; i < 5; i++ {
			e.drain(t)
			e.api.Clock.Advance(10 * time.Minute)
		}
		rs = e.reminders(t, appt)
		if rs[1].Status != "failed" || rs[1].Attempts != 3 {
			t.Fatalf("give up: %+v", rs[1])
		}
		failed := e.api.Do("GET", "/api/v1/reminders?status=failed", nil, e.api.Bearer(chw))
		if !strings.Contains(string(failed.Body), rs[1].ID) {
			t.Fatalf("failed list: %s", failed.Body)
		}
		// Retry by hand, with the gateway working again... once the appointment is over.
		e.gw.fail.Store(0)
		e.api.Clock.Advance(3 * time.Hour)
		e.api.Forget()
		if r := e.api.Do("POST", "/api/v1/reminders/"+rs[1].ID+"/retry", map[string]any{}, e.api.Bearer(chw)); r.Status != 200 || !strings.Contains(string(r.Body), `"status":"queued"`) {
			t.Fatalf("manual retry: %d %s", r.Status, r.Body)
		}
		e.drain(t)
		if st := e.reminders(t, appt)[1].Status; st != "cancelled" {
			t.Fatalf("a reminder for a past appointment must not go out: %s", st)
		}
		// The reply link of the sent message works once the token is known.
		token := reminder.ReplyToken(e.worker.ReplySecret, rs[0].ID)
		if !strings.Contains(call["body"], "/a/"+token) {
			t.Fatalf("reply link not in %q", call["body"])
		}
	})
}

func TestQuietHoursAcrossDST(t *testing.T) {
	e := setup(t, "sqlite")
	// Saturday 28 March 2026, 10:00 Brussels; clocks go forward that night.
	e.api.Clock.Set(time.Date(2026, 3, 28, 10, 0, 0, 0, service.Brussels))
	e.api.Forget()
	cases := []struct {
		local   string
		wantDue []string // Brussels wall clock of each reminder, "" = skipped
	}{
		// 24h before is Saturday 09:00 (passed: now); 2h before is 07:00 summer time: quiet, moves to 08:00.
		{"2026-03-29T09:00", []string{"2026-03-28T10:00", "2026-03-29T08:00"}},
		// 2h before 07:30 is 05:30: quiet until 08:00, after the appointment: skipped.
		{"2026-03-29T07:30", []string{"2026-03-28T10:00", ""}},
		// 24h before Monday 08:30 is Sunday 08:30, 2h before is 06:30 → 08:00.
		{"2026-03-30T08:30", []string{"2026-03-29T08:30", "2026-03-30T08:00"}},
		// 22:30 is quiet: the 24h reminder moves to 08:00 next morning, the 2h one (20:30) goes.
		{"2026-03-30T22:30", []string{"2026-03-30T08:00", "2026-03-30T20:30"}},
	}
	for _, c := range cases {
		r := e.api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": e.client, "starts_at_local": c.local}, e.api.Bearer(chw))
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		rs := e.reminders(t, r.JSON(t)["id"].(string))
		if len(rs) != 2 {
			t.Fatalf("%s: %d reminders", c.local, len(rs))
		}
		got := map[string]bool{}
		for _, x := range rs {
			if x.Status == "skipped" {
				got[""] = true
			} else {
				got[x.DueAt.In(service.Brussels).Format("2006-01-02T15:04")] = true
			}
		}
		for _, w := range c.wantDue {
			if !got[w] {
				t.Errorf("%s: want a reminder due %q, got %v", c.local, w, got)
			}
		}
	}
}

func TestConsentRescheduleCancel(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		appt := e.appointment(t, 3*time.Hour) // 15:00 today: the 24h one is due at once
		// Withdrawing SMS consent stops the queue at once.
		e.api.Do("DELETE", "/api/v1/clients/"+e.client+"/consents/sms_reminders", nil, e.api.Bearer(chw))
		for _, r := range e.reminders(t, appt) {
			if r.Status != "cancelled" {
				t.Fatalf("after withdrawal: %+v", r)
			}
		}
		e.drain(t)
		if len(e.gw.calls) != 0 {
			t.Fatal("sent after consent was withdrawn")
		}
		// Consent again: reminders are planned for the appointment ahead (once).
		e.api.Do("POST", "/api/v1/clients/"+e.client+"/consents", map[string]any{"purpose": "sms_reminders"}, e.api.Bearer(chw))
		e.drain(t)
		if len(e.gw.calls) != 1 {
			t.Fatalf("want the overdue reminder sent once, got %d calls", len(e.gw.calls))
		}
		// Reschedule to tomorrow 14:00: old reminders cancelled, new ones planned.
		r := e.api.Do("PATCH", "/api/v1/appointments/"+appt, map[string]any{"status": "rescheduled",
			"starts_at_local": e.api.Clock.Now().Add(26 * time.Hour).In(service.Brussels).Format("2006-01-02T15:04")}, e.api.Bearer(chw))
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		moved := r.JSON(t)["id"].(string)
		for _, x := range e.reminders(t, appt) {
			if x.Status == "queued" {
				t.Fatalf("old appointment keeps a queued reminder: %+v", x)
			}
		}
		if n := len(e.reminders(t, moved)); n != 2 {
			t.Fatalf("moved appointment has %d reminders", n)
		}
		// Send the 24h one, then cancel: a short cancellation notice follows.
		e.api.Clock.Advance(3 * time.Hour)
		e.drain(t)
		if r := e.api.Do("PATCH", "/api/v1/appointments/"+moved, map[string]any{"status": "cancelled"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		e.drain(t)
		last := e.gw.calls[len(e.gw.calls)-1]
		if !strings.Contains(last["body"], "annulé") {
			t.Fatalf("no cancellation notice: %v", e.gw.calls)
		}
		for ref, n := range e.gw.byReference() {
			if n > 1 {
				t.Fatalf("%s sent %d times", ref, n)
			}
		}
	})
}

// Two workers on one database never send the same message twice; a worker
// that dies mid-send loses nothing (its lease runs out, another takes over).
func TestWorkersRaceAndCrash(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		const n = 60
		for i := 0; i < n; i++ {
			e.appointment(t, time.Duration(3+i%5)*time.Hour)
		}
		e.gw.delay = 2 * time.Millisecond
		var want int64
		e.api.DB.Gorm.Model(&model.Reminder{}).Where("status = 'queued' AND due_at <= ?", e.api.Clock.Now()).Count(&want)
		if want != n {
			t.Fatalf("%d due reminders, want %d", want, n)
		}
		w2 := *e.worker
		e.worker.Batch, w2.Batch = 7, 5
		var wg sync.WaitGroup
		for _, w := range []*reminder.Worker{e.worker, &w2} {
			wg.Add(1)
			go func(w *reminder.Worker) {
				defer wg.Done()
				for i := 0; i < 50; i++ {
					if k, err := w.RunOnce(context.Background()); err != nil {
						t.Error(err)
						return
					} else if k == 0 {
						return
					}
				}
			}(w)
		}
		wg.Wait()
		refs := e.gw.byReference()
		if len(refs) != n {
			t.Fatalf("%d distinct messages reached the gateway, want %d", len(refs), n)
		}
		for ref, c := range refs {
			if c != 1 {
				t.Fatalf("%s sent %d times by racing workers", ref, c)
			}
		}
		// Crash: a worker claims a message and dies before finishing.
		appt := e.appointment(t, 4*time.Hour)
		claimed, err := e.api.Svc.Store.ClaimDue(context.Background(), e.api.Clock.Now(), 10, time.Minute, []string{"sms"})
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		e.drain(t) // another worker: the lease still holds
		if st := e.reminders(t, appt)[0].Status; st != "sending" {
			t.Fatalf("leased message taken over early: %s", st)
		}
		e.api.Clock.Advance(2 * time.Minute) // the lease runs out
		e.drain(t)
		rs := e.reminders(t, appt)
		if rs[0].Status != "sent" || rs[0].Attempts != 2 {
			t.Fatalf("after the crash: %+v", rs[0])
		}
		// The dead worker's late answer cannot overwrite the outcome.
		if err := e.api.Svc.Store.FinishReminder(context.Background(), claimed[0].ID, claimed[0].Attempts, map[string]any{"status": "failed"}); err == nil {
			t.Fatal("a stale worker overwrote the message")
		}
	})
}

func TestClientReplies(t *testing.T) {
	e := setup(t, "sqlite")
	appt := e.appointment(t, 5*time.Hour)
	e.drain(t)
	rs := e.reminders(t, appt)
	token := reminder.ReplyToken(e.worker.ReplySecret, rs[0].ID)
	api := e.api
	api.Run(t, []testutil.Scenario{
		{Name: "view", Method: "GET", Path: "/api/v1/public/replies/" + token, Status: 200, Contains: []string{`"language":"fr"`}, Excludes: []string{"Amina", "Secretfamily"}},
		{Name: "bad token", Method: "GET", Path: "/api/v1/public/replies/nope", Status: 404},
		{Name: "bad action", Method: "POST", Path: "/api/v1/public/replies/" + token, Body: map[string]any{"action": "maybe"}, Status: 422, Fields: []string{"action"}},
		{Name: "ask to reschedule", Method: "POST", Path: "/api/v1/public/replies/" + token, Body: map[string]any{"action": "reschedule"}, Status: 204},
	})
	tasks := api.Do("GET", "/api/v1/tasks", nil, api.Bearer(chw)).JSON(t)["items"].([]any)
	found := false
	for _, tk := range tasks {
		found = found || tk.(map[string]any)["kind"] == "reschedule"
	}
	if !found {
		t.Fatalf("no reschedule task: %v", tasks)
	}
	a := api.Do("GET", "/api/v1/appointments/"+appt, nil, api.Bearer(chw))
	if !strings.Contains(string(a.Body), `"reply":"reschedule_requested"`) || !strings.Contains(string(a.Body), `"channel":"sms"`) {
		t.Fatalf("appointment: %s", a.Body)
	}
}

// fakeSMTP accepts one or more messages without TLS or authentication.
func fakeSMTP(t *testing.T) (addr string, got chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan string, 10)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				fmt.Fprint(c, "220 fake ESMTP\r\n")
				var data strings.Builder
				inData := false
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if inData {
						if line == ".\r\n" {
							inData = false
							got <- data.String()
							fmt.Fprint(c, "250 queued\r\n")
							continue
						}
						data.WriteString(line)
						continue
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						fmt.Fprint(c, "250-fake\r\n250 8BITMIME\r\n")
					case strings.HasPrefix(cmd, "DATA"):
						inData = true
						fmt.Fprint(c, "354 go on\r\n")
					case strings.HasPrefix(cmd, "QUIT"):
						fmt.Fprint(c, "221 bye\r\n")
						return
					default:
						fmt.Fprint(c, "250 ok\r\n")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String(), got
}

func TestEmailReminder(t *testing.T) {
	e := setup(t, "sqlite")
	addr, got := fakeSMTP(t)
	smtp, err := reminder.SMTPFromURL("smtp://" + addr + "?from=brug@example.org")
	if err != nil {
		t.Fatal(err)
	}
	e.worker.Senders = map[string]reminder.Sender{"email": smtp}
	e.api.Svc.Reminders.Configured = map[string]bool{"email": true}
	r := e.api.Do("POST", "/api/v1/clients", map[string]any{"pseudonym": "Étoile", "email": "etoile@example.org", "language": "de", "confirm_duplicate": true}, e.api.Bearer(chw))
	id := r.JSON(t)["id"].(string)
	e.api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": "email_reminders"}, e.api.Bearer(chw))
	local := e.api.Clock.Now().Add(5 * time.Hour).In(service.Brussels).Format("2006-01-02T15:04")
	e.api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": id, "starts_at_local": local}, e.api.Bearer(chw))
	e.drain(t)
	select {
	case msg := <-got:
		for _, want := range []string{"text/plain", "text/html", "Erinnerung", "etoile@example.org", "X-Brug-Reference"} {
			if !strings.Contains(msg, want) {
				t.Errorf("e-mail lacks %q", want)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no e-mail arrived")
	}
	var sent int64
	e.api.DB.Gorm.Model(&model.Reminder{}).Where("client_id = ? AND channel = 'email' AND status = 'sent'", id).Count(&sent)
	if sent != 1 {
		t.Fatalf("%d e-mails marked sent", sent)
	}
}

func TestTeamReminderOffsets(t *testing.T) {
	e := setup(t, "sqlite")
	var gent model.Team
	e.api.DB.Gorm.Where("slug = 'gent'").Take(&gent)
	e.api.Run(t, []testutil.Scenario{
		{Name: "bad offsets", Method: "PATCH", Path: "/api/v1/teams/" + gent.ID, As: "coordinator.gent@example.org",
			Body: map[string]any{"reminder_offsets": []string{"5m", "soon", "5m"}}, Status: 422, Fields: []string{"reminder_offsets[0]", "reminder_offsets[1]", "reminder_offsets[2]"}},
		{Name: "other team", Method: "PATCH", Path: "/api/v1/teams/" + gent.ID, As: "coordinator.liege@example.org",
			Body: map[string]any{"reminder_offsets": []string{"48h"}}, Status: 404},
		{Name: "chw may not", Method: "PATCH", Path: "/api/v1/teams/" + gent.ID, As: chw, Body: map[string]any{"reminder_offsets": []string{"48h"}}, Status: 403},
		{Name: "set", Method: "PATCH", Path: "/api/v1/teams/" + gent.ID, As: "coordinator.gent@example.org",
			Body: map[string]any{"reminder_offsets": []string{"48h"}}, Status: 200, Contains: []string{`"reminder_offsets":["48h"]`}},
	})
	appt := e.appointment(t, 72*time.Hour)
	rs := e.reminders(t, appt)
	var a model.Appointment
	e.api.DB.Gorm.Where("id = ?", appt).Take(&a)
	if len(rs) != 1 || !rs[0].ScheduledAt.Equal(a.StartsAt.Add(-48*time.Hour)) {
		t.Fatalf("with offsets [48h]: %+v", rs)
	}
}
