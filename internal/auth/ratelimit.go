package auth

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LoginLimits tune login throttling. A zero field takes its value from
// DefaultLoginLimits.
type LoginLimits struct {
	PerIP        rate.Limit // sign-in attempts per second from one address
	IPBurst      int
	PerAccount   rate.Limit // failed sign-ins per second on one account
	AccountBurst int
	MaxKeys      int // addresses, and separately accounts, remembered at most
}

// DefaultLoginLimits: 10 attempts a minute per address (burst 20) and 5
// failures a minute per account (burst 10).
var DefaultLoginLimits = LoginLimits{
	PerIP: rate.Every(6 * time.Second), IPBurst: 20,
	PerAccount: rate.Every(12 * time.Second), AccountBurst: 10,
	MaxKeys: 100_000,
}

// pendingTTL is how long an allowed attempt counts against its account
// while its outcome is unknown. It outlasts a hash that queued for the full
// DefaultQueueWait, and lets a reservation whose caller never reported back
// (an error between Allow and Failure/Success) lapse instead of throttling
// the account for good.
const pendingTTL = 30 * time.Second

// inFlightRetry is the advice while an account's bucket is fully reserved
// by attempts still being checked.
const inFlightRetry = time.Second

// maxRetryAfter caps the advice given when a limit is configured to zero.
const maxRetryAfter = time.Hour

// LoginLimiter slows password guessing without locking the real user out.
// Every attempt costs its address a token, so one address cannot spray many
// accounts. Only failures cost the account, and the account bucket refills
// rather than locking. A browser that signed in to the account before
// carries a signed device cookie and is throttled on its own bucket
// (AllowDevice), so guesses from elsewhere never keep the real user out.
//
// Attempts in flight are counted against the account until their outcome
// is reported: otherwise many addresses firing at once would all pass Allow
// before the first Failure was recorded.
//
// It holds no e-mail or IP addresses: keys are keyed hashes, under a random
// key made per limiter, so a memory dump cannot even be checked against a
// list of known addresses.
type LoginLimiter struct {
	mu       sync.Mutex
	limits   LoginLimits
	now      func() time.Time
	hashKey  []byte
	ips      *lru
	accounts *lru
}

// NewLoginLimiter builds a limiter; now may be nil for the wall clock.
func NewLoginLimiter(l LoginLimits, now func() time.Time) *LoginLimiter {
	d := DefaultLoginLimits
	if l.PerIP == 0 {
		l.PerIP = d.PerIP
	}
	if l.IPBurst <= 0 {
		l.IPBurst = d.IPBurst
	}
	if l.PerAccount == 0 {
		l.PerAccount = d.PerAccount
	}
	if l.AccountBurst <= 0 {
		l.AccountBurst = d.AccountBurst
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	if now == nil {
		now = time.Now
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails: crypto/rand crashes the program instead
	return &LoginLimiter{
		limits:   l,
		now:      now,
		hashKey:  key,
		ips:      newLRU(l.MaxKeys),
		accounts: newLRU(l.MaxKeys),
	}
}

// normalizeAccount is the form of an e-mail address that identifies an
// account for throttling, so "Ann@X " and "ann@x" share one bucket.
func normalizeAccount(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

func (l *LoginLimiter) hash(kind byte, s string) string {
	m := hmac.New(sha256.New, l.hashKey)
	m.Write([]byte{kind}) // addresses and accounts never share a key
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}

func (l *LoginLimiter) accountKey(email string) string {
	return l.hash('a', normalizeAccount(email))
}

// ipKey throttles IPv6 clients by /64: one host usually owns a whole /64,
// so counting single addresses would give an attacker 2^64 fresh buckets.
func (l *LoginLimiter) ipKey(ip string) string {
	s := strings.TrimSpace(ip)
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		if a.Is6() {
			a = netip.PrefixFrom(a, 64).Masked().Addr()
		}
		s = a.WithZone("").String()
	}
	return l.hash('i', s)
}

func (l *LoginLimiter) ipBucket(ip string) *bucket {
	return l.ips.get(l.ipKey(ip), func() *rate.Limiter { return rate.NewLimiter(l.limits.PerIP, l.limits.IPBurst) })
}

func (l *LoginLimiter) accountBucket(account string) *bucket {
	return l.accounts.get(l.accountKey(account), func() *rate.Limiter {
		return rate.NewLimiter(l.limits.PerAccount, l.limits.AccountBurst)
	})
}

// Allow is asked before a password is checked. When it says yes, the
// attempt has cost the address one token and is counted against the account
// until Failure or Success reports how it went. When it says no, nothing is
// spent and retryAfter is how long until both buckets would allow it.
func (l *LoginLimiter) Allow(ip, account string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ipb, acc := l.ipBucket(ip), l.accountBucket(account)
	acc.expirePending(now)
	accWait := waitFor(acc.lim, now, float64(acc.pending+1))
	if acc.pending >= acc.lim.Burst() && acc.lim.Limit() != rate.Inf {
		// As many attempts in flight as the bucket holds: their outcomes,
		// due within a hash's time, decide whether there is room.
		accWait = max(accWait, inFlightRetry)
	}
	retryAfter = max(waitFor(ipb.lim, now, 1), accWait)
	if retryAfter > 0 {
		return false, retryAfter
	}
	ipb.lim.AllowN(now, 1)
	acc.pending++
	acc.pendingUntil = now.Add(pendingTTL)
	return true, 0
}

// Failure records a failed attempt against the account. The address already
// paid for the attempt in Allow; charging it again would halve its budget
// for people behind a shared address who merely mistype.
func (l *LoginLimiter) Failure(ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.ipBucket(ip) // keeps the address recent, so eviction picks idle ones
	acc := l.accountBucket(account)
	acc.expirePending(now)
	if acc.pending > 0 {
		acc.pending--
	}
	// ReserveN, not AllowN: a failure that arrives when the bucket is already
	// empty must still count, as debt the attacker waits off.
	acc.lim.ReserveN(now, 1)
}

// Success ends an attempt from an unknown device that got in. It does not
// forget the account's failures: the bucket for unknown devices is what an
// attacker rotating addresses spends, and a sign-in by the real user must
// not hand them a fresh burst. The user is let in from then on by the device
// cookie that sign-in earns (AllowDevice), not by emptying the bucket.
func (l *LoginLimiter) Success(ip, account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ipBucket(ip)
	acc := l.accountBucket(account)
	acc.expirePending(l.now())
	if acc.pending > 0 {
		acc.pending--
	}
}

// deviceBucket throttles one known device of one account: a browser that
// signed in to it before (a signed device cookie, OWASP's "device
// cookies"). It has the account's limits, but its own tokens, so guesses
// from unknown devices never slow the real user on a device they used.
func (l *LoginLimiter) deviceBucket(account, device string) *bucket {
	return l.accounts.get(l.hash('d', normalizeAccount(account)+"\x00"+device), func() *rate.Limiter {
		return rate.NewLimiter(l.limits.PerAccount, l.limits.AccountBurst)
	})
}

// AllowDevice is Allow for an attempt from a known device of the account:
// the address still pays, the device's own bucket stands in for the
// account's.
func (l *LoginLimiter) AllowDevice(ip, account, device string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ipb, dev := l.ipBucket(ip), l.deviceBucket(account, device)
	dev.expirePending(now)
	devWait := waitFor(dev.lim, now, float64(dev.pending+1))
	if dev.pending >= dev.lim.Burst() && dev.lim.Limit() != rate.Inf {
		devWait = max(devWait, inFlightRetry)
	}
	if retryAfter = max(waitFor(ipb.lim, now, 1), devWait); retryAfter > 0 {
		return false, retryAfter
	}
	ipb.lim.AllowN(now, 1)
	dev.pending++
	dev.pendingUntil = now.Add(pendingTTL)
	return true, 0
}

// FailureDevice records a wrong password typed on a known device.
func (l *LoginLimiter) FailureDevice(ip, account, device string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.ipBucket(ip)
	dev := l.deviceBucket(account, device)
	dev.expirePending(now)
	if dev.pending > 0 {
		dev.pending--
	}
	dev.lim.ReserveN(now, 1)
}

// SuccessDevice forgets the known device's failures (the user's own typos).
func (l *LoginLimiter) SuccessDevice(ip, account, device string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ipBucket(ip)
	l.accounts.remove(l.hash('d', normalizeAccount(account)+"\x00"+device))
}

// Size reports how many addresses and accounts are remembered.
func (l *LoginLimiter) Size() (ips, accounts int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ips.len(), l.accounts.len()
}

// waitFor is how long until lim holds need tokens, need capped at the
// burst, which the bucket never exceeds.
func waitFor(lim *rate.Limiter, now time.Time, need float64) time.Duration {
	limit := lim.Limit()
	if limit == rate.Inf {
		return 0
	}
	need = min(need, float64(lim.Burst()))
	missing := need - lim.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	if limit <= 0 {
		return maxRetryAfter
	}
	// Rounded up to the millisecond so that waiting exactly this long is
	// enough despite floating-point error.
	ms := math.Ceil(missing / float64(limit) * 1000)
	return min(time.Duration(ms)*time.Millisecond, maxRetryAfter)
}

type bucket struct {
	key          string
	lim          *rate.Limiter
	pending      int
	pendingUntil time.Time
}

func (b *bucket) expirePending(now time.Time) {
	if b.pending > 0 && !now.Before(b.pendingUntil) {
		b.pending = 0
	}
}

// lru bounds memory under a spray of distinct addresses or accounts. Least
// recently used goes first: an account under attack is used constantly and
// keeps its failures, while a forgotten idle key has usually refilled anyway.
type lru struct {
	max   int
	items map[string]*list.Element
	order *list.List // front is most recent; values are *bucket
}

func newLRU(maxKeys int) *lru {
	return &lru{max: maxKeys, items: map[string]*list.Element{}, order: list.New()}
}

func (c *lru) get(key string, mk func() *rate.Limiter) *bucket {
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*bucket)
	}
	for c.order.Len() >= c.max {
		oldest := c.order.Back()
		delete(c.items, oldest.Value.(*bucket).key)
		c.order.Remove(oldest)
	}
	b := &bucket{key: key, lim: mk()}
	c.items[key] = c.order.PushFront(b)
	return b
}

func (c *lru) remove(key string) {
	if e, ok := c.items[key]; ok {
		delete(c.items, key)
		c.order.Remove(e)
	}
}

func (c *lru) len() int { return c.order.Len() }
