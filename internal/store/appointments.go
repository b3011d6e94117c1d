package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// CreateAppointment stores an appointment; when it comes from a referral,
// then (run inside the same transaction) moves the referral on.
func (s *Store) CreateAppointment(ctx context.Context, a *model.Appointment, then func(tx *Store) error) error {
	if a.ID == "" {
		a.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.stamp(ctx, &a.TeamID, &a.FundID, a.ClientID, a.CreatedBy); err != nil {
			return err
		}
		if err := tx.q(ctx).Create(a).Error; err != nil {
			return mapErr(err, "create appointment")
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		return tx.TouchClient(ctx, a.ClientID, tx.Now())
	})
}

// AppointmentByID returns an appointment of a visible client.
func (s *Store) AppointmentByID(ctx context.Context, sc Scope, id string) (model.Appointment, error) {
	var a model.Appointment
	err := visibleVia(s.q(ctx).Model(&model.Appointment{}), "appointments", sc).Select("appointments.*").
		Where("appointments.id = ?", id).Take(&a).Error
	return a, mapErr(err, "appointment")
}

// AppointmentFilter narrows Appointments.
type AppointmentFilter struct {
	ClientID string
	From, To *time.Time
	Status   string
}

// Appointments lists appointments of visible clients by start time.
func (s *Store) Appointments(ctx context.Context, sc Scope, f AppointmentFilter) ([]model.Appointment, error) {
	join := "JOIN"
	if f.ClientID == "" && f.From != nil && f.To != nil && !s.isPG() {
		// A window of days (Today, the week): SQLite's planner walks the
		// CHW's clients (thousands) and probes each one's appointments,
		// 26 ms at 2 000 clients; starting from the window's few
		// appointments and looking their clients up takes a fraction.
		// CROSS JOIN is how SQLite is told the join order (PostgreSQL
		// plans it right by itself and has no CROSS JOIN … ON).
		join = "CROSS JOIN"
	}
	q := visibleClients(s.q(ctx).Model(&model.Appointment{}).Joins(join+" clients ON clients.id = appointments.client_id"), sc).Select("appointments.*")
	if f.ClientID != "" {
		q = q.Where("appointments.client_id = ?", f.ClientID)
	}
	if f.From != nil {
		q = q.Where("appointments.starts_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		q = q.Where("appointments.starts_at < ?", f.To.UTC())
	}
	if f.Status != "" {
		q = q.Where("appointments.status = ?", f.Status)
	}
	var out []model.Appointment
	err := q.Order("appointments.starts_at, appointments.id").Limit(1000).Find(&out).Error
	return out, mapErr(err, "appointments")
}

// UpdateAppointment changes an appointment guarded by its status; then runs
// in the same transaction (task rules).
func (s *Store) UpdateAppointment(ctx context.Context, id, fromStatus string, set map[string]any, then func(tx *Store) error) error {
	return s.Tx(ctx, func(tx *Store) error {
		set["updated_at"] = tx.Now()
		res := tx.q(ctx).Model(&model.Appointment{}).Where("id = ? AND status = ?", id, fromStatus).Updates(set)
		if res.Error != nil {
			return mapErr(res.Error, "update appointment")
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		if then != nil {
			return then(tx)
		}
		return nil
	})
}

// CHWAppointments lists the appointments of a CHW's clients (calendar feed).
func (s *Store) CHWAppointments(ctx context.Context, userID string, from time.Time) ([]model.Appointment, []model.Client, error) {
	var apps []model.Appointment
	err := s.q(ctx).Model(&model.Appointment{}).Select("appointments.*").
		Joins("JOIN clients ON clients.id = appointments.client_id").
		Where("(clients.assigned_chw_id = ? OR appointments.accompanied_by = ?) AND appointments.starts_at >= ?", userID, userID, from.UTC()).
		Order("appointments.starts_at").Limit(2000).Find(&apps).Error
	if err != nil {
		return nil, nil, mapErr(err, "calendar appointments")
	}
	var ids []string
	for _, a := range apps {
		ids = append(ids, a.ClientID)
	}
	var clients []model.Client
	if len(ids) > 0 {
		if err := s.q(ctx).Where("id IN ?", ids).Find(&clients).Error; err != nil {
			return nil, nil, mapErr(err, "calendar clients")
		}
	}
	return apps, clients, nil
}

// FuturePlannedAppointments lists the planned appointments still ahead of
// one client, or of every client now in a team (for re-planning reminders).
func (s *Store) FuturePlannedAppointments(ctx context.Context, clientID, teamID string) ([]model.Appointment, error) {
	q := s.q(ctx).Model(&model.Appointment{}).Select("appointments.*").
		Where("appointments.status = 'planned' AND appointments.starts_at > ?", s.Now().UTC())
	if clientID != "" {
		q = q.Where("appointments.client_id = ?", clientID)
	}
	if teamID != "" {
		q = q.Joins("JOIN clients ON clients.id = appointments.client_id").Where("clients.team_id = ?", teamID)
	}
	var out []model.Appointment
	err := q.Order("appointments.starts_at, appointments.id").Find(&out).Error
	return out, mapErr(err, "future appointments")
}
