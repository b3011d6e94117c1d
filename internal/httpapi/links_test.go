package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

const pubLinks = "/api/v1/public/referral-links/"

func newReferral(t *testing.T, api *testutil.API, client, provider, reason string) string {
	t.Helper()
	r := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": client, "provider_id": provider, "reason": reason, "send": true}, api.Bearer(chw))
	if r.Status != 201 {
		t.Fatalf("referral: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)["id"].(string)
}

func newLink(t *testing.T, api *testutil.API, referral string) map[string]any {
	t.Helper()
	r := api.Do("POST", "/api/v1/referrals/"+referral+"/link", map[string]any{}, api.Bearer(chw))
	if r.Status != 201 {
		t.Fatalf("link: %d %s", r.Status, r.Body)
	}
	return r.JSON(t)
}

// A link works until a final answer, its expiry or its revocation; each
// refusal says what really happened, and shows nothing of the client.
func TestProviderLinkLifecycle(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Yusuf", "family_name": "Hidden"})
		prov := newProvider(t, api, map[string]any{"name": "Groepspraktijk Oost", "type": "gp"})
		gone := func(reason string, more ...string) []string {
			return append([]string{`"reason":"` + reason + `"`}, more...)
		}
		private := []string{"Yusuf", "Hidden", "knee pain"}

		// Acknowledging is a step: the same link then accepts.
		ref := newReferral(t, api, cl, prov, "knee pain")
		tok := newLink(t, api, ref)["token"].(string)
		api.Run(t, []testutil.Scenario{
			{Name: "acknowledge", Method: "POST", Path: pubLinks + tok, Body: map[string]any{"action": "acknowledge"}, Status: 204},
			{Name: "acknowledge again changes nothing", Method: "POST", Path: pubLinks + tok, Body: map[string]any{"action": "acknowledge"}, Status: 204},
			{Name: "the link still shows the referral", Method: "GET", Path: pubLinks + tok, Status: 200, Contains: []string{`"status":"acknowledged"`, "knee pain"}},
			{Name: "accept through the same link", Method: "POST", Path: pubLinks + tok, Body: map[string]any{"action": "accept"}, Status: 204},
			{Name: "then it is spent, and says by what", Method: "POST", Path: pubLinks + tok, Body: map[string]any{"action": "waitlist"}, Status: 410,
				Contains: gone("answered", `"answer":"accept"`), Excludes: private},
			{Name: "viewing it too", Method: "GET", Path: pubLinks + tok, Status: 410, Contains: gone("answered"), Excludes: private},
		})
		events := api.Do("GET", "/api/v1/referrals/"+ref, nil, api.Bearer(chw)).JSON(t)["events"].([]any)
		if len(events) != 3 || events[1].(map[string]any)["to"] != "acknowledged" || events[2].(map[string]any)["to"] != "accepted" {
			t.Fatalf("events: %v", events)
		}

		// A new link revokes the old one; an answer by the CHW revokes the new one.
		ref2 := newReferral(t, api, cl, prov, "knee pain")
		old := newLink(t, api, ref2)["token"].(string)
		fresh := newLink(t, api, ref2)["token"].(string)
		api.Run(t, []testutil.Scenario{
			{Name: "the replaced link", Method: "GET", Path: pubLinks + old, Status: 410, Contains: gone("replaced"), Excludes: private},
			{Name: "the replaced link cannot answer", Method: "POST", Path: pubLinks + old, Body: map[string]any{"action": "accept"}, Status: 410, Contains: gone("replaced")},
			{Name: "the newest works", Method: "GET", Path: pubLinks + fresh, Status: 200},
			{Name: "the CHW records the provider's phone call", Method: "POST", Path: "/api/v1/referrals/" + ref2 + "/transitions", As: chw, Body: map[string]any{"to": "accepted"}, Status: 200},
			{Name: "the link of an answered referral", Method: "GET", Path: pubLinks + fresh, Status: 410,
				Contains: gone("referral_answered", `"referral_status":"accepted"`), Excludes: private},
			{Name: "no second answer", Method: "POST", Path: pubLinks + fresh, Body: map[string]any{"action": "decline", "reason": "full"}, Status: 410, Contains: gone("referral_answered")},
		})
		if r := api.Do("GET", "/api/v1/referrals/"+ref2, nil, api.Bearer(chw)).JSON(t); r["status"] != "accepted" {
			t.Fatalf("the revoked link changed the referral: %v", r["status"])
		}

		// A closed referral ends its links; an old link expires.
		ref3 := newReferral(t, api, cl, prov, "knee pain")
		tok3 := newLink(t, api, ref3)["token"].(string)
		api.Do("POST", "/api/v1/referrals/"+ref3+"/transitions", map[string]any{"to": "cancelled"}, api.Bearer(chw))
		ref4 := newReferral(t, api, cl, prov, "knee pain")
		tok4 := newLink(t, api, ref4)["token"].(string)
		api.Clock.Advance(15 * 24 * time.Hour)
		api.Run(t, []testutil.Scenario{
			{Name: "cancelled referral", Method: "GET", Path: pubLinks + tok3, Status: 410, Contains: gone("referral_closed", `"referral_status":"cancelled"`), Excludes: private},
			{Name: "expired", Method: "POST", Path: pubLinks + tok4, Body: map[string]any{"action": "accept"}, Status: 410, Contains: gone("expired", `"expired_at":`), Excludes: private},
		})

		var revoked []model.ReferralLink
		api.DB.Gorm.Where("revoked_at IS NOT NULL").Order("revoked_reason").Find(&revoked)
		var reasons []string
		for _, l := range revoked {
			reasons = append(reasons, l.RevokedReason)
		}
		if strings.Join(reasons, ",") != "accepted,cancelled,replaced" {
			t.Fatalf("revocations: %v", reasons)
		}
	})
}

// The ready-made text for the provider is in a language the provider speaks.
func TestProviderLinkMessageLanguage(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Lang"})
		for _, tc := range []struct {
			languages []string
			want      string
			fragment  string
		}{
			{[]string{"ar", "fr"}, "fr", "vous oriente une personne"},
			{[]string{"fr", "nl"}, "nl", "verwijst iemand naar u"}, // the CHW's own (nl) when the provider speaks it
			{[]string{"de"}, "de", "überweist Ihnen eine Person"},
			{[]string{"tr"}, "nl", "verwijst iemand naar u"}, // none Brug writes: the CHW's
		} {
			prov := newProvider(t, api, map[string]any{"name": "Praktijk " + strings.Join(tc.languages, "-"), "type": "gp", "languages": tc.languages})
			l := newLink(t, api, newReferral(t, api, cl, prov, "check-up"))
			msg := l["message"].(map[string]any)
			if msg["language"] != tc.want || !strings.Contains(msg["text"].(string), tc.fragment) || !strings.Contains(msg["sms"].(string), l["url"].(string)) {
				t.Errorf("provider speaking %v: %v", tc.languages, msg)
			}
		}
	})
}

// Sending the link by e-mail needs the provider's address and the client's
// provider_sharing consent; a refusal names both and writes nothing.
func TestProviderLinkByEmail(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Mail"})
		noAddress := newProvider(t, api, map[string]any{"name": "Praktijk Zonder Mail", "type": "gp"})
		withAddress := newProvider(t, api, map[string]any{"name": "Praktijk Met Mail", "type": "gp", "email": "onthaal@praktijk.example.be", "languages": []string{"fr"}})
		refNo := newReferral(t, api, cl, noAddress, "check-up")
		ref := newReferral(t, api, cl, withAddress, "check-up")
		count := func() int64 {
			var n int64
			api.DB.Gorm.Model(&model.ReferralLink{}).Count(&n)
			return n
		}
		api.Run(t, []testutil.Scenario{
			{Name: "no address and no consent", Method: "POST", Path: "/api/v1/referrals/" + refNo + "/link", As: chw, Body: map[string]any{"email": true}, Status: 422,
				Contains: []string{`"code":"no_address"`, `"code":"consent"`}, Fields: []string{"email"}},
			{Name: "no consent", Method: "POST", Path: "/api/v1/referrals/" + ref + "/link", As: chw, Body: map[string]any{"email": true}, Status: 422,
				Contains: []string{`"code":"consent"`}, Excludes: []string{"no_address"}},
			{Name: "not a boolean", Method: "POST", Path: "/api/v1/referrals/" + ref + "/link", As: chw, Body: map[string]any{"email": "yes"}, Status: 422, Fields: []string{"email"}},
		})
		if n := count(); n != 0 {
			t.Fatalf("%d links written by refused requests", n)
		}
		api.Do("POST", "/api/v1/clients/"+cl+"/consents", map[string]any{"purpose": "provider_sharing"}, api.Bearer(chw))
		r := api.Do("POST", "/api/v1/referrals/"+ref+"/link", map[string]any{"email": true}, api.Bearer(chw))
		if r.Status != 201 || !strings.Contains(string(r.Body), `"email":{"status":"queued","to":"onthaal@praktijk.example.be"}`) ||
			!strings.Contains(string(r.Body), `"language":"fr"`) {
			t.Fatalf("e-mailed link: %d %s", r.Status, r.Body)
		}
		var l model.ReferralLink
		api.DB.Gorm.Where("referral_id = ?", ref).Take(&l)
		if l.MailStatus != "queued" || l.MailLanguage != "fr" {
			t.Fatalf("outbox row: %+v", l)
		}
		var audited int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = ? AND detail LIKE ?", "referral.link", "%emailed").Count(&audited)
		if audited != 1 {
			t.Fatalf("e-mailed link audited %d times", audited)
		}
		// Without e-mail the link is only shown (nothing queued).
		if r := api.Do("POST", "/api/v1/referrals/"+ref+"/link", nil, api.Bearer(chw)); r.Status != http.StatusCreated || !strings.Contains(string(r.Body), `"email":null`) {
			t.Fatalf("plain link: %d %s", r.Status, r.Body)
		}
	})
}
