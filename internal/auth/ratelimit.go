package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimits tune login throttling.
type LoginLimits struct {
	PerIP        rate.Limit // attempts per second from one address
	IPBurst      int
	PerAccount   rate.Limit // failed attempts per second on one account
	AccountBurst int
	MaxKeys      int // bound on remembered addresses and accounts
}

// DefaultLoginLimits: 10 attempts a minute per address (burst 20) and 5
// failures a minute per account (burst 10).
var DefaultLoginLimits = LoginLimits{
	PerIP: rate.Every(6 * time.Second), IPBurst: 20,
	PerAccount: rate.Every(12 * time.Second), AccountBurst: 10,
	MaxKeys: 100_000,
}

// LoginLimiter slows password guessing without locking the real user out:
// an address that tries too often waits; an account under attack only
// accepts attempts at a trickle (the bucket refills, it never locks), and a
// successful sign-in refills it at once.
type LoginLimiter struct {
	mu       sync.Mutex
	limits   LoginLimits
	now      func() time.Time
	ips      map[string]*entry
	accounts map[string]*entry
}

type entry struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLoginLimiter builds a limiter with an injectable clock.
func NewLoginLimiter(l LoginLimits, now func() time.Time) *LoginLimiter {
	if now == nil {
		now = time.Now
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = DefaultLoginLimits.MaxKeys
	}
	return &LoginLimiter{limits: l, now: now, ips: map[string]*entry{}, accounts: map[string]*entry{}}
}

// accountKey hashes the e-mail so the limiter's memory holds no addresses.
func accountKey(email string) string {
	s := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(s[:16])
}

func (l *LoginLimiter) get(m map[string]*entry, key string, r rate.Limit, burst int, now time.Time) *entry {
	e, ok := m[key]
	if !ok {
		if len(m) >= l.limits.MaxKeys {
			l.sweep(m, now)
		}
		e = &entry{lim: rate.NewLimiter(r, burst)}
		m[key] = e
	}
	e.seen = now
	return e
}

// sweep forgets entries whose bucket is full again (they hold no state worth
// keeping).
func (l *LoginLimiter) sweep(m map[string]*entry, now time.Time) {
	for k, e := range m {
		if e.lim.TokensAt(now) >= float64(e.lim.Burst()) {
			delete(m, k)
		}
	}
	// Under a spray of distinct keys, forget arbitrary entries down to half:
	// memory stays bounded, and a forgotten attacker only regains one burst.
	for k := range m {
		if len(m) <= l.limits.MaxKeys/2 {
			break
		}
		delete(m, k)
	}
}

func wait(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	if lim.Limit() <= 0 {
		return time.Hour
	}
	return time.Duration(math.Ceil(missing/float64(lim.Limit())*1000)) * time.Millisecond
}

// Allow is asked before a password is checked. It spends one attempt of the
// address; the account's bucket is only looked at, since only failures cost.
func (l *LoginLimiter) Allow(ip, account string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	acc := l.get(l.accounts, accountKey(account), l.limits.PerAccount, l.limits.AccountBurst, now)
	if w := wait(acc.lim, now); w > 0 {
		return false, w
	}
	ipe := l.get(l.ips, ip, l.limits.PerIP, l.limits.IPBurst, now)
	if !ipe.lim.AllowN(now, 1) {
		return false, wait(ipe.lim, now)
	}
	return true, 0
}

// Failure records a failed attempt against the account.
func (l *LoginLimiter) Failure(_ string, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.get(l.accounts, accountKey(account), l.limits.PerAccount, l.limits.AccountBurst, now).lim.AllowN(now, 1)
}

// Success refills the account's bucket: the real user is never left
// waiting for an attacker's failures once they got in.
func (l *LoginLimiter) Success(_ string, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts, accountKey(account))
}

// Size reports how many keys are remembered (tests check the bound).
func (l *LoginLimiter) Size() (ips, accounts int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ips), len(l.accounts)
}
