package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type groupSessionDTO struct {
	ID                  string          `json:"id"`
	TeamID              string          `json:"team_id"`
	StartsAt            time.Time       `json:"starts_at"`
	StartsAtLocal       string          `json:"starts_at_local"`
	DurationMinutes     int             `json:"duration_minutes"`
	PlaceKind           string          `json:"place_kind"`
	NeighbourhoodID     *string         `json:"neighbourhood_id"`
	Location            string          `json:"location"`
	PartnerOrganisation string          `json:"partner_organisation"`
	Title               string          `json:"title"`
	Missions            []string        `json:"missions"`
	Topics              []string        `json:"topics"`
	Languages           []string        `json:"languages"`
	Interpreter         bool            `json:"interpreter"`
	Participants        int             `json:"participants"`
	ParticipantsByAge   *map[string]int `json:"participants_by_age"`
	Status              string          `json:"status"`
	Note                string          `json:"note"`
	FacilitatorIDs      []string        `json:"facilitator_ids"`
	Facilitators        []userRef       `json:"facilitators"`
	CreatedBy           string          `json:"created_by"`
	CreatedAt           time.Time       `json:"created_at"`
	UpdatedAt           time.Time       `json:"updated_at"`
}

func groupSessionDTOs(views []service.GroupSessionView) []groupSessionDTO {
	out := make([]groupSessionDTO, len(views))
	for i, v := range views {
		d := groupSessionDTO{
			ID:                  v.ID,
			TeamID:              v.TeamID,
			StartsAt:            v.StartsAt.UTC(),
			StartsAtLocal:       v.StartsAt.In(service.Brussels).Format("2006-01-02T15:04"),
			DurationMinutes:     v.DurationMinutes,
			PlaceKind:           v.PlaceKind,
			NeighbourhoodID:     v.NeighbourhoodID,
			Location:            v.Location,
			PartnerOrganisation: v.PartnerOrganisation,
			Title:               v.Title,
			Missions:            v.Missions,
			Topics:              v.Topics,
			Languages:           v.Languages,
			Interpreter:         v.Interpreter,
			Participants:        v.Participants,
			Status:              v.Status,
			Note:                v.Note,
			FacilitatorIDs:      []string{},
			Facilitators:        []userRef{},
			CreatedBy:           v.CreatedBy,
			CreatedAt:           v.CreatedAt,
			UpdatedAt:           v.UpdatedAt,
		}
		if v.ParticipantsByAge != nil {
			bands := v.ParticipantsByAge
			d.ParticipantsByAge = &bands
		}
		for _, f := range v.Facilitators {
			d.FacilitatorIDs = append(d.FacilitatorIDs, f.CHWID)
			d.Facilitators = append(d.Facilitators, userRef{ID: f.CHWID, Name: v.FacilitatorNames[f.CHWID]})
		}
		out[i] = d
	}
	return out
}

func (s *Server) writeGroupSession(c echo.Context, status int, v service.GroupSessionView) error {
	return c.JSON(status, groupSessionDTOs([]service.GroupSessionView{v})[0])
}

type groupSessionRequest struct {
	TeamID              *string                  `json:"team_id"`
	StartsAt            *time.Time               `json:"starts_at"`
	StartsAtLocal       *string                  `json:"starts_at_local"`
	DurationMinutes     *int                     `json:"duration_minutes"`
	PlaceKind           *string                  `json:"place_kind"`
	NeighbourhoodID     Nullable[string]         `json:"neighbourhood_id"`
	Location            *string                  `json:"location"`
	PartnerOrganisation *string                  `json:"partner_organisation"`
	Title               *string                  `json:"title"`
	Missions            *[]string                `json:"missions"`
	Topics              *[]string                `json:"topics"`
	Languages           *[]string                `json:"languages"`
	Interpreter         *bool                    `json:"interpreter"`
	Participants        *int                     `json:"participants"`
	ParticipantsByAge   Nullable[map[string]int] `json:"participants_by_age"`
	Status              *string                  `json:"status"`
	Note                *string                  `json:"note"`
	FacilitatorIDs      *[]string                `json:"facilitator_ids"`
}

// input maps the request to the service's input. A malformed id names
// nobody: it is reported (with every other bad field, by the service) and
// not looked up.
func (r groupSessionRequest) input() service.GroupSessionInput {
	var f apperr.Fields
	if r.TeamID != nil && uuid.Validate(*r.TeamID) != nil {
		f.Add("team_id", "uuid", "Must be a UUID.")
		r.TeamID = nil
	}
	if v := r.NeighbourhoodID.Value; v != nil && uuid.Validate(*v) != nil {
		f.Add("neighbourhood_id", "uuid", "Must be a UUID.")
		r.NeighbourhoodID = Nullable[string]{}
	}
	if r.FacilitatorIDs != nil {
		var ok []string
		for i, id := range *r.FacilitatorIDs {
			if uuid.Validate(id) != nil {
				f.Add(fmt.Sprintf("facilitator_ids[%d]", i), "uuid", "Must be a UUID.")
				continue
			}
			ok = append(ok, id)
		}
		if len(ok) == 0 && len(*r.FacilitatorIDs) > 0 {
			// Only malformed ids: the error above says so; fall back to the caller.
			r.FacilitatorIDs = nil
		} else {
			r.FacilitatorIDs = &ok
		}
	}
	return service.GroupSessionInput{
		Invalid:             f,
		TeamID:              r.TeamID,
		StartsAt:            r.StartsAt,
		StartsAtLocal:       r.StartsAtLocal,
		DurationMinutes:     r.DurationMinutes,
		PlaceKind:           r.PlaceKind,
		NeighbourhoodID:     nullable(r.NeighbourhoodID),
		Location:            r.Location,
		PartnerOrganisation: r.PartnerOrganisation,
		Title:               r.Title,
		Missions:            r.Missions,
		Topics:              r.Topics,
		Languages:           r.Languages,
		Interpreter:         r.Interpreter,
		Participants:        r.Participants,
		ParticipantsByAge:   nullable(r.ParticipantsByAge),
		Status:              r.Status,
		Note:                r.Note,
		FacilitatorIDs:      r.FacilitatorIDs,
	}
}

// listGroupSessions: sessions of the caller's teams starting in [from, to);
// facilitator=me narrows to the caller's own (the Today page).
func (s *Server) listGroupSessions(c echo.Context) error {
	var fields apperr.Fields
	f := service.GroupSessionFilter{
		TeamID:     c.QueryParam("team_id"),
		Status:     c.QueryParam("status"),
		Descending: c.QueryParam("order") == "desc",
		Limit:      queryInt(c, "limit", 100, 1, 500, &fields),
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
	if f.TeamID != "" && uuid.Validate(f.TeamID) != nil {
		fields.Add("team_id", "uuid", "Must be a UUID.")
	}
	if f.Status != "" && !slices.Contains(model.GroupStatuses, f.Status) {
		fields.OneOf("status", model.GroupStatuses)
	}
	if o := c.QueryParam("order"); o != "" && o != "asc" && o != "desc" {
		fields.AddP("order", apperr.CodeOneOf, "Must be asc or desc.", apperr.Options("asc", "desc"))
	}
	switch v := c.QueryParam("facilitator"); {
	case v == "":
	case v == "me":
		f.FacilitatorID = principal(c).UserID
	case uuid.Validate(v) == nil:
		f.FacilitatorID = v
	default:
		fields.Add("facilitator", "uuid", "Must be me or a user id.")
	}
	if err := fields.Err(); err != nil {
		return err
	}
	views, err := s.svc.ListGroupSessions(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(groupSessionDTOs(views), ""))
}

func (s *Server) createGroupSession(c echo.Context) error {
	var req groupSessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.CreateGroupSession(c.Request().Context(), principal(c), req.input())
	if err != nil {
		return err
	}
	return s.writeGroupSession(c, http.StatusCreated, v)
}

func (s *Server) getGroupSession(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.GroupSession(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.writeGroupSession(c, http.StatusOK, v)
}

func (s *Server) patchGroupSession(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req groupSessionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.UpdateGroupSession(c.Request().Context(), principal(c), id, req.input())
	if err != nil {
		return err
	}
	return s.writeGroupSession(c, http.StatusOK, v)
}

// addGroupParticipant: a participant who wants individual help becomes a
// client of the session's team (body: the client's fields, as for
// POST /api/v1/clients, without team_id or source).
func (s *Server) addGroupParticipant(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req clientRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	// Malformed ids are reported with every other bad field.
	in, err := req.input()
	var invalid apperr.Fields
	if e, ok := apperr.As(err); ok {
		invalid = e.Fields
		if invalid.Has("neighbourhood_id") {
			in.NeighbourhoodID = nil
		}
		if invalid.Has("assigned_chw_id") {
			in.AssignedCHWID = nil
		}
	}
	v, err := s.svc.AddGroupParticipant(c.Request().Context(), principal(c), id, in, invalid, req.ConfirmDuplicate)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusCreated, v)
}
