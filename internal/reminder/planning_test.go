package reminder_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

func (e *env) newClient(t *testing.T, body map[string]any, consents ...string) string {
	t.Helper()
	body["confirm_duplicate"] = true
	r := e.api.Do("POST", "/api/v1/clients", body, e.api.Bearer(chw))
	if r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	id := r.JSON(t)["id"].(string)
	for _, p := range consents {
		if r := e.api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": p}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
	}
	return id
}

func (e *env) book(t *testing.T, client, local string) map[string]any {
	t.Helper()
	r := e.api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": client, "starts_at_local": local}, e.api.Bearer(chw))
	if r.Status != 201 {
		t.Fatal(r.Status, string(r.Body))
	}
	return r.JSON(t)
}

func (e *env) live(t *testing.T, appt string) []model.Reminder {
	var out []model.Reminder
	for _, r := range e.reminders(t, appt) {
		if r.Status == "queued" || r.Status == "sending" || r.Status == "sent" {
			out = append(out, r)
		}
	}
	return out
}

func (e *env) setOffsets(t *testing.T, offsets ...string) {
	t.Helper()
	var gent model.Team
	e.api.DB.Gorm.Where("slug = 'gent'").Take(&gent)
	if r := e.api.Do("PATCH", "/api/v1/teams/"+gent.ID, map[string]any{"reminder_offsets": offsets}, e.api.Bearer("coordinator.gent@example.org")); r.Status != 200 {
		t.Fatal(r.Status, string(r.Body))
	}
}

func local(t time.Time) string { return t.In(service.Brussels).Format("2006-01-02T15:04") }

// Booked 70 minutes ahead, both reminders' moments have passed: one SMS per
// number, not two. Pushed together by the quiet hours: one. Booked 3 hours
// ahead: the one sent at once is the reminder; none follows an hour later,
// not even when the appointment is planned again after the 2-hour mark.
func TestRemindersCollapse(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		var late []string
		for i, phone := range []string{"0470 10 00 01", "0470 10 00 02", "0470 10 00 03"} {
			c := e.newClient(t, map[string]any{"pseudonym": "Late" + string(rune('A'+i)), "phone": phone}, "sms_reminders")
			late = append(late, e.book(t, c, local(e.api.Clock.Now().Add(70*time.Minute)))["id"].(string))
		}
		e.drain(t)
		e.api.Clock.Advance(time.Hour)
		e.drain(t)
		to := map[string]int{}
		for _, c := range e.gw.calls {
			to[c["to"]]++
		}
		if len(e.gw.calls) != 3 || len(to) != 3 {
			t.Fatalf("70 minutes ahead: want one SMS per number, got %v", to)
		}
		for _, a := range late {
			if n := len(e.live(t, a)); n != 1 {
				t.Fatalf("appointment %s has %d live reminders", a, n)
			}
		}

		// 3h and 2h before 08:30 are 05:30 and 06:30: both move to 08:00, one goes.
		e.setOffsets(t, "3h", "2h")
		morning := time.Date(e.api.Clock.Now().In(service.Brussels).Year(), e.api.Clock.Now().In(service.Brussels).Month(),
			e.api.Clock.Now().In(service.Brussels).Day()+1, 8, 30, 0, 0, service.Brussels)
		quiet := e.book(t, e.client, local(morning))["id"].(string)
		if rs := e.live(t, quiet); len(rs) != 1 || rs[0].DueAt.In(service.Brussels).Format("15:04") != "08:00" || !rs[0].ScheduledAt.Equal(morning.Add(-2*time.Hour)) {
			t.Fatalf("quiet hours: %+v", rs)
		}

		// Back to 24h and 2h: the 24h one has passed and goes now, the 2h one at 08:00.
		e.setOffsets(t, "24h", "2h")
		if rs := e.live(t, quiet); len(rs) != 2 || !rs[0].DueAt.Equal(e.api.Clock.Now()) {
			t.Fatalf("after the offsets changed back: %+v", rs)
		}
		e.drain(t)
		// 3 hours ahead: one now, none an hour later.
		before := len(e.gw.calls)
		soon := e.book(t, e.client, local(e.api.Clock.Now().Add(3*time.Hour)))["id"].(string)
		e.drain(t)
		e.api.Clock.Advance(90 * time.Minute)
		// A change re-plans after the 2-hour mark: the sent one still counts.
		if r := e.api.Do("PATCH", "/api/v1/clients/"+e.client, map[string]any{"language": "nl"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		e.drain(t)
		e.api.Clock.Advance(80 * time.Minute)
		e.drain(t)
		var forSoon int
		for _, r := range e.reminders(t, soon) {
			if r.Status == "sent" {
				forSoon++
			}
		}
		if forSoon != 1 || len(e.gw.calls) != before+1 {
			t.Fatalf("3 hours ahead: %d sent for the appointment, %d SMS in all", forSoon, len(e.gw.calls)-before)
		}
	})
}

// Every change of consent, contact data or offsets re-plans the queued
// reminders of the appointments ahead.
func TestRemindersFollowChanges(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		both := e.newClient(t, map[string]any{"pseudonym": "Both", "phone": "0470 20 00 01", "email": "both@example.org"}, "sms_reminders", "email_reminders")
		appt := e.book(t, both, local(e.api.Clock.Now().Add(50*time.Hour)))["id"].(string)
		channels := func(id string) string {
			var out []string
			for _, r := range e.live(t, id) {
				out = append(out, r.Channel)
			}
			return strings.Join(out, ",")
		}
		if got := channels(appt); got != "sms,sms" {
			t.Fatalf("planned: %s", got)
		}
		// SMS consent withdrawn: e-mail takes over.
		e.api.Do("DELETE", "/api/v1/clients/"+both+"/consents/sms_reminders", nil, e.api.Bearer(chw))
		if got := channels(appt); got != "email,email" {
			t.Fatalf("after SMS consent withdrawn: %q", got)
		}
		// E-mail address removed: nothing left.
		if r := e.api.Do("PATCH", "/api/v1/clients/"+both, map[string]any{"email": nil}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt); got != "" {
			t.Fatalf("without an address: %q", got)
		}

		// No phone, no consent: nothing; a phone alone: nothing; the consent: SMS.
		bare := e.newClient(t, map[string]any{"pseudonym": "Bare"})
		appt2 := e.book(t, bare, local(e.api.Clock.Now().Add(50*time.Hour)))["id"].(string)
		e.api.Do("POST", "/api/v1/clients/"+bare+"/consents", map[string]any{"purpose": "sms_reminders"}, e.api.Bearer(chw))
		if got := channels(appt2); got != "" {
			t.Fatalf("consent without a phone: %q", got)
		}
		if r := e.api.Do("PATCH", "/api/v1/clients/"+bare, map[string]any{"phone": "0470 20 00 02"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt2); got != "sms,sms" {
			t.Fatalf("phone added: %q", got)
		}
		// A new number: the queued messages show it.
		e.api.Do("PATCH", "/api/v1/clients/"+bare, map[string]any{"phone": "0470 20 00 99"}, e.api.Bearer(chw))
		for _, r := range e.live(t, appt2) {
			if r.Destination != "+32 4•• •• •0 99" {
				t.Fatalf("destination after the number changed: %q", r.Destination)
			}
		}

		// New offsets: the queued reminders follow them.
		e.setOffsets(t, "48h", "3h")
		var a model.Appointment
		e.api.DB.Gorm.Where("id = ?", appt2).Take(&a)
		rs := e.live(t, appt2)
		if len(rs) != 2 || !rs[0].ScheduledAt.Equal(a.StartsAt.Add(-48*time.Hour)) || !rs[1].ScheduledAt.Equal(a.StartsAt.Add(-3*time.Hour)) {
			t.Fatalf("after offsets 48h,3h: %+v", rs)
		}
	})
}

// Attended and missed wait for the appointment to start; a missed one is
// rescheduled in one step, keeping its referral; a past appointment says it
// gets no reminder; an SMS consent without a number says so.
func TestAppointmentWarningsAndSteps(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		ref := e.api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": e.client, "provider_type": "dentist", "reason": "toothache", "send": true}, e.api.Bearer(chw))
		if ref.Status != 201 {
			t.Fatal(ref.Status, string(ref.Body))
		}
		refID := ref.JSON(t)["id"].(string)
		r := e.api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": e.client, "referral_id": refID, "location": "Rabot",
			"starts_at_local": local(e.api.Clock.Now().Add(26 * time.Hour))}, e.api.Bearer(chw))
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		appt := r.JSON(t)["id"].(string)
		var tasks int64
		e.api.DB.Gorm.Model(&model.Task{}).Where("client_id = ?", e.client).Count(&tasks)
		for _, st := range []string{"attended", "missed"} {
			r := e.api.Do("PATCH", "/api/v1/appointments/"+appt, map[string]any{"status": st}, e.api.Bearer(chw))
			if r.Status != 409 || !strings.Contains(string(r.Body), "not started yet") {
				t.Fatalf("%s before the start: %d %s", st, r.Status, r.Body)
			}
		}
		var after int64
		e.api.DB.Gorm.Model(&model.Task{}).Where("client_id = ?", e.client).Count(&after)
		if after != tasks || len(e.live(t, appt)) != 2 {
			t.Fatalf("a refused tap changed something: tasks %d→%d, reminders %+v", tasks, after, e.reminders(t, appt))
		}

		// Once it has begun it can be missed, then rescheduled in one step.
		e.api.Clock.Advance(26*time.Hour + 10*time.Minute)
		e.api.Forget()
		if r := e.api.Do("PATCH", "/api/v1/appointments/"+appt, map[string]any{"status": "missed"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		r = e.api.Do("PATCH", "/api/v1/appointments/"+appt, map[string]any{"status": "rescheduled", "starts_at_local": local(e.api.Clock.Now().Add(72 * time.Hour))}, e.api.Bearer(chw))
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		next := r.JSON(t)
		if next["id"] == appt || next["status"] != "planned" || next["referral_id"] != refID || next["location"] != "Rabot" {
			t.Fatalf("rescheduled after missed: %v", next)
		}
		if old := e.api.Do("GET", "/api/v1/appointments/"+appt, nil, e.api.Bearer(chw)).JSON(t); old["status"] != "missed" {
			t.Fatalf("the missed appointment became %v", old["status"])
		}
		if n := len(e.live(t, next["id"].(string))); n != 2 {
			t.Fatalf("the new appointment has %d reminders", n)
		}
		if st := e.api.Do("GET", "/api/v1/referrals/"+refID, nil, e.api.Bearer(chw)).JSON(t)["status"]; st != "appointment_set" {
			t.Fatalf("referral: %v", st)
		}

		// In the past: created, with a word, and nothing queued.
		past := e.book(t, e.client, local(e.api.Clock.Now().Add(-2*time.Hour)))
		if rem := past["reminder"].(map[string]any); rem["missing"] != "in_past" || rem["channel"] != "" {
			t.Fatalf("past appointment: %v", past)
		}
		if n := len(e.reminders(t, past["id"].(string))); n != 0 {
			t.Fatalf("past appointment queued %d reminders", n)
		}

		// SMS consent without a phone number: said on the consent and the appointment.
		nophone := e.newClient(t, map[string]any{"pseudonym": "NoPhone"}, "sms_reminders")
		cs := e.api.Do("GET", "/api/v1/clients/"+nophone+"/consents", nil, e.api.Bearer(chw))
		if !strings.Contains(string(cs.Body), `"purpose":"sms_reminders","given":true`) || !strings.Contains(string(cs.Body), `"warning":"no_phone"`) {
			t.Fatalf("consents: %s", cs.Body)
		}
		a := e.book(t, nophone, local(e.api.Clock.Now().Add(30*time.Hour)))
		if rem := a["reminder"].(map[string]any); rem["missing"] != "no_phone" {
			t.Fatalf("appointment without a phone: %v", a)
		}
		none := e.book(t, e.newClient(t, map[string]any{"pseudonym": "NoConsent", "phone": "0470 30 00 01"}), local(e.api.Clock.Now().Add(30*time.Hour)))
		if rem := none["reminder"].(map[string]any); rem["missing"] != "no_consent" {
			t.Fatalf("appointment without consent: %v", none)
		}
	})
}

// The outbox shows where a message goes, masked, and why a failed one failed.
func TestOutboxDestinationAndReason(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		appt := e.appointment(t, 5*time.Hour)
		e.gw.status = 400
		e.drain(t)
		rs := e.reminders(t, appt)
		if len(rs) != 2 || rs[0].Status != "failed" {
			t.Fatalf("after a refusal: %+v", rs)
		}
		body := string(e.api.Do("GET", "/api/v1/reminders?status=failed", nil, e.api.Bearer(chw)).Body)
		for _, want := range []string{`"destination":"+32 4•• •• •2 33"`, `"failure_reason":"refused"`} {
			if !strings.Contains(body, want) {
				t.Fatalf("failed list lacks %s: %s", want, body)
			}
		}
		if strings.Contains(body, "470112233") || strings.Contains(body, "470 11 22 33") {
			t.Fatalf("the whole number is in the outbox: %s", body)
		}
		// The gateway never answers: unreachable once the worker gives up.
		e.gw.status = 202
		e.gw.fail.Store(100)
		e.api.Clock.Advance(3 * time.Hour)
		for i := 0; i < 5; i++ {
			e.drain(t)
			e.api.Clock.Advance(10 * time.Minute)
		}
		e.api.Forget()
		body = string(e.api.Do("GET", "/api/v1/reminders?status=failed", nil, e.api.Bearer(chw)).Body)
		if !strings.Contains(body, `"failure_reason":"unreachable"`) {
			t.Fatalf("no unreachable reason: %s", body)
		}
	})
}

// Giving a consent when the contact data is already there, and adding an
// e-mail address when the consent is already there, plan the reminders of
// the appointments already booked (each path re-plans on its own); giving a
// consent that is not about reminders plans nothing.
func TestRemindersFollowConsentAndAddress(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		e := setup(t, engine)
		channels := func(id string) string {
			var out []string
			for _, r := range e.live(t, id) {
				out = append(out, r.Channel)
			}
			return strings.Join(out, ",")
		}
		// A phone and no consent: nothing; a consent not about reminders: still
		// nothing; the SMS consent: the booked appointment gets its two SMS.
		phoned := e.newClient(t, map[string]any{"pseudonym": "Phoned", "phone": "0470 40 00 01"})
		appt := e.book(t, phoned, local(e.api.Clock.Now().Add(50*time.Hour)))["id"].(string)
		if got := channels(appt); got != "" {
			t.Fatalf("without consent: %q", got)
		}
		if r := e.api.Do("POST", "/api/v1/clients/"+phoned+"/consents", map[string]any{"purpose": "provider_sharing"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt); got != "" {
			t.Fatalf("after a consent to share with providers: %q", got)
		}
		if r := e.api.Do("POST", "/api/v1/clients/"+phoned+"/consents", map[string]any{"purpose": "sms_reminders"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt); got != "sms,sms" {
			t.Fatalf("after the SMS consent: %q", got)
		}
		for _, r := range e.live(t, appt) {
			if r.Destination != "+32 4•• •• •0 01" {
				t.Fatalf("destination: %q", r.Destination)
			}
		}

		// An e-mail consent and no address: nothing; the address: two e-mails.
		mailed := e.newClient(t, map[string]any{"pseudonym": "Mailed"}, "email_reminders")
		appt2 := e.book(t, mailed, local(e.api.Clock.Now().Add(50*time.Hour)))["id"].(string)
		if got := channels(appt2); got != "" {
			t.Fatalf("e-mail consent without an address: %q", got)
		}
		if r := e.api.Do("PATCH", "/api/v1/clients/"+mailed, map[string]any{"email": "mailed@example.org"}, e.api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt2); got != "email,email" {
			t.Fatalf("after the address was added: %q", got)
		}
		// The e-mail consent withdrawn: nothing left queued for it.
		if r := e.api.Do("DELETE", "/api/v1/clients/"+mailed+"/consents/email_reminders", nil, e.api.Bearer(chw)); r.Status != 204 {
			t.Fatal(r.Status, string(r.Body))
		}
		if got := channels(appt2); got != "" {
			t.Fatalf("after the e-mail consent was withdrawn: %q", got)
		}
	})
}
