package store

import (
	"errors"
	"strings"
	"time"
)

// SQLite keeps times as text. Its driver parses every DATETIME column by
// trying layouts in turn (the first, time.String()'s, never matches what
// Brug writes), which was 14% of the caseload list's CPU on SQLite; the
// list reads its times as text instead and parses them here: the layout
// Brug writes, in UTC, directly, anything else as the driver does.

// parseStoredTime reads a stored SQLite time as the driver would.
func parseStoredTime(s string) (time.Time, error) {
	if t, ok := fastUTC(s); ok {
		return t, nil
	}
	return driverTime(s)
}

// driverTime is the driver's own parsing (glebarez/go-sqlite parseTime).
func driverTime(s string) (time.Time, error) {
	probe := s
	if x := strings.Index(s, "m="); x > 0 {
		probe = s[:x]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(probe)); err == nil {
		return t, nil
	}
	ts := strings.TrimSuffix(s, "Z")
	for _, f := range storedTimeLayouts {
		if t, err := time.ParseInLocation(f, ts, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("store: unreadable stored time")
}

var storedTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// fastUTC reads "YYYY-MM-DD hh:mm:ss[.fraction]" (or with a T) followed by
// nothing, Z or +00:00: a time in UTC, as ParseInLocation(…, UTC) gives it.
func fastUTC(s string) (time.Time, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	hour, ok4 := num(11, 2)
	minute, ok5 := num(14, 2)
	sec, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	if day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		digits := rest[1:i]
		if len(digits) == 0 || len(digits) > 9 {
			return time.Time{}, false
		}
		for j := 0; j < 9; j++ {
			nsec *= 10
			if j < len(digits) {
				nsec += int(digits[j] - '0')
			}
		}
		rest = rest[i:]
	}
	switch rest {
	case "", "Z", "+00:00":
	default:
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}
