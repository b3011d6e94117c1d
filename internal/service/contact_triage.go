package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ContactOverdueDays: a new request untouched for this many working days
// is highlighted in the queue and counted in /metrics.
const ContactOverdueDays = 3

// DefaultContactRetention is how long a handled request keeps its personal data.
const DefaultContactRetention = 183 * 24 * time.Hour

// easter returns Easter Sunday of year (anonymous Gregorian algorithm).
func easter(year int) time.Time {
	a, b, c := year%19, year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// BelgianHoliday reports whether a date is one of the ten legal public
// holidays of Belgium.
func BelgianHoliday(d time.Time) bool {
	y, m, day := d.Date()
	switch {
	case m == time.January && day == 1, m == time.May && day == 1, m == time.July && day == 21,
		m == time.August && day == 15, m == time.November && day == 1, m == time.November && day == 11,
		m == time.December && day == 25:
		return true
	}
	e := easter(y)
	date := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	for _, offset := range []int{1, 39, 50} { // Easter Monday, Ascension, Whit Monday
		if date.Equal(e.AddDate(0, 0, offset)) {
			return true
		}
	}
	return false
}

// WorkingDay reports whether d (a Brussels date) is a working day.
func WorkingDay(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !BelgianHoliday(d)
}

// WorkingDaysCutoff returns the instant before which a request has waited
// at least n full working days at now: the start (Brussels time) of the
// n-th working day before today. A request from Friday is overdue on
// Thursday morning with n = 3 (Monday, Tuesday, Wednesday have passed).
func WorkingDaysCutoff(now time.Time, n int) time.Time {
	local := now.In(Brussels)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Brussels)
	for counted := 0; counted < n; {
		day = day.AddDate(0, 0, -1)
		if WorkingDay(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)) {
			counted++
		}
	}
	return day
}

// ContactView is a request with whether it waits too long.
type ContactView struct {
	model.ContactRequest
	Overdue bool
	// HandledByName: by NameContacts (the queue is named as it is read).
	HandledByName string
}

func (s *Service) contactViews(rs []model.ContactRequest) []ContactView {
	cutoff := WorkingDaysCutoff(s.Store.Now(), ContactOverdueDays)
	out := make([]ContactView, len(rs))
	for i, r := range rs {
		out[i] = ContactView{ContactRequest: r, Overdue: r.Status == "new" && r.CreatedAt.Before(cutoff)}
	}
	return out
}

// ContactQueue lists the caller's requests: open ones oldest first, or
// handled ones newest first. Listing shows names, so it is audited.
func (s *Service) ContactQueue(ctx context.Context, p *Principal, open bool, kind string) ([]ContactView, error) {
	if kind != "" && !slices.Contains(model.ContactKinds, kind) {
		return nil, apperr.OneOf("kind", model.ContactKinds)
	}
	rs, err := s.Store.ContactRequests(ctx, p.Scope, store.ContactFilter{Open: open, Kind: kind})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "contact.list", "contact_request", "", map[bool]string{true: "open", false: "handled"}[open])
	return s.NameContacts(ctx, s.contactViews(rs))
}

// ContactRequest reads one request (audited).
func (s *Service) ContactRequest(ctx context.Context, p *Principal, id string) (ContactView, error) {
	r, err := s.Store.ContactRequestByID(ctx, p.Scope, id)
	if err != nil {
		return ContactView{}, storeErr(err)
	}
	s.audit(ctx, p, "contact.read", "contact_request", id, "")
	return s.contactViews([]model.ContactRequest{r})[0], nil
}

// openContact loads a request the caller may handle, still new.
func (s *Service) openContact(ctx context.Context, p *Principal, id string) (model.ContactRequest, error) {
	r, err := s.Store.ContactRequestByID(ctx, p.Scope, id)
	if err != nil {
		return r, storeErr(err)
	}
	if r.Status != "new" {
		return r, apperr.New(apperr.KindConflict, "This request was already handled.")
	}
	return r, nil
}

// handle runs fn in one transaction with a service bound to it, then marks
// the request handled with set; a request handled meanwhile is a conflict
// and nothing of fn stays.
func (s *Service) handleContact(ctx context.Context, p *Principal, r model.ContactRequest, status string, set map[string]any, fn func(tx *Service) error) error {
	err := s.Store.Tx(ctx, func(txStore *store.Store) error {
		tx := *s
		tx.Store = txStore
		now := txStore.Now()
		set["status"], set["handled_by"], set["handled_at"] = status, p.UserID, now
		if err := txStore.UpdateContactRequest(ctx, r.ID, "new", set); err != nil {
			return err
		}
		if fn == nil {
			return nil
		}
		return fn(&tx)
	})
	if errors.Is(err, store.ErrConflict) {
		return apperr.New(apperr.KindConflict, "This request was already handled.")
	}
	return err
}

// splitName makes a given and a family name of what the visitor typed.
func splitName(name string) (given, family string) {
	given, family, _ = strings.Cut(strings.Join(strings.Fields(name), " "), " ")
	return given, family
}

// ConvertContact turns a request into a client of the chosen CHW, with the
// client feature's duplicate check, and gives the CHW a first-contact task.
func (s *Service) ConvertContact(ctx context.Context, p *Principal, id, chwID, teamID string, confirmDuplicate bool) (ClientView, error) {
	r, err := s.openContact(ctx, p, id)
	if err != nil {
		return ClientView{}, err
	}
	team := teamID
	if team == "" && r.TeamID != nil {
		team = *r.TeamID
	}
	if chwID == "" {
		return ClientView{}, apperr.Validation("chw_id", "required", "Choose the CHW who will contact this person.")
	}
	given, family := splitName(r.Name)
	lang := r.Language
	chw := &chwID
	in := ClientInput{GivenName: &given, FamilyName: &family, Phone: ptr(r.Phone), Email: ptr(r.Email), Language: &lang,
		NeighbourhoodID: ptr(r.NeighbourhoodID), AssignedCHWID: &chw, Source: ptrTo("intake_form")}
	if team != "" {
		in.TeamID = &team
	}
	var created ClientView
	err = s.handleContact(ctx, p, r, "converted", map[string]any{}, func(tx *Service) error {
		c, err := tx.CreateClient(ctx, p, in, confirmDuplicate)
		if err != nil {
			return err
		}
		created = c
		if err := tx.Store.UpdateContactRequest(ctx, r.ID, "converted", map[string]any{"client_id": c.ID}); err != nil {
			return err
		}
		// The consent ticked on the form is the client's consent to care
		// coordination, with the privacy text's version and its time.
		if _, err := tx.Store.AddConsent(ctx, model.Consent{ClientID: c.ID, Purpose: "care_coordination", GivenAt: r.ConsentAt,
			GivenBy: p.UserID, TextVersion: r.ConsentVersion}); err != nil {
			return err
		}
		key := "contact-first:" + r.ID
		// The note is a kind and parameters, rendered in the reader's language.
		_, err = tx.Store.CreateTask(ctx, &model.Task{ClientID: c.ID, AssigneeID: c.AssignedCHWID, Kind: TaskFirstContact,
			DueOn: BrusselsDate(tx.Store.Now()), Params: TaskParams(map[string]string{"message": r.Message}), DedupeKey: &key, CreatedBy: &p.UserID})
		return err
	})
	if err != nil {
		return ClientView{}, err
	}
	s.audit(ctx, p, "contact.convert", "contact_request", r.ID, created.ID)
	return created, nil
}

func ptr[T any](v *T) **T { return &v }
func ptrTo[T any](v T) *T { return &v }

// PartnerContact adds the organisation of a collaboration offer to the
// team's provider directory and marks the request answered.
func (s *Service) PartnerContact(ctx context.Context, p *Principal, id, teamID string, in ProviderInput) (ProviderView, error) {
	r, err := s.openContact(ctx, p, id)
	if err != nil {
		return ProviderView{}, err
	}
	if teamID == "" && r.TeamID != nil && p.InTeam(*r.TeamID) {
		teamID = *r.TeamID
	}
	var pv ProviderView
	err = s.handleContact(ctx, p, r, "partnered", map[string]any{"close_reason": "answered"}, func(tx *Service) error {
		v, err := tx.CreateProvider(ctx, p, teamID, in)
		if err != nil {
			return err
		}
		pv = v
		return tx.Store.UpdateContactRequest(ctx, r.ID, "partnered", map[string]any{"provider_id": v.ID})
	})
	if err != nil {
		return ProviderView{}, err
	}
	s.audit(ctx, p, "contact.partner", "contact_request", r.ID, pv.ID)
	return pv, nil
}

// CloseContact closes a request with a reason.
func (s *Service) CloseContact(ctx context.Context, p *Principal, id, reason, note string) (ContactView, error) {
	r, err := s.openContact(ctx, p, id)
	if err != nil {
		return ContactView{}, err
	}
	var f apperr.Fields
	if !slices.Contains(model.ContactCloseReasons, reason) {
		f.OneOf("reason", model.ContactCloseReasons)
	}
	note = trimmed(&note, 500, "note", &f)
	if reason == "other" && note == "" {
		f.Add("note", "required", "Say why the request is closed.")
	}
	if err := f.Err(); err != nil {
		return ContactView{}, err
	}
	if err := s.handleContact(ctx, p, r, "closed", map[string]any{"close_reason": reason, "close_note": note}, nil); err != nil {
		return ContactView{}, err
	}
	s.audit(ctx, p, "contact.close", "contact_request", r.ID, reason)
	return s.ContactRequest(ctx, p, id)
}

// PurgeContacts deletes the personal data of requests handled longer ago
// than the retention period.
func (s *Service) PurgeContacts(ctx context.Context) (int64, error) {
	keep := s.ContactRetention
	if keep <= 0 {
		keep = DefaultContactRetention
	}
	n, err := s.Store.PurgeContactRequests(ctx, s.Store.Now().Add(-keep))
	if err == nil && n > 0 {
		s.audit(ctx, nil, "contact.purge", "contact_request", "", "")
	}
	return n, err
}

// ContactCounts counts new requests and the overdue among them, in the
// whole programme (for /metrics) or, with p, in the caller's queue.
func (s *Service) ContactCounts(ctx context.Context, p *Principal) (open, overdue int64, err error) {
	var sc *store.Scope
	if p != nil {
		sc = &p.Scope
	}
	return s.Store.ContactCounts(ctx, sc, WorkingDaysCutoff(s.Store.Now(), ContactOverdueDays))
}
