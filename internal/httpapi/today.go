package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// todayDTO is the Today page in one answer; each list is shaped as its
// own endpoint's items (GET /tasks, /appointments, /referrals,
// /group-sessions, /reminders).
type todayDTO struct {
	Date            string            `json:"date"`
	Tasks           []taskDTO         `json:"tasks"`
	Appointments    []appointmentDTO  `json:"appointments"`
	Referrals       []referralDTO     `json:"referrals"`
	GroupSessions   []groupSessionDTO `json:"group_sessions"`
	FailedReminders []reminderDTO     `json:"failed_reminders"`
}

func (s *Server) today(c echo.Context) error {
	p := principal(c)
	v, err := s.svc.Today(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, todayDTO{
		Date:            v.Date,
		Tasks:           toTaskDTOs(v.Tasks, p.Language),
		Appointments:    toAppointmentDTOs(v.Appointments),
		Referrals:       toReferralDTOs(v.Referrals),
		GroupSessions:   groupSessionDTOs(v.GroupSessions),
		FailedReminders: reminderDTOs(v.FailedReminders),
	})
}
