package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

var b64 = base64.RawURLEncoding

func testIssuer(t *testing.T, secret []byte, clock func() time.Time) *TokenIssuer {
	t.Helper()
	iss, err := NewTokenIssuer(secret, "brug", "brug-api", 15*time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

func TestTokenRoundTrip(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 500_000_000, time.UTC)
	iss := testIssuer(t, []byte(strings.Repeat("s", 32)), func() time.Time { return now })
	tok, exp, err := iss.Issue("user-1", "chw", "family-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Truncate(time.Second).Add(15 * time.Minute); !exp.Equal(want) {
		t.Fatalf("expiresAt %v, want %v", exp, want)
	}
	c, err := iss.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.UserID != "user-1" || c.Role != "chw" || c.SessionID != "family-1" ||
		!c.ExpiresAt.Equal(exp) || !c.IssuedAt.Equal(now.Truncate(time.Second)) {
		t.Fatalf("claims: %+v", c)
	}
	if id, err := uuid.Parse(c.ID); err != nil || id.Version() != 7 {
		t.Fatalf("jti %q is not a UUIDv7", c.ID)
	}

	parts := strings.Split(tok, ".")
	header, _ := b64.DecodeString(parts[0])
	payload, _ := b64.DecodeString(parts[1])
	var h map[string]any
	var p map[string]any
	if json.Unmarshal(header, &h) != nil || json.Unmarshal(payload, &p) != nil {
		t.Fatalf("undecodable token %s", tok)
	}
	if h["alg"] != "HS256" {
		t.Fatalf("header %s", header)
	}
	for k, want := range map[string]any{"iss": "brug", "aud": "brug-api", "sub": "user-1", "role": "chw", "sid": "family-1", "typ": "access"} {
		if p[k] != want {
			t.Errorf("claim %s = %#v, want %#v (payload %s)", k, p[k], want, payload)
		}
	}
	for _, k := range []string{"exp", "iat", "nbf", "jti"} {
		if _, ok := p[k]; !ok {
			t.Errorf("claim %s missing", k)
		}
	}

	again, _, _ := iss.Issue("user-1", "chw", "family-1")
	if c2, _ := iss.Verify(again); c2 == nil || c2.ID == c.ID {
		t.Fatal("two tokens share a jti")
	}
}

func TestNewTokenIssuerRefuses(t *testing.T) {
	good := []byte(strings.Repeat("s", 32))
	for name, f := range map[string]func() (*TokenIssuer, error){
		"short secret": func() (*TokenIssuer, error) {
			return NewTokenIssuer([]byte(strings.Repeat("s", 31)), "brug", "brug-api", time.Minute, nil)
		},
		"no secret":   func() (*TokenIssuer, error) { return NewTokenIssuer(nil, "brug", "brug-api", time.Minute, nil) },
		"no issuer":   func() (*TokenIssuer, error) { return NewTokenIssuer(good, "", "brug-api", time.Minute, nil) },
		"no audience": func() (*TokenIssuer, error) { return NewTokenIssuer(good, "brug", "", time.Minute, nil) },
		"zero ttl":    func() (*TokenIssuer, error) { return NewTokenIssuer(good, "brug", "brug-api", 0, nil) },
	} {
		if iss, err := f(); err == nil || iss != nil {
			t.Errorf("%s: accepted", name)
		}
	}
	iss, err := NewTokenIssuer(good, "brug", "brug-api", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := iss.Issue("", "chw", "f"); err == nil {
		t.Error("token without a user issued")
	}
	if _, _, err := iss.Issue("u", "chw", ""); err == nil {
		t.Error("token without a session issued")
	}
}

// The issuer keeps its own copy: a caller wiping its buffer must not change
// which tokens verify.
func TestTokenIssuerCopiesSecret(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	iss := testIssuer(t, secret, time.Now)
	tok, _, _ := iss.Issue("u", "chw", "f")
	clear(secret)
	if _, err := iss.Verify(tok); err != nil {
		t.Fatal(err)
	}
}

func TestTokenRejections(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	secret := []byte(strings.Repeat("s", 32))
	iss := testIssuer(t, secret, clock)
	tok, _, err := iss.Issue("user-1", "chw", "family-1")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	payload, _ := b64.DecodeString(parts[1])

	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		t.Helper()
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := jwt.MapClaims{"iss": "brug", "aud": "brug-api", "sub": "u", "sid": "f", "typ": "access", "role": "admin",
		"exp": now.Add(time.Minute).Unix(), "iat": now.Unix(), "nbf": now.Unix(), "jti": "j"}
	with := func(kv ...any) jwt.MapClaims {
		m := jwt.MapClaims{}
		for k, v := range good {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	hs256 := func(claims jwt.MapClaims) string { return sign(jwt.SigningMethodHS256, secret, claims) }
	// The hand-made token and its variants below differ from it in one way
	// each, so they must verify when that one way is undone.
	for name, ok := range map[string]string{
		"hand-made":      hs256(good),
		"audience array": hs256(with("aud", []string{"other", "brug-api"})),
		"no nbf":         hs256(with("nbf", nil)),
		"within leeway":  hs256(with("exp", now.Add(-20*time.Second).Unix())),
	} {
		if _, err := iss.Verify(ok); err != nil {
			t.Fatalf("%s: the valid baseline was refused, so the cases below prove nothing: %v", name, err)
		}
	}

	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsParts := strings.Split(sign(jwt.SigningMethodRS256, rsaKey, good), ".")
	otherTok, _, _ := testIssuer(t, []byte(strings.Repeat("o", 32)), clock).Issue("user-1", "admin", "family-1")
	none := func(header string) string {
		return b64.EncodeToString([]byte(header)) + "." + parts[1] + "."
	}
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}

	cases := map[string]string{
		// Algorithm confusion.
		"alg none":               none(`{"alg":"none","typ":"JWT"}`),
		"alg None":               none(`{"alg":"None","typ":"JWT"}`),
		"alg NONE":               none(`{"alg":"NONE","typ":"JWT"}`),
		"alg none, sig kept":     none(`{"alg":"none","typ":"JWT"}`) + parts[2],
		"no alg":                 none(`{"typ":"JWT"}`) + parts[2],
		"alg none via library":   sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good),
		"HS384":                  sign(jwt.SigningMethodHS384, secret, good),
		"HS512":                  sign(jwt.SigningMethodHS512, secret, good),
		"RS256":                  sign(jwt.SigningMethodRS256, rsaKey, good),
		"ES256":                  sign(jwt.SigningMethodES256, ecKey, good),
		"HS256 header, RS sig":   parts[0] + "." + rsParts[1] + "." + rsParts[2],
		"other secret":           otherTok,
		"other secret, made":     sign(jwt.SigningMethodHS256, []byte(strings.Repeat("o", 32)), good),
		"payload char flipped":   parts[0] + "." + flip(parts[1], len(parts[1])/2) + "." + parts[2],
		"payload role swapped":   parts[0] + "." + b64.EncodeToString([]byte(strings.Replace(string(payload), `"chw"`, `"admin"`, 1))) + "." + parts[2],
		"signature first char":   parts[0] + "." + parts[1] + "." + flip(parts[2], 0),
		"signature last char":    parts[0] + "." + parts[1] + "." + flip(parts[2], len(parts[2])-1),
		"signature missing":      parts[0] + "." + parts[1] + ".",
		"signature padded":       tok + "=",
		"wrong issuer":           hs256(with("iss", "evil")),
		"no issuer":              hs256(with("iss", nil)),
		"wrong audience":         hs256(with("aud", "other")),
		"audience array without": hs256(with("aud", []string{"other"})),
		"no audience":            hs256(with("aud", nil)),
		"no expiry":              hs256(with("exp", nil)),
		"expiry not a number":    hs256(with("exp", "tomorrow")),
		"no subject":             hs256(with("sub", nil)),
		"empty subject":          hs256(with("sub", "")),
		"no session":             hs256(with("sid", nil)),
		"refresh typ":            hs256(with("typ", "refresh")),
		"no typ":                 hs256(with("typ", nil)),
		"typ case":               hs256(with("typ", "Access")),
		"not yet valid":          hs256(with("nbf", now.Add(time.Hour).Unix())),
		"issued tomorrow":        hs256(with("iat", now.Add(24*time.Hour).Unix())),
		"expired":                hs256(with("exp", now.Add(-time.Minute).Unix())),
		"garbage":                "a.b.c",
		"two segments":           parts[0] + "." + parts[1],
		"four segments":          tok + ".x",
		"empty":                  "",
		"huge":                   tok + strings.Repeat("A", 10_000),
	}
	for name, bad := range cases {
		c, err := iss.Verify(bad)
		if c != nil || !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: claims=%+v err=%v", name, c, err)
		}
	}

	// Expiry through the injected clock: fine until exp plus leeway, then
	// ErrTokenExpired, which is also ErrInvalidToken.
	now = now.Add(15*time.Minute + 29*time.Second)
	if _, err := iss.Verify(tok); err != nil {
		t.Fatalf("within the leeway: %v", err)
	}
	now = now.Add(2 * time.Second)
	if _, err := iss.Verify(tok); !errors.Is(err, ErrTokenExpired) || !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("expired: %v", err)
	}
}

// "Expired" is only said of a token that would otherwise be good, so a
// client is not sent to refresh a token that can never work.
func TestExpiredOnlyForOtherwiseValidTokens(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	secret := []byte(strings.Repeat("s", 32))
	iss := testIssuer(t, secret, func() time.Time { return now })
	past := now.Add(-time.Hour).Unix()
	for name, claims := range map[string]jwt.MapClaims{
		"wrong issuer":   {"iss": "evil", "aud": "brug-api", "sub": "u", "sid": "f", "typ": "access", "exp": past},
		"wrong audience": {"iss": "brug", "aud": "x", "sub": "u", "sid": "f", "typ": "access", "exp": past},
		"refresh typ":    {"iss": "brug", "aud": "brug-api", "sub": "u", "sid": "f", "typ": "refresh", "exp": past},
	} {
		tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
		if _, err := iss.Verify(tok); !errors.Is(err, ErrInvalidToken) || errors.Is(err, ErrTokenExpired) {
			t.Errorf("%s: %v", name, err)
		}
	}
	other, _ := jwt.NewWithClaims(jwt.SigningMethodHS256,
		jwt.MapClaims{"iss": "brug", "aud": "brug-api", "sub": "u", "sid": "f", "typ": "access", "exp": past}).
		SignedString([]byte(strings.Repeat("o", 32)))
	if _, err := iss.Verify(other); errors.Is(err, ErrTokenExpired) {
		t.Errorf("forged expired token reported as expired: %v", err)
	}
}

// A token verified once is answered from memory afterwards, within the
// same bounds the parser keeps: past its expiry (and the leeway) it is
// expired again, before its issue time (a clock set back) invalid, and a
// token differing in one byte is verified from scratch and refused.
func TestVerifiedTokensKeepTheParsersBounds(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	iss := testIssuer(t, []byte(strings.Repeat("s", 32)), func() time.Time { return now })
	tok, exp, err := iss.Issue("user-1", "chw", "family-1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		c, err := iss.Verify(tok)
		if err != nil || c.UserID != "user-1" || c.SessionID != "family-1" || !c.ExpiresAt.Equal(exp) {
			t.Fatalf("verify %d: %+v %v", i, c, err)
		}
		c.UserID = "changed by a caller" // the remembered claims are a copy
	}
	if _, ok := iss.verified.get(tok, now); !ok {
		t.Fatal("a verified token is not remembered")
	}
	if c, _ := iss.Verify(tok); c.UserID != "user-1" {
		t.Fatalf("a caller's change reached the remembered claims: %+v", c)
	}
	tampered := tok[:len(tok)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(tok, "AA")]
	if _, err := iss.Verify(tampered); !errors.Is(err, ErrInvalidToken) {
		t.Fatalf("tampered token: %v", err)
	}
	now = exp.Add(jwtLeeway - time.Second)
	if _, err := iss.Verify(tok); err != nil {
		t.Fatalf("within the leeway: %v", err)
	}
	now = exp.Add(jwtLeeway + time.Second)
	if _, err := iss.Verify(tok); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("past expiry and leeway: %v", err)
	}
	now = time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)
	if _, err := iss.Verify(tok); err == nil {
		t.Fatal("a token verified before is accepted by a clock set before its issue")
	}
	// Full, it starts afresh rather than growing.
	for i := 0; i < maxVerified+10; i++ {
		iss.verified.put(strings.Repeat("x", 8)+string(rune(i)), &AccessClaims{ExpiresAt: exp}, now)
	}
	if n := iss.verified.n.Load(); n > maxVerified {
		t.Fatalf("%d tokens remembered", n)
	}
}
