package httpapi_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

func newProvider(t *testing.T, api *testutil.API, body map[string]any) string {
	t.Helper()
	r := api.Do("POST", "/api/v1/providers", body, api.Bearer(coord))
	if r.Status != 201 {
		t.Fatalf("create provider: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

func TestReferralFlowAndTimeline(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Referral", "family_name": "Flow"})
		prov := newProvider(t, api, map[string]any{"name": "Huisartsenpraktijk De Brug", "type": "gp", "municipality": "Gent",
			"languages": []string{"nl", "fr", "ar"}, "third_party_payment": true})
		var id string
		api.Run(t, []testutil.Scenario{
			{Name: "bad referral", Method: "POST", Path: "/api/v1/referrals", As: chw, Status: 422,
				Body:   map[string]any{"client_id": cl, "reason": "", "urgency": "yesterday", "provider_type": "witch_doctor", "barrier_ids": []string{"01890000-0000-7000-8000-000000000000"}},
				Fields: []string{"reason", "urgency", "provider_type", "barrier_ids[0]"}},
			{Name: "other team's client", Method: "POST", Path: "/api/v1/referrals", As: chwLiege, Status: 422,
				Body: map[string]any{"client_id": cl, "reason": "x", "provider_type": "gp"}, Fields: []string{"client_id"}},
			{Name: "create", Method: "POST", Path: "/api/v1/referrals", As: chw, Status: 201,
				Body:     map[string]any{"client_id": cl, "provider_id": prov, "reason": "Needs a GP and a GMD", "urgency": "soon"},
				Contains: []string{`"status":"draft"`, `"provider_type":"gp"`, "Huisartsenpraktijk De Brug"},
				Check:    func(t *testing.T, r testutil.Response) { id = r.JSON(t)["id"].(string) }},
		})
		base := "/api/v1/referrals/" + id
		api.Run(t, []testutil.Scenario{
			{Name: "illegal: draft to completed", Method: "POST", Path: base + "/transitions", As: chw, Body: map[string]any{"to": "completed", "outcome": "seen"}, Status: 409, Contains: []string{`"allowed":["sent","cancelled"]`}},
			{Name: "send", Method: "POST", Path: base + "/transitions", As: chw, Body: map[string]any{"to": "sent", "reason": "called the practice"}, Status: 200, Contains: []string{`"status":"sent"`}},
			{Name: "decline needs a reason", Method: "POST", Path: base + "/transitions", As: chw, Body: map[string]any{"to": "declined"}, Status: 422, Fields: []string{"reason"}},
			{Name: "accepted", Method: "POST", Path: base + "/transitions", As: chw, Body: map[string]any{"to": "accepted"}, Status: 200},
			{Name: "appointment from referral", Method: "POST", Path: "/api/v1/appointments", As: chw, Status: 201,
				Body:     map[string]any{"client_id": cl, "referral_id": id, "starts_at_local": "2026-03-29T03:30", "location": "Sleepstraat 1"},
				Contains: []string{`"starts_at":"2026-03-29T01:30:00Z"`, `"starts_at_local":"2026-03-29T03:30"`, prov}},
			{Name: "referral is now appointment_set", Method: "GET", Path: base, As: chw, Status: 200, Contains: []string{`"status":"appointment_set"`}},
			{Name: "completed needs an outcome", Method: "POST", Path: base + "/transitions", As: coord, Body: map[string]any{"to": "completed"}, Status: 422, Fields: []string{"outcome"}},
			{Name: "completed", Method: "POST", Path: base + "/transitions", As: coord, Body: map[string]any{"to": "completed", "outcome": "treatment_started"}, Status: 200, Contains: []string{`"outcome":"treatment_started"`}},
			{Name: "closed referral", Method: "POST", Path: base + "/transitions", As: coord, Body: map[string]any{"to": "cancelled"}, Status: 409},
			{Name: "manager cannot see it", Method: "GET", Path: base, As: mgr, Status: 404},
			{Name: "other CHW cannot see it", Method: "GET", Path: base, As: chw2, Status: 404},
		})
		events := api.Do("GET", base, nil, api.Bearer(chw)).JSON(t)["events"].([]any)
		var path []string
		for _, e := range events {
			path = append(path, e.(map[string]any)["to"].(string))
		}
		if strings.Join(path, ",") != "draft,sent,accepted,appointment_set,completed" {
			t.Fatalf("events: %v", path)
		}
		tl := string(api.Do("GET", "/api/v1/clients/"+cl+"/timeline", nil, api.Bearer(chw)).Body)
		if strings.Count(tl, `"type":"referral"`) != 5 || !strings.Contains(tl, `"type":"appointment"`) {
			t.Fatalf("timeline lacks the referral: %s", tl)
		}
	})
}

func TestProviderLink(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Fatma", "family_name": "Secretname"})
		prov := newProvider(t, api, map[string]any{"name": "Tandarts Noord", "type": "dentist"})
		mk := func() (string, string) {
			r := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_id": prov, "reason": "toothache", "send": true}, api.Bearer(chw))
			id := r.JSON(t)["id"].(string)
			l := api.Do("POST", "/api/v1/referrals/"+id+"/link", map[string]any{}, api.Bearer(chw))
			if l.Status != 201 || !strings.Contains(l.JSON(t)["url"].(string), "/provider/") ||
				!strings.Contains(l.JSON(t)["message"].(map[string]any)["sms"].(string), l.JSON(t)["url"].(string)) {
				t.Fatalf("link: %d %s", l.Status, l.Body)
			}
			return id, l.JSON(t)["token"].(string)
		}
		ref1, tok1 := mk()
		ref2, tok2 := mk()
		pub := "/api/v1/public/referral-links/"
		api.Run(t, []testutil.Scenario{
			{Name: "view shows the minimum", Method: "GET", Path: pub + tok1, Status: 200,
				Contains: []string{`"client_first_name":"Fatma"`, "toothache", "Hanne Peeters", "Tandarts Noord"}, Excludes: []string{"Secretname", cl}},
			{Name: "tampered token", Method: "GET", Path: pub + tok1[:len(tok1)-2] + "xy", Status: 404},
			{Name: "decline needs a reason", Method: "POST", Path: pub + tok1, Body: map[string]any{"action": "decline"}, Status: 422, Fields: []string{"reason"}},
			{Name: "bad action", Method: "POST", Path: pub + tok1, Body: map[string]any{"action": "ignore"}, Status: 422, Fields: []string{"action"}},
			{Name: "skipped Brussels hour", Method: "POST", Path: pub + tok1, Body: map[string]any{"action": "accept", "starts_at_local": "2027-03-28T02:15"}, Status: 422, Fields: []string{"starts_at_local"}},
			{Name: "accept with a time", Method: "POST", Path: pub + tok1, Body: map[string]any{"action": "accept", "starts_at_local": "2027-01-12T09:15", "location": "Kabinet 2"}, Status: 204},
			{Name: "used link", Method: "POST", Path: pub + tok1, Body: map[string]any{"action": "decline", "reason": "x"}, Status: 410, Contains: []string{`"reason":"answered"`, `"answer":"accept"`}},
			{Name: "used link view", Method: "GET", Path: pub + tok1, Status: 410, Excludes: []string{"Fatma", "toothache"}},
			{Name: "the other referral's link still works and only for its own referral", Method: "POST", Path: pub + tok2, Body: map[string]any{"action": "acknowledge"}, Status: 204},
		})
		r1 := api.Do("GET", "/api/v1/referrals/"+ref1, nil, api.Bearer(chw)).JSON(t)
		r2 := api.Do("GET", "/api/v1/referrals/"+ref2, nil, api.Bearer(chw)).JSON(t)
		if r1["status"] != "appointment_set" || r2["status"] != "acknowledged" {
			t.Fatalf("statuses after the links: %v / %v", r1["status"], r2["status"])
		}
		apps := api.Do("GET", "/api/v1/appointments?client_id="+cl, nil, api.Bearer(chw)).JSON(t)["items"].([]any)
		if len(apps) != 1 || apps[0].(map[string]any)["starts_at_local"] != "2027-01-12T09:15" || apps[0].(map[string]any)["location"] != "Kabinet 2" {
			t.Fatalf("appointment from the link: %v", apps)
		}
		// Expired after 14 days.
		_, tok3 := mk()
		api.Clock.Advance(15 * 24 * time.Hour)
		if r := api.Do("GET", pub+tok3, nil, nil); r.Status != 410 || !strings.Contains(string(r.Body), "expired") {
			t.Fatalf("expired link: %d %s", r.Status, r.Body)
		}
		// Each use is audited.
		var n int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action IN ?", []string{"referral.link_opened", "referral.link_used"}).Count(&n)
		if n < 3 {
			t.Fatalf("link uses audited: %d", n)
		}
	})
}

func TestProviderImport(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		bad := "\xef\xbb\xbfname;type;phone;languages;accepts_new_patients\n" +
			"Apotheek Centrum;pharmacy;09 223 44 55;nl|fr;ja\n" +
			";gp;;;\n" +
			"Dr. X;astrologer;12;;maybe\n"
		api.Run(t, []testutil.Scenario{
			{Name: "bad rows named, nothing imported", Method: "POST", Path: "/api/v1/providers/import", As: coord, Body: bad,
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422,
				Fields: []string{"rows[3].name", "rows[4].type", "rows[4].phone", "rows[4].accepts_new_patients"}},
			{Name: "unknown column", Method: "POST", Path: "/api/v1/providers/import", As: coord, Body: "name,kind\nA,gp\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Fields: []string{"header"}},
			{Name: "chw may not import", Method: "POST", Path: "/api/v1/providers/import", As: chw, Body: "name,type\nA,gp\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 403},
		})
		if n := len(api.Do("GET", "/api/v1/providers", nil, api.Bearer(chw)).JSON(t)["items"].([]any)); n != 0 {
			t.Fatalf("a half-valid file imported %d providers", n)
		}
		// The example file of the repository imports, as multipart.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "providers.csv")
		fw.Write([]byte("name,type,address,municipality,languages,accepts_new_patients,third_party_payment\n" +
			"Wijkgezondheidscentrum Rabot,community_health_centre,Wondelgemstraat 1,Gent,nl|ar|tr,yes,yes\n" +
			"\"Tandarts Zuid, Gent\",dentist,,Gent,nl,no,no\n" +
			"Apotheek Noord,pharmacy,,Gent,nl,yes,no\n"))
		mw.Close()
		req := httptest.NewRequest("POST", "/api/v1/providers/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		for k, v := range api.Bearer(coord) {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		api.Server.ServeHTTP(rec, req)
		if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"imported":3`) {
			t.Fatalf("multipart import: %d %s", rec.Code, rec.Body)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "search by language", Method: "GET", Path: "/api/v1/providers?language=ar", As: chw, Status: 200, Contains: []string{"Rabot"}, Excludes: []string{"Tandarts"}},
			{Name: "accepting", Method: "GET", Path: "/api/v1/providers?accepting=false", As: chw, Status: 200, Contains: []string{"Tandarts Zuid, Gent"}, Excludes: []string{"Rabot"}},
			{Name: "third-party payment", Method: "GET", Path: "/api/v1/providers?third_party_payment=true", As: chw, Status: 200, Contains: []string{"Rabot"}, Excludes: []string{"Tandarts", "Apotheek Noord"}},
			{Name: "no third-party payment, taking new patients", Method: "GET", Path: "/api/v1/providers?third_party_payment=false&accepts_new_patients=true", As: chw, Status: 200,
				Contains: []string{"Apotheek Noord"}, Excludes: []string{"Tandarts", "Rabot"}},
			{Name: "not a yes or no", Method: "GET", Path: "/api/v1/providers?third_party_payment=maybe&accepts_new_patients=2", As: chw, Status: 422, Fields: []string{"third_party_payment", "accepts_new_patients"}},
			{Name: "a misspelt filter is refused, not ignored", Method: "GET", Path: "/api/v1/providers?thirdparty=true", As: chw, Status: 422, Fields: []string{"thirdparty"}, Contains: []string{"unknown_parameter"}},
			{Name: "by type and name", Method: "GET", Path: "/api/v1/providers?type=dentist&q=zuid", As: chw, Status: 200, Contains: []string{"Tandarts"}},
			{Name: "other team sees none", Method: "GET", Path: "/api/v1/providers", As: chwLiege, Status: 200, Excludes: []string{"Rabot"}},
			{Name: "a provider already in the directory refuses the whole file", Method: "POST", Path: "/api/v1/providers/import", As: coord,
				Body:    "name,type,address\nNieuwe Apotheek,pharmacy,\nWijkgezondheidscentrum Rabot,community_health_centre,Wondelgemstraat 1\n",
				Headers: map[string]string{"Content-Type": "text/csv"}, Status: 422, Fields: []string{"file"}},
			{Name: "so the valid row was not imported either", Method: "GET", Path: "/api/v1/providers?q=nieuwe", As: chw, Status: 200, Excludes: []string{"Nieuwe Apotheek"}},
		})
	})
}

func TestTaskRulesAndTransfer(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Rules"})
		start := api.Clock.Now()
		mkAppt := func(local string) string {
			r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": local, "accompanied_by": myID(t, api, chw)}, api.Bearer(chw))
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
			return r.JSON(t)["id"].(string)
		}
		day := func(d int) string { return start.In(brussels()).AddDate(0, 0, d).Format("2006-01-02") }
		attended := mkAppt(day(1) + "T10:00")
		missed := mkAppt(day(2) + "T10:00")
		future := mkAppt(day(40) + "T10:00")
		// How it went is recorded once the appointment has begun; then back to today.
		api.Clock.Set(start.Add(3 * 24 * time.Hour))
		api.Forget()
		for _, c := range []struct{ id, status string }{{attended, "attended"}, {missed, "missed"}} {
			if r := api.Do("PATCH", "/api/v1/appointments/"+c.id, map[string]any{"status": c.status}, api.Bearer(chw)); r.Status != 200 {
				t.Fatalf("%s: %d %s", c.status, r.Status, r.Body)
			}
		}
		if r := api.Do("PATCH", "/api/v1/appointments/"+attended, map[string]any{"status": "missed"}, api.Bearer(chw)); r.Status != 409 {
			t.Fatalf("attended -> missed: %d", r.Status)
		}
		api.Clock.Set(start)
		api.Forget()
		got := map[string]string{}
		all := api.Do("GET", "/api/v1/tasks", nil, api.Bearer(chw)).JSON(t)["items"].([]any)
		for _, it := range all {
			m := it.(map[string]any)
			got[m["kind"].(string)] = m["due_on"].(string)
		}
		if len(all) != 2 || got["call_client"] != day(3) || got["follow_up"] != day(8) {
			t.Fatalf("rule tasks: %v (want call_client %s, follow_up %s)", got, day(3), day(8))
		}
		week := api.Do("GET", "/api/v1/tasks?due=week", nil, api.Bearer(chw)).JSON(t)["items"].([]any)
		if len(week) != 1 || week[0].(map[string]any)["kind"] != "call_client" {
			t.Fatalf("due=week: %v", week)
		}
		// A referral without an answer: chase after 14 days, once; expired after 30.
		api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_type": "dentist", "reason": "r", "send": true}, api.Bearer(chw))
		for _, d := range []int{10, 15, 16} {
			n, _, err := api.Svc.RunRules(t.Context(), start.Add(time.Duration(d)*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if want := map[int]int{10: 0, 15: 1, 16: 0}[d]; n != want {
				t.Fatalf("day %d: %d chase tasks, want %d", d, n, want)
			}
		}
		_, expired, err := api.Svc.RunRules(t.Context(), start.Add(31*24*time.Hour))
		if err != nil || expired != 1 {
			t.Fatalf("expiry: %d %v", expired, err)
		}
		// Transfer: open tasks and the future accompanied appointment move.
		chw2ID := myID(t, api, chw2)
		if r := api.Do("PUT", "/api/v1/clients/"+cl+"/assignment", map[string]any{"chw_id": chw2ID}, api.Bearer(coord)); r.Status != 200 {
			t.Fatal(r.Status)
		}
		var open []model.Task
		api.DB.Gorm.Where("client_id = ? AND done_at IS NULL", cl).Find(&open)
		for _, tk := range open {
			if tk.AssigneeID == nil || *tk.AssigneeID != chw2ID {
				t.Fatalf("task %s not moved: %v", tk.Kind, tk.AssigneeID)
			}
		}
		var a model.Appointment
		api.DB.Gorm.Where("id = ?", future).Take(&a)
		if a.AccompaniedBy == nil || *a.AccompaniedBy != chw2ID {
			t.Fatalf("future appointment not moved: %v", a.AccompaniedBy)
		}
		if n := len(api.Do("GET", "/api/v1/tasks", nil, api.Bearer(chw2)).JSON(t)["items"].([]any)); n != 3 {
			t.Fatalf("new CHW sees %d tasks, want 3", n)
		}
		// Completing a task can log the visit.
		tid := api.Do("GET", "/api/v1/tasks", nil, api.Bearer(chw2)).JSON(t)["items"].([]any)[0].(map[string]any)["id"].(string)
		r := api.Do("PATCH", "/api/v1/tasks/"+tid, map[string]any{"done": true, "visit": map[string]any{"mode": "phone", "duration_minutes": 10}}, api.Bearer(chw2))
		if r.Status != 200 || r.JSON(t)["done_at"] == nil {
			t.Fatalf("complete with visit: %d %s", r.Status, r.Body)
		}
		if n := len(api.Do("GET", "/api/v1/clients/"+cl+"/visits", nil, api.Bearer(chw2)).JSON(t)["items"].([]any)); n != 1 {
			t.Fatalf("visit from task: %d", n)
		}
		if r := api.Do("PATCH", "/api/v1/tasks/"+tid, map[string]any{"visit": map[string]any{"mode": "x"}}, api.Bearer(chw2)); r.Status != 422 || !strings.Contains(string(r.Body), "visit.mode") {
			t.Fatalf("bad visit in task: %d %s", r.Status, r.Body)
		}
	})
}

func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	cl := newClient(t, api, chw, map[string]any{"given_name": "Yusuf", "family_name": "Hiddenname"})
	api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": "2030-06-01T14:00", "location": "Sint-Pietersnieuwstraat"}, api.Bearer(chw))
	tok := api.Do("POST", "/api/v1/calendar/token", map[string]any{}, api.Bearer(chw)).JSON(t)["token"].(string)
	r := api.Do("GET", "/api/v1/calendar/"+tok+".ics", nil, nil)
	body := string(r.Body)
	if r.Status != 200 || !strings.Contains(body, "BEGIN:VCALENDAR") || !strings.Contains(body, "Yusuf") || strings.Contains(body, "Hiddenname") ||
		!strings.Contains(body, "DTSTART:20300601T120000Z") {
		t.Fatalf("feed: %d %s", r.Status, body)
	}
	api.Do("DELETE", "/api/v1/calendar/token", nil, api.Bearer(chw))
	if r := api.Do("GET", "/api/v1/calendar/"+tok+".ics", nil, nil); r.Status != 404 {
		t.Fatalf("revoked feed: %d", r.Status)
	}
}

func myID(t *testing.T, api *testutil.API, email string) string {
	return api.Do(http.MethodGet, "/api/v1/me", nil, api.Bearer(email)).JSON(t)["id"].(string)
}

func brussels() *time.Location {
	loc, _ := time.LoadLocation("Europe/Brussels")
	return loc
}

// The example file the README points to imports as it is.
func TestProviderImportExampleFile(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	body, err := os.ReadFile("../../api/examples/providers.csv")
	if err != nil {
		t.Fatal(err)
	}
	r := api.Do("POST", "/api/v1/providers/import", string(body), map[string]string{"Content-Type": "text/csv; charset=utf-8", "Authorization": api.Bearer(coord)["Authorization"]})
	if r.Status != 201 || !strings.Contains(string(r.Body), `"imported":4`) {
		t.Fatalf("example file: %d %s", r.Status, r.Body)
	}
}
