package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// NewCalendarToken gives the caller a fresh personal feed token, revoking
// the previous one.
func (s *Service) NewCalendarToken(ctx context.Context, p *Principal) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if err := s.Store.CreateCalendarToken(ctx, p.UserID, auth.HashRefreshToken(token)); err != nil {
		return "", err
	}
	s.audit(ctx, p, "calendar.token", "user", p.UserID, "")
	return token, nil
}

// RevokeCalendarToken ends the caller's feed.
func (s *Service) RevokeCalendarToken(ctx context.Context, p *Principal) error {
	return s.Store.RevokeCalendarTokens(ctx, p.UserID)
}

// CalendarFeed renders the iCalendar feed of a token's CHW: their clients'
// appointments and the group sessions they facilitate, from 30 days ago on. It names clients by first name (or
// pseudonym) only and never says what kind of care it is.
func (s *Service) CalendarFeed(ctx context.Context, token string) ([]byte, error) {
	u, err := s.Store.CalendarUser(ctx, auth.HashRefreshToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(apperr.KindNotFound, "This calendar link is not valid (any more).")
	}
	if err != nil {
		return nil, err
	}
	apps, clients, err := s.Store.CHWAppointments(ctx, u.ID, s.Store.Now().Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	first := map[string]string{}
	for _, c := range clients {
		first[c.ID] = c.GivenName
		if first[c.ID] == "" {
			first[c.ID] = c.Pseudonym
		}
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Brug//Appointments//EN")
	cal.SetName("Brug")
	cal.SetXWRCalName("Brug")
	cal.SetXWRTimezone("Europe/Brussels")
	for _, a := range apps {
		e := cal.AddEvent(a.ID + "@brug")
		e.SetDtStampTime(a.UpdatedAt)
		e.SetStartAt(a.StartsAt)
		e.SetEndAt(a.StartsAt.Add(time.Duration(a.DurationMinutes) * time.Minute))
		e.SetSummary(icsText(fmt.Sprintf("Brug: %s", first[a.ClientID])))
		if a.Location != "" {
			e.SetLocation(icsText(a.Location))
		}
		switch a.Status {
		case "cancelled", "rescheduled":
			e.SetStatus(ics.ObjectStatusCancelled)
		default:
			e.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	sessions, err := s.Store.FacilitatorSessions(ctx, u.ID, s.Store.Now().Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	for _, g := range sessions {
		addGroupSessionEvent(cal, g)
	}
	return []byte(cal.Serialize()), nil
}

// addGroupSessionEvent adds a session the CHW facilitates. A session names
// nobody, so its title and place may be shown as they are.
func addGroupSessionEvent(cal *ics.Calendar, g model.GroupSession) {
	e := cal.AddEvent(g.ID + "@brug")
	e.SetDtStampTime(g.UpdatedAt)
	e.SetStartAt(g.StartsAt)
	e.SetEndAt(g.StartsAt.Add(time.Duration(g.DurationMinutes) * time.Minute))
	title := g.Title
	if title == "" {
		title = "Group session"
	}
	e.SetSummary(icsText("Brug: " + title))
	if place := strings.TrimSpace(strings.Join([]string{g.PartnerOrganisation, g.Location}, " ")); place != "" {
		e.SetLocation(icsText(place))
	}
	if g.Status == "cancelled" {
		e.SetStatus(ics.ObjectStatusCancelled)
	} else {
		e.SetStatus(ics.ObjectStatusConfirmed)
	}
}

// icsText readies stored text for an iCalendar TEXT value (RFC 5545 3.3.11).
// The library escapes backslash, ";", "," and LF; a CR (of older rows, or
// of a CRLF) would end the content line and let the rest of the value be
// read as a property of its own, and other control characters are not
// allowed in TEXT. Line breaks become LF (written as \n), controls go.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}
