package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"time"
)

// DeviceTTL is how long a device cookie vouches for a browser.
const DeviceTTL = 365 * 24 * time.Hour

// DeviceSigner issues and checks device cookies (OWASP, "Slow down online
// guessing attacks with device cookies"): a browser that signed in to an
// account gets a token naming a random device id, bound to that account by
// an HMAC. Sign-in attempts carrying a valid one are throttled per device,
// so an attacker guessing from elsewhere cannot keep the real user out. The
// token proves nothing but "this browser got in before": it never replaces
// the password.
type DeviceSigner struct {
	key []byte
	now func() time.Time
}

// NewDeviceSigner derives its key from the server secret (a key of its own,
// so a device token is never an access token and the reverse).
func NewDeviceSigner(secret []byte, now func() time.Time) *DeviceSigner {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("brug device cookie v1"))
	if now == nil {
		now = time.Now
	}
	return &DeviceSigner{key: m.Sum(nil), now: now}
}

func (d *DeviceSigner) mac(account string, payload []byte) []byte {
	m := hmac.New(sha256.New, d.key)
	m.Write([]byte(normalizeAccount(account)))
	m.Write([]byte{0})
	m.Write(payload)
	return m.Sum(nil)
}

// Issue makes a device token for the account, valid DeviceTTL.
func (d *DeviceSigner) Issue(account string) string {
	payload := make([]byte, 24)
	_, _ = rand.Read(payload[:16])
	binary.BigEndian.PutUint64(payload[16:], uint64(d.now().Add(DeviceTTL).Unix()))
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(d.mac(account, payload))
}

// Verify returns the device id of a token issued for this account and not
// expired; ok is false for anything else (another account's, forged, old).
func (d *DeviceSigner) Verify(token, account string) (device string, ok bool) {
	p, sig, found := strings.Cut(token, ".")
	if !found || len(token) > 128 {
		return "", false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(payload) != 24 || !hmac.Equal(mac, d.mac(account, payload)) {
		return "", false
	}
	if exp := time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0); !d.now().Before(exp) {
		return "", false
	}
	return hex.EncodeToString(payload[:16]), true
}
