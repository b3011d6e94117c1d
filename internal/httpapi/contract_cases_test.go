package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// The operations no other test of this package answers with a success:
// each gets one here, so its success response is validated against the
// spec too (see TestMain).
func TestContractRarelySucceedingOperations(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		team := myTeam(t, api, coord)
		prov := newProvider(t, api, map[string]any{"name": "Tandartspraktijk Sint-Pieters", "type": "dentist", "municipality": "Gent"})
		cl := newClient(t, api, chw, map[string]any{"given_name": "Contract", "family_name": "Case", "phone": "0470 12 34 56", "language": "nl"})
		if r := api.Do("POST", "/api/v1/clients/"+cl+"/consents", map[string]any{"purpose": "sms_reminders"}, api.Bearer(chw)); r.Status != 200 {
			t.Fatalf("consent: %d %s", r.Status, r.Body)
		}
		at := time.Now().In(service.Brussels).AddDate(0, 0, 3)
		local := time.Date(at.Year(), at.Month(), at.Day(), 10, 30, 0, 0, service.Brussels).Format("2006-01-02T15:04")
		if r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "provider_id": prov, "starts_at_local": local}, api.Bearer(chw)); r.Status != 201 {
			t.Fatalf("appointment: %d %s", r.Status, r.Body)
		}
		// New offsets re-plan the queued messages.
		api.Run(t, []testutil.Scenario{
			{Name: "team reminder offsets", Method: "PATCH", Path: "/api/v1/teams/" + team, As: coord, Body: map[string]any{"reminder_offsets": []string{"48h", "3h"}},
				Status: 200, Contains: []string{`"reminder_offsets":["48h","3h"]`}},
		})
		var rs []model.Reminder
		if err := api.DB.Gorm.Where("client_id = ? AND status = 'queued'", cl).Order("due_at").Find(&rs).Error; err != nil || len(rs) == 0 {
			t.Fatalf("reminders: %v %d", err, len(rs))
		}
		// One message failed at the gateway; another went out with a reply link.
		const token = "contract-reply-token-0123456789"
		if err := api.DB.Gorm.Model(&model.Reminder{}).Where("id = ?", rs[0].ID).
			Updates(map[string]any{"status": "failed", "attempts": 3, "last_error": "gateway 503"}).Error; err != nil {
			t.Fatal(err)
		}
		if err := api.DB.Gorm.Model(&model.Reminder{}).Where("id = ?", rs[len(rs)-1].ID).
			Updates(map[string]any{"status": "sent", "reply_token_hash": auth.HashRefreshToken(token)}).Error; err != nil {
			t.Fatal(err)
		}
		api.Run(t, []testutil.Scenario{
			{Name: "provider edit", Method: "PATCH", Path: "/api/v1/providers/" + prov, As: coord, Body: map[string]any{"name": "Tandartspraktijk Sint-Pieters", "type": "dentist", "municipality": "Gent", "accepts_new_patients": true, "third_party_payment": true},
				Status: 200, Contains: []string{`"third_party_payment":true`}},
			{Name: "retry a failed message", Method: "POST", Path: "/api/v1/reminders/" + rs[0].ID + "/retry", As: chw, Body: map[string]any{},
				Status: 200, Contains: []string{`"status":"queued"`}},
			{Name: "client opens the reply link", Method: "GET", Path: "/api/v1/public/replies/" + token, Status: 200,
				Contains: []string{`"language":"nl"`}, Excludes: []string{"Contract", "Case"}},
			{Name: "client confirms", Method: "POST", Path: "/api/v1/public/replies/" + token, Body: map[string]any{"action": "confirm"}, Status: 204},
		})
		if r := api.Do("GET", "/api/v1/public/replies/"+token, nil, nil); !strings.Contains(string(r.Body), `"reply":"confirmed"`) {
			t.Fatalf("reply not recorded: %s", r.Body)
		}
	})
}
