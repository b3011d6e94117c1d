package demo

import (
	"math/rand/v2"
	"time"

	"github.com/brug-chw/brug/internal/service"
)

// Demo work happens when the programme works: CHWs on working days (the
// service's Belgian calendar) from 08:30 to 17:30, providers' practices
// from 08:00 to 18:00 and some GPs on Saturday morning, all Brussels time.
const (
	workFrom, workTo     = 8*60 + 30, 17*60 + 30
	clinicFrom, clinicTo = 8 * 60, 18 * 60
	saturdayFrom, satTo  = 9 * 60, 12 * 60
)

func brussels() *time.Location { return service.Brussels }

// dayOf is the Brussels calendar date of t, as service.WorkingDay wants it.
func dayOf(t time.Time) time.Time {
	l := t.In(brussels())
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// atMinute is minute m (after midnight, Brussels) of the date d.
func atMinute(d time.Time, m int) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, m, 0, 0, brussels()).UTC()
}

// minuteOf is the Brussels minute of the day of t.
func minuteOf(t time.Time) int { l := t.In(brussels()); return l.Hour()*60 + l.Minute() }

// workingDayFrom is the first working day on or after the date of t.
func workingDayFrom(t time.Time) time.Time {
	d := dayOf(t)
	for !service.WorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// workTime is a moment in working hours on the first working day from t
// (from t itself when t is such a day and there is time left) leaving room
// for dur minutes, on a quarter of an hour.
func workTime(rng *rand.Rand, t time.Time, dur int) time.Time {
	d, from := workingDayFrom(t), workFrom
	if d.Equal(dayOf(t)) {
		if m := minuteOf(t); m > from {
			from = (m + 14) / 15 * 15
		}
		if from+dur > workTo {
			d, from = workingDayFrom(d.AddDate(0, 0, 1)), workFrom
		}
	}
	slots := (workTo-dur-from)/15 + 1
	return atMinute(d, from+15*rng.IntN(slots))
}

// clinicTime is a consultation slot on or after t: a weekday in practice
// hours, or for a GP now and then a Saturday morning.
func clinicTime(rng *rand.Rand, t time.Time, providerType string, dur int) time.Time {
	d := dayOf(t)
	if minuteOf(t) > clinicFrom {
		d = d.AddDate(0, 0, 1)
	}
	if providerType == "gp" && rng.IntN(8) == 0 {
		for d.Weekday() != time.Saturday || service.BelgianHoliday(d) {
			d = d.AddDate(0, 0, 1)
		}
		return atMinute(d, saturdayFrom+15*rng.IntN((satTo-dur-saturdayFrom)/15+1))
	}
	for !service.WorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return atMinute(d, clinicFrom+15*rng.IntN((clinicTo-dur-clinicFrom)/15+1))
}

func days(n float64) time.Duration { return time.Duration(n * 24 * float64(time.Hour)) }
