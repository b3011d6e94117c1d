package site

import (
	"fmt"
	"time"
)

var (
	weekdays = map[string][7]string{
		"nl": {"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"},
		"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		"de": {"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
		"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	}
	months = map[string][12]string{
		"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
)

// Date writes a day in lang ("dinsdag 8 december 2026"); t is already in
// the zone to show.
func Date(lang string, t time.Time) string {
	if !Supported(lang) {
		lang = "en"
	}
	wd, m := weekdays[lang][t.Weekday()], months[lang][t.Month()-1]
	if lang == "de" {
		return fmt.Sprintf("%s, %d. %s %d", wd, t.Day(), m, t.Year())
	}
	return fmt.Sprintf("%s %d %s %d", wd, t.Day(), m, t.Year())
}

// DateTime writes a day and time in lang ("dinsdag 8 december 2026, 14:30").
func DateTime(lang string, t time.Time) string {
	return Date(lang, t) + ", " + t.Format("15:04")
}
