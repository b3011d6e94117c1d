package service_test

import (
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/service"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestBelgianHolidays(t *testing.T) {
	holidays := []time.Time{
		day(2026, 1, 1), day(2026, 4, 6) /* Easter Monday */, day(2026, 5, 1), day(2026, 5, 14), /* Ascension */
		day(2026, 5, 25) /* Whit Monday */, day(2026, 7, 21), day(2026, 8, 15), day(2026, 11, 1), day(2026, 11, 11), day(2026, 12, 25),
		day(2027, 3, 29) /* Easter Monday */, day(2027, 5, 6), day(2027, 5, 17),
	}
	for _, d := range holidays {
		if !service.BelgianHoliday(d) {
			t.Errorf("%s is a Belgian public holiday", d.Format("2006-01-02"))
		}
	}
	for _, d := range []time.Time{day(2026, 4, 5), day(2026, 4, 7), day(2026, 12, 24), day(2026, 12, 26), day(2027, 3, 28)} {
		if service.BelgianHoliday(d) {
			t.Errorf("%s is not a holiday", d.Format("2006-01-02"))
		}
	}
}

func TestWorkingDaysCutoff(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, service.Brussels) }
	cases := []struct {
		created, now time.Time
		overdue      bool
	}{
		// Friday's request: Mon, Tue, Wed are its three working days.
		{at(2026, 12, 4, 10), at(2026, 12, 9, 23), false},
		{at(2026, 12, 4, 10), at(2026, 12, 10, 0), true},
		// Christmas (Friday) does not count: Thursday 24th is overdue on Thursday 31st, not before.
		{at(2026, 12, 24, 10), at(2026, 12, 30, 18), false},
		{at(2026, 12, 24, 10), at(2026, 12, 31, 9), true},
		// A Saturday request waits for Mon, Tue, Wed too.
		{at(2026, 12, 5, 10), at(2026, 12, 10, 9), true},
		{at(2026, 12, 5, 10), at(2026, 12, 9, 9), false},
	}
	for _, c := range cases {
		cutoff := service.WorkingDaysCutoff(c.now, 3)
		if got := c.created.Before(cutoff); got != c.overdue {
			t.Errorf("created %s, now %s: overdue %v, want %v (cutoff %s)", c.created, c.now, got, c.overdue, cutoff)
		}
	}
}
