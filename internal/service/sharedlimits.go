package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
)

// sharedRule is one limit counted in the database, so every replica on one
// PostgreSQL database spends the same allowance. Each process keeps its own
// token buckets too (auth.LoginLimiter); these cap the sum over replicas.
type sharedRule struct {
	window time.Duration
	limit  int
}

// The sign-in rules mirror auth.DefaultLoginLimits over a minute (the
// burst) and ten minutes (burst plus refill).
var (
	sharedIPAttempts     = []sharedRule{{time.Minute, 20}, {10 * time.Minute, 110}}
	sharedFailures       = []sharedRule{{time.Minute, 10}, {10 * time.Minute, 60}}
	errTooManyAttempts   = "Too many sign-in attempts. Try again later."
	sharedContactWindow  = time.Hour
	sharedCounterKeepFor = 2 * time.Hour
)

// sharedKey is a keyed hash: the table never holds an address or e-mail.
func (s *Service) sharedKey(kind, value string) string {
	m := hmac.New(sha256.New, s.LinkSecret)
	m.Write([]byte("rate:" + kind + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:20])
}

// clientNet is the address a limit counts: IPv6 by /64, as one subscriber
// holds a whole /64.
func clientNet(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return strings.TrimSpace(ip)
	}
	a = a.Unmap()
	if a.Is6() {
		a = netip.PrefixFrom(a, 64).Masked().Addr()
	}
	return a.WithZone("").String()
}

// sharedRefuse answers 429 when key already reached a rule's limit.
func (s *Service) sharedRefuse(ctx context.Context, key string, rules []sharedRule) error {
	for _, r := range rules {
		n, left, err := s.Store.RateCount(ctx, key, r.window)
		if err != nil {
			return err
		}
		if n >= r.limit {
			return &apperr.Error{Kind: apperr.KindRateLimited, Detail: errTooManyAttempts, RetryAfter: left}
		}
	}
	return nil
}

func (s *Service) sharedHit(ctx context.Context, key string, rules []sharedRule) {
	for _, r := range rules {
		if _, _, err := s.Store.RateHit(ctx, key, r.window); err != nil {
			s.Log.Warn("shared limit not counted", "err", err)
		}
	}
}

// sharedLoginCheck is asked before a password is checked on PostgreSQL:
// the address's attempts and the account's (or this device's) failures
// over every replica.
func (s *Service) sharedLoginCheck(ctx context.Context, ip, email, device string) error {
	if !s.Store.SharedLimits() || s.LocalLimitsOnly {
		return nil
	}
	if err := s.sharedRefuse(ctx, s.sharedKey("ip", clientNet(ip)), sharedIPAttempts); err != nil {
		return err
	}
	if err := s.sharedRefuse(ctx, s.failureKey(email, device), sharedFailures); err != nil {
		return err
	}
	s.sharedHit(ctx, s.sharedKey("ip", clientNet(ip)), sharedIPAttempts)
	return nil
}

func (s *Service) failureKey(email, device string) string {
	acct := strings.ToLower(strings.TrimSpace(email))
	if device != "" {
		return s.sharedKey("device", acct+"\x00"+device)
	}
	return s.sharedKey("account", acct)
}

// sharedLoginFailure counts a wrong password over every replica.
func (s *Service) sharedLoginFailure(ctx context.Context, email, device string) {
	if s.Store.SharedLimits() && !s.LocalLimitsOnly {
		s.sharedHit(ctx, s.failureKey(email, device), sharedFailures)
	}
}

// SharedContactAllowed counts a contact-form message from ip over every
// replica (PostgreSQL only; true on SQLite) and says how long to wait when
// the hour's allowance is spent.
func (s *Service) SharedContactAllowed(ctx context.Context, ip string, perHour int) (time.Duration, bool) {
	if !s.Store.SharedLimits() || s.LocalLimitsOnly {
		return 0, true
	}
	n, left, err := s.Store.RateHit(ctx, s.sharedKey("contact", clientNet(ip)), sharedContactWindow)
	if err != nil {
		s.Log.Warn("shared contact limit not counted", "err", err)
		return 0, true
	}
	return left, n <= perHour
}

// ForgetSharedCounters drops ended windows (housekeeping).
func (s *Service) ForgetSharedCounters(ctx context.Context) error {
	return s.Store.ForgetRateCounters(ctx, s.Store.Now().Add(-sharedCounterKeepFor))
}
