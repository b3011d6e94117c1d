package auth

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestLimiter(maxKeys int) (*LoginLimiter, *fakeClock) {
	clock := &fakeClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := NewLoginLimiter(LoginLimits{
		PerIP: rate.Every(6 * time.Second), IPBurst: 3,
		PerAccount: rate.Every(12 * time.Second), AccountBurst: 2,
		MaxKeys: maxKeys,
	}, clock.now)
	return l, clock
}

// about allows for waits being rounded up to the millisecond, so that
// waiting the advised time is always enough.
func about(got, want time.Duration) bool { return got >= want && got <= want+time.Millisecond }

// attempt is one failed sign-in as the service makes it.
func attempt(l *LoginLimiter, ip, account string) (bool, time.Duration) {
	ok, wait := l.Allow(ip, account)
	if ok {
		l.Failure(ip, account)
	}
	return ok, wait
}

func TestIPOverBurstWaits(t *testing.T) {
	l, clock := newTestLimiter(100)
	for i := range 3 {
		if ok, _ := attempt(l, "198.51.100.1", fmt.Sprintf("u%d@x", i)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	ok, wait := l.Allow("198.51.100.1", "u9@x")
	if ok || !about(wait, 6*time.Second) {
		t.Fatalf("over the burst: ok=%v wait=%v, want a 6s wait", ok, wait)
	}
	// Refused attempts spend nothing, so the advice stays true.
	clock.advance(wait - time.Millisecond)
	if ok, _ := l.Allow("198.51.100.1", "u9@x"); ok {
		t.Fatal("allowed before the advised wait")
	}
	clock.advance(time.Millisecond)
	if ok, _ := l.Allow("198.51.100.1", "u9@x"); !ok {
		t.Fatal("not allowed after the advised wait")
	}
	if ok, _ := l.Allow("198.51.100.2", "u9@x"); !ok {
		t.Fatal("another address was affected")
	}
}

// Successful sign-ins cost the address too: it is the attempt rate that
// protects against spraying, and the attacker cannot tell in advance which
// attempt will succeed.
func TestIPCountsEveryAttempt(t *testing.T) {
	l, _ := newTestLimiter(100)
	for i := range 3 {
		if ok, _ := l.Allow("198.51.100.1", fmt.Sprintf("u%d@x", i)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
		l.Success("198.51.100.1", fmt.Sprintf("u%d@x", i))
	}
	if ok, _ := l.Allow("198.51.100.1", "u9@x"); ok {
		t.Fatal("address not limited")
	}
}

func TestAccountSlowedAcrossAddresses(t *testing.T) {
	l, clock := newTestLimiter(100)
	attempt(l, "203.0.113.1", "Victim@Example.org ")
	attempt(l, "203.0.113.2", "victim@example.org")
	ok, wait := l.Allow("203.0.113.3", " VICTIM@example.org")
	if ok || !about(wait, 12*time.Second) {
		t.Fatalf("account not slowed: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.Allow("203.0.113.3", "bystander@example.org"); !ok {
		t.Fatal("another account was affected")
	}
	// Slowed, not locked: the bucket refills.
	clock.advance(wait)
	if ok, _ := l.Allow("203.0.113.4", "victim@example.org"); !ok {
		t.Fatal("account still refused after the refill")
	}
}

// A sign-in from an unknown device does not refill the bucket that
// attackers on unknown devices spend; a known device has its own bucket,
// which its owner's success does refill.
func TestSuccessDoesNotRefillUnknownDevices(t *testing.T) {
	l, _ := newTestLimiter(100)
	// Ann mistypes once on a new phone and gets in with the second try:
	// her bucket for unknown devices now holds one failure, and keeps it.
	attempt(l, "203.0.113.1", "ann@example.org")
	if ok, _ := l.Allow("203.0.113.1", "ann@example.org"); !ok {
		t.Fatal("refused with one token left")
	}
	l.Success("203.0.113.1", "Ann@Example.org")
	if ok, _ := attempt(l, "203.0.113.5", "ann@example.org"); !ok {
		t.Fatal("the token left after her success is gone")
	}
	if ok, _ := l.Allow("203.0.113.6", "ann@example.org"); ok {
		t.Fatal("a success handed unknown devices a fresh burst")
	}
	// Her own browser is not held back by any of it, only by its own failures.
	const dev = "device-1"
	n := 0
	try := func() bool {
		n++
		ip := fmt.Sprintf("192.0.2.%d", n)
		ok, _ := l.AllowDevice(ip, "ann@example.org", dev)
		if ok {
			l.FailureDevice(ip, "ann@example.org", dev)
		}
		return ok
	}
	for i := range 2 {
		if !try() {
			t.Fatalf("known device, attempt %d: throttled by unknown devices' failures", i)
		}
	}
	if try() {
		t.Fatal("the known device's own failures do not count")
	}
	l.SuccessDevice("192.0.2.200", "ann@example.org", dev)
	for i := range 2 {
		if !try() {
			t.Fatalf("after her success, attempt %d on her device refused", i)
		}
	}
	if try() {
		t.Fatal("a known device is not limited at all")
	}
}

func TestAccountsIndependent(t *testing.T) {
	l, _ := newTestLimiter(100)
	for i := range 10 {
		attempt(l, fmt.Sprintf("203.0.113.%d", i), "a@example.org")
	}
	for i := range 2 {
		if ok, _ := attempt(l, fmt.Sprintf("192.0.2.%d", i), "b@example.org"); !ok {
			t.Fatalf("b refused because of a's failures (attempt %d)", i)
		}
	}
}

// Attempts whose outcome is not yet known count against the account, so a
// botnet firing at once cannot get more guesses through than the burst.
func TestInFlightAttemptsCount(t *testing.T) {
	l, _ := newTestLimiter(100)
	allowed := 0
	for i := range 10 {
		if ok, _ := l.Allow(fmt.Sprintf("203.0.113.%d", i), "victim@example.org"); ok {
			allowed++
		}
	}
	if allowed != 2 {
		t.Fatalf("%d simultaneous attempts allowed, want the burst of 2", allowed)
	}
	// The outcomes arrive: failures turn reservations into spent tokens.
	l.Failure("203.0.113.0", "victim@example.org")
	l.Failure("203.0.113.1", "victim@example.org")
	if ok, _ := l.Allow("203.0.113.20", "victim@example.org"); ok {
		t.Fatal("allowed after the burst was spent")
	}

	// A reservation whose caller never reports back lapses.
	l3, clock3 := newTestLimiter(100)
	l3.Allow("203.0.113.1", "c@example.org")
	l3.Allow("203.0.113.2", "c@example.org")
	if ok, _ := l3.Allow("203.0.113.3", "c@example.org"); ok {
		t.Fatal("third in-flight attempt allowed")
	}
	clock3.advance(pendingTTL)
	if ok, _ := l3.Allow("203.0.113.3", "c@example.org"); !ok {
		t.Fatal("abandoned reservations did not lapse")
	}
}

// Failures that arrive with the bucket already empty still count, as debt.
func TestFailuresBeyondBurstAreDebt(t *testing.T) {
	l, clock := newTestLimiter(100)
	for range 5 {
		l.Failure("203.0.113.1", "victim@example.org")
	}
	_, wait := l.Allow("203.0.113.9", "victim@example.org")
	if !about(wait, 4*12*time.Second) {
		t.Fatalf("wait %v, want 48s: 3 tokens of debt plus the one needed", wait)
	}
	clock.advance(wait)
	if ok, _ := l.Allow("203.0.113.9", "victim@example.org"); !ok {
		t.Fatal("not allowed after paying off the debt")
	}
}

// IPv6 hosts get a /64 each, so addresses are counted per /64.
func TestIPv6CountedPer64(t *testing.T) {
	l, _ := newTestLimiter(100)
	for i := range 3 {
		if ok, _ := attempt(l, fmt.Sprintf("2001:db8:1:2::%x", i+1), fmt.Sprintf("u%d@x", i)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if ok, _ := l.Allow("2001:db8:1:2:ffff::1", "u9@x"); ok {
		t.Fatal("a new address in the same /64 got a fresh bucket")
	}
	if ok, _ := l.Allow("2001:db8:1:3::1", "u9@x"); !ok {
		t.Fatal("another /64 was affected")
	}
	// An IPv4 address in IPv6 notation is the same client.
	l2, _ := newTestLimiter(100)
	for i := range 3 {
		attempt(l2, "198.51.100.7", fmt.Sprintf("u%d@x", i))
	}
	if ok, _ := l2.Allow("::ffff:198.51.100.7", "u9@x"); ok {
		t.Fatal("IPv4-mapped spelling got a fresh bucket")
	}
}

func TestKeysBoundedAndHashed(t *testing.T) {
	l, _ := newTestLimiter(10)
	attempt(l, "203.0.113.1", "victim@example.org")
	attempt(l, "203.0.113.2", "victim@example.org")
	for i := range 200 {
		attempt(l, fmt.Sprintf("10.0.%d.%d", i/250, i%250), fmt.Sprintf("spray%d@example.org", i))
		if i%5 == 0 {
			// The victim is under continuing attack, so recently used.
			if ok, _ := l.Allow("203.0.113.3", "victim@example.org"); ok {
				t.Fatalf("victim's failures were evicted by a spray (after %d)", i)
			}
		}
		if ips, accounts := l.Size(); ips > 10 || accounts > 10 {
			t.Fatalf("keys not bounded: %d addresses, %d accounts", ips, accounts)
		}
	}
	if ips, accounts := l.Size(); ips != 10 || accounts != 10 {
		t.Fatalf("after the spray: %d addresses, %d accounts, want 10 each", ips, accounts)
	}
	other, _ := newTestLimiter(10)
	for _, c := range []*lru{l.ips, l.accounts} {
		if len(c.items) != c.order.Len() {
			t.Fatal("map and list disagree")
		}
		for k := range c.items {
			if len(k) != 64 || strings.Trim(k, "0123456789abcdef") != "" {
				t.Fatalf("key %q is not a hex SHA-256", k)
			}
			if strings.Contains(k, "example") || strings.Contains(k, "203.0") || strings.Contains(k, "10.0.") {
				t.Fatalf("key %q holds the address", k)
			}
		}
	}
	// Keyed per limiter, so a dump cannot be matched against a list of
	// known e-mail addresses hashed offline.
	if l.accountKey("victim@example.org") == other.accountKey("victim@example.org") {
		t.Fatal("account keys are the same across limiters")
	}
	if l.accountKey("victim@example.org") != l.accountKey(" Victim@EXAMPLE.org\t") {
		t.Fatal("account not normalised")
	}
}

func TestLoginLimiterDefaults(t *testing.T) {
	l := NewLoginLimiter(LoginLimits{}, nil)
	if l.limits != DefaultLoginLimits {
		t.Fatalf("zero limits became %+v", l.limits)
	}
	for i := range 20 {
		if ok, _ := l.Allow("198.51.100.1", fmt.Sprintf("u%d@x", i)); !ok {
			t.Fatalf("attempt %d of the default burst refused", i)
		}
	}
	if ok, wait := l.Allow("198.51.100.1", "u@x"); ok || wait <= 0 || wait > 6*time.Second {
		t.Fatalf("21st attempt: %v %v", ok, wait)
	}
	unlimited := NewLoginLimiter(LoginLimits{PerIP: rate.Inf, PerAccount: rate.Inf}, nil)
	for range 1000 {
		if ok, _ := attempt(unlimited, "198.51.100.1", "u@x"); !ok {
			t.Fatal("rate.Inf refused")
		}
	}
}

func TestLoginLimiterConcurrent(t *testing.T) {
	l := NewLoginLimiter(LoginLimits{MaxKeys: 50}, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				ip, acc := fmt.Sprintf("10.%d.0.%d", g, i%97), fmt.Sprintf("u%d@x", i%61)
				if ok, _ := l.Allow(ip, acc); ok {
					if i%3 == 0 {
						l.Success(ip, acc)
					} else {
						l.Failure(ip, acc)
					}
				}
			}
		})
	}
	wg.Wait()
	if ips, accounts := l.Size(); ips > 50 || accounts > 50 {
		t.Fatalf("keys not bounded: %d, %d", ips, accounts)
	}
}
