package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// Knowing a staff e-mail address no longer keeps that person out: guesses
// from many addresses spend the account's bucket for unknown devices, while
// the real user's browser, which signed in before and carries the signed
// device cookie, gets in every time. An unknown device is throttled, and
// the real user's sign-in gives the attacker no fresh burst.
func TestRealUserIsNeverLockedOut(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Svc.Limiter = auth.NewLoginLimiter(auth.DefaultLoginLimits, api.Clock.Now)
		const own = "198.51.100.10:40000"
		login := func(addr, password, device string) testutil.Response {
			h := map[string]string{testutil.RemoteAddrHeader: addr}
			if device != "" {
				h["Cookie"] = "brug_device=" + device
			}
			return api.Do("POST", "/api/v1/auth/login", map[string]any{"email": coord, "password": password}, h)
		}
		first := login(own, demo.Password, "")
		if first.Status != 200 {
			t.Fatalf("first sign-in: %d %s", first.Status, first.Body)
		}
		device := cookieNamed(t, first, "brug_device")
		if !device.HttpOnly || device.Path != "/api/v1/auth/login" || device.SameSite != http.SameSiteStrictMode || device.Value == "" {
			t.Fatalf("device cookie: %+v", device)
		}
		refused, admitted := 0, 0
		for round := range 15 {
			for i := range 4 {
				r := login(fmt.Sprintf("203.0.%d.%d:5000", round, i+1), "guess-"+fmt.Sprint(round*4+i), "")
				switch r.Status {
				case 401:
				case 429:
					refused++
				default:
					t.Fatalf("attacker got %d", r.Status)
				}
			}
			if r := login(own, demo.Password, device.Value); r.Status == 200 {
				admitted++
			} else {
				t.Errorf("round %d: the real user on her own browser got %d", round, r.Status)
			}
		}
		if admitted != 15 {
			t.Fatalf("the real user got in %d of 15 times", admitted)
		}
		if refused < 40 {
			t.Fatalf("only %d of 60 guesses were throttled", refused)
		}
		// The right password from a browser that never signed in: throttled,
		// like the attacker (the bucket is still spent after her sign-ins).
		if r := login("192.0.2.77:5000", demo.Password, ""); r.Status != 429 || r.Header.Get("Retry-After") == "" {
			t.Fatalf("an unknown device with the password: %d", r.Status)
		}
		// A forged or another account's device cookie counts as unknown.
		for _, bad := range []string{device.Value + "x", "AAAA.BBBB"} {
			if r := login("192.0.2.78:5000", demo.Password, bad); r.Status != 429 {
				t.Fatalf("forged device cookie %q: %d", bad, r.Status)
			}
		}
		chwLogin := api.Do("POST", "/api/v1/auth/login", map[string]any{"email": chw, "password": demo.Password}, map[string]string{testutil.RemoteAddrHeader: "198.51.100.30:5000"})
		if r := login("192.0.2.79:5000", demo.Password, cookieNamed(t, chwLogin, "brug_device").Value); r.Status != 429 {
			t.Fatalf("another account's device cookie: %d", r.Status)
		}
	})
}
