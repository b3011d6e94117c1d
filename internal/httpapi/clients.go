package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type userRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type clientDTO struct {
	Version         int             `json:"version"`
	ID              string          `json:"id"`
	GivenName       string          `json:"given_name"`
	FamilyName      string          `json:"family_name"`
	Pseudonym       string          `json:"pseudonym"`
	BirthYear       *int            `json:"birth_year"`
	Phone           *string         `json:"phone"`
	Email           *string         `json:"email"`
	Language        string          `json:"language"`
	SpokenLanguages json.RawMessage `json:"spoken_languages"`
	TeamID          string          `json:"team_id"`
	NeighbourhoodID *string         `json:"neighbourhood_id"`
	AssignedCHWID   *string         `json:"assigned_chw_id"`
	AssignedCHW     *userRef        `json:"assigned_chw"`
	Status          string          `json:"status"`
	CloseReason     string          `json:"close_reason"`
	CareRights      json.RawMessage `json:"care_rights"`
	Source          string          `json:"source"`
	LastActivityAt  time.Time       `json:"last_activity_at"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	// ErasedAt set: the record's personal data was erased.
	ErasedAt  *time.Time    `json:"erased_at"`
	LegalHold *legalHoldDTO `json:"legal_hold"`
}

type legalHoldDTO struct {
	At     time.Time `json:"at"`
	By     *string   `json:"by"`
	Reason string    `json:"reason"`
}

// rawList passes a stored JSON array through (Brug writes them; anything
// else, which nothing writes, reads as empty).
func rawList(stored string) json.RawMessage {
	if len(stored) < 2 || stored[0] != '[' || !json.Valid([]byte(stored)) {
		return json.RawMessage("[]")
	}
	return json.RawMessage(stored)
}

func toClientDTO(v service.ClientView) clientDTO {
	d := clientDTO{
		Version: v.Version,
		ID:      v.ID, GivenName: v.GivenName, FamilyName: v.FamilyName, Pseudonym: v.Pseudonym, BirthYear: v.BirthYear,
		Phone: v.Phone, Email: v.Email, Language: v.Language, SpokenLanguages: rawList(v.Client.SpokenLanguages), TeamID: v.TeamID,
		NeighbourhoodID: v.NeighbourhoodID, AssignedCHWID: v.AssignedCHWID, Status: v.Status, CloseReason: v.CloseReason,
		CareRights: rawList(v.Client.CareRights), Source: v.Source, LastActivityAt: v.LastActivityAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt,
		ErasedAt: v.ErasedAt,
	}
	if v.LegalHoldAt != nil {
		d.LegalHold = &legalHoldDTO{At: *v.LegalHoldAt, By: v.LegalHoldBy, Reason: v.LegalHoldReason}
	}
	if v.AssignedCHWID != nil {
		d.AssignedCHW = &userRef{ID: *v.AssignedCHWID, Name: v.AssignedCHWName}
	}
	return d
}

func (s *Server) clientDTOs(c echo.Context, views []service.ClientView) ([]clientDTO, error) {
	if err := s.svc.NameClients(c.Request().Context(), views); err != nil {
		return nil, err
	}
	out := make([]clientDTO, len(views))
	for i, v := range views {
		out[i] = toClientDTO(v)
	}
	return out, nil
}

func (s *Server) writeClient(c echo.Context, status int, v service.ClientView) error {
	out, err := s.clientDTOs(c, []service.ClientView{v})
	if err != nil {
		return err
	}
	setETag(c, v.Version)
	return c.JSON(status, out[0])
}

type clientRequest struct {
	Version          *int             `json:"version"`
	GivenName        *string          `json:"given_name"`
	FamilyName       *string          `json:"family_name"`
	Pseudonym        *string          `json:"pseudonym"`
	BirthYear        Nullable[int]    `json:"birth_year"`
	Phone            Nullable[string] `json:"phone"`
	Email            Nullable[string] `json:"email"`
	Language         *string          `json:"language"`
	SpokenLanguages  *[]string        `json:"spoken_languages"`
	TeamID           *string          `json:"team_id"`
	NeighbourhoodID  Nullable[string] `json:"neighbourhood_id"`
	AssignedCHWID    Nullable[string] `json:"assigned_chw_id"`
	CareRights       *[]string        `json:"care_rights"`
	Source           *string          `json:"source"`
	Status           *string          `json:"status"`
	CloseReason      *string          `json:"close_reason"`
	ConfirmDuplicate bool             `json:"confirm_duplicate"`
}

func nullable[T any](n Nullable[T]) **T {
	if !n.Set {
		return nil
	}
	v := n.Value
	return &v
}

func (r clientRequest) input() (service.ClientInput, error) {
	var f apperr.Fields
	for field, n := range map[string]Nullable[string]{"neighbourhood_id": r.NeighbourhoodID, "assigned_chw_id": r.AssignedCHWID} {
		if n.Value != nil && uuid.Validate(*n.Value) != nil {
			f.Add(field, "uuid", "Must be a UUID.")
		}
	}
	if r.TeamID != nil && uuid.Validate(*r.TeamID) != nil {
		f.Add("team_id", "uuid", "Must be a UUID.")
	}
	return service.ClientInput{
		GivenName: r.GivenName, FamilyName: r.FamilyName, Pseudonym: r.Pseudonym, BirthYear: nullable(r.BirthYear),
		Phone: nullable(r.Phone), Email: nullable(r.Email), Language: r.Language, SpokenLanguages: r.SpokenLanguages,
		TeamID: r.TeamID, NeighbourhoodID: nullable(r.NeighbourhoodID), AssignedCHWID: nullable(r.AssignedCHWID),
		CareRights: r.CareRights, Source: r.Source, Status: r.Status, CloseReason: r.CloseReason,
	}, f.Err()
}

func (s *Server) createClient(c echo.Context) error {
	var req clientRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.Version != nil {
		return apperr.Validation("version", "unknown_field", "Only used when editing.")
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	v, err := s.svc.CreateClient(c.Request().Context(), principal(c), in, req.ConfirmDuplicate)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusCreated, v)
}

func (s *Server) listClients(c echo.Context) error {
	var fields apperr.Fields
	f := service.ClientFilter{
		Q:          strings.TrimSpace(c.QueryParam("q")),
		Status:     c.QueryParam("status"),
		TeamID:     c.QueryParam("team_id"),
		AssignedTo: c.QueryParam("assigned_to"),
		Cursor:     c.QueryParam("cursor"),
		Limit:      queryInt(c, "limit", 50, 1, 200, &fields),
	}
	if f.Status != "" && !slices.Contains(model.ClientStatuses, f.Status) {
		fields.OneOf("status", model.ClientStatuses)
	}
	if f.TeamID != "" && uuid.Validate(f.TeamID) != nil {
		fields.Add("team_id", "uuid", "Must be a UUID.")
	}
	if f.AssignedTo != "" && f.AssignedTo != "none" && uuid.Validate(f.AssignedTo) != nil {
		fields.Add("assigned_to", "uuid", "Must be a user id or none.")
	}
	if len(f.Q) > 200 {
		fields.AddP("q", apperr.CodeMax, "Must be at most 200 characters.", apperr.Max(200))
	}
	if err := fields.Err(); err != nil {
		return err
	}
	views, next, err := s.svc.ListClients(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	out, err := s.clientDTOs(c, views)
	if err != nil {
		return err
	}
	return writeClientList(c, out, next)
}

func (s *Server) getClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.Client(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}

func (s *Server) patchClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req clientRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.ConfirmDuplicate {
		return apperr.Validation("confirm_duplicate", "unknown_field", "Only used when creating a client.")
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	want, err := wantedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var v service.ClientView
	err = s.guarded(c, "clients", id, "", want, func(ctx context.Context) (err error) {
		v, err = s.svc.UpdateClient(ctx, principal(c), id, in)
		return err
	}, func() (any, int, error) {
		cur, err := s.svc.Client(c.Request().Context(), principal(c), id)
		if err != nil {
			return nil, 0, err
		}
		out, err := s.clientDTOs(c, []service.ClientView{cur})
		if err != nil {
			return nil, 0, err
		}
		return out[0], cur.Version, nil
	})
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}

type assignmentRequest struct {
	CHWID Nullable[string] `json:"chw_id"`
}

func (s *Server) putAssignment(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req assignmentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if !req.CHWID.Set {
		return apperr.Validation("chw_id", "required", "Give the CHW's id, or null to leave the client unassigned.")
	}
	if req.CHWID.Value != nil && uuid.Validate(*req.CHWID.Value) != nil {
		return apperr.Validation("chw_id", "uuid", "Must be a UUID.")
	}
	v, err := s.svc.AssignClient(c.Request().Context(), principal(c), id, req.CHWID.Value)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}

type assignmentDTO struct {
	CHW        *userRef   `json:"chw"`
	AssignedBy userRef    `json:"assigned_by"`
	StartedAt  time.Time  `json:"started_at"`
	EndedAt    *time.Time `json:"ended_at"`
}

func (s *Server) listAssignments(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	rows, err := s.svc.Assignments(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]assignmentDTO, len(rows))
	for i, a := range rows {
		out[i] = assignmentDTO{AssignedBy: userRef{a.AssignedBy, a.AssignedByName}, StartedAt: a.StartedAt, EndedAt: a.EndedAt}
		if a.CHWID != nil {
			out[i].CHW = &userRef{*a.CHWID, a.CHWName}
		}
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

type auditDTO struct {
	ID        string    `json:"id"`
	Actor     *userRef  `json:"actor"`
	ActorRole string    `json:"actor_role"`
	Action    string    `json:"action"`
	Detail    string    `json:"detail"`
	RequestID string    `json:"request_id"`
	IP        string    `json:"ip"`
	At        time.Time `json:"at"`
	Unusual   bool      `json:"unusual"`
}

func (s *Server) clientAudit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	events, err := s.svc.ClientAudit(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]auditDTO, len(events))
	for i, e := range events {
		out[i] = auditDTO{ID: e.ID, ActorRole: e.ActorRole, Action: e.Action, Detail: e.Detail, RequestID: e.RequestID, IP: e.IP, At: e.CreatedAt, Unusual: e.Unusual}
		if e.ActorID != nil {
			out[i].Actor = &userRef{*e.ActorID, e.ActorName}
		}
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

type boardCHW struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Caseload int64  `json:"caseload"`
	Stale    int64  `json:"without_recent_visit"`
}

type boardDTO struct {
	TeamID     string      `json:"team_id"`
	CHWs       []boardCHW  `json:"chws"`
	Unassigned []clientDTO `json:"unassigned"`
	Stale      []staleDTO  `json:"without_recent_visit"`
}

// staleDTO is a client without contact in the window, with the last contact
// (null: never) rather than the last change of the record.
type staleDTO struct {
	clientDTO
	LastContactAt *time.Time `json:"last_contact_at"`
}

func (s *Server) teamBoard(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Board(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := boardDTO{TeamID: id, CHWs: []boardCHW{}}
	for _, l := range b.CHWs {
		out.CHWs = append(out.CHWs, boardCHW{l.User.ID, l.User.Name, l.Caseload, l.Stale})
	}
	views := func(cs []model.Client) []service.ClientView {
		v := make([]service.ClientView, len(cs))
		for i, c := range cs {
			v[i] = service.ViewOf(c)
		}
		return v
	}
	if out.Unassigned, err = s.clientDTOs(c, views(b.Unassigned)); err != nil {
		return err
	}
	stale, err := s.clientDTOs(c, views(b.Stale))
	if err != nil {
		return err
	}
	out.Stale = make([]staleDTO, len(stale))
	for i, d := range stale {
		out.Stale[i] = staleDTO{clientDTO: d}
		if at, ok := b.LastContact[d.ID]; ok {
			at := at.UTC()
			out.Stale[i].LastContactAt = &at
		}
	}
	return c.JSON(http.StatusOK, out)
}

// toRef shapes a name the service looked up; nil stays null.
func toRef(r *service.Ref) *userRef {
	if r == nil {
		return nil
	}
	return &userRef{r.ID, r.Name}
}
