package httpapi

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

func (s *Server) getMe(c echo.Context) error {
	p := principal(c)
	v, err := s.svc.User(c.Request().Context(), p, p.UserID)
	if err != nil {
		return err
	}
	d := toUserDTO(v)
	d.Permissions = s.svc.Permissions(p)
	return c.JSON(http.StatusOK, d)
}

type meRequest struct {
	Name     *string `json:"name" validate:"omitempty,min=1,max=200"`
	Language *string `json:"language" validate:"omitempty,oneof=nl fr de en"`
}

func (s *Server) patchMe(c echo.Context) error {
	var req meRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p := principal(c)
	v, err := s.svc.UpdateMe(c.Request().Context(), p, req.Name, req.Language)
	if err != nil {
		return err
	}
	d := toUserDTO(v)
	d.Permissions = s.svc.Permissions(p)
	return c.JSON(http.StatusOK, d)
}

type userCreateRequest struct {
	Email      string   `json:"email" validate:"required,email,max=254"`
	Name       string   `json:"name" validate:"required,max=200"`
	Role       string   `json:"role" validate:"required,oneof=chw coordinator manager admin dpo"`
	TeamIDs    []string `json:"team_ids" validate:"max=20,dive,uuid"`
	FundID     *string  `json:"fund_id" validate:"omitempty,uuid"`
	Language   string   `json:"language" validate:"omitempty,oneof=nl fr de en"`
	Password   *string  `json:"password" validate:"omitempty,invitation_only"` // refused: the user sets it from the invitation
	AllReports bool     `json:"all_reports"`
}

func (s *Server) createUser(c echo.Context) error {
	var req userCreateRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	lang := req.Language
	if lang == "" {
		lang = "nl"
	}
	teams := req.TeamIDs
	if teams == nil {
		teams = []string{}
	}
	in := service.UserInput{Email: &req.Email, Name: &req.Name, Role: &req.Role, TeamIDs: &teams,
		FundID: &req.FundID, Language: &lang, Password: req.Password, AllReports: &req.AllReports}
	v, err := s.svc.CreateUser(c.Request().Context(), principal(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toUserDTO(v))
}

type userPatchRequest struct {
	Name       *string          `json:"name" validate:"omitempty,min=1,max=200"`
	Role       *string          `json:"role" validate:"omitempty,oneof=chw coordinator manager admin dpo"`
	TeamIDs    *[]string        `json:"team_ids" validate:"omitempty,max=20,dive,uuid"`
	FundID     Nullable[string] `json:"fund_id"`
	Language   *string          `json:"language" validate:"omitempty,oneof=nl fr de en"`
	Disabled   *bool            `json:"disabled"`
	AllReports *bool            `json:"all_reports"`
	Password   *string          `json:"password" validate:"omitempty,invitation_only"` // refused: send an invitation instead
	Email      *string          `json:"email"`
}

func (s *Server) patchUser(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req userPatchRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	in := service.UserInput{Name: req.Name, Role: req.Role, TeamIDs: req.TeamIDs, Language: req.Language,
		Disabled: req.Disabled, AllReports: req.AllReports, Password: req.Password, Email: req.Email}
	if req.FundID.Set {
		if req.FundID.Value != nil && uuid.Validate(*req.FundID.Value) != nil {
			return apperr.Validation("fund_id", "uuid", "Must be a UUID.")
		}
		f := req.FundID.Value
		in.FundID = &f
	}
	v, err := s.svc.UpdateUser(c.Request().Context(), principal(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserDTO(v))
}

type intakeDutyRequest struct {
	IntakeDuty *bool `json:"intake_duty"`
}

// putIntakeDuty gives a coordinator the programme intake (the contact
// requests no team covers) or takes it away.
func (s *Server) putIntakeDuty(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}

	var req intakeDutyRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}

	v, err := s.svc.SetIntakeDuty(c.Request().Context(), principal(c), id, req.IntakeDuty)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserDTO(v))
}

func (s *Server) getUser(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.User(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toUserDTO(v))
}

func (s *Server) listUsers(c echo.Context) error {
	var fields apperr.Fields
	f := service.UserFilter{
		Q:      c.QueryParam("q"),
		Role:   c.QueryParam("role"),
		TeamID: c.QueryParam("team_id"),
		Cursor: c.QueryParam("cursor"),
		Limit:  queryInt(c, "limit", 50, 1, 200, &fields),
	}
	if f.Role != "" && !slices.Contains(model.Roles, f.Role) {
		fields.OneOf("role", model.Roles)
	}
	if f.TeamID != "" && uuid.Validate(f.TeamID) != nil {
		fields.Add("team_id", "uuid", "Must be a UUID.")
	}
	if b := queryBool(c, "include_disabled", &fields); b != nil {
		f.IncludeDisabled = *b
	}
	if len(f.Q) > 200 {
		fields.AddP("q", apperr.CodeMax, "Must be at most 200 characters.", apperr.Max(200))
	}
	if err := fields.Err(); err != nil {
		return err
	}
	users, next, err := s.svc.ListUsers(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	out := make([]userDTO, len(users))
	for i, u := range users {
		out[i] = toUserDTO(u)
	}
	return c.JSON(http.StatusOK, newList(out, next))
}

// pathID reads the :id parameter. A malformed id cannot name a record, so
// it is a 404 like any record that is absent or out of scope.
func pathID(c echo.Context) (string, error) {
	id := c.Param("id")
	if uuid.Validate(id) != nil {
		return "", apperr.NotFound()
	}
	return id, nil
}

// queryBool reads an optional true/false parameter (nil when absent).
func queryBool(c echo.Context, name string, fields *apperr.Fields) *bool {
	v := c.QueryParam(name)
	if v == "" {
		return nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		fields.AddP(name, apperr.CodeType, "Must be true or false.", map[string]any{"expected": "boolean"})
		return nil
	}
	return &b
}

func queryInt(c echo.Context, name string, def, lo, hi int, fields *apperr.Fields) int {
	v := c.QueryParam(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		fields.AddP(name, apperr.CodeRange, "Must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi)+".", apperr.Between(lo, hi))
		return def
	}
	return n
}

type sessionDTO struct {
	ID         string    `json:"id"`
	Device     string    `json:"device"`
	StartedAt  time.Time `json:"started_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	Current    bool      `json:"current"`
}

func (s *Server) listSessions(c echo.Context) error {
	vs, err := s.svc.Sessions(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	out := make([]sessionDTO, len(vs))
	for i, v := range vs {
		out[i] = sessionDTO{ID: v.ID, Device: v.UserAgent, StartedAt: v.StartedAt, LastUsedAt: v.LastUsedAt, Current: v.Current}
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

func (s *Server) endSession(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.EndSession(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
