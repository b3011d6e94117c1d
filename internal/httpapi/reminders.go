package httpapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
)

type reminderDTO struct {
	ID            string     `json:"id"`
	AppointmentID string     `json:"appointment_id"`
	ClientID      string     `json:"client_id"`
	Client        *userRef   `json:"client"`
	Kind          string     `json:"kind"`
	Channel       string     `json:"channel"`
	Language      string     `json:"language"`
	ScheduledAt   time.Time  `json:"scheduled_at"`
	DueAt         time.Time  `json:"due_at"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	FailureReason string     `json:"failure_reason,omitempty"`
	Destination   string     `json:"destination"`
	SentAt        *time.Time `json:"sent_at"`
}

func reminderDTOs(rs []service.ReminderView) []reminderDTO {
	out := make([]reminderDTO, len(rs))
	for i, r := range rs {
		out[i] = reminderDTO{Client: toRef(r.Client), ID: r.ID, AppointmentID: r.AppointmentID, ClientID: r.ClientID, Kind: r.Kind, Channel: r.Channel,
			Language: r.Language, ScheduledAt: r.ScheduledAt, DueAt: r.DueAt, Status: r.Status, Attempts: r.Attempts,
			LastError: r.LastError, Destination: r.Destination, SentAt: r.SentAt}
		if r.Status == "failed" {
			out[i].FailureReason = reminder.FailureReason(r.LastError)
		}
	}
	return out
}

func (s *Server) listReminders(c echo.Context) error {
	f := service.ReminderFilter{Status: c.QueryParam("status")}
	if f.Status != "" && !slices.Contains([]string{"queued", "sending", "sent", "failed", "cancelled", "skipped"}, f.Status) {
		return apperr.OneOf("status", []string{"queued", "sending", "sent", "failed", "cancelled", "skipped"})
	}
	rs, err := s.svc.ListReminders(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": reminderDTOs(rs), "channels": s.svc.Reminders.Configured})
}

func (s *Server) retryReminder(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, err := s.svc.RetryReminder(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	views, err := s.svc.ReminderViews(c.Request().Context(), principal(c), []model.Reminder{r})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, reminderDTOs(views)[0])
}

func (s *Server) publicReply(c echo.Context) error {
	v, err := s.svc.Reply(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"starts_at": v.StartsAt, "reply": v.Reply, "language": v.Language, "status": v.Status})
}

type replyRequest struct {
	Action string `json:"action" validate:"required"`
}

func (s *Server) answerReply(c echo.Context) error {
	var req replyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if err := s.svc.AnswerReply(c.Request().Context(), c.Param("token"), req.Action); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
