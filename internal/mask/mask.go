// Package mask shows contact data in part: enough for a CHW to recognise
// a number or address, not enough to use it.
package mask

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Destination shows where a message goes without the whole number or
// address: "+32 4•• •• •1 23", "a•••@example.org". The first digit tells a
// mobile from a landline, the last three let a CHW check it with the client.
func Destination(channel, to string) string {
	if to == "" {
		return ""
	}
	if channel == "email" {
		local, domain, ok := strings.Cut(to, "@")
		if !ok || local == "" {
			return "•••"
		}
		return string([]rune(local)[:1]) + "•••@" + domain
	}
	shown := to
	if n, err := phonenumbers.Parse(to, "BE"); err == nil {
		shown = phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
	}
	code, rest, ok := strings.Cut(shown, " ")
	if !ok {
		code, rest = "", shown
	}
	digits := 0
	for _, r := range rest {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	var b strings.Builder
	seen := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			b.WriteRune(r)
			continue
		}
		seen++
		if seen == 1 || seen > digits-3 {
			b.WriteRune(r)
		} else {
			b.WriteRune('•')
		}
	}
	if code == "" {
		return b.String()
	}
	return code + " " + b.String()
}
