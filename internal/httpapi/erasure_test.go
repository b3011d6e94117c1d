package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// personal are the markers of one client's personal data that the
// erasure fixture writes into every table that holds free text.
var personal = []string{"Zoë", "Müller-Straße", "Zozo", "+32470556677", "zoe.muller@example.org", "visit-note-secret",
	"barrier-detail-secret", "referral-reason-secret", "referral-note-secret", "appointment-place-secret", "appointment-note-secret",
	"task-note-secret", "transition-note-secret", "Fatima", "fatima@example.org", "Mon fils", "Tombstone-secret", "+32470998877", "close-reason-secret"}

// erasureFixture gives client id every kind of personal data: contact
// details, notes and free text in visits, barriers, referrals and their
// events, appointments (with reminders), tasks, a contact request.
func erasureFixture(t *testing.T, api *testutil.API, id string) {
	t.Helper()
	ok := func(r testutil.Response, want int) map[string]any {
		t.Helper()
		if r.Status != want {
			t.Fatalf("fixture: %d %s", r.Status, r.Body)
		}
		return r.JSON(t)
	}
	ok(api.Do("PATCH", "/api/v1/clients/"+id, map[string]any{"given_name": "Zoë", "family_name": "Müller-Straße", "pseudonym": "Zozo",
		"phone": "0470 55 66 77", "email": "zoe.muller@example.org", "birth_year": 1984, "spoken_languages": []string{"de", "tr"}}, api.Bearer(chw)), 200)
	ok(api.Do("POST", "/api/v1/clients/"+id+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw)), 200)
	ok(api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 30, "note": "visit-note-secret",
		"barriers": []map[string]any{{"category": "financial", "detail": "barrier-detail-secret"}}}, api.Bearer(chw)), 201)
	ref := ok(api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": id, "provider_type": "dentist", "reason": "referral-reason-secret",
		"note": "referral-note-secret", "send": true}, api.Bearer(chw)), 201)["id"].(string)
	ok(api.Do("POST", "/api/v1/referrals/"+ref+"/transitions", map[string]any{"to": "acknowledged", "reason": "transition-note-secret"}, api.Bearer(chw)), 200)
	ok(api.Do("POST", "/api/v1/referrals/"+ref+"/link", map[string]any{}, api.Bearer(chw)), 201)
	at := api.Clock.Now().In(brussels()).AddDate(0, 0, 10).Format("2006-01-02") + "T10:00"
	ok(api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": id, "starts_at_local": at, "location": "appointment-place-secret",
		"note": "appointment-note-secret"}, api.Bearer(chw)), 201)
	ok(api.Do("POST", "/api/v1/tasks", map[string]any{"client_id": id, "due_on": "2030-01-08", "note": "task-note-secret"}, api.Bearer(chw)), 201)
	contact := submitContact(t, api, "10.7.0.1", contactBody(map[string]any{"municipality": "Gent", "neighbourhood": ""}))["id"].(string)
	if err := api.DB.Gorm.Model(&model.ContactRequest{}).Where("id = ?", contact).Updates(map[string]any{"client_id": id, "status": "converted"}).Error; err != nil {
		t.Fatal(err)
	}
	var n int64
	api.DB.Gorm.Model(&model.Reminder{}).Where("client_id = ?", id).Count(&n)
	if n == 0 {
		t.Fatal("fixture: no reminder queued")
	}
}

// holdingTables are every table that holds a client's data.
var holdingTables = []string{"clients", "consents", "visits", "barriers", "referrals", "referral_events", "referral_links", "appointments",
	"reminders", "tasks", "contact_requests", "client_events", "client_merges", "audit_events", "idempotency_keys", "client_assignments"}

// tableDump is every row of a table, as JSON.
func tableDump(t *testing.T, api *testutil.API, table string) string {
	t.Helper()
	var rows []map[string]any
	if err := api.DB.Gorm.Table(table).Order("1").Find(&rows).Error; err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

// clientRows is every row about one client in the tables that name it.
func clientRows(t *testing.T, api *testutil.API, id string) string {
	t.Helper()
	out := map[string]any{}
	for _, tb := range []string{"consents", "visits", "barriers", "referrals", "appointments", "reminders", "tasks", "client_events", "client_assignments"} {
		var rows []map[string]any
		api.DB.Gorm.Table(tb).Where("client_id = ?", id).Order("id").Find(&rows)
		out[tb] = rows
	}
	var c []map[string]any
	api.DB.Gorm.Table("clients").Where("id = ?", id).Find(&c)
	out["clients"] = c
	var ev []map[string]any
	api.DB.Gorm.Table("referral_events").Where("referral_id IN (SELECT id FROM referrals WHERE client_id = ?)", id).Order("id").Find(&ev)
	out["referral_events"] = ev
	b, _ := json.Marshal(out)
	return string(b)
}

// A coordinator exports everything held about a client, as JSON and as a
// PDF in the client's language; the export is audited; nobody else may.
func TestClientExport(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		// The client came from a group session: the export names it.
		session := newGroupSession(t, api, chw, nil)
		cr := api.Do("POST", "/api/v1/group-sessions/"+session+"/participants", map[string]any{"given_name": "Export", "language": "de", "confirm_duplicate": true}, api.Bearer(chw))
		if cr.Status != 201 {
			t.Fatal(cr.Status, string(cr.Body))
		}
		id := cr.JSON(t)["id"].(string)
		erasureFixture(t, api, id)
		path := "/api/v1/clients/" + id + "/export"
		api.Run(t, []testutil.Scenario{
			{Name: "a CHW may not", Method: "GET", Path: path, As: chw, Status: 403},
			{Name: "a manager may not", Method: "GET", Path: path, As: mgr, Status: 403},
			{Name: "an admin may not", Method: "GET", Path: path, As: admin, Status: 403},
			{Name: "other team's coordinator", Method: "GET", Path: path, As: coordLiege, Status: 404},
			{Name: "bad format and language", Method: "GET", Path: path + "?format=xml&lang=es", As: coord, Status: 422, Fields: []string{"format", "lang"}},
			{Name: "unknown parameter", Method: "GET", Path: path + "?fromat=pdf", As: coord, Status: 422, Fields: []string{"fromat"}},
		})
		r := api.Do("GET", path, nil, api.Bearer(coord))
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export: %d %v %s", r.Status, r.Header, r.Body)
		}
		var doc struct {
			Format   string
			Client   map[string]any
			Consents []map[string]any
			Visits   []map[string]any
			Barriers []map[string]any
			Referral []map[string]any `json:"referrals"`
			Appts    []map[string]any `json:"appointments"`
			Reminds  []map[string]any `json:"reminders"`
			Tasks    []map[string]any
			Contacts []map[string]any `json:"contact_requests"`
			Sessions []map[string]any `json:"group_sessions"`
			History  []map[string]any
			Audit    []map[string]any
		}
		if err := json.Unmarshal(r.Body, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Format != "brug.client-export/1" || doc.Client["id"] != id || doc.Client["given_name"] != "Zoë" {
			t.Fatalf("client: %v", doc.Client)
		}
		counts := map[string]int{"consents": len(doc.Consents), "visits": len(doc.Visits), "barriers": len(doc.Barriers), "referrals": len(doc.Referral),
			"appointments": len(doc.Appts), "reminders": len(doc.Reminds), "tasks": len(doc.Tasks), "contact_requests": len(doc.Contacts),
			"history": len(doc.History), "audit": len(doc.Audit)}
		for k, n := range counts {
			if n == 0 {
				t.Errorf("export has no %s", k)
			}
		}
		if len(doc.Sessions) != 1 || doc.Sessions[0]["id"] != session {
			t.Errorf("group sessions: %v", doc.Sessions)
		}
		body := string(r.Body)
		for _, s := range []string{"visit-note-secret", "barrier-detail-secret", "referral-reason-secret", "transition-note-secret",
			"appointment-place-secret", "task-note-secret", "Mon fils", `"action":"client.read"`} {
			if !strings.Contains(body, s) {
				t.Errorf("export lacks %q", s)
			}
		}
		// The reminder's text, in German, as the worker renders it.
		if text, _ := doc.Reminds[0]["text"].(string); !strings.Contains(text, "Uhr") {
			t.Errorf("reminder text: %q", text)
		}
		pdf := api.Do("GET", path+"?format=pdf", nil, api.Bearer(coord))
		if pdf.Status != 200 || !strings.HasPrefix(string(pdf.Body), "%PDF") || pdf.Header.Get("Content-Type") != "application/pdf" ||
			!strings.Contains(pdf.Header.Get("Content-Disposition"), ".pdf") {
			t.Fatalf("pdf: %d %v", pdf.Status, pdf.Header)
		}
		if !strings.Contains(string(pdf.Body), "/FontName /utf8dejavu") {
			t.Error("the PDF does not embed its Unicode font")
		}
		if en := api.Do("GET", path+"?format=pdf&lang=en", nil, api.Bearer(coord)); en.Status != 200 || string(en.Body) == string(pdf.Body) {
			t.Errorf("lang=en: %d, same document as German: %v", en.Status, string(en.Body) == string(pdf.Body))
		}
		var audits []model.AuditEvent
		api.DB.Gorm.Where("action = 'client.export' AND client_id = ?", id).Order("created_at").Find(&audits)
		if len(audits) != 3 || audits[0].Detail != "format=json" || audits[1].Detail != "format=pdf" {
			t.Fatalf("export audited: %+v", audits)
		}
	})
}

// Erasure empties every column that holds the person's data, leaves the
// reports byte-identical and other clients untouched; a legal hold stops it.
func TestClientErasure(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC)
		gent1 := workFixture(t, api, start)
		victim, other := gent1[0], gent1[1]
		api.Clock.Set(time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC))
		erasureFixture(t, api, victim)
		// A second record of the same person, merged into this one: its
		// tombstone and what the merge kept are the person's data too.
		dup := newClient(t, api, chw, map[string]any{"given_name": "Zoë", "family_name": "Tombstone-secret", "phone": "0470 99 88 77"})
		mr := api.Do("POST", "/api/v1/clients/"+victim+"/merge", map[string]any{"merged_id": dup, "take": []string{"phone"}}, api.Bearer(coord))
		if mr.Status != 200 {
			t.Fatal(mr.Status, string(mr.Body))
		}
		mergeID := mr.JSON(t)["merge"].(map[string]any)["id"].(string)
		// Closed in the period: the closing counts in the report and must
		// go on counting, while its reason is erased.
		api.Clock.Set(time.Date(2026, 9, 25, 9, 0, 0, 0, time.UTC))
		if r := api.Do("PATCH", "/api/v1/clients/"+victim, map[string]any{"status": "closed", "close_reason": "close-reason-secret"}, api.Bearer(chw)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		api.Clock.Set(time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC))
		reports := []struct{ as, path string }{
			{coord, "/api/v1/reports/activity?group_by=week&from=2026-09-01&to=2026-10-15"},
			{coord, "/api/v1/reports/barriers?group_by=month&from=2026-09-01&to=2026-10-15"},
			{mgr, "/api/v1/reports/activity?group_by=team&from=2026-09-01&to=2026-10-15"},
			{mgr, "/api/v1/reports/barriers?group_by=team&from=2026-09-01&to=2026-10-15"},
			{chw, "/api/v1/reports/activity?group_by=month&from=2026-09-01&to=2026-10-15"},
		}
		report := func() []string {
			var out []string
			for _, r := range reports {
				res := api.Do("GET", r.path, nil, api.Bearer(r.as))
				if res.Status != 200 {
					t.Fatal(res.Status, string(res.Body))
				}
				out = append(out, string(res.Body))
			}
			return out
		}
		before := report()
		if !strings.Contains(before[0], `"clients_closed"`) {
			t.Fatal("fixture: no closing in the report")
		}
		otherBefore := clientRows(t, api, other)
		dump := tableDump(t, api, "visits")
		if !strings.Contains(dump, "visit-note-secret") {
			t.Fatal("fixture: the note is not in visits")
		}
		path := "/api/v1/clients/" + victim + "/erasure"
		body := map[string]any{"request_reference": "GDPR-2026-014", "reason": "The person asked for erasure by letter."}
		api.Run(t, []testutil.Scenario{
			{Name: "a CHW may not", Method: "POST", Path: path, As: chw, Body: body, Status: 403},
			{Name: "a manager may not", Method: "POST", Path: path, As: mgr, Body: body, Status: 403},
			{Name: "an admin may not", Method: "POST", Path: path, As: admin, Body: body, Status: 403},
			{Name: "other team's coordinator", Method: "POST", Path: path, As: coordLiege, Body: body, Status: 404},
			{Name: "no reference, no reason", Method: "POST", Path: path, As: coord, Body: map[string]any{"reason": "  "}, Status: 422,
				Fields: []string{"request_reference", "reason"}},
			{Name: "hold without reason", Method: "PUT", Path: "/api/v1/clients/" + victim + "/legal-hold", As: coord, Body: map[string]any{}, Status: 422, Fields: []string{"reason"}},
			{Name: "a CHW may not hold", Method: "PUT", Path: "/api/v1/clients/" + victim + "/legal-hold", As: chw, Body: map[string]any{"reason": "x"}, Status: 403},
			{Name: "hold", Method: "PUT", Path: "/api/v1/clients/" + victim + "/legal-hold", As: coord, Body: map[string]any{"reason": "Court case 2026/123"}, Status: 200,
				Contains: []string{`"legal_hold":{`, "Court case 2026/123"}},
			{Name: "erasure under hold", Method: "POST", Path: path, As: coord, Body: body, Status: 409, Contains: []string{"legal hold"}},
			{Name: "lift", Method: "DELETE", Path: "/api/v1/clients/" + victim + "/legal-hold", As: coord, Status: 200, Contains: []string{`"legal_hold":null`}},
		})
		if clientRows(t, api, victim) == "" || !strings.Contains(tableDump(t, api, "visits"), "visit-note-secret") {
			t.Fatal("a refused erasure erased")
		}
		r := api.Do("POST", path, body, api.Bearer(coord))
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		got := r.JSON(t)
		if got["erased_at"] == nil || got["given_name"] != "" || got["status"] != "closed" || got["phone"] != nil || got["birth_year"] != nil {
			t.Fatalf("erased record: %v", got)
		}
		// No marker of the person is left in any table.
		for _, tb := range holdingTables {
			d := tableDump(t, api, tb)
			for _, s := range personal {
				if strings.Contains(d, s) {
					t.Errorf("%s still holds %q", tb, s)
				}
			}
		}
		var links int64
		api.DB.Gorm.Table("referral_links").Where("referral_id IN (SELECT id FROM referrals WHERE client_id = ?)", victim).Count(&links)
		var queued int64
		api.DB.Gorm.Model(&model.Reminder{}).Where("client_id = ? AND status = 'queued'", victim).Count(&queued)
		if links != 0 || queued != 0 {
			t.Errorf("provider links %d, queued reminders %d after erasure", links, queued)
		}
		// What happened stays: the visits, barriers, referrals.
		for _, tb := range []string{"visits", "barriers", "referrals", "appointments"} {
			if rowsOfClient(t, api, tb, victim) == 0 {
				t.Errorf("%s of the erased client are gone", tb)
			}
		}
		var tomb model.Client
		api.DB.Gorm.Where("id = ?", dup).Take(&tomb)
		if tomb.ErasedAt == nil || tomb.FamilyName != "" || tomb.Phone != nil {
			t.Errorf("tombstone not erased: %+v", tomb)
		}
		var c model.Client
		api.DB.Gorm.Where("id = ?", victim).Take(&c)
		if c.ErasureReference != "GDPR-2026-014" || c.ErasedBy == nil || c.SearchText != "" || c.Email != nil {
			t.Errorf("client row: %+v", c)
		}
		var audit model.AuditEvent
		if err := api.DB.Gorm.Where("action = 'client.erase' AND client_id = ?", victim).Take(&audit).Error; err != nil || audit.ActorID == nil {
			t.Errorf("erasure audited: %v %+v", err, audit)
		}
		var reads int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("client_id = ? AND action = 'client.read'", victim).Count(&reads)
		if reads == 0 {
			t.Error("the audit trail's rows are gone")
		}
		// ...and unaltered: the hash chain still verifies after the erasure.
		if chk, err := api.Svc.Store.VerifyAudit(context.Background(), "", ""); err != nil || chk.Break != nil || chk.Events == 0 {
			t.Errorf("audit chain after erasure: %v %+v", err, chk)
		}
		after := report()
		for i := range before {
			if before[i] != after[i] {
				t.Errorf("%s changed:\nbefore %s\nafter  %s", reports[i].path, before[i], after[i])
			}
		}
		if otherBefore != clientRows(t, api, other) {
			t.Error("another client's rows changed")
		}
		api.Run(t, []testutil.Scenario{
			{Name: "erased twice", Method: "POST", Path: path, As: coord, Body: body, Status: 409},
			{Name: "nothing is merged into it", Method: "POST", Path: "/api/v1/clients/" + victim + "/merge", As: coord, Body: map[string]any{"merged_id": other}, Status: 409},
			{Name: "the merge cannot bring the data back", Method: "POST", Path: "/api/v1/client-merges/" + mergeID + "/undo", As: coord, Status: 409},
			{Name: "nothing more can be written", Method: "PATCH", Path: "/api/v1/clients/" + victim, As: coord, Body: map[string]any{"given_name": "New"}, Status: 409},
			{Name: "no visit either", Method: "POST", Path: "/api/v1/clients/" + victim + "/visits", As: chw, Body: map[string]any{"mode": "home", "duration_minutes": 5}, Status: 409},
			{Name: "the timeline says so", Method: "GET", Path: "/api/v1/clients/" + victim + "/timeline", As: coord, Status: 200, Contains: []string{`"erased"`}},
			{Name: "the export holds nothing personal", Method: "GET", Path: "/api/v1/clients/" + victim + "/export", As: coord, Status: 200,
				Contains: []string{`"erased_at":"`}, Excludes: personal},
		})
	})
}

// The retention rule erases clients closed longer than the retention
// period ago, never one under legal hold, never an open one.
func TestRetentionErasesClosedClients(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC))
		mk := func(name string, closed bool) string {
			id := newClient(t, api, chw, map[string]any{"given_name": name, "phone": "0470 11 22 33"})
			api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 5, "note": name + "-note"}, api.Bearer(chw))
			if closed {
				if r := api.Do("PATCH", "/api/v1/clients/"+id, map[string]any{"status": "closed", "close_reason": "moved away"}, api.Bearer(chw)); r.Status != 200 {
					t.Fatal(r.Status, string(r.Body))
				}
			}
			return id
		}
		old, held, open := mk("Old", true), mk("Held", true), mk("Open", false)
		if r := api.Do("PUT", "/api/v1/clients/"+held+"/legal-hold", map[string]any{"reason": "Inspection"}, api.Bearer(coord)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		api.Clock.Set(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
		recent := mk("Recent", true)
		erased := func(id string) bool {
			var c model.Client
			api.DB.Gorm.Where("id = ?", id).Take(&c)
			return c.ErasedAt != nil
		}
		run := func(want int) {
			t.Helper()
			n, err := api.Svc.EraseExpired(t.Context())
			if err != nil || n != want {
				t.Fatalf("retention erased %d (%v), want %d", n, err, want)
			}
		}
		api.Clock.Set(time.Date(2026, 1, 9, 9, 0, 0, 0, time.UTC)) // 24 months less a day
		run(0)
		api.Clock.Set(time.Date(2026, 1, 11, 9, 0, 0, 0, time.UTC))
		// Nothing else changes: the reports over the erased client's work,
		// and every row of the other clients.
		reports := []struct{ as, path string }{
			{coord, "/api/v1/reports/activity?group_by=month&from=2024-01-01&to=2025-12-31"},
			{mgr, "/api/v1/reports/activity?group_by=team&from=2024-01-01&to=2025-12-31"},
		}
		report := func() []string {
			var out []string
			for _, r := range reports {
				res := api.Do("GET", r.path, nil, api.Bearer(r.as))
				if res.Status != 200 {
					t.Fatal(res.Status, string(res.Body))
				}
				out = append(out, string(res.Body))
			}
			return out
		}
		before := report()
		if !strings.Contains(before[0], `"clients_closed"`) {
			t.Fatal("fixture: no closing in the report")
		}
		othersBefore := clientRows(t, api, held) + clientRows(t, api, open) + clientRows(t, api, recent)
		run(1)
		for i, after := range report() {
			if after != before[i] {
				t.Errorf("%s changed by retention:\nbefore %s\nafter  %s", reports[i].path, before[i], after)
			}
		}
		if clientRows(t, api, held)+clientRows(t, api, open)+clientRows(t, api, recent) != othersBefore {
			t.Error("retention changed another client's rows")
		}
		if !erased(old) || erased(held) || erased(open) || erased(recent) {
			t.Fatalf("erased: old %v held %v open %v recent %v", erased(old), erased(held), erased(open), erased(recent))
		}
		if strings.Contains(tableDump(t, api, "visits"), "Old-note") || !strings.Contains(tableDump(t, api, "visits"), "Held-note") {
			t.Error("the wrong notes were erased")
		}
		var a model.AuditEvent
		if err := api.DB.Gorm.Where("action = 'client.erase' AND client_id = ?", old).Take(&a).Error; err != nil || a.ActorRole != "system" || a.Detail != "reference=retention" {
			t.Errorf("retention audited: %v %+v", err, a)
		}
		run(0) // done once
		// A shorter period (BRUG_RETENTION_MONTHS) reaches the recent one;
		// lifting the hold lets the rule erase that record too.
		api.Svc.RetentionMonths = 6
		run(1)
		if !erased(recent) || erased(held) {
			t.Fatal("6 months: recent not erased, or held erased")
		}
		if r := api.Do("DELETE", "/api/v1/clients/"+held+"/legal-hold", nil, api.Bearer(coord)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		run(1)
		if !erased(held) || erased(open) {
			t.Fatal("lifted hold: not erased, or the open client erased")
		}
	})
}
