package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type appointmentDTO struct {
	Version         int       `json:"version"`
	ID              string    `json:"id"`
	ClientID        string    `json:"client_id"`
	Client          *userRef  `json:"client"`
	ProviderID      *string   `json:"provider_id"`
	Provider        *userRef  `json:"provider"`
	ReferralID      *string   `json:"referral_id"`
	StartsAt        time.Time `json:"starts_at"`
	StartsAtLocal   string    `json:"starts_at_local"`
	DurationMinutes int       `json:"duration_minutes"`
	Location        string    `json:"location"`
	AccompaniedBy   *string   `json:"accompanied_by"`
	Status          string    `json:"status"`
	Note            string    `json:"note"`
	Reply           string    `json:"reply"`
	Reminder        struct {
		Channel    string `json:"channel"`
		Status     string `json:"status"`
		Configured bool   `json:"configured"`
		Missing    string `json:"missing,omitempty"`
	} `json:"reminder"`
}

// appointmentDTOs names appointments through the service and shapes them.
func (s *Server) appointmentDTOs(c echo.Context, apps []model.Appointment) ([]appointmentDTO, error) {
	views, err := s.svc.AppointmentViews(c.Request().Context(), principal(c), apps)
	if err != nil {
		return nil, err
	}
	return toAppointmentDTOs(views), nil
}

func toAppointmentDTOs(views []service.AppointmentView) []appointmentDTO {
	out := make([]appointmentDTO, len(views))
	for i, a := range views {
		d := appointmentDTO{Version: a.Version, ID: a.ID, ClientID: a.ClientID, ProviderID: a.ProviderID, ReferralID: a.ReferralID, StartsAt: a.StartsAt.UTC(),
			StartsAtLocal: a.StartsAt.In(service.Brussels).Format("2006-01-02T15:04"), DurationMinutes: a.DurationMinutes,
			Location: a.Location, AccompaniedBy: a.AccompaniedBy, Status: a.Status, Note: a.Note, Reply: a.Reply,
			Client: toRef(a.Client), Provider: toRef(a.Provider)}
		st := a.Reminder
		d.Reminder.Channel, d.Reminder.Status, d.Reminder.Configured, d.Reminder.Missing = st.Channel, st.Status, st.Configured, st.Missing
		out[i] = d
	}
	return out
}

func (s *Server) writeAppointment(c echo.Context, status int, a model.Appointment) error {
	out, err := s.appointmentDTOs(c, []model.Appointment{a})
	if err != nil {
		return err
	}
	setETag(c, a.Version)
	return c.JSON(status, out[0])
}

type appointmentRequest struct {
	Version         *int             `json:"version"`
	ClientID        string           `json:"client_id" validate:"omitempty,uuid"`
	ProviderID      Nullable[string] `json:"provider_id"`
	ReferralID      *string          `json:"referral_id" validate:"omitempty,uuid"`
	StartsAt        *time.Time       `json:"starts_at"`
	StartsAtLocal   *string          `json:"starts_at_local"`
	DurationMinutes *int             `json:"duration_minutes"`
	Location        *string          `json:"location"`
	AccompaniedBy   Nullable[string] `json:"accompanied_by"`
	Note            *string          `json:"note"`
	Status          *string          `json:"status"`
}

func (r appointmentRequest) input() (service.AppointmentInput, error) {
	var f apperr.Fields
	for name, n := range map[string]Nullable[string]{"provider_id": r.ProviderID, "accompanied_by": r.AccompaniedBy} {
		if n.Value != nil && uuid.Validate(*n.Value) != nil {
			f.Add(name, "uuid", "Must be a UUID.")
		}
	}
	return service.AppointmentInput{ClientID: r.ClientID, ProviderID: nullable(r.ProviderID), ReferralID: r.ReferralID, StartsAt: r.StartsAt,
		StartsAtLocal: r.StartsAtLocal, DurationMinutes: r.DurationMinutes, Location: r.Location, AccompaniedBy: nullable(r.AccompaniedBy),
		Note: r.Note, Status: r.Status}, f.Err()
}

func (s *Server) createAppointment(c echo.Context) error {
	var req appointmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Version != nil {
		return apperr.Validation("version", "unknown_field", "Only used when editing.")
	}
	if req.ClientID == "" {
		return apperr.Validation("client_id", "required", "Which client is the appointment for?")
	}
	if req.Status != nil {
		return apperr.Validation("status", "read_only", "A new appointment is planned.")
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	a, err := s.svc.CreateAppointment(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	return s.writeAppointment(c, http.StatusCreated, a)
}

func (s *Server) patchAppointment(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req appointmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.ClientID != "" || req.ReferralID != nil {
		return apperr.Validation("client_id", "read_only", "The client and referral of an appointment do not change.")
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	want, err := wantedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var a model.Appointment
	err = s.guarded(c, "appointments", id, "", want, func(ctx context.Context) (err error) {
		a, err = s.svc.UpdateAppointment(ctx, principal(c), id, in)
		return err
	}, func() (any, int, error) {
		cur, err := s.svc.Appointment(c.Request().Context(), principal(c), id)
		if err != nil {
			return nil, 0, err
		}
		out, err := s.appointmentDTOs(c, []model.Appointment{cur})
		if err != nil {
			return nil, 0, err
		}
		return out[0], cur.Version, nil
	})
	if err != nil {
		return err
	}
	return s.writeAppointment(c, http.StatusOK, a)
}

func (s *Server) getAppointment(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, err := s.svc.Appointment(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.writeAppointment(c, http.StatusOK, a)
}

// parseDay reads a YYYY-MM-DD (Brussels midnight) or an RFC 3339 time.
func parseDay(v string) (time.Time, bool) {
	if t, err := time.ParseInLocation("2006-01-02", v, service.Brussels); err == nil {
		return t, true
	}
	t, err := time.Parse(time.RFC3339, v)
	return t, err == nil
}

func (s *Server) listAppointments(c echo.Context) error {
	var fields apperr.Fields
	f := service.AppointmentFilter{ClientID: c.QueryParam("client_id"), Status: c.QueryParam("status")}
	if f.ClientID != "" && uuid.Validate(f.ClientID) != nil {
		fields.Add("client_id", "uuid", "Must be a UUID.")
	}
	for name, dst := range map[string]**time.Time{"from": &f.From, "to": &f.To} {
		if v := c.QueryParam(name); v != "" {
			t, ok := parseDay(v)
			if !ok {
				fields.Add(name, "date", "Must be YYYY-MM-DD or an RFC 3339 time.")
				continue
			}
			*dst = &t
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		fields.AddP("to", apperr.CodeRange, "Must not be before from.", map[string]any{"reason": "order"})
	}
	if f.Status != "" && !strings.Contains(strings.Join(model.AppointmentStatuses, ","), f.Status) {
		fields.OneOf("status", model.AppointmentStatuses)
	}
	if err := fields.Err(); err != nil {
		return err
	}
	apps, err := s.svc.Appointments(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(toAppointmentDTOs(apps), ""))
}

type taskDTO struct {
	Version    int        `json:"version"`
	ID         string     `json:"id"`
	ClientID   *string    `json:"client_id"`
	Client     *userRef   `json:"client"`
	AssigneeID *string    `json:"assignee_id"`
	TeamID     *string    `json:"team_id,omitempty"`
	Kind       string     `json:"kind"`
	DueOn      string     `json:"due_on"`
	DoneAt     *time.Time `json:"done_at"`
	Note       string     `json:"note"`
	// Params is what a rule's task says, as parameters of its kind; Text
	// is the whole task in the reader's language (the readable fallback).
	Params    map[string]string `json:"params"`
	Text      string            `json:"text"`
	CreatedAt time.Time         `json:"created_at"`
}

// taskDTOs names tasks through the service and shapes them.
func (s *Server) taskDTOs(c echo.Context, tasks []model.Task) ([]taskDTO, error) {
	views, err := s.svc.TaskViews(c.Request().Context(), principal(c), tasks)
	if err != nil {
		return nil, err
	}
	return toTaskDTOs(views, principal(c).Language), nil
}

func toTaskDTOs(tasks []service.TaskView, lang string) []taskDTO {
	out := make([]taskDTO, len(tasks))
	for i, t := range tasks {
		var client *string
		if t.ClientID != "" {
			client = &t.ClientID
		}
		out[i] = taskDTO{Version: t.Version, ID: t.ID, ClientID: client, Client: toRef(t.Client), AssigneeID: t.AssigneeID, TeamID: t.TeamID, Kind: t.Kind,
			DueOn: t.DueOn, DoneAt: t.DoneAt, Note: t.Note, Params: service.DecodeTaskParams(t.Params),
			Text: service.TaskText(t.Task, lang), CreatedAt: t.CreatedAt}
	}
	return out
}

func (s *Server) listTasks(c echo.Context) error {
	f, err := service.TaskWindow(c.QueryParam("due"), s.svc.Now())
	if err != nil {
		return err
	}
	if v := c.QueryParam("client_id"); v != "" {
		if uuid.Validate(v) != nil {
			return apperr.Validation("client_id", "uuid", "Must be a UUID.")
		}
		f.ClientID = v
	}
	f.Mine = c.QueryParam("mine") == "true"
	tasks, err := s.svc.Tasks(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(toTaskDTOs(tasks, principal(c).Language), ""))
}

type taskRequest struct {
	ClientID string `json:"client_id" validate:"required,uuid"`
	Kind     string `json:"kind"`
	DueOn    string `json:"due_on" validate:"required"`
	Note     string `json:"note"`
}

func (s *Server) createTask(c echo.Context) error {
	var req taskRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.svc.CreateTask(c.Request().Context(), principal(c), req.ClientID, req.Kind, req.DueOn, req.Note)
	if err != nil {
		return err
	}
	out, err := s.taskDTOs(c, []model.Task{t})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out[0])
}

type taskPatch struct {
	Version *int          `json:"version"`
	Done    *bool         `json:"done"`
	Note    *string       `json:"note"`
	DueOn   *string       `json:"due_on"`
	Visit   *visitRequest `json:"visit"`
}

func (s *Server) patchTask(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req taskPatch
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	var visit *service.VisitInput
	if req.Visit != nil {
		v := req.Visit.input()
		visit = &v
	}
	want, err := wantedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var t model.Task
	err = s.guarded(c, "tasks", id, "", want, func(ctx context.Context) (err error) {
		t, err = s.svc.UpdateTask(ctx, principal(c), id, req.Done, req.Note, req.DueOn, visit)
		return err
	}, func() (any, int, error) {
		cur, err := s.svc.Task(c.Request().Context(), principal(c), id)
		if err != nil {
			return nil, 0, err
		}
		out, err := s.taskDTOs(c, []model.Task{cur})
		if err != nil {
			return nil, 0, err
		}
		return out[0], cur.Version, nil
	})
	if err != nil {
		return err
	}
	out, err := s.taskDTOs(c, []model.Task{t})
	if err != nil {
		return err
	}
	setETag(c, t.Version)
	return c.JSON(http.StatusOK, out[0])
}

func (s *Server) newCalendarToken(c echo.Context) error {
	token, err := s.svc.NewCalendarToken(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"url": s.cfg.BaseURL.String() + "/api/v1/calendar/" + token + ".ics", "token": token})
}

func (s *Server) revokeCalendarToken(c echo.Context) error {
	if err := s.svc.RevokeCalendarToken(c.Request().Context(), principal(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) calendarFeed(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("file"), ".ics")
	if !ok {
		return apperr.NotFound()
	}
	body, err := s.svc.CalendarFeed(c.Request().Context(), token)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=300")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
}
