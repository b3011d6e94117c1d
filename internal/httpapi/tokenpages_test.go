package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// checkTokenPage: a small server-rendered page without the staff app.
func checkTokenPage(t *testing.T, r testutil.Response, status int, want ...string) {
	t.Helper()
	body := string(r.Body)
	if r.Status != status {
		t.Fatalf("status %d, want %d\n%s", r.Status, status, body)
	}
	if len(r.Body) >= 15<<10 {
		t.Errorf("page is %d bytes, not under 15 KB", len(r.Body))
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "/assets/") {
		t.Error("the page loads a script")
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || r.Header.Get("Content-Security-Policy") == "" || r.Header.Get("Cache-Control") != "no-store" && status != http.StatusNotFound {
		t.Errorf("headers: %v", r.Header)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func replyLink(t *testing.T, api *testutil.API, token string, days int) string {
	t.Helper()
	cl := newClient(t, api, chw, map[string]any{"given_name": "Reply", "family_name": "Hidden", "phone": "0470 12 34 56", "language": "fr"})
	if r := api.Do("POST", "/api/v1/clients/"+cl+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw)); r.Status != 200 {
		t.Fatalf("consent: %d %s", r.Status, r.Body)
	}
	at := api.Clock.Now().In(service.Brussels).AddDate(0, 0, days)
	local := time.Date(at.Year(), at.Month(), at.Day(), 10, 30, 0, 0, service.Brussels).Format("2006-01-02T15:04")
	a := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": local}, api.Bearer(chw))
	if a.Status != 201 {
		t.Fatalf("appointment: %d %s", a.Status, a.Body)
	}
	var rs []model.Reminder
	api.DB.Gorm.Where("client_id = ?", cl).Find(&rs)
	if len(rs) == 0 {
		t.Fatal("no reminder")
	}
	if err := api.DB.Gorm.Model(&model.Reminder{}).Where("id = ?", rs[0].ID).Updates(map[string]any{"status": "sent", "reply_token_hash": auth.HashRefreshToken(token)}).Error; err != nil {
		t.Fatal(err)
	}
	return a.JSON(t)["id"].(string)
}

func postTokenForm(api *testutil.API, path string, v url.Values, h map[string]string) testutil.Response {
	hh := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, x := range h {
		hh[k] = x
	}
	return api.Do(http.MethodPost, path, v.Encode(), hh)
}

func TestReplyPage(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		const tok = "reply-page-token-0123456789abcdef"
		appt := replyLink(t, api, tok, 3)
		// In the client's language (French), every language on asking.
		checkTokenPage(t, api.Do("GET", "/a/"+tok, nil, nil), 200, `lang="fr"`, "Votre rendez-vous", "Je viendrai", "10:30", `href="/a/`+tok+`?lang=nl"`)
		for lang, want := range map[string]string{"nl": "Ik kom", "de": "Ich komme", "en": "I will come", "fr": "Je viendrai"} {
			r := api.Do("GET", "/a/"+tok+"?lang="+lang, nil, nil)
			checkTokenPage(t, r, 200, `lang="`+lang+`"`, want)
			if strings.Contains(string(r.Body), "Hidden") || strings.Contains(string(r.Body), "Reply") {
				t.Error("the reply page names the client")
			}
		}
		// Another site cannot post the form.
		checkTokenPage(t, postTokenForm(api, "/a/"+tok, url.Values{"action": {"confirm"}}, map[string]string{"Origin": "https://evil.example"}), 403)
		checkTokenPage(t, postTokenForm(api, "/a/"+tok+"?lang=en", url.Values{"action": {"maybe"}}, nil), 422, "Please choose")
		// Twice the same answer: the same state, one task.
		for i := 0; i < 2; i++ {
			checkTokenPage(t, postTokenForm(api, "/a/"+tok+"?lang=nl", url.Values{"action": {"reschedule"}}, nil), 200, "neemt contact met je op")
		}
		var a model.Appointment
		api.DB.Gorm.Where("id = ?", appt).Take(&a)
		if a.Reply != "reschedule_requested" {
			t.Fatalf("reply %q", a.Reply)
		}
		var n int64
		api.DB.Gorm.Model(&model.Task{}).Where("client_id = ? AND kind = ?", a.ClientID, service.TaskReschedule).Count(&n)
		if n != 1 {
			t.Fatalf("%d reschedule tasks", n)
		}
		checkTokenPage(t, api.Do("GET", "/a/"+tok+"?lang=en", nil, nil), 200, "I need another time")
		// Past: no buttons, and a post is refused as by the API.
		api.Clock.Advance(4 * 24 * time.Hour)
		r := api.Do("GET", "/a/"+tok+"?lang=de", nil, nil)
		checkTokenPage(t, r, 200, "Dieser Termin ist vorbei")
		if strings.Contains(string(r.Body), "<form") {
			t.Error("a past appointment still offers the form")
		}
		checkTokenPage(t, postTokenForm(api, "/a/"+tok+"?lang=de", url.Values{"action": {"confirm"}}, nil), 410, "Dieser Termin ist vorbei")
		for _, lang := range []string{"nl", "fr", "de", "en"} {
			checkTokenPage(t, api.Do("GET", "/a/unknown-token?lang="+lang, nil, nil), 404, `lang="`+lang+`"`)
		}
		checkTokenPage(t, api.Do("GET", "/a/x/y", nil, nil), 404)
	})
}

func TestProviderPage(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Yusuf", "family_name": "Hidden"})
		prov := newProvider(t, api, map[string]any{"name": "Groepspraktijk Oost", "type": "gp"})
		ref := newReferral(t, api, cl, prov, "knee pain")
		tok := newLink(t, api, ref)["token"].(string)
		path := "/provider/" + tok
		for lang, want := range map[string]string{"nl": "Een doorverwijzing voor u", "fr": "Une orientation pour vous", "de": "Eine Überweisung für Sie", "en": "A referral for you"} {
			r := api.Do("GET", path+"?lang="+lang, nil, nil)
			checkTokenPage(t, r, 200, want, "Yusuf", "knee pain")
			if strings.Contains(string(r.Body), "Hidden") {
				t.Error("the provider sees the family name")
			}
		}
		checkTokenPage(t, postTokenForm(api, path+"?lang=en", url.Values{"action": {"decline"}}, nil), 422, `id="reason-error"`)
		checkTokenPage(t, postTokenForm(api, path+"?lang=en", url.Values{"action": {"accept"}, "date": {"2026-01-01"}}, nil), 422, `id="when-error"`)
		checkTokenPage(t, postTokenForm(api, path, url.Values{"action": {"accept"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}), 403)
		// A browser's own form post (Origin is "null" under no-referrer).
		same := map[string]string{"Origin": "null", "Sec-Fetch-Site": "same-origin"}
		for i := 0; i < 2; i++ {
			checkTokenPage(t, postTokenForm(api, path+"?lang=en", url.Values{"action": {"acknowledge"}}, same), 200, "knows you received it", `value="accept"`)
		}
		checkTokenPage(t, postTokenForm(api, path+"?lang=en", url.Values{"action": {"waitlist"}, "reason": {"ignored"}}, nil), 200, "sees your answer now")
		if r := api.Do("GET", "/api/v1/referrals/"+ref, nil, api.Bearer(chw)).JSON(t); r["status"] != "waitlisted" {
			t.Fatalf("status %v", r["status"])
		}
		// A second final answer: the first one stands, and the page says so.
		checkTokenPage(t, postTokenForm(api, path+"?lang=fr", url.Values{"action": {"accept"}}, nil), 410, "liste d")
		for _, lang := range []string{"nl", "fr", "de", "en"} {
			checkTokenPage(t, api.Do("GET", path+"?lang="+lang, nil, nil), 410, `lang="`+lang+`"`)
			checkTokenPage(t, api.Do("GET", "/provider/nonsense?lang="+lang, nil, nil), 404, `lang="`+lang+`"`)
		}
		// Expired.
		ref2 := newReferral(t, api, cl, prov, "knee pain")
		tok2 := newLink(t, api, ref2)["token"].(string)
		api.Clock.Advance(15 * 24 * time.Hour)
		checkTokenPage(t, api.Do("GET", "/provider/"+tok2+"?lang=en", nil, nil), 410, "This link expired on")
	})
}
