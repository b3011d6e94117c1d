package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func cookieOf(t *testing.T, r testutil.Response) *http.Cookie {
	t.Helper()
	return cookieNamed(t, r, "brug_refresh")
}

func cookieNamed(t *testing.T, r testutil.Response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", name, r.Header)
	return nil
}

func TestLoginAndSession(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)

		r := api.Login("CHW.Gent1@Example.org ", demo.Password)
		if r.Status != 200 {
			t.Fatalf("login: %d %s", r.Status, r.Body)
		}
		body := r.JSON(t)
		access := body["access_token"].(string)
		// The browser's sign-in: the refresh token only in the HttpOnly cookie.
		if _, ok := body["refresh_token"]; ok || body["token_type"] != "Bearer" || body["expires_in"].(float64) < 60 || access == "" {
			t.Fatalf("token response: %s", r.Body)
		}
		refresh := cookieOf(t, r).Value
		hint := cookieNamed(t, r, "brug_session")
		if hint.HttpOnly || hint.Value != "1" || hint.Path != "/" || hint.SameSite != http.SameSiteStrictMode || strings.Contains(hint.Value, refresh) {
			t.Fatalf("session hint cookie: %+v", hint)
		}
		u := body["user"].(map[string]any)
		if u["role"] != "chw" || len(u["teams"].([]any)) != 1 || u["teams"].([]any)[0].(map[string]any)["name"] != "Gent" {
			t.Fatalf("user: %v", u)
		}
		ck := cookieOf(t, r)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/api/v1/auth" || ck.Value != refresh {
			t.Fatalf("cookie flags: %+v", ck)
		}

		me := api.Do("GET", "/api/v1/me", nil, bearer(access))
		if me.Status != 200 || !strings.Contains(string(me.Body), `"clients:read_own"`) || strings.Contains(string(me.Body), "password") {
			t.Fatalf("me: %d %s", me.Status, me.Body)
		}

		// Rotation: the cookie alone refreshes; the old token is then used up.
		r2 := api.Do("POST", "/api/v1/auth/refresh", map[string]any{}, map[string]string{"Cookie": "brug_refresh=" + refresh})
		if r2.Status != 200 {
			t.Fatalf("refresh by cookie: %d %s", r2.Status, r2.Body)
		}
		if _, ok := r2.JSON(t)["refresh_token"]; ok {
			t.Fatalf("refresh by cookie put the token in the body: %s", r2.Body)
		}
		refresh2 := cookieOf(t, r2).Value
		if refresh2 == refresh {
			t.Fatal("refresh token was not rotated")
		}
		// Reusing the used token revokes the whole family, the new one too.
		if r3 := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}, nil); r3.Status != 401 {
			t.Fatalf("reuse: %d", r3.Status)
		}
		if r4 := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh2}, nil); r4.Status != 401 {
			t.Fatalf("family not revoked after reuse: %d", r4.Status)
		}
		// And the access tokens of that session stop working at once.
		if r5 := api.Do("GET", "/api/v1/me", nil, bearer(access)); r5.Status != 401 {
			t.Fatalf("access token of a revoked session: %d", r5.Status)
		}
	})
}

func TestLogoutEndsSession(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		lr := api.Login("coordinator.gent@example.org", demo.Password)
		body := lr.JSON(t)
		access, refresh := body["access_token"].(string), cookieOf(t, lr).Value
		r := api.Do("POST", "/api/v1/auth/logout", map[string]any{}, map[string]string{"Cookie": "brug_refresh=" + refresh})
		if r.Status != 204 {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if ck := cookieOf(t, r); ck.MaxAge >= 0 || ck.Value != "" {
			t.Fatalf("cookie not cleared: %+v", ck)
		}
		if ck := cookieNamed(t, r, "brug_session"); ck.MaxAge >= 0 || ck.Value != "" {
			t.Fatalf("session hint not cleared: %+v", ck)
		}
		if r := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}, nil); r.Status != 401 {
			t.Fatalf("refresh after logout: %d", r.Status)
		}
		if r := api.Do("GET", "/api/v1/me", nil, bearer(access)); r.Status != 401 {
			t.Fatalf("access after logout: %d", r.Status)
		}
	})
}

func TestBadCredentialsLookTheSame(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		wrong := api.Login("chw.gent1@example.org", "not-the-password")
		unknown := api.Login("nobody@example.org", "not-the-password")
		if wrong.Status != 401 || unknown.Status != 401 {
			t.Fatalf("statuses %d %d", wrong.Status, unknown.Status)
		}
		w, u := wrong.JSON(t), unknown.JSON(t)
		if w["detail"] != u["detail"] || w["title"] != u["title"] || w["type"] != u["type"] {
			t.Fatalf("answers differ: %s vs %s", wrong.Body, unknown.Body)
		}
		// A disabled account gets the same answer too.
		id := api.Do("GET", "/api/v1/me", nil, api.Bearer("chw.gent2@example.org")).JSON(t)["id"].(string)
		if r := api.Do("PATCH", "/api/v1/users/"+id, map[string]any{"disabled": true}, api.Bearer(admin)); r.Status != 200 {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		dis := api.Login("chw.gent2@example.org", demo.Password)
		if dis.Status != 401 || dis.JSON(t)["detail"] != w["detail"] {
			t.Fatalf("disabled login: %d %s", dis.Status, dis.Body)
		}
	})
}

func TestAccessTokenRejections(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		lr := api.Login("chw.gent1@example.org", demo.Password)
		body := lr.JSON(t)
		access, refresh := body["access_token"].(string), cookieOf(t, lr).Value
		parts := strings.Split(access, ".")
		none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"chw"`, `"admin"`, 1))) + "." + parts[2]
		other, _ := auth.NewTokenIssuer([]byte(strings.Repeat("k", 40)), "brug", "brug-api", time.Minute, time.Now)
		forged, _, _ := other.Issue(body["user"].(map[string]any)["id"].(string), "admin", "x")

		api.Run(t, []testutil.Scenario{
			{Name: "missing", Method: "GET", Path: "/api/v1/me", Status: 401},
			{Name: "not bearer", Method: "GET", Path: "/api/v1/me", Headers: map[string]string{"Authorization": "Basic abc"}, Status: 401},
			{Name: "garbage", Method: "GET", Path: "/api/v1/me", Headers: bearer("abc.def.ghi"), Status: 401},
			{Name: "alg none", Method: "GET", Path: "/api/v1/me", Headers: bearer(none), Status: 401},
			{Name: "tampered", Method: "GET", Path: "/api/v1/me", Headers: bearer(tampered), Status: 401},
			{Name: "other secret", Method: "GET", Path: "/api/v1/me", Headers: bearer(forged), Status: 401},
			{Name: "refresh token as access", Method: "GET", Path: "/api/v1/me", Headers: bearer(refresh), Status: 401},
			{Name: "valid", Method: "GET", Path: "/api/v1/me", Headers: bearer(access), Status: 200},
		})
		api.Clock.Advance(api.Config.AccessTTL + time.Minute)
		if r := api.Do("GET", "/api/v1/me", nil, bearer(access)); r.Status != 401 || !strings.Contains(string(r.Body), "expired") {
			t.Fatalf("expired token: %d %s", r.Status, r.Body)
		}
	})
}

func TestDisabledUserRefusedAtOnce(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		lr := api.Login("chw.liege1@example.org", demo.Password)
		body := lr.JSON(t)
		access, refresh := body["access_token"].(string), cookieOf(t, lr).Value
		id := body["user"].(map[string]any)["id"].(string)
		if r := api.Do("PATCH", "/api/v1/users/"+id, map[string]any{"disabled": true}, api.Bearer(admin)); r.Status != 200 {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := api.Do("GET", "/api/v1/me", nil, bearer(access)); r.Status != 401 {
			t.Fatalf("disabled user's token still works: %d", r.Status)
		}
		if r := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}, nil); r.Status != 401 {
			t.Fatalf("disabled user's refresh still works: %d", r.Status)
		}
		// Enabling again lets them sign in afresh.
		if r := api.Do("PATCH", "/api/v1/users/"+id, map[string]any{"disabled": false}, api.Bearer(admin)); r.Status != 200 {
			t.Fatal(r.Status)
		}
		if r := api.Login("chw.liege1@example.org", demo.Password); r.Status != 200 {
			t.Fatalf("re-enabled login: %d", r.Status)
		}
	})
}

func TestLoginRateLimits(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	api.Svc.Limiter = auth.NewLoginLimiter(auth.DefaultLoginLimits, api.Clock.Now)
	attacker := map[string]string{testutil.RemoteAddrHeader: "203.0.113.9:4000"}
	body := map[string]string{"email": "chw.gent1@example.org", "password": "guess"}
	var last testutil.Response
	for i := 0; i < 40; i++ {
		last = api.Do("POST", "/api/v1/auth/login", body, attacker)
		if last.Status == 429 {
			break
		}
	}
	if last.Status != 429 || last.Header.Get("Retry-After") == "" {
		t.Fatalf("no 429 with Retry-After after many failures: %d", last.Status)
	}
	// Guessing from many addresses is slowed per account as well.
	var blocked bool
	for i := 0; i < 40; i++ {
		r := api.Do("POST", "/api/v1/auth/login", map[string]string{"email": "coordinator.gent@example.org", "password": "guess"},
			map[string]string{testutil.RemoteAddrHeader: "198.51.100." + string(rune('0'+i%10)) + ":1"})
		if r.Status == 429 {
			blocked = true
			break
		}
	}
	if !blocked {
		t.Fatal("failures spread over addresses were never slowed")
	}
	// Another person from another address is not affected by the attack.
	r := api.Do("POST", "/api/v1/auth/login", map[string]string{"email": "chw.gent2@example.org", "password": demo.Password},
		map[string]string{testutil.RemoteAddrHeader: "192.0.2.77:1"})
	if r.Status != 200 {
		t.Fatalf("bystander login: %d %s", r.Status, r.Body)
	}
	// The attacked user gets in once the wait is over: slowed, not locked out.
	api.Clock.Advance(5 * time.Minute)
	r = api.Do("POST", "/api/v1/auth/login", map[string]string{"email": "coordinator.gent@example.org", "password": demo.Password},
		map[string]string{testutil.RemoteAddrHeader: "192.0.2.78:1"})
	if r.Status != 200 {
		t.Fatalf("real user after the wait: %d %s", r.Status, r.Body)
	}
}

func TestLogsHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	api := testutil.NewAPI(t, "sqlite")
	r := api.Login("chw.gent1@example.org", demo.Password)
	tok := r.JSON(t)["access_token"].(string)
	api.Login("chw.gent1@example.org", "wrong-password-123")
	api.Do("GET", "/api/v1/me", nil, bearer(tok))
	api.Do("GET", "/api/v1/users?q=Hanne", nil, api.Bearer(admin))
	logs := api.Log.String()
	if !strings.Contains(logs, "route=/api/v1/me") {
		t.Fatalf("request lines missing: %s", logs)
	}
	for _, secret := range []string{"chw.gent1@example.org", demo.Password, "wrong-password-123", tok, "Hanne", "q=Hanne"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
}

// A client without cookies asks for the refresh token in the body, and
// then keeps getting the rotated one there; the browser never sees it.
func TestRefreshTokenInBodyOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		r := api.Do("POST", "/api/v1/auth/login", map[string]any{"email": chw, "password": demo.Password, "return_refresh_token": true}, nil)
		if r.Status != 200 {
			t.Fatalf("login: %d %s", r.Status, r.Body)
		}
		refresh, _ := r.JSON(t)["refresh_token"].(string)
		if refresh == "" || refresh != cookieOf(t, r).Value {
			t.Fatalf("asked-for refresh token: %s", r.Body)
		}
		r2 := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": refresh}, nil)
		next, _ := r2.JSON(t)["refresh_token"].(string)
		if r2.Status != 200 || next == "" || next == refresh {
			t.Fatalf("a body-presented token rotates in the body: %d %s", r2.Status, r2.Body)
		}
		r3 := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"return_refresh_token": true}, map[string]string{"Cookie": "brug_refresh=" + next})
		if last, _ := r3.JSON(t)["refresh_token"].(string); r3.Status != 200 || last == "" || last == next {
			t.Fatalf("cookie refresh asking for the body: %d %s", r3.Status, r3.Body)
		}
		if r := api.Do("POST", "/api/v1/auth/refresh", map[string]any{"return_refresh_token": "yes"}, nil); r.Status != 422 {
			t.Fatalf("a wrong type: %d", r.Status)
		}
	})
}
