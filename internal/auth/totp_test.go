package auth

import (
	"strings"
	"testing"
	"time"
)

func TestSecondFactorCodes(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 30, 10, 0, time.UTC)
	clock := func() time.Time { return now }
	f, err := NewSecondFactor([]byte(strings.Repeat("k", 32)), "Brug", clock)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.NewEnrolment("user-1", "a@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(e.URI, "otpauth://totp/Brug:a@example.org?") || len(e.QRPNG) < 100 || len(e.Secret) != 32 {
		t.Fatalf("enrolment: %q %d %q", e.URI, len(e.QRPNG), e.Secret)
	}
	if strings.Contains(e.Sealed, e.Secret) {
		t.Fatal("sealed secret holds the secret in clear")
	}
	secret, err := f.Open("user-1", e.Sealed)
	if err != nil || secret != e.Secret {
		t.Fatalf("open: %q %v", secret, err)
	}
	if _, err := f.Open("user-2", e.Sealed); err == nil {
		t.Fatal("a sealed secret opened for another account")
	}
	other, _ := NewSecondFactor([]byte(strings.Repeat("x", 32)), "Brug", clock)
	if _, err := other.Open("user-1", e.Sealed); err == nil {
		t.Fatal("a sealed secret opened under another server key")
	}

	cur := Step(now)
	for _, tc := range []struct {
		name string
		at   time.Time
		last int64
		ok   bool
	}{
		{"now", now, 0, true},
		{"previous step (phone a little slow)", now.Add(-TOTPPeriod), 0, true},
		{"next step (phone a little fast)", now.Add(TOTPPeriod), 0, true},
		{"two steps old", now.Add(-2 * TOTPPeriod), 0, false},
		{"two steps ahead", now.Add(2 * TOTPPeriod), 0, false},
		{"same step used before", now, cur, false},
		{"older than the last used", now.Add(-TOTPPeriod), cur, false},
		{"newer than the last used", now.Add(TOTPPeriod), cur, true},
	} {
		code := CodeAt(e.Secret, tc.at)
		step, ok := f.CheckCode(e.Secret, code, tc.last)
		if ok != tc.ok {
			t.Errorf("%s: ok=%v want %v", tc.name, ok, tc.ok)
		}
		if ok && step != Step(tc.at) {
			t.Errorf("%s: step %d want %d", tc.name, step, Step(tc.at))
		}
	}
	spaced := CodeAt(e.Secret, now)
	if _, ok := f.CheckCode(e.Secret, spaced[:3]+" "+spaced[3:], 0); !ok {
		t.Error("a code typed with a space in the middle is refused")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", "12345x"} {
		if _, ok := f.CheckCode(e.Secret, bad, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes()
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if !IsRecoveryCode(c) || len(c) != 11 || c[5] != '-' {
			t.Errorf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		if HashRecoveryCode(c) != hashes[i] || strings.Contains(hashes[i], NormalizeRecoveryCode(c)) {
			t.Errorf("hash of %q", c)
		}
		typed := strings.ToUpper(strings.ReplaceAll(c, "-", " "))
		if HashRecoveryCode(typed) != hashes[i] {
			t.Errorf("%q typed as %q does not match", c, typed)
		}
	}
	for _, bad := range []string{"", "abcde", "abcde-fghj0", "abcdefghijk", "123456"} {
		if IsRecoveryCode(bad) {
			t.Errorf("%q taken for a recovery code", bad)
		}
	}
}

func TestChallenges(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	f, _ := NewSecondFactor([]byte(strings.Repeat("k", 32)), "", func() time.Time { return now })
	tok := f.IssueChallenge("user-1", ChallengeVerify)
	if u, ok := f.VerifyChallenge(tok, ChallengeVerify); !ok || u != "user-1" {
		t.Fatalf("verify: %q %v", u, ok)
	}
	if _, ok := f.VerifyChallenge(tok, ChallengeEnrol); ok {
		t.Error("a verify challenge passed as an enrol challenge")
	}
	p, sig, _ := strings.Cut(tok, ".")
	if _, ok := f.VerifyChallenge(p+"."+sig[:len(sig)-2]+"AA", ChallengeVerify); ok {
		t.Error("a forged challenge passed")
	}
	later, _ := NewSecondFactor([]byte(strings.Repeat("k", 32)), "", func() time.Time { return now.Add(ChallengeTTL) })
	if _, ok := later.VerifyChallenge(tok, ChallengeVerify); ok {
		t.Error("an expired challenge passed")
	}
	for _, bad := range []string{"", ".", "abc", strings.Repeat("a", 600)} {
		if _, ok := f.VerifyChallenge(bad, ChallengeVerify); ok {
			t.Errorf("%q passed", bad)
		}
	}
}
