package service

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/store"
)

// WaitingReferralStatuses are the referrals the Today page follows up: sent
// and not yet given an appointment.
var WaitingReferralStatuses = []string{"sent", "acknowledged", "waitlisted"}

// TodayView is a CHW's working day in one answer: the tasks due by today,
// today's appointments and group sessions (Brussels dates), the referrals
// waiting for an answer and the reminders that could not be sent. The
// phone asks once instead of five times (five round trips on a slow
// network, five authentications and scope checks on the server).
type TodayView struct {
	Date            string
	Tasks           []TaskView
	Appointments    []AppointmentView
	Referrals       []ReferralView
	GroupSessions   []GroupSessionView
	FailedReminders []ReminderView
}

// Today gathers the Today page for the caller, each part as its own list
// answers it (GET /tasks?due=today, /appointments?from=…&to=…,
// /referrals?status=…, /group-sessions?facilitator=me&from=…&to=…,
// /reminders?status=failed). Group sessions need the groups permission;
// without it that part is empty.
func (s *Service) Today(ctx context.Context, p *Principal) (TodayView, error) {
	now := s.Now()
	date := BrusselsDate(now)
	from, _ := time.ParseInLocation("2006-01-02", date, Brussels)
	to := from.AddDate(0, 0, 1)
	out := TodayView{Date: date}
	tf, err := TaskWindow("today", now)
	if err != nil {
		return out, err
	}
	if out.Tasks, err = s.Tasks(ctx, p, tf); err != nil {
		return out, err
	}
	if out.Appointments, err = s.Appointments(ctx, p, store.AppointmentFilter{From: &from, To: &to}); err != nil {
		return out, err
	}
	if out.Referrals, err = s.Referrals(ctx, p, store.ReferralFilter{Statuses: WaitingReferralStatuses}); err != nil {
		return out, err
	}
	out.GroupSessions = []GroupSessionView{}
	if s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermGroupsReadTeam) {
		f := store.GroupSessionFilter{From: &from, To: &to, FacilitatorID: p.UserID, Limit: 100}
		if out.GroupSessions, err = s.ListGroupSessions(ctx, p, f); err != nil {
			return out, err
		}
	}
	if out.FailedReminders, err = s.ListReminders(ctx, p, store.ReminderFilter{Status: "failed"}); err != nil {
		return out, err
	}
	return out, nil
}
