package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// signInStep posts the password and returns the status and body.
func signInStep(t *testing.T, api *testutil.API, email string) (int, map[string]any) {
	t.Helper()
	r := api.Login(email, demo.Password)
	return r.Status, r.JSON(t)
}

// enrolMe sets up a second factor for a signed-in demo account and returns
// its secret and recovery codes.
func enrolMe(t *testing.T, api *testutil.API, email string) (string, []string) {
	t.Helper()
	r := api.Do("POST", "/api/v1/me/second-factor/enrolment", map[string]any{}, api.Bearer(email))
	if r.Status != 200 {
		t.Fatalf("start enrolment: %d %s", r.Status, r.Body)
	}
	e := r.JSON(t)
	secret := e["secret"].(string)
	if !strings.HasPrefix(e["qr_code"].(string), "data:image/png;base64,") || !strings.Contains(e["otpauth_uri"].(string), "secret="+secret) {
		t.Fatalf("enrolment: %v", e)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the secret may be cached: %q", r.Header.Get("Cache-Control"))
	}
	// A wrong first code changes nothing.
	if r := api.Do("POST", "/api/v1/me/second-factor/enrolment/confirm", map[string]any{"code": "000000"}, api.Bearer(email)); r.Status != 422 {
		t.Fatalf("wrong first code: %d %s", r.Status, r.Body)
	}
	r = api.Do("POST", "/api/v1/me/second-factor/enrolment/confirm", map[string]any{"code": auth.CodeAt(secret, api.Clock.Now())}, api.Bearer(email))
	if r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	var codes []string
	for _, c := range r.JSON(t)["recovery_codes"].([]any) {
		codes = append(codes, c.(string))
	}
	if len(codes) != auth.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(codes))
	}
	return secret, codes
}

func fieldCode(t *testing.T, body map[string]any, field string) string {
	t.Helper()
	errs, _ := body["errors"].([]any)
	for _, e := range errs {
		m := e.(map[string]any)
		if m["field"] == field {
			return m["code"].(string)
		}
	}
	return ""
}

// A second factor set up by the person: the password alone then gets a
// challenge, a code from the app opens the session, once; a recovery code
// works once; the secret is stored sealed and the recovery codes hashed.
func TestSecondFactorSignIn(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		// Without one, the password is enough (development: no role must).
		if st, body := signInStep(t, api, coord); st != 200 || body["user"].(map[string]any)["second_factor"] != false {
			t.Fatalf("before: %d %v", st, body)
		}
		secret, codes := enrolMe(t, api, coord)

		var f model.SecondFactor
		api.DB.Gorm.Where("user_id = (SELECT id FROM users WHERE email = ?)", coord).Take(&f)
		if f.Secret == "" || strings.Contains(f.Secret, secret) || f.Pending != "" || f.EnabledAt == nil {
			t.Fatalf("stored: %+v", f)
		}
		var hashes []string
		api.DB.Gorm.Model(&model.RecoveryCode{}).Where("user_id = ?", f.UserID).Pluck("code_hash", &hashes)
		if len(hashes) != len(codes) {
			t.Fatalf("%d hashes", len(hashes))
		}
		for _, h := range hashes {
			for _, c := range codes {
				if strings.Contains(h, auth.NormalizeRecoveryCode(c)) {
					t.Fatal("a recovery code is stored in clear")
				}
			}
		}

		st, body := signInStep(t, api, coord)
		if st != 202 || body["second_factor"] != "verify" || body["access_token"] != nil {
			t.Fatalf("password with a second factor: %d %v", st, body)
		}
		ch := body["challenge"].(string)
		verify := func(challenge, code string) (int, map[string]any) {
			r := api.Do("POST", "/api/v1/auth/second-factor", map[string]any{"challenge": challenge, "code": code}, nil)
			return r.Status, r.JSON(t)
		}
		// Bad input names the field and changes nothing.
		if st, b := verify(ch, "12ab"); st != 422 || fieldCode(t, b, "code") != "second_factor_format" {
			t.Fatalf("malformed code: %d %v", st, b)
		}
		if st, b := verify(ch, ""); st != 422 || fieldCode(t, b, "code") != "required" {
			t.Fatalf("empty code: %d %v", st, b)
		}
		if st, b := verify(ch, "123456"); st != 422 || fieldCode(t, b, "code") != "second_factor_code" {
			t.Fatalf("wrong code: %d %v", st, b)
		}
		if st, _ := verify("forged."+ch, auth.CodeAt(secret, api.Clock.Now())); st != 401 {
			t.Fatalf("forged challenge: %d", st)
		}
		// The code already used to confirm the set-up does not work again.
		if st, b := verify(ch, auth.CodeAt(secret, api.Clock.Now())); st != 422 || fieldCode(t, b, "code") != "second_factor_code" {
			t.Fatalf("the confirming code again: %d %v", st, b)
		}
		api.Clock.Advance(auth.TOTPPeriod)
		code := auth.CodeAt(secret, api.Clock.Now())
		st, b := verify(ch, code)
		if st != 200 || b["access_token"] == nil || b["recovery_codes"] != nil {
			t.Fatalf("right code: %d %v", st, b)
		}
		if b["user"].(map[string]any)["second_factor"] != true {
			t.Errorf("user.second_factor: %v", b["user"])
		}
		// The same code is refused now, also with a fresh challenge.
		_, again := signInStep(t, api, coord)
		if st, _ := verify(again["challenge"].(string), code); st != 422 {
			t.Fatalf("replayed code: %d", st)
		}
		// A recovery code works once, typed any way.
		typed := strings.ToUpper(strings.ReplaceAll(codes[3], "-", " "))
		if st, b := verify(again["challenge"].(string), typed); st != 200 {
			t.Fatalf("recovery code: %d %v", st, b)
		}
		if st, _ := verify(again["challenge"].(string), codes[3]); st != 422 {
			t.Fatalf("recovery code twice: %d", st)
		}
		r := api.Do("GET", "/api/v1/me/second-factor", nil, bearer(b["access_token"].(string)))
		if m := r.JSON(t); r.Status != 200 || m["enabled"] != true || m["required"] != false || m["recovery_codes_left"] != float64(auth.RecoveryCodeCount-1) {
			t.Fatalf("status: %d %v", r.Status, m)
		}
		// An expired challenge: sign in again.
		api.Clock.Advance(auth.ChallengeTTL)
		if st, _ := verify(again["challenge"].(string), auth.CodeAt(secret, api.Clock.Now())); st != 401 {
			t.Fatalf("expired challenge: %d", st)
		}
		// A challenge is not a session.
		if r := api.Do("GET", "/api/v1/me", nil, bearer(ch)); r.Status != 401 {
			t.Fatalf("challenge as a bearer token: %d", r.Status)
		}
		// New recovery codes need a current code; the old ones stop.
		tok := b["access_token"].(string)
		api.Clock.Advance(auth.TOTPPeriod)
		if r := api.Do("POST", "/api/v1/me/second-factor/recovery-codes", map[string]any{"code": codes[0]}, bearer(tok)); r.Status != 422 {
			t.Fatalf("new codes with a recovery code: %d", r.Status)
		}
		r = api.Do("POST", "/api/v1/me/second-factor/recovery-codes", map[string]any{"code": auth.CodeAt(secret, api.Clock.Now())}, bearer(tok))
		if r.Status != 200 || len(r.JSON(t)["recovery_codes"].([]any)) != auth.RecoveryCodeCount {
			t.Fatalf("new codes: %d %s", r.Status, r.Body)
		}
		_, next := signInStep(t, api, coord)
		if st, _ := verify(next["challenge"].(string), codes[0]); st != 422 {
			t.Fatalf("an old recovery code after replacing them: %d", st)
		}
		var logins, failed int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'auth.login' AND entity_id = ? AND detail LIKE ?", f.UserID, "%second_factor%").Count(&logins)
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'auth.second_factor_failed' AND entity_id = ?", f.UserID).Count(&failed)
		if logins != 2 || failed < 4 {
			t.Errorf("audit: %d sign-ins with a second factor, %d failed codes", logins, failed)
		}
	})
}

// Codes are throttled like passwords: six digits cannot be tried through.
func TestSecondFactorCodesAreThrottled(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		secret, _ := enrolMe(t, api, coord)
		frozen := api.Clock.Now()
		api.Svc.Limiter = auth.NewLoginLimiter(auth.DefaultLoginLimits, func() time.Time { return frozen })
		_, body := signInStep(t, api, coord)
		ch := body["challenge"].(string)
		refused := 0
		for i := range 40 {
			code := []byte("000000")
			code[5] = byte('0' + i%10)
			code[4] = byte('0' + i/10)
			r := api.Do("POST", "/api/v1/auth/second-factor", map[string]any{"challenge": ch, "code": string(code)}, nil)
			if r.Status == 429 {
				refused++
				if r.Header.Get("Retry-After") == "" {
					t.Fatal("429 without Retry-After")
				}
			}
		}
		if refused < 20 {
			t.Fatalf("40 wrong codes in a row, only %d refused", refused)
		}
		api.Clock.Advance(auth.TOTPPeriod)
		if r := api.Do("POST", "/api/v1/auth/second-factor", map[string]any{"challenge": ch, "code": auth.CodeAt(secret, api.Clock.Now())}, nil); r.Status != 429 {
			t.Fatalf("the right code while throttled: %d", r.Status)
		}
	})
}

// In production the roles that see more than a caseload must set up a
// second factor before they get in; a setting extends it to CHWs.
func TestSecondFactorRequired(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Svc.SecondFactorRoles = map[string]bool{"coordinator": true, "manager": true, "admin": true, "dpo": true}
		if st, _ := signInStep(t, api, chw); st != 200 {
			t.Fatalf("a CHW: %d", st)
		}
		for _, who := range []string{coord, mgr, admin} {
			st, body := signInStep(t, api, who)
			if st != 202 || body["second_factor"] != "enrol" {
				t.Fatalf("%s without a second factor: %d %v", who, st, body)
			}
		}
		st, body := signInStep(t, api, coord)
		if st != 202 {
			t.Fatal(st)
		}
		ch := body["challenge"].(string)
		// An enrol challenge cannot be spent as a verify one.
		if r := api.Do("POST", "/api/v1/auth/second-factor", map[string]any{"challenge": ch, "code": "123456"}, nil); r.Status != 401 {
			t.Fatalf("enrol challenge used to verify: %d", r.Status)
		}
		if r := api.Do("POST", "/api/v1/auth/second-factor/enrolment/confirm", map[string]any{"challenge": ch, "code": "123456"}, nil); r.Status != 409 {
			t.Fatalf("confirm before starting: %d %s", r.Status, r.Body)
		}
		r := api.Do("POST", "/api/v1/auth/second-factor/enrolment", map[string]any{"challenge": ch}, nil)
		if r.Status != 200 {
			t.Fatalf("enrolment: %d %s", r.Status, r.Body)
		}
		secret := r.JSON(t)["secret"].(string)
		r = api.Do("POST", "/api/v1/auth/second-factor/enrolment/confirm", map[string]any{"challenge": ch, "code": auth.CodeAt(secret, api.Clock.Now())}, nil)
		if r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		b := r.JSON(t)
		if b["access_token"] == nil || len(b["recovery_codes"].([]any)) != auth.RecoveryCodeCount || b["refresh_token"] != nil {
			t.Fatalf("confirm answer: %v", b)
		}
		if r := api.Do("GET", "/api/v1/me/second-factor", nil, bearer(b["access_token"].(string))); r.JSON(t)["required"] != true {
			t.Fatalf("required: %s", r.Body)
		}
		if st, body := signInStep(t, api, coord); st != 202 || body["second_factor"] != "verify" {
			t.Fatalf("after enrolment: %d %v", st, body)
		}
		// Extended to CHWs.
		api.Svc.SecondFactorRoles["chw"] = true
		if st, body := signInStep(t, api, chw); st != 202 || body["second_factor"] != "enrol" {
			t.Fatalf("a CHW when the setting includes chw: %d %v", st, body)
		}
	})
}

// A lost phone: an admin resets the second factor; it is audited, the
// person's sessions end, they are told in the app and by e-mail, and their
// next sign-in sets up a new one.
func TestSecondFactorReset(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Svc.SecondFactorRoles = map[string]bool{"coordinator": true}
		var id string
		api.DB.Gorm.Raw("SELECT id FROM users WHERE email = ?", coord).Scan(&id)
		// Nothing to reset yet.
		if r := api.Do("POST", "/api/v1/users/"+id+"/second-factor/reset", nil, api.Bearer(admin)); r.Status != 409 {
			t.Fatalf("reset without a second factor: %d", r.Status)
		}
		// Enrol through the required path, keep that session.
		_, body := signInStep(t, api, coord)
		ch := body["challenge"].(string)
		secret := api.Do("POST", "/api/v1/auth/second-factor/enrolment", map[string]any{"challenge": ch}, nil).JSON(t)["secret"].(string)
		r := api.Do("POST", "/api/v1/auth/second-factor/enrolment/confirm", map[string]any{"challenge": ch, "code": auth.CodeAt(secret, api.Clock.Now())}, nil)
		tok := r.JSON(t)["access_token"].(string)
		users := api.Do("GET", "/api/v1/users/"+id, nil, api.Bearer(admin)).JSON(t)
		if users["second_factor"] != true {
			t.Fatalf("admin view: %v", users)
		}
		// Only an admin resets.
		for who, h := range map[string]map[string]string{chw: api.Bearer(chw), mgr: api.Bearer(mgr), coord: bearer(tok)} {
			if r := api.Do("POST", "/api/v1/users/"+id+"/second-factor/reset", nil, h); r.Status != 403 {
				t.Fatalf("%s resets: %d", who, r.Status)
			}
		}
		if r := api.Do("POST", "/api/v1/users/"+id+"/second-factor/reset", nil, api.Bearer(admin)); r.Status != 204 {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		if r := api.Do("GET", "/api/v1/me", nil, bearer(tok)); r.Status != 401 {
			t.Fatalf("the session after the reset: %d", r.Status)
		}
		var n int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'user.second_factor_reset' AND entity_id = ?", id).Count(&n)
		if n != 1 {
			t.Fatalf("%d audit events", n)
		}
		var notice model.StaffNotice
		api.DB.Gorm.Where("user_id = ? AND kind = 'second_factor_reset'", id).Take(&notice)
		if notice.MailStatus != "queued" {
			t.Fatalf("notice: %+v", notice)
		}
		var params map[string]string
		_ = json.Unmarshal([]byte(notice.Params), &params)
		if params["by"] == "" || params["at"] == "" {
			t.Fatalf("notice params: %v", params)
		}
		api.DB.Gorm.Model(&model.RecoveryCode{}).Where("user_id = ?", id).Count(&n)
		if n != 0 {
			t.Fatalf("%d recovery codes left after the reset", n)
		}
		// The next sign-in sets up a new one; the notice is there.
		st, body := signInStep(t, api, coord)
		if st != 202 || body["second_factor"] != "enrol" {
			t.Fatalf("after the reset: %d %v", st, body)
		}
		ch = body["challenge"].(string)
		secret2 := api.Do("POST", "/api/v1/auth/second-factor/enrolment", map[string]any{"challenge": ch}, nil).JSON(t)["secret"].(string)
		if secret2 == secret {
			t.Fatal("the same secret again")
		}
		r = api.Do("POST", "/api/v1/auth/second-factor/enrolment/confirm", map[string]any{"challenge": ch, "code": auth.CodeAt(secret2, api.Clock.Now())}, nil)
		tok = r.JSON(t)["access_token"].(string)
		notices := api.Do("GET", "/api/v1/notices", nil, bearer(tok)).JSON(t)["items"].([]any)
		found := false
		for _, it := range notices {
			if it.(map[string]any)["kind"] == "second_factor_reset" {
				found = true
			}
		}
		if !found {
			t.Fatalf("no notice in the app: %v", notices)
		}
		if r := api.Do("POST", "/api/v1/users/0190b3f2-0000-7000-8000-000000000000/second-factor/reset", nil, api.Bearer(admin)); r.Status != http.StatusNotFound {
			t.Fatalf("unknown user: %d", r.Status)
		}
	})
}
