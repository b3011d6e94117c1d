package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Europe/Brussels must resolve in a distroless image too

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Brussels is the programme's time zone: appointments are entered and shown
// in it, and stored in UTC.
var Brussels = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		panic(err)
	}
	return loc
}()

// ParseBrusselsLocal reads "2026-03-29T10:30" as Brussels wall-clock time.
// A time that does not exist (the hour skipped when clocks go forward on the
// last Sunday of March) is refused; an hour that happens twice (the last
// Sunday of October) means its first occurrence, summer time.
func ParseBrusselsLocal(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, Brussels)
	if err != nil {
		return time.Time{}, errors.New("use YYYY-MM-DDTHH:MM")
	}
	if t.Format("2006-01-02T15:04") != s {
		return time.Time{}, ErrTimeGap
	}
	// In the repeated hour both instants read the same on the clock; take
	// the earlier one, as a person booking "02:30" that night most likely means.
	if earlier := t.Add(-time.Hour); earlier.In(Brussels).Format("2006-01-02T15:04") == s {
		t = earlier
	}
	return t.UTC(), nil
}

// ErrTimeGap is a Brussels wall-clock time skipped when the clocks go forward.
var ErrTimeGap = errors.New("this time does not exist in Brussels (the clocks go forward)")

// addLocalTimeError records why a Brussels local time was refused: the hour
// skipped by the spring clock change gets its own code, time_gap.
func addLocalTimeError(add func(field, code, message string, params map[string]any), field string, err error) {
	if errors.Is(err, ErrTimeGap) {
		add(field, apperr.CodeTimeGap, "This time does not exist in Brussels: the clocks go forward that night.", nil)
		return
	}
	add(field, "invalid", "Not a Brussels time: "+err.Error()+".", map[string]any{"example": "2026-03-29T10:30"})
}

// BrusselsDate is the calendar date of t in Brussels.
func BrusselsDate(t time.Time) string { return t.In(Brussels).Format("2006-01-02") }

// AppointmentInput is an appointment as submitted.
type AppointmentInput struct {
	ClientID        string
	ProviderID      **string
	ReferralID      *string
	StartsAt        *time.Time
	StartsAtLocal   *string
	DurationMinutes *int
	Location        *string
	AccompaniedBy   **string
	Note            *string
	Status          *string
}

func (s *Service) startsAt(in AppointmentInput, f *apperr.Fields) *time.Time {
	switch {
	case in.StartsAt != nil && in.StartsAtLocal != nil:
		f.Add("starts_at_local", "exclusive", "Give starts_at or starts_at_local, not both.")
	case in.StartsAt != nil:
		t := in.StartsAt.UTC().Truncate(time.Minute)
		return &t
	case in.StartsAtLocal != nil:
		t, err := ParseBrusselsLocal(*in.StartsAtLocal)
		if err != nil {
			addLocalTimeError(f.AddP, "starts_at_local", err)
			return nil
		}
		return &t
	}
	return nil
}

func (s *Service) applyAppointment(ctx context.Context, p *Principal, c model.Client, a *model.Appointment, in AppointmentInput, f *apperr.Fields) error {
	if t := s.startsAt(in, f); t != nil {
		a.StartsAt = *t
	}
	if in.DurationMinutes != nil {
		if *in.DurationMinutes < 5 || *in.DurationMinutes > 600 {
			f.AddP("duration_minutes", apperr.CodeRange, "Must be from 5 to 600 minutes.", apperr.Between(5, 600))
		}
		a.DurationMinutes = *in.DurationMinutes
	}
	if in.Location != nil {
		a.Location = trimmed(in.Location, 300, "location", f)
	}
	if in.Note != nil {
		a.Note = trimmed(in.Note, 2000, "note", f)
	}
	if in.ProviderID != nil {
		a.ProviderID = *in.ProviderID
		if a.ProviderID != nil {
			if _, err := s.Store.ProviderByID(ctx, []string{c.TeamID}, *a.ProviderID); errors.Is(err, store.ErrNotFound) {
				f.Add("provider_id", "unknown", "There is no such provider in the team's directory.")
			} else if err != nil {
				return err
			}
		}
	}
	if in.AccompaniedBy != nil {
		a.AccompaniedBy = *in.AccompaniedBy
		if a.AccompaniedBy != nil && *a.AccompaniedBy != p.UserID {
			if err := s.checkCHWOfTeam(ctx, *a.AccompaniedBy, c.TeamID, "accompanied_by", f); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateAppointment plans an appointment; one made from a referral moves
// the referral to appointment_set in the same transaction.
func (s *Service) CreateAppointment(ctx context.Context, p *Principal, in AppointmentInput) (model.Appointment, error) {
	c, err := s.writableClient(ctx, p, in.ClientID)
	if err != nil {
		if apperr.IsKind(err, apperr.KindNotFound) {
			return model.Appointment{}, apperr.Validation("client_id", "unknown", "There is no such client in your caseload.")
		}
		return model.Appointment{}, err
	}
	var f apperr.Fields
	a := model.Appointment{ClientID: c.ID, DurationMinutes: 30, Status: "planned", CreatedBy: p.UserID}
	if in.StartsAt == nil && in.StartsAtLocal == nil {
		f.Add("starts_at_local", "required", "When is the appointment?")
	}
	if err := s.applyAppointment(ctx, p, c, &a, in, &f); err != nil {
		return a, err
	}
	var ref *model.Referral
	if in.ReferralID != nil {
		r, err := s.Store.ReferralByID(ctx, p.Scope, *in.ReferralID)
		switch {
		case errors.Is(err, store.ErrNotFound) || (err == nil && r.ClientID != c.ID):
			f.Add("referral_id", "unknown", "Not a referral of this client.")
		case err != nil:
			return a, err
		case !slices.Contains(ReferralTransitions[r.Status], "appointment_set") && r.Status != "appointment_set":
			f.Add("referral_id", "state", fmt.Sprintf("A %s referral cannot get an appointment.", r.Status))
		default:
			ref = &r
			a.ReferralID = &r.ID
			if a.ProviderID == nil {
				a.ProviderID = r.ProviderID
			}
		}
	}
	if err := f.Err(); err != nil {
		return a, err
	}
	actor := p.UserID
	then := func(tx *store.Store) error {
		if ref != nil && ref.Status != "appointment_set" {
			if err := tx.TransitionReferralTx(ctx, ref.ID, ref.Status, "appointment_set", nil, &actor, "", "appointment planned"); err != nil {
				return err
			}
		}
		return s.PlanReminders(ctx, tx, a)
	}
	if err := s.Store.CreateAppointment(ctx, &a, then); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return a, apperr.New(apperr.KindConflict, "The referral changed meanwhile; reload it.")
		}
		return a, err
	}
	s.auditClient(ctx, p, "appointment.create", c.ID, "appointment="+a.ID)
	return s.Store.AppointmentByID(ctx, p.Scope, a.ID)
}

// appointmentNext: what a planned appointment can become. A missed one can
// be rescheduled: it stays missed (it was) and the next one is planned.
var appointmentNext = map[string][]string{
	"planned": {"attended", "missed", "cancelled", "rescheduled"},
	"missed":  {"rescheduled"},
}

// UpdateAppointment edits a planned appointment or records how it went.
// Rescheduling marks it rescheduled and plans a new one at the new time,
// which is returned. Attended and missed appointments create follow-up tasks.
func (s *Service) UpdateAppointment(ctx context.Context, p *Principal, id string, in AppointmentInput) (model.Appointment, error) {
	a, err := s.Store.AppointmentByID(ctx, p.Scope, id)
	if err != nil {
		return a, storeErr(err)
	}
	c, err := s.writableClient(ctx, p, a.ClientID)
	if err != nil {
		return a, err
	}
	var f apperr.Fields
	next := a
	if err := s.applyAppointment(ctx, p, c, &next, in, &f); err != nil {
		return a, err
	}
	status := a.Status
	if in.Status != nil {
		status = *in.Status
		if !slices.Contains(model.AppointmentStatuses, status) {
			f.OneOf("status", model.AppointmentStatuses)
		} else if status != a.Status && !slices.Contains(appointmentNext[a.Status], status) {
			return a, &apperr.Error{Kind: apperr.KindConflict, Detail: fmt.Sprintf("A %s appointment cannot become %s.", a.Status, status),
				Extra: map[string]any{"allowed": append([]string{}, appointmentNext[a.Status]...)}}
		}
	}
	// A wrong tap on an appointment still ahead would cancel its reminders
	// and make a follow-up task: how it went is known once it has begun.
	if (status == "attended" || status == "missed") && status != a.Status && a.StartsAt.After(s.Store.Now()) {
		return a, &apperr.Error{Kind: apperr.KindConflict, Detail: fmt.Sprintf("The appointment has not started yet (it starts %s, Brussels time): it cannot be %s.",
			a.StartsAt.In(Brussels).Format("2006-01-02 15:04"), status), Extra: map[string]any{"starts_at": a.StartsAt.UTC()}}
	}
	againAfterMissed := a.Status == "missed" && status == "rescheduled"
	if a.Status != "planned" && !againAfterMissed && (in.StartsAt != nil || in.StartsAtLocal != nil) {
		return a, apperr.Newf(apperr.KindConflict, "A %s appointment cannot be moved.", a.Status)
	}
	if status == "rescheduled" && in.StartsAt == nil && in.StartsAtLocal == nil {
		f.Add("starts_at_local", "required", "Give the new time.")
	}
	if err := f.Err(); err != nil {
		return a, err
	}
	set := map[string]any{"duration_minutes": next.DurationMinutes, "location": next.Location, "note": next.Note,
		"provider_id": next.ProviderID, "accompanied_by": next.AccompaniedBy, "status": status}
	var moved *model.Appointment
	if status == "rescheduled" {
		n := next
		n.ID, n.Status, n.CreatedBy, n.Reply, n.ReplyAt = store.NewID(), "planned", p.UserID, "", nil
		moved = &n
		delete(set, "duration_minutes")
	} else {
		set["starts_at"] = next.StartsAt
	}
	if againAfterMissed {
		// The missed one keeps what it was; the next carries the referral on.
		set = map[string]any{"status": "missed"}
	}
	assignee := c.AssignedCHWID
	err = s.Store.UpdateAppointment(ctx, id, a.Status, set, func(tx *store.Store) error {
		if moved != nil {
			if err := tx.CreateAppointment(ctx, moved, func(tx2 *store.Store) error { return s.PlanReminders(ctx, tx2, *moved) }); err != nil {
				return err
			}
		}
		switch {
		case againAfterMissed:
			return nil // its reminders and call task are behind it
		case status != a.Status:
			if err := s.appointmentChanged(ctx, tx, a, status); err != nil {
				return err
			}
		case !next.StartsAt.Equal(a.StartsAt):
			// Moved in time: queued reminders go, new ones follow the new time.
			if _, err := tx.CancelQueued(ctx, a.ID); err != nil {
				return err
			}
			if err := s.PlanReminders(ctx, tx, next); err != nil {
				return err
			}
		}
		return s.appointmentRules(ctx, tx, a, status, assignee)
	})
	if errors.Is(err, store.ErrConflict) {
		return a, apperr.New(apperr.KindConflict, "The appointment changed meanwhile; reload it.")
	}
	if err != nil {
		return a, err
	}
	s.auditClient(ctx, p, "appointment.update", a.ClientID, "appointment="+id+" status="+status)
	if moved != nil {
		return s.Store.AppointmentByID(ctx, p.Scope, moved.ID)
	}
	return s.Store.AppointmentByID(ctx, p.Scope, id)
}

// Appointments lists appointments in the caller's scope.
func (s *Service) Appointments(ctx context.Context, p *Principal, f store.AppointmentFilter) ([]AppointmentView, error) {
	apps, err := s.Store.Appointments(ctx, p.Scope, f)
	if err != nil {
		return nil, storeErr(err)
	}
	return s.AppointmentViews(ctx, p, apps)
}

// Appointment returns one appointment.
func (s *Service) Appointment(ctx context.Context, p *Principal, id string) (model.Appointment, error) {
	a, err := s.Store.AppointmentByID(ctx, p.Scope, id)
	return a, storeErr(err)
}
