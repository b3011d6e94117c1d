package httpapi_test

import (
	"testing"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// A person sees their sessions (device, start, last use) and ends any of
// them: its access and refresh tokens stop at once. Nobody ends another
// person's session.
func TestSessionsListAndEnd(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		signIn := func(ua string) (string, string) {
			r := api.Do("POST", "/api/v1/auth/login", map[string]any{"email": coord, "password": demo.Password}, map[string]string{"User-Agent": ua})
			if r.Status != 200 {
				t.Fatalf("login: %d %s", r.Status, r.Body)
			}
			return r.JSON(t)["access_token"].(string), cookieOf(t, r).Value
		}
		phone, _ := signIn("Mozilla/5.0 (Linux; Android 14) Firefox/133.0")
		laptop, laptopRefresh := signIn("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0\u202e\x01")
		list := func(tok string) []map[string]any {
			r := api.Do("GET", "/api/v1/me/sessions", nil, bearer(tok))
			if r.Status != 200 {
				t.Fatalf("sessions: %d %s", r.Status, r.Body)
			}
			var out []map[string]any
			for _, it := range r.JSON(t)["items"].([]any) {
				out = append(out, it.(map[string]any))
			}
			return out
		}
		got := list(phone)
		if len(got) != 2 {
			t.Fatalf("two sign-ins, sessions %v", got)
		}
		var laptopID string
		for _, s := range got {
			switch s["device"] {
			case "Mozilla/5.0 (Android 14) Firefox/133.0", "Mozilla/5.0 (Linux; Android 14) Firefox/133.0":
				if s["current"] != true {
					t.Errorf("the phone's own session is not current: %v", s)
				}
			case "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0":
				laptopID = s["id"].(string)
				if s["current"] != false {
					t.Errorf("the laptop's session is current from the phone: %v", s)
				}
			default:
				t.Errorf("device %q (controls must be stripped)", s["device"])
			}
		}
		if laptopID == "" {
			t.Fatalf("no laptop session: %v", got)
		}
		// Another person cannot end it.
		if r := api.Do("DELETE", "/api/v1/me/sessions/"+laptopID, nil, api.Bearer(chw)); r.Status != 404 {
			t.Fatalf("another person's session: %d", r.Status)
		}
		if r := api.Do("DELETE", "/api/v1/me/sessions/"+laptopID, nil, bearer(phone)); r.Status != 204 {
			t.Fatalf("end the laptop session: %d %s", r.Status, r.Body)
		}
		if r := api.Do("GET", "/api/v1/me", nil, bearer(laptop)); r.Status != 401 {
			t.Fatalf("the ended session's access token: %d", r.Status)
		}
		if r := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": laptopRefresh}, nil); r.Status != 401 {
			t.Fatalf("the ended session's refresh token: %d", r.Status)
		}
		if got := list(phone); len(got) != 1 || got[0]["current"] != true {
			t.Fatalf("after ending one: %v", got)
		}
		if r := api.Do("DELETE", "/api/v1/me/sessions/"+laptopID, nil, bearer(phone)); r.Status != 404 {
			t.Fatalf("ending it again: %d", r.Status)
		}
		var n int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'session.end' AND entity_id = ?", laptopID).Count(&n)
		if n != 1 {
			t.Fatalf("session.end audited %d times", n)
		}
	})
}
