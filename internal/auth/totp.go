package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// Second factor: time-based one-time passwords (RFC 6238: SHA-1, six
// digits, 30-second steps, what every authenticator app reads from a QR
// code) and single-use recovery codes.
//
// The TOTP secret is stored sealed (AES-256-GCM under a key derived from the
// server secret, bound to the account), so a copy of the database alone does
// not give the codes. Recovery codes carry 50 random bits each and are
// stored as SHA-256 hashes: one-way, and strong enough for values nobody
// chose. A code is accepted once: the step it belongs to is remembered and
// a code of that step or an earlier one is refused (RFC 6238 §5.2).

const (
	// TOTPPeriod is the length of a step.
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is how many steps either side of now are accepted, for a
	// phone clock a little off.
	TOTPSkew = 1
	// RecoveryCodeCount is how many recovery codes a person gets at once.
	RecoveryCodeCount = 10
	// ChallengeTTL is how long the step between password and code may take.
	ChallengeTTL = 5 * time.Minute
)

// Challenge purposes: the password was right and either a code is due
// (verify) or the account must set up its second factor first (enrol).
const (
	ChallengeVerify = "verify"
	ChallengeEnrol  = "enrol"
)

// ErrSealed means a stored secret could not be opened (another server key).
var ErrSealed = errors.New("second factor: sealed secret unreadable")

// SecondFactor seals secrets, checks codes and signs the short-lived
// challenge that links the password step to the code step.
type SecondFactor struct {
	aead     cipher.AEAD
	challKey []byte
	now      func() time.Time
	issuer   string
}

// NewSecondFactor derives its keys from the server secret: one to seal TOTP
// secrets, one to sign challenges, neither usable as the other or as a JWT.
func NewSecondFactor(secret []byte, issuer string, now func() time.Time) (*SecondFactor, error) {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, err := aes.NewCipher(derive("brug totp seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	if issuer == "" {
		issuer = "Brug"
	}
	return &SecondFactor{aead: aead, challKey: derive("brug second factor challenge v1"), now: now, issuer: issuer}, nil
}

// Enrolment is a new secret, shown once to be scanned or typed.
type Enrolment struct {
	Secret string // base32, for typing into an app
	URI    string // otpauth://totp/…, what the QR code holds
	QRPNG  []byte // the QR code of URI
	Sealed string // what is stored
}

// NewEnrolment makes a fresh secret for the account.
func (f *SecondFactor) NewEnrolment(userID, account string) (Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: f.issuer, AccountName: account, Period: uint(TOTPPeriod / time.Second),
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return Enrolment{}, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return Enrolment{}, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, err
	}
	sealed, err := f.Seal(userID, key.Secret())
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: key.Secret(), URI: key.URL(), QRPNG: buf.Bytes(), Sealed: sealed}, nil
}

// Seal encrypts a secret for one user (the user id is authenticated data,
// so a sealed secret copied onto another account does not open).
func (f *SecondFactor) Seal(userID, secret string) (string, error) {
	nonce := make([]byte, f.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := f.aead.Seal(nonce, nonce, []byte(secret), []byte(userID))
	return "v1." + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts what Seal made.
func (f *SecondFactor) Open(userID, sealed string) (string, error) {
	b64, ok := strings.CutPrefix(sealed, "v1.")
	if !ok {
		return "", ErrSealed
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) < f.aead.NonceSize() {
		return "", ErrSealed
	}
	n := f.aead.NonceSize()
	plain, err := f.aead.Open(nil, raw[:n], raw[n:], []byte(userID))
	if err != nil {
		return "", ErrSealed
	}
	return string(plain), nil
}

// Step is the TOTP step of an instant.
func Step(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// IsTOTPCode reports whether s looks like a six-digit code (spaces allowed).
func IsTOTPCode(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CheckCode returns the step a code belongs to when it is valid now (within
// the skew) and newer than lastStep, the step of the last code accepted.
func (f *SecondFactor) CheckCode(secret, code string, lastStep int64) (int64, bool) {
	code = strings.ReplaceAll(code, " ", "")
	if !IsTOTPCode(code) {
		return 0, false
	}
	now := Step(f.now())
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	found := int64(0)
	for step := now - TOTPSkew; step <= now+TOTPSkew; step++ {
		want, err := hotp.GenerateCodeCustom(secret, uint64(step), opts)
		if err != nil {
			return 0, false
		}
		// Every step is compared, in constant time, whatever matched.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && found == 0 {
			found = step
		}
	}
	if found == 0 || found <= lastStep {
		return 0, false
	}
	return found, true
}

// CodeAt is the code of a secret at an instant (tests and the demo use it).
func CodeAt(secret string, t time.Time) string {
	c, _ := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: uint(TOTPPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return c
}

// recoveryAlphabet leaves out 0/o, 1/l/i so a code read aloud or copied by
// hand survives.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes makes RecoveryCodeCount codes (xxxxx-xxxxx, about 50 bits
// each) and their hashes.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		raw := make([]byte, 10)
		_, _ = rand.Read(raw)
		for i := range b {
			// 256 is not a multiple of 31: the slight bias costs a fraction
			// of a bit over ten characters.
			b[i] = recoveryAlphabet[int(raw[i])%len(recoveryAlphabet)]
		}
		code := string(b[:5]) + "-" + string(b[5:])
		codes = append(codes, code)
		hashes = append(hashes, HashRecoveryCode(code))
	}
	return codes, hashes
}

// NormalizeRecoveryCode drops spaces and dashes and lowercases, so a code
// typed as "ABCDE FGHJK" matches "abcde-fghjk".
func NormalizeRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// IsRecoveryCode reports whether s has the shape of a recovery code.
func IsRecoveryCode(s string) bool {
	n := NormalizeRecoveryCode(s)
	if len(n) != 10 {
		return false
	}
	for _, r := range n {
		if !strings.ContainsRune(recoveryAlphabet, r) {
			return false
		}
	}
	return true
}

// HashRecoveryCode is what is stored of a recovery code.
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte("brug recovery code v1\x00" + NormalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// IssueChallenge signs "this user gave the right password, for purpose, until
// ChallengeTTL from now".
func (f *SecondFactor) IssueChallenge(userID, purpose string) string {
	payload := make([]byte, 0, 64)
	payload = binary.BigEndian.AppendUint64(payload, uint64(f.now().Add(ChallengeTTL).Unix()))
	nonce := make([]byte, 8)
	_, _ = rand.Read(nonce)
	payload = append(payload, nonce...)
	payload = append(payload, purpose...)
	payload = append(payload, 0)
	payload = append(payload, userID...)
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(f.challengeMAC(payload))
}

func (f *SecondFactor) challengeMAC(payload []byte) []byte {
	m := hmac.New(sha256.New, f.challKey)
	m.Write(payload)
	return m.Sum(nil)
}

// VerifyChallenge returns the user of a valid, unexpired challenge of the
// given purpose.
func (f *SecondFactor) VerifyChallenge(token, purpose string) (string, bool) {
	if len(token) > 512 {
		return "", false
	}
	p, sig, found := strings.Cut(token, ".")
	if !found {
		return "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(payload) < 17 || !hmac.Equal(mac, f.challengeMAC(payload)) {
		return "", false
	}
	if exp := time.Unix(int64(binary.BigEndian.Uint64(payload[:8])), 0); !f.now().Before(exp) {
		return "", false
	}
	got, user, ok := strings.Cut(string(payload[16:]), "\x00")
	if !ok || got != purpose || user == "" {
		return "", false
	}
	return user, true
}
