package store

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The fast path reads what Brug writes exactly as the driver's parsing
// does (same instant, same location), and leaves every other spelling to
// that parsing.
func TestStoredTimesParseAsTheDriverDoes(t *testing.T) {
	cases := []string{
		"2026-12-06 21:30:15.123456789+00:00", "2026-12-06 21:30:15+00:00", "2026-12-06T21:30:15.5Z",
		"2026-12-06 21:30:15", "2026-12-06T21:30:15.000001", "2024-02-29 00:00:00+00:00",
		"2026-12-06 21:30:15.123+01:00", "2026-12-06 21:30", "2026-12-06", "2026-12-06 21:30:15 +0000 UTC",
		"2023-02-29 10:00:00+00:00", "2026-13-01 10:00:00", "2026-12-06 24:00:00", "2026-12-06 21:30:15.", "2026-12-06 21:30:15.1234567891",
		"2026-12-06 21:30:15+00:0", "2026-12-06 21:30:15 ", "not a time", "", "2026-1a-06 21:30:15",
	}
	rng := rand.New(rand.NewPCG(7, 18))
	for range 2000 {
		at := time.Unix(rng.Int64N(4_000_000_000), rng.Int64N(1e9)).UTC()
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02 15:04:05"} {
			cases = append(cases, at.Format(layout))
		}
	}
	fast := 0
	for _, s := range cases {
		got, gotErr := parseStoredTime(s)
		want, wantErr := driverTime(s)
		if (gotErr == nil) != (wantErr == nil) || !got.Equal(want) || got.Location() != want.Location() {
			t.Errorf("%q: %v %v, the driver %v %v", s, got, gotErr, want, wantErr)
		}
		if _, ok := fastUTC(s); ok {
			fast++
		}
	}
	if fast < 6000 {
		t.Errorf("only %d of %d spellings took the fast path", fast, len(cases))
	}
}
