package store

import (
	"context"
	"encoding/json"

	"github.com/brug-chw/brug/internal/model"
)

// ClientHoldings is every row Brug holds about one client (subject access):
// the caller checks scope on the client first.
type ClientHoldings struct {
	Consents       []model.Consent
	Visits         []model.Visit
	Barriers       []model.Barrier
	Referrals      []model.Referral
	ReferralEvents []model.ReferralEvent
	Appointments   []model.Appointment
	Reminders      []model.Reminder
	Tasks          []model.Task
	Contacts       []model.ContactRequest
	GroupSessions  []model.GroupSession
	Events         []model.ClientEvent
	Merges         []model.ClientMerge
	Audit          []model.AuditEvent
}

// ClientHoldings loads every row about client id, oldest first.
func (s *Store) ClientHoldings(ctx context.Context, id string) (ClientHoldings, error) {
	var h ClientHoldings
	byClient := []struct {
		what string
		dest any
		by   string
	}{
		{"consents", &h.Consents, "given_at, id"},
		{"visits", &h.Visits, "visited_at, id"},
		{"barriers", &h.Barriers, "detected_at, id"},
		{"referrals", &h.Referrals, "created_at, id"},
		{"appointments", &h.Appointments, "starts_at, id"},
		{"reminders", &h.Reminders, "due_at, id"},
		{"tasks", &h.Tasks, "due_on, id"},
		{"contact requests", &h.Contacts, "created_at, id"},
		{"client events", &h.Events, "created_at, id"},
		{"audit", &h.Audit, "created_at, id"},
	}
	for _, b := range byClient {
		if err := s.q(ctx).Where("client_id = ?", id).Order(b.by).Find(b.dest).Error; err != nil {
			return h, mapErr(err, "export "+b.what)
		}
	}
	if err := s.q(ctx).Where("referral_id IN (SELECT id FROM referrals WHERE client_id = ?)", id).
		Order("created_at, id").Find(&h.ReferralEvents).Error; err != nil {
		return h, mapErr(err, "export referral events")
	}
	if err := s.q(ctx).Where("survivor_id = ? OR merged_id = ?", id, id).Order("created_at, id").Find(&h.Merges).Error; err != nil {
		return h, mapErr(err, "export merges")
	}
	var sessions []string
	for _, e := range h.Events {
		var d struct {
			ID string `json:"group_session_id"`
		}
		if e.Kind == "group_session" && json.Unmarshal([]byte(e.Detail), &d) == nil && d.ID != "" {
			sessions = append(sessions, d.ID)
		}
	}
	if len(sessions) > 0 {
		if err := s.q(ctx).Where("id IN ?", sessions).Order("starts_at, id").Find(&h.GroupSessions).Error; err != nil {
			return h, mapErr(err, "export group sessions")
		}
	}
	return h, nil
}
