package service

import (
	"regexp"
	"testing"
	"time"
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// Whatever a person types as a phone number: no panic, and an accepted one
// is E.164 and normalises to itself.
func FuzzNormalisePhone(f *testing.F) {
	for _, s := range []string{"0470 12 34 56", "+32 470 12 34 56", "0032470123456", "09 123 45 67", "12", "", "+", "\x00", "٠٤٧٠١٢٣٤٥٦"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := NormalisePhone(s)
		if !ok {
			return
		}
		if !e164.MatchString(out) {
			t.Fatalf("%q normalised to %q, not E.164", s, out)
		}
		if again, ok := NormalisePhone(out); !ok || again != out {
			t.Fatalf("%q: %q normalises to %q", s, out, again)
		}
	})
}

// A Brussels wall-clock time: no panic; an accepted one reads back as the
// same wall-clock time (the earlier instant of a repeated hour).
func FuzzParseBrusselsLocal(f *testing.F) {
	for _, s := range []string{"2026-03-29T02:30", "2026-10-25T02:30", "2026-12-01T10:00", "2026-13-01T10:00", "", "2026-02-30T10:00", "0000-01-01T00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseBrusselsLocal(s)
		if err != nil {
			return
		}
		if at.Location() != time.UTC {
			t.Fatalf("%q: not UTC", s)
		}
		if got := at.In(Brussels).Format("2006-01-02T15:04"); got != s {
			t.Fatalf("%q read back as %q", s, got)
		}
		if earlier := at.Add(-time.Hour); earlier.In(Brussels).Format("2006-01-02T15:04") == s {
			t.Fatalf("%q: the later instant of a repeated hour was taken", s)
		}
	})
}
