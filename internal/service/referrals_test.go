package service

import (
	"slices"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
)

// Every from×to pair of the referral state machine.
func TestReferralStateMachine(t *testing.T) {
	open := map[string]bool{}
	for _, s := range OpenReferralStatuses {
		open[s] = true
	}
	for _, from := range ReferralStatuses {
		for _, to := range ReferralStatuses {
			in := TransitionInput{To: to, Reason: "because", Outcome: ""}
			if to == "completed" {
				in.Outcome = "seen"
			}
			_, err := checkTransition(from, in)
			want := slices.Contains(ReferralTransitions[from], to)
			if (err == nil) != want {
				t.Errorf("%s -> %s: err=%v, want allowed=%v", from, to, err, want)
			}
			if err != nil && !apperr.IsKind(err, apperr.KindConflict) {
				t.Errorf("%s -> %s: illegal transition must be 409, got %v", from, to, err)
			}
			if err != nil {
				if e, _ := apperr.As(err); e.Extra["allowed"] == nil {
					t.Errorf("%s -> %s: 409 must name the allowed transitions", from, to)
				}
			}
		}
		// cancelled and expired are reachable from every open state, and nothing leaves a closed one.
		if open[from] && from != "draft" && (!slices.Contains(ReferralTransitions[from], "cancelled") || !slices.Contains(ReferralTransitions[from], "expired")) {
			t.Errorf("%s cannot be cancelled or expire", from)
		}
		if !open[from] && len(ReferralTransitions[from]) != 0 {
			t.Errorf("closed status %s has transitions %v", from, ReferralTransitions[from])
		}
	}
	if _, err := checkTransition("sent", TransitionInput{To: "declined"}); !apperr.IsKind(err, apperr.KindValidation) {
		t.Errorf("declined without a reason: %v", err)
	}
	if _, err := checkTransition("appointment_set", TransitionInput{To: "completed"}); !apperr.IsKind(err, apperr.KindValidation) {
		t.Errorf("completed without an outcome: %v", err)
	}
	if _, err := checkTransition("appointment_set", TransitionInput{To: "completed", Outcome: "cured"}); !apperr.IsKind(err, apperr.KindValidation) {
		t.Errorf("unknown outcome: %v", err)
	}
	if _, err := checkTransition("sent", TransitionInput{To: "teleported"}); !apperr.IsKind(err, apperr.KindValidation) {
		t.Errorf("unknown status: %v", err)
	}
}

// Brussels wall-clock times across both clock changes of 2026.
func TestBrusselsTimes(t *testing.T) {
	cases := []struct {
		local string
		utc   string
		ok    bool
	}{
		{"2026-03-29T01:30", "2026-03-29T00:30:00Z", true}, // winter time, UTC+1
		{"2026-03-29T02:30", "", false},                    // skipped: clocks go 02:00 -> 03:00
		{"2026-03-29T03:30", "2026-03-29T01:30:00Z", true}, // summer time, UTC+2
		{"2026-10-25T01:30", "2026-10-24T23:30:00Z", true}, // summer time
		{"2026-10-25T02:30", "2026-10-25T00:30:00Z", true}, // happens twice: the first, summer time
		{"2026-10-25T03:30", "2026-10-25T02:30:00Z", true}, // winter time again
		{"2026-13-01T10:00", "", false},
		{"tomorrow", "", false},
	}
	for _, c := range cases {
		got, err := ParseBrusselsLocal(c.local)
		if (err == nil) != c.ok {
			t.Errorf("%s: err=%v, want ok=%v", c.local, err, c.ok)
			continue
		}
		if c.ok && got.Format(time.RFC3339) != c.utc {
			t.Errorf("%s: %s, want %s", c.local, got.Format(time.RFC3339), c.utc)
		}
	}
	if d := BrusselsDate(time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC)); d != "2026-03-29" {
		t.Errorf("a late UTC evening is the next day in Brussels: %s", d)
	}
}
