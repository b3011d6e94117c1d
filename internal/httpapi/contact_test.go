package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

func contactBody(overrides map[string]any) map[string]any {
	b := map[string]any{"kind": "want_chw", "name": "Fatima El Amrani", "phone": "0470 12 34 56", "email": "fatima@example.org",
		"municipality": "Liège", "neighbourhood": "Sous-les-Vignes (Sclessin)", "language": "fr", "message": "Mon fils a besoin d'un médecin.",
		"consent": true, "consent_version": service.ConsentVersion}
	for k, v := range overrides {
		if v == nil {
			delete(b, k)
		} else {
			b[k] = v
		}
	}
	return b
}

// fromIP gives each test its own address, so the per-IP limit of the form
// does not interfere between tests.
func fromIP(ip string, h map[string]string) map[string]string {
	out := map[string]string{testutil.RemoteAddrHeader: ip + ":1234"}
	for k, v := range h {
		out[k] = v
	}
	return out
}

func submitContact(t *testing.T, api *testutil.API, ip string, body map[string]any) map[string]any {
	t.Helper()
	r := api.Do(http.MethodPost, "/api/v1/public/contact", body, fromIP(ip, nil))
	if r.Status != http.StatusAccepted {
		t.Fatalf("submit contact: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)
}

func countContacts(t *testing.T, api *testutil.API) int64 {
	t.Helper()
	var n int64
	if err := api.DB.Gorm.Model(&model.ContactRequest{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func contactRow(t *testing.T, api *testutil.API, id string) model.ContactRequest {
	t.Helper()
	var r model.ContactRequest
	if err := api.DB.Gorm.Where("id = ?", id).Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func TestContactSubmitAPI(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		got := submitContact(t, api, "10.0.0.1", contactBody(nil))
		if got["team"] != "Liège" || got["emailed"] != true || !strings.Contains(got["withdraw_url"].(string), "/fr/withdraw/") {
			t.Fatalf("receipt = %v", got)
		}
		row := contactRow(t, api, got["id"].(string))
		if row.ConsentVersion != service.ConsentVersion || row.ConsentLanguage != "fr" || row.ConsentAt.IsZero() ||
			row.Phone == nil || *row.Phone != "+32470123456" || row.NeighbourhoodID == nil || row.MailStatus != "queued" || row.Status != "new" {
			t.Fatalf("stored request = %+v", row)
		}
		token := got["withdraw_url"].(string)[strings.LastIndex(got["withdraw_url"].(string), "/")+1:]
		if row.WithdrawTokenHash == token || strings.Contains(row.WithdrawTokenHash, token) {
			t.Fatal("the withdrawal token is stored in clear")
		}

		// A municipality named in free text, and an unknown place.
		r := submitContact(t, api, "10.0.0.1", contactBody(map[string]any{"municipality": "9000 Gent", "email": nil}))
		if r["team"] != "Gent" || r["emailed"] != false {
			t.Fatalf("free-text area: %v", r)
		}
		r = submitContact(t, api, "10.0.0.1", contactBody(map[string]any{"municipality": "Timbuktu"}))
		if r["team"] != nil {
			t.Fatalf("unknown area matched %v", r["team"])
		}

		before := countContacts(t, api)
		bad := api.Do(http.MethodPost, "/api/v1/public/contact", map[string]any{"kind": "want_chw", "name": "<b>x</b>", "email": "not-an-address",
			"language": "xx", "message": strings.Repeat("a", service.ContactMaxMessage+1), "consent": false, "website": "http://spam.example"},
			fromIP("10.0.0.2", map[string]string{"Accept-Language": "fr-BE,fr;q=0.9"}))
		if bad.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad input: %d %s", bad.Status, bad.Body)
		}
		want := map[string]string{"website": "honeypot", "name": "html", "email": "email", "municipality": "required", "language": "oneof", "message": "max", "consent": "required"}
		errs := bad.JSON(t)["errors"].([]any)
		seen := map[string]string{}
		for _, e := range errs {
			m := e.(map[string]any)
			seen[m["field"].(string)] = m["code"].(string)
			if m["field"] == "consent" && !strings.Contains(m["message"].(string), "Cochez") {
				t.Errorf("consent message not in French: %v", m["message"])
			}
		}
		for f, code := range want {
			if seen[f] != code {
				t.Errorf("field %s: code %q, want %q (all: %v)", f, seen[f], code, seen)
			}
		}
		stale := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(map[string]any{"consent_version": "2020-01", "phone": nil, "email": nil}), fromIP("10.0.0.2", nil))
		if !strings.Contains(string(stale.Body), `"code":"version"`) || !strings.Contains(string(stale.Body), `"code":"contact_required"`) {
			t.Errorf("stale consent and no contact: %s", stale.Body)
		}
		unknown := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(map[string]any{"admin": true}), fromIP("10.0.0.2", nil))
		if unknown.Status != http.StatusUnprocessableEntity || !strings.Contains(string(unknown.Body), "unknown_field") {
			t.Errorf("unknown field: %d %s", unknown.Status, unknown.Body)
		}
		huge := api.Do(http.MethodPost, "/api/v1/public/contact", `{"message":"`+strings.Repeat("a", 40<<10)+`"}`, fromIP("10.0.0.2", nil))
		if huge.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("40 kB body: %d", huge.Status)
		}
		if after := countContacts(t, api); after != before {
			t.Fatalf("refused requests were stored: %d -> %d", before, after)
		}
	})
}

func TestContactRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	for i := 0; i < api.Config.ContactPerHour; i++ {
		submitContact(t, api, "10.1.0.1", contactBody(nil))
	}
	r := api.Do(http.MethodPost, "/api/v1/public/contact", contactBody(nil), fromIP("10.1.0.1", map[string]string{"Accept-Language": "de"}))
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(string(r.Body), "Minuten") {
		t.Fatalf("over the limit: %d %v %s", r.Status, r.Header, r.Body)
	}
	// The HTML form shares the limit and says so in the page's language.
	form := url.Values{"kind": {"want_chw"}}
	h := api.Do(http.MethodPost, "/nl/contact", form.Encode(), fromIP("10.1.0.1", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}))
	if h.Status != http.StatusTooManyRequests || !strings.Contains(string(h.Body), "minuten opnieuw") {
		t.Fatalf("form over the limit: %d", h.Status)
	}
	// Another address is not affected.
	submitContact(t, api, "10.1.0.2", contactBody(nil))
}

func postForm(api *testutil.API, path, ip string, v url.Values) testutil.Response {
	return api.Do(http.MethodPost, path, v.Encode(), fromIP(ip, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}))
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	r := api.Do(http.MethodGet, "/", nil, map[string]string{"Accept-Language": "de-BE,de;q=0.9,en;q=0.5"})
	if r.Status != http.StatusFound || r.Header.Get("Location") != "/de/" || !strings.Contains(r.Header.Get("Vary"), "Accept-Language") {
		t.Fatalf("/ -> %d %q", r.Status, r.Header.Get("Location"))
	}
	if r := api.Do(http.MethodGet, "/", nil, map[string]string{"Accept-Language": "pt-PT"}); r.Header.Get("Location") != "/nl/" {
		t.Errorf("unknown language -> %q, want /nl/", r.Header.Get("Location"))
	}
	for _, lang := range []string{"nl", "fr", "de", "en"} {
		for _, p := range []string{"/", "/where", "/contact", "/privacy"} {
			r := api.Do(http.MethodGet, "/"+lang+p, nil, nil)
			body := string(r.Body)
			if r.Status != http.StatusOK || !strings.Contains(body, `<html lang="`+lang+`">`) ||
				!strings.Contains(body, `hreflang="fr" href="`) || !strings.Contains(body, `hreflang="x-default"`) ||
				!strings.Contains(body, `<meta name="description" content="`) || strings.Contains(body, "<script>") {
				t.Errorf("GET /%s%s: %d", lang, p, r.Status)
			}
		}
	}
	home := string(api.Do(http.MethodGet, "/fr/", nil, nil).Body)
	for _, s := range []string{"Signaler les inégalités structurelles", "gratuit", "mutualités"} {
		if !strings.Contains(home, s) {
			t.Errorf("French home lacks %q", s)
		}
	}
	where := string(api.Do(http.MethodGet, "/en/where?q=outremeuse", nil, nil).Body)
	if !strings.Contains(where, "Outremeuse (Liège) → <strong>Team Liège</strong>") {
		t.Errorf("search does not name the team:\n%s", where)
	}
	if !strings.Contains(where, "Bezorgd Om Mensen") {
		t.Error("outreach places of a team without neighbourhoods are missing")
	}
	xss := `"><script>alert(1)</script>`
	where = string(api.Do(http.MethodGet, "/en/where?q="+url.QueryEscape(xss), nil, nil).Body)
	if strings.Contains(where, "<script>alert(1)") || !strings.Contains(where, "&lt;script&gt;") {
		t.Error("the search text is reflected unescaped")
	}
	// Pages without a query come from memory: ETag, 304, and gzip done once.
	plain := api.Do(http.MethodGet, "/nl/where", nil, nil)
	etag := plain.Header.Get("ETag")
	if etag == "" || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("cached page headers: %v", plain.Header)
	}
	if r := api.Do(http.MethodGet, "/nl/where", nil, map[string]string{"If-None-Match": etag}); r.Status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.Status)
	}
	zipped := api.Do(http.MethodGet, "/nl/where", nil, map[string]string{"Accept-Encoding": "gzip, br"})
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body))
	if err != nil || zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip page: %v %v", err, zipped.Header)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain.Body) || len(zipped.Body)*2 > len(plain.Body) {
		t.Errorf("gzip body: %d bytes for %d", len(zipped.Body), len(plain.Body))
	}
	css := api.Do(http.MethodGet, "/site/site.css", nil, map[string]string{"Accept-Encoding": "gzip"})
	if css.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet headers: %v", css.Header)
	}
	if r := api.Do(http.MethodGet, "/de/nirgendwo", nil, nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "Seite nicht gefunden") {
		t.Errorf("unknown public page: %d", r.Status)
	}
	robots := string(api.Do(http.MethodGet, "/robots.txt", nil, nil).Body)
	if !strings.Contains(robots, "Disallow: /api/") || !strings.Contains(robots, "Sitemap: ") {
		t.Errorf("robots.txt: %s", robots)
	}
	if r := api.Do(http.MethodGet, "/sitemap.xml", nil, nil); !strings.Contains(string(r.Body), `hreflang="de" href="`) {
		t.Errorf("sitemap lacks alternates")
	}
}

func TestContactFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	xss := `"><script>alert(1)</script>`
	r := postForm(api, "/fr/contact", "10.2.0.1", url.Values{"kind": {"want_chw"}, "name": {xss}, "message": {"<img src=x onerror=alert(1)>"}})
	body := string(r.Body)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", r.Status)
	}
	if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
		t.Fatal("the visitor's input is reflected unescaped")
	}
	for _, s := range []string{`id="error-summary"`, `href="#name"`, `href="#phone"`, `href="#consent"`, "Écrivez du texte simple", `aria-invalid="true"`} {
		if !strings.Contains(body, s) {
			t.Errorf("error page lacks %q", s)
		}
	}
	if countContacts(t, api) != 0 {
		t.Fatal("a refused form was stored")
	}
	trap := postForm(api, "/en/contact", "10.2.0.1", url.Values{"kind": {"question"}, "name": {"Bot"}, "email": {"bot@example.org"},
		"language": {"en"}, "message": {"Hi"}, "consent": {"yes"}, "consent_version": {service.ConsentVersion}, "website": {"http://x"}})
	if trap.Status != http.StatusUnprocessableEntity || !strings.Contains(string(trap.Body), "filled in automatically") {
		t.Fatalf("honeypot: %d", trap.Status)
	}
	ok := postForm(api, "/nl/contact", "10.2.0.1", url.Values{"kind": {"want_chw"}, "name": {"Jan Peeters"}, "phone": {"0470 11 22 33"},
		"municipality": {"Tienen"}, "language": {"nl"}, "message": {"Ik zoek een huisarts."}, "consent": {"yes"}, "consent_version": {service.ConsentVersion}})
	body = string(ok.Body)
	if ok.Status != http.StatusOK || !strings.Contains(body, "team Tienen") || !strings.Contains(body, `id="withdraw-link" href="http://`) || ok.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("happy path: %d\n%s", ok.Status, body)
	}
	big := postForm(api, "/nl/contact", "10.2.0.1", url.Values{"message": {strings.Repeat("x", 40<<10)}})
	if big.Status != http.StatusRequestEntityTooLarge || !strings.Contains(string(big.Body), "te groot") {
		t.Errorf("oversized form: %d", big.Status)
	}
}

func withdrawToken(receipt map[string]any) string {
	u := receipt["withdraw_url"].(string)
	return u[strings.LastIndex(u, "/")+1:]
}

func TestContactWithdrawal(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		rec := submitContact(t, api, "10.3.0.1", contactBody(nil))
		token := withdrawToken(rec)
		// Opening the link changes nothing (mail scanners open links).
		page := api.Do(http.MethodGet, "/fr/withdraw/"+token, nil, nil)
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Retirer mon consentement") {
			t.Fatalf("withdraw page: %d", page.Status)
		}
		if row := contactRow(t, api, rec["id"].(string)); row.WithdrawnAt != nil || row.Name == "" {
			t.Fatal("GET withdrew consent")
		}
		done := api.Do(http.MethodPost, "/fr/withdraw/"+token, "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if done.Status != http.StatusOK || !strings.Contains(string(done.Body), "effacées") {
			t.Fatalf("withdraw: %d %s", done.Status, done.Body)
		}
		row := contactRow(t, api, rec["id"].(string))
		if row.WithdrawnAt == nil || row.Status != "withdrawn" || row.Name != "" || row.Phone != nil || row.Email != nil ||
			row.Message != "" || row.AreaText != "" || row.MailStatus != "cancelled" || row.ConsentVersion != service.ConsentVersion {
			t.Fatalf("after withdrawal: %+v", row)
		}
		again := api.Do(http.MethodGet, "/api/v1/public/contact-withdrawals/"+token, nil, nil).JSON(t)
		if again["withdrawn"] != true || again["data_deleted"] != true {
			t.Fatalf("status after withdrawal: %v", again)
		}
		if r := api.Do(http.MethodPost, "/api/v1/public/contact-withdrawals/nonsense", map[string]any{}, nil); r.Status != http.StatusNotFound {
			t.Errorf("bad token: %d", r.Status)
		}
		if r := api.Do(http.MethodGet, "/en/withdraw/nonsense", nil, nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "not valid") {
			t.Errorf("bad token page: %d", r.Status)
		}
		// The coordinator no longer sees the request in the queue.
		list := api.Do(http.MethodGet, "/api/v1/contact-requests", nil, api.Bearer("coordinator.liege@example.org")).JSON(t)
		if n := len(list["items"].([]any)); n != 0 {
			t.Errorf("open queue after withdrawal has %d items", n)
		}

		// A converted request keeps its client, loses its own data; the CHW gets a task.
		rec2 := submitContact(t, api, "10.3.0.1", contactBody(map[string]any{"name": "Other Person", "phone": "0470 99 88 77", "email": nil}))
		chw := chwID(t, api, "chw.liege1@example.org")
		conv := api.Do(http.MethodPost, "/api/v1/contact-requests/"+rec2["id"].(string)+"/convert", map[string]any{"chw_id": chw}, api.Bearer("coordinator.liege@example.org"))
		if conv.Status != http.StatusCreated {
			t.Fatalf("convert: %d %s", conv.Status, conv.Body)
		}
		w := api.Do(http.MethodPost, "/api/v1/public/contact-withdrawals/"+withdrawToken(rec2), map[string]any{}, nil).JSON(t)
		if w["converted"] != true || w["data_deleted"] != true {
			t.Fatalf("withdraw converted: %v", w)
		}
		var tasks []model.Task
		api.DB.Gorm.Where("client_id = ? AND kind = ?", conv.JSON(t)["id"], service.TaskConsentGone).Find(&tasks)
		if len(tasks) != 1 || tasks[0].AssigneeID == nil || *tasks[0].AssigneeID != chw {
			t.Fatalf("consent task: %+v", tasks)
		}
	})
}

func chwID(t *testing.T, api *testutil.API, email string) string {
	t.Helper()
	var u model.User
	if err := api.DB.Gorm.Where("email = ?", email).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestContactTriage(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		gentCoord, liegeCoord := "coordinator.gent@example.org", "coordinator.liege@example.org"
		inGent := submitContact(t, api, "10.4.0.1", contactBody(map[string]any{"municipality": "Gent", "language": "nl"}))["id"].(string)
		unknown := submitContact(t, api, "10.4.0.1", contactBody(map[string]any{"municipality": "Atlantis", "name": "Ann Onymous", "phone": "0470 10 20 30"}))["id"].(string)
		offer := submitContact(t, api, "10.4.0.1", contactBody(map[string]any{"kind": "collaboration", "organisation": "Wijkgezondheidscentrum De Kaai", "municipality": "Gent", "phone": "09 225 12 34", "email": "info@dekaai.example"}))["id"].(string)
		// Gent's demo coordinator holds the programme intake duty; Liège's does not.

		ids := func(who string) map[string]bool {
			r := api.Do(http.MethodGet, "/api/v1/contact-requests", nil, api.Bearer(who))
			if r.Status != http.StatusOK {
				t.Fatalf("queue as %s: %d", who, r.Status)
			}
			out := map[string]bool{}
			for _, it := range r.JSON(t)["items"].([]any) {
				out[it.(map[string]any)["id"].(string)] = true
			}
			return out
		}
		if q := ids(gentCoord); !q[inGent] || !q[unknown] || !q[offer] {
			t.Errorf("Gent queue: %v", q)
		}
		if q := ids(liegeCoord); q[inGent] || q[unknown] {
			t.Errorf("Liège queue sees Gent's request or the programme intake: %v", q)
		}
		for who, want := range map[string]float64{gentCoord: 3, liegeCoord: 0} {
			sum := api.Do(http.MethodGet, "/api/v1/contact-requests/summary", nil, api.Bearer(who)).JSON(t)
			if sum["open"] != want || sum["overdue"] != 0.0 {
				t.Errorf("summary for %s: %v, want %v open", who, sum, want)
			}
		}
		if r := api.Do(http.MethodGet, "/api/v1/contact-requests/"+inGent, nil, api.Bearer(liegeCoord)); r.Status != http.StatusNotFound {
			t.Errorf("other team's request: %d", r.Status)
		}
		if r := api.Do(http.MethodPost, "/api/v1/contact-requests/"+inGent+"/close", map[string]any{"reason": "bogus"}, api.Bearer(liegeCoord)); r.Status != http.StatusNotFound {
			t.Errorf("closing another team's request with a bad body: %d, want 404", r.Status)
		}
		for _, who := range []string{"chw.gent1@example.org", "manager@example.org", "admin@example.org"} {
			if r := api.Do(http.MethodGet, "/api/v1/contact-requests", nil, api.Bearer(who)); r.Status != http.StatusForbidden {
				t.Errorf("queue as %s: %d", who, r.Status)
			}
		}
		var reads int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'contact.read' AND entity_id = ?", inGent).Count(&reads)
		api.Do(http.MethodGet, "/api/v1/contact-requests/"+inGent, nil, api.Bearer(gentCoord))
		var readsAfter int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'contact.read' AND entity_id = ?", inGent).Count(&readsAfter)
		if readsAfter != reads+1 {
			t.Errorf("reading a request is not audited")
		}

		// Convert: a client of the chosen CHW, with a first-contact task.
		chw := chwID(t, api, "chw.gent2@example.org")
		conv := api.Do(http.MethodPost, "/api/v1/contact-requests/"+inGent+"/convert", map[string]any{"chw_id": chw}, api.Bearer(gentCoord))
		if conv.Status != http.StatusCreated {
			t.Fatalf("convert: %d %s", conv.Status, conv.Body)
		}
		client := conv.JSON(t)
		if client["given_name"] != "Fatima" || client["family_name"] != "El Amrani" || client["source"] != "intake_form" ||
			client["assigned_chw_id"] != chw || client["phone"] != "+32470123456" || client["language"] != "nl" {
			t.Fatalf("client from request: %v", client)
		}
		var task model.Task
		if err := api.DB.Gorm.Where("client_id = ? AND kind = ?", client["id"], service.TaskFirstContact).Take(&task).Error; err != nil || !strings.Contains(task.Params, "besoin") {
			t.Fatalf("first-contact task: %v %+v", err, task)
		}
		if r := api.Do(http.MethodPost, "/api/v1/contact-requests/"+inGent+"/convert", map[string]any{"chw_id": chw}, api.Bearer(gentCoord)); r.Status != http.StatusConflict {
			t.Errorf("converting twice: %d", r.Status)
		}
		// A second request from the same phone is a duplicate of that client.
		dup := submitContact(t, api, "10.4.0.1", contactBody(map[string]any{"municipality": "Gent", "name": "F. El Amrani"}))["id"].(string)
		r := api.Do(http.MethodPost, "/api/v1/contact-requests/"+dup+"/convert", map[string]any{"chw_id": chw}, api.Bearer(gentCoord))
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), client["id"].(string)) {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		if row := contactRow(t, api, dup); row.Status != "new" || row.ClientID != nil {
			t.Fatalf("a refused conversion changed the request: %+v", row)
		}
		var clients int64
		api.DB.Gorm.Model(&model.Client{}).Where("phone = ?", "+32470123456").Count(&clients)
		if clients != 1 {
			t.Fatalf("%d clients with the phone after a refused conversion", clients)
		}
		// The unknown area needs a team; a CHW of another team is refused.
		r = api.Do(http.MethodPost, "/api/v1/contact-requests/"+unknown+"/convert", map[string]any{"chw_id": chwID(t, api, "chw.liege1@example.org")}, api.Bearer(gentCoord))
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("CHW of another team: %d %s", r.Status, r.Body)
		}

		// Partner: the organisation joins the team's directory.
		p := api.Do(http.MethodPost, "/api/v1/contact-requests/"+offer+"/partner", map[string]any{"name": "Wijkgezondheidscentrum De Kaai", "type": "gp", "phone": "09 225 12 34"}, api.Bearer(gentCoord))
		if p.Status != http.StatusCreated {
			t.Fatalf("partner: %d %s", p.Status, p.Body)
		}
		if row := contactRow(t, api, offer); row.Status != "partnered" || row.ProviderID == nil || row.HandledBy == nil {
			t.Fatalf("after partner: %+v", row)
		}

		// Close: a reason from the list; "other" needs a note.
		r = api.Do(http.MethodPost, "/api/v1/contact-requests/"+unknown+"/close", map[string]any{"reason": "other"}, api.Bearer(gentCoord))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"field":"note"`) {
			t.Errorf("close other without note: %d %s", r.Status, r.Body)
		}
		r = api.Do(http.MethodPost, "/api/v1/contact-requests/"+unknown+"/close", map[string]any{"reason": "out_of_area", "note": "Lives in Namur"}, api.Bearer(gentCoord))
		if r.Status != http.StatusOK || r.JSON(t)["status"] != "closed" {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		handled := api.Do(http.MethodGet, "/api/v1/contact-requests?status=handled", nil, api.Bearer(gentCoord)).JSON(t)
		if n := len(handled["items"].([]any)); n != 3 {
			t.Errorf("handled list has %d items, want 3", n)
		}
	})
}

func TestContactOverdueAndRetention(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		friday := time.Date(2026, 12, 4, 10, 0, 0, 0, service.Brussels)
		api.Clock.Set(friday)
		old := submitContact(t, api, "10.5.0.1", contactBody(map[string]any{"municipality": "Gent"}))["id"].(string)
		metric := func() string {
			body := string(api.Do(http.MethodGet, "/metrics", nil, testutil.MetricsAuth).Body)
			for _, line := range strings.Split(body, "\n") {
				if strings.HasPrefix(line, "brug_contact_requests_overdue ") {
					return strings.TrimPrefix(line, "brug_contact_requests_overdue ")
				}
			}
			return "missing"
		}
		overdue := func() bool {
			r := api.Do(http.MethodGet, "/api/v1/contact-requests/"+old, nil, api.Bearer("coordinator.gent@example.org")).JSON(t)
			return r["overdue"].(bool)
		}
		// Monday, Tuesday and Wednesday are the three working days after Friday.
		api.Clock.Set(time.Date(2026, 12, 9, 16, 0, 0, 0, service.Brussels))
		if overdue() || metric() != "0" {
			t.Fatalf("overdue on Wednesday: %v, metric %s", overdue(), metric())
		}
		api.Clock.Set(time.Date(2026, 12, 10, 8, 0, 0, 0, service.Brussels))
		if !overdue() || metric() != "1" {
			t.Fatalf("not overdue on Thursday: %v, metric %s", overdue(), metric())
		}

		// Retention: the personal data of a handled request goes after the period.
		closedAt := api.Clock.Now()
		if r := api.Do(http.MethodPost, "/api/v1/contact-requests/"+old+"/close", map[string]any{"reason": "no_response"}, api.Bearer("coordinator.gent@example.org")); r.Status != http.StatusOK {
			t.Fatalf("close: %d %s", r.Status, r.Body)
		}
		open := submitContact(t, api, "10.5.0.1", contactBody(map[string]any{"municipality": "Gent"}))["id"].(string)
		api.Clock.Set(closedAt.Add(api.Svc.ContactRetention - time.Hour))
		if n, err := api.Svc.PurgeContacts(t.Context()); err != nil || n != 0 {
			t.Fatalf("purge before the period: %d %v", n, err)
		}
		api.Clock.Set(closedAt.Add(api.Svc.ContactRetention + time.Hour))
		if n, err := api.Svc.PurgeContacts(t.Context()); err != nil || n != 1 {
			t.Fatalf("purge after the period: %d %v", n, err)
		}
		row := contactRow(t, api, old)
		if row.PurgedAt == nil || row.Name != "" || row.Phone != nil || row.Email != nil || row.Message != "" || row.CloseReason != "no_response" {
			t.Fatalf("purged row: %+v", row)
		}
		if row := contactRow(t, api, open); row.PurgedAt != nil || row.Name == "" {
			t.Fatal("an open request was purged")
		}
		if api.Svc.ContactRetention != 183*24*time.Hour {
			t.Errorf("default retention %v, want 183 days", api.Svc.ContactRetention)
		}
	})
}

var _ = fmt.Sprint
