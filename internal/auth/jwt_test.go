package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	secret := []byte(strings.Repeat("s", 32))
	iss, _ := NewTokenIssuer(secret, "brug", "brug-api", 15*time.Minute, clock)
	tok, exp, err := iss.Issue("user-1", "chw", "family-1")
	if err != nil || !exp.Equal(now.Add(15*time.Minute)) {
		t.Fatal(err, exp)
	}
	c, err := iss.Verify(tok)
	if err != nil || c.UserID != "user-1" || c.Role != "chw" || c.SessionID != "family-1" || c.ID == "" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := NewTokenIssuer([]byte("short"), "brug", "brug-api", time.Minute, clock); err == nil {
		t.Fatal("short secret accepted")
	}

	parts := strings.Split(tok, ".")
	enc := base64.RawURLEncoding
	payload, _ := enc.DecodeString(parts[1])
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := jwt.MapClaims{"iss": "brug", "aud": "brug-api", "sub": "u", "sid": "f", "typ": "access", "role": "admin",
		"exp": now.Add(time.Minute).Unix(), "iat": now.Unix()}
	with := func(k string, v any) jwt.MapClaims {
		m := jwt.MapClaims{}
		for kk, vv := range good {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	other, _ := NewTokenIssuer([]byte(strings.Repeat("o", 32)), "brug", "brug-api", time.Minute, clock)
	otherTok, _, _ := other.Issue("user-1", "admin", "f")
	cases := map[string]string{
		"alg none":        enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".",
		"HS512":           sign(jwt.SigningMethodHS512, secret, good),
		"tampered":        parts[0] + "." + enc.EncodeToString([]byte(strings.Replace(string(payload), "chw", "adm", 1))) + "." + parts[2],
		"other secret":    otherTok,
		"wrong issuer":    sign(jwt.SigningMethodHS256, secret, with("iss", "evil")),
		"wrong audience":  sign(jwt.SigningMethodHS256, secret, with("aud", "other")),
		"no expiry":       sign(jwt.SigningMethodHS256, secret, with("exp", nil)),
		"refresh typ":     sign(jwt.SigningMethodHS256, secret, with("typ", "refresh")),
		"no session":      sign(jwt.SigningMethodHS256, secret, with("sid", nil)),
		"garbage":         "a.b.c",
		"empty":           "",
		"expired":         sign(jwt.SigningMethodHS256, secret, with("exp", now.Add(-time.Minute).Unix())),
		"issued tomorrow": sign(jwt.SigningMethodHS256, secret, with("iat", now.Add(24*time.Hour).Unix())),
	}
	for name, bad := range cases {
		if _, err := iss.Verify(bad); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: accepted or wrong error: %v", name, err)
		}
	}
	if sanity := sign(jwt.SigningMethodHS256, secret, good); sanity == "" {
		t.Fatal("signing failed")
	} else if _, err := iss.Verify(sanity); err != nil {
		t.Fatalf("the well-formed hand-made token must pass, or the cases above prove nothing: %v", err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := iss.Verify(tok); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("expired: %v", err)
	}
}
