package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// TestConsentIsHonouredEverywhere gives each purpose's consent, checks its
// effect, withdraws it and checks the effect stops at once — before any
// worker runs: reminders on that channel are cancelled, a provider e-mail
// queued but not sent is cancelled, the next research extract leaves the
// client out.
func TestConsentIsHonouredEverywhere(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		alike := map[string]any{"birth_year": 1984, "language": "nl", "source": "outreach"}
		cl := newClient(t, api, chw, map[string]any{"given_name": "Consent", "family_name": "Everywhere", "phone": "0470 55 66 77",
			"email": "consent.everywhere@example.org", "birth_year": 1984, "language": "nl", "source": "outreach"})
		// Five others alike with a research consent, so that an extract can
		// be released with or without the client.
		for range 5 {
			body := map[string]any{"given_name": "Other"}
			for k, v := range alike {
				body[k] = v
			}
			other := newClient(t, api, chw, body)
			api.Do("POST", "/api/v1/clients/"+other+"/consents", map[string]any{"purpose": "research"}, api.Bearer(chw))
		}
		prov := newProvider(t, api, map[string]any{"name": "Praktijk Toestemming", "type": "gp", "email": "onthaal@toestemming.example.be"})
		ref := newReferral(t, api, cl, prov, "check-up")
		at := api.Clock.Now().In(service.Brussels).AddDate(0, 0, 4)
		local := time.Date(at.Year(), at.Month(), at.Day(), 10, 30, 0, 0, service.Brussels).Format("2006-01-02T15:04")
		if r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": local}, api.Bearer(chw)); r.Status != 201 {
			t.Fatalf("appointment: %d %s", r.Status, r.Body)
		}

		queued := func(channel string) func(t *testing.T) bool {
			return func(t *testing.T) bool {
				var n int64
				api.DB.Gorm.Model(&model.Reminder{}).Where("client_id = ? AND channel = ? AND status = 'queued'", cl, channel).Count(&n)
				return n > 0
			}
		}
		providerMailQueued := func(t *testing.T) bool {
			var n int64
			api.DB.Gorm.Model(&model.ReferralLink{}).Where("referral_id = ? AND mail_status IN ?", ref, []string{"queued", "sending"}).Count(&n)
			return n > 0
		}
		inExtract := func(t *testing.T) bool {
			r, e := postExtract(t, api)
			if r.Status != http.StatusCreated {
				t.Fatalf("extract: %d %s", r.Status, r.Body)
			}
			return e.has(cl)
		}
		consentLive := func(purpose string) func(t *testing.T) bool {
			return func(t *testing.T) bool {
				for _, it := range api.Do("GET", "/api/v1/clients/"+cl+"/consents", nil, api.Bearer(chw)).JSON(t)["items"].([]any) {
					if m := it.(map[string]any); m["purpose"] == purpose {
						return m["given"] == true
					}
				}
				t.Fatalf("no consent state for %s", purpose)
				return false
			}
		}

		cases := []struct {
			purpose string
			// afterGive does what the consent allows (nil: nothing to do).
			afterGive func(t *testing.T)
			// afterWithdraw checks that what it allowed is now refused.
			afterWithdraw func(t *testing.T)
			effect        func(t *testing.T) bool
		}{
			// Care coordination gates nothing automatic: its effect is the
			// record of the consent itself.
			{purpose: "care_coordination", effect: consentLive("care_coordination")},
			{purpose: "sms_reminders", effect: queued("sms")},
			{purpose: "email_reminders", effect: queued("email")},
			{purpose: "provider_sharing", effect: providerMailQueued,
				afterGive: func(t *testing.T) {
					if r := api.Do("POST", "/api/v1/referrals/"+ref+"/link", map[string]any{"email": true}, api.Bearer(chw)); r.Status != 201 {
						t.Fatalf("e-mailed link with consent: %d %s", r.Status, r.Body)
					}
				},
				afterWithdraw: func(t *testing.T) {
					if r := api.Do("POST", "/api/v1/referrals/"+ref+"/link", map[string]any{"email": true}, api.Bearer(chw)); r.Status != 422 {
						t.Fatalf("e-mailed link without consent: %d %s", r.Status, r.Body)
					}
				}},
			{purpose: "research", effect: inExtract},
		}
		for _, tc := range cases {
			t.Run(tc.purpose, func(t *testing.T) {
				if tc.effect(t) {
					t.Fatalf("%s: effect before the consent was given", tc.purpose)
				}
				if r := api.Do("POST", "/api/v1/clients/"+cl+"/consents", map[string]any{"purpose": tc.purpose}, api.Bearer(chw)); r.Status != 200 {
					t.Fatalf("give: %d %s", r.Status, r.Body)
				}
				if tc.afterGive != nil {
					tc.afterGive(t)
				}
				if !tc.effect(t) {
					t.Fatalf("%s: no effect once given", tc.purpose)
				}
				if r := api.Do("DELETE", "/api/v1/clients/"+cl+"/consents/"+tc.purpose, nil, api.Bearer(chw)); r.Status != 204 {
					t.Fatalf("withdraw: %d %s", r.Status, r.Body)
				}
				if tc.effect(t) {
					t.Fatalf("%s: still in effect right after the withdrawal", tc.purpose)
				}
				if tc.afterWithdraw != nil {
					tc.afterWithdraw(t)
				}
			})
		}
	})
}
