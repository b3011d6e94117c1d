package auth

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestLoginLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	l := NewLoginLimiter(LoginLimits{PerIP: rate.Every(6 * time.Second), IPBurst: 3, PerAccount: rate.Every(12 * time.Second), AccountBurst: 2, MaxKeys: 10}, clock)

	// An address over its burst waits, then may try again.
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("1.1.1.1", fmt.Sprintf("u%d@x", i)); !ok {
			t.Fatalf("attempt %d refused", i)
		}
	}
	ok, wait := l.Allow("1.1.1.1", "u9@x")
	if ok || wait <= 0 || wait > 6*time.Second {
		t.Fatalf("fourth attempt: ok=%v wait=%v", ok, wait)
	}
	now = now.Add(wait)
	if ok, _ := l.Allow("1.1.1.1", "u9@x"); !ok {
		t.Fatal("not allowed again after waiting")
	}

	// Failures on one account, from many addresses, slow that account only.
	l.Failure("2.2.2.1", "Victim@X ")
	l.Failure("2.2.2.2", "victim@x")
	if ok, wait := l.Allow("2.2.2.3", "victim@x"); ok || wait <= 0 {
		t.Fatalf("account not slowed: %v %v", ok, wait)
	}
	if ok, _ := l.Allow("2.2.2.3", "bystander@x"); !ok {
		t.Fatal("another account was affected")
	}
	// Slowed, not locked: the bucket refills.
	now = now.Add(12 * time.Second)
	if ok, _ := l.Allow("2.2.2.4", "victim@x"); !ok {
		t.Fatal("account still refused after the refill")
	}
	// A success clears the failures.
	l.Failure("2.2.2.5", "victim@x")
	l.Failure("2.2.2.5", "victim@x")
	l.Success("2.2.2.6", "victim@x")
	if ok, _ := l.Allow("2.2.2.6", "victim@x"); !ok {
		t.Fatal("success did not reset the account")
	}

	// Memory stays bounded under a spray of addresses.
	for i := 0; i < 100; i++ {
		l.Allow(fmt.Sprintf("9.9.%d.%d", i/250, i%250), "spray@x")
	}
	if ips, accounts := l.Size(); ips > 10 || accounts > 10 {
		t.Fatalf("keys not bounded: %d ips, %d accounts", ips, accounts)
	}
	for k := range l.accounts {
		if len(k) != 32 {
			t.Fatalf("account key %q is not a hash", k)
		}
	}
}
