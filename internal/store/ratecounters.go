package store

import (
	"context"
	"time"
)

// SharedLimits tells whether limits must be counted in the database: on
// PostgreSQL several replicas share one, on SQLite one process runs.
func (s *Store) SharedLimits() bool { return s.isPG() }

// windowKey keeps windows of different lengths apart: a minute and ten
// minutes starting at the same instant are two counters, not one.
func windowKey(key string, window time.Duration) string { return key + "/" + window.String() }

// windowOf is the start of the fixed window holding t.
func windowOf(t time.Time, window time.Duration) time.Time { return t.UTC().Truncate(window) }

// RateCount is how many times key was counted in the window holding now.
func (s *Store) RateCount(ctx context.Context, key string, window time.Duration) (int, time.Duration, error) {
	now := s.Now()
	start := windowOf(now, window)
	var n int
	err := s.q(ctx).Raw("SELECT COALESCE(MAX(n), 0) FROM rate_counters WHERE key = ? AND window_start = ?", windowKey(key, window), start).Scan(&n).Error
	return n, start.Add(window).Sub(now), mapErr(err, "rate count")
}

// RateHit counts key once in the window holding now, atomically across
// processes, and returns the window's count with the time left in it.
func (s *Store) RateHit(ctx context.Context, key string, window time.Duration) (int, time.Duration, error) {
	now := s.Now()
	start := windowOf(now, window)
	var n int
	err := s.q(ctx).Raw(`INSERT INTO rate_counters (key, window_start, n) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET n = rate_counters.n + 1 RETURNING n`, windowKey(key, window), start).Scan(&n).Error
	return n, start.Add(window).Sub(now), mapErr(err, "rate hit")
}

// ForgetRateCounters drops windows that ended before cutoff (housekeeping).
func (s *Store) ForgetRateCounters(ctx context.Context, cutoff time.Time) error {
	return mapErr(s.q(ctx).Exec("DELETE FROM rate_counters WHERE window_start < ?", cutoff.UTC()).Error, "forget rate counters")
}
