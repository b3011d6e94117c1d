package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type emergencyAccessDTO struct {
	ID        string    `json:"id"`
	ClientID  string    `json:"client_id"`
	Reason    string    `json:"reason"`
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func toEmergencyAccessDTO(g model.EmergencyAccess) emergencyAccessDTO {
	return emergencyAccessDTO{
		ID:        g.ID,
		ClientID:  g.ClientID,
		Reason:    g.Reason,
		GrantedAt: g.GrantedAt,
		ExpiresAt: g.ExpiresAt,
	}
}

type emergencyAccessRequest struct {
	Reason string `json:"reason"`
}

// grantEmergencyAccess opens a client outside the caller's scope for a
// limited time (break-the-glass). The route is exempt from the scope
// middleware: reaching out of scope is its purpose.
func (s *Server) grantEmergencyAccess(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}

	var req emergencyAccessRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}

	g, err := s.svc.GrantEmergencyAccess(c.Request().Context(), principal(c), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toEmergencyAccessDTO(g))
}

// listEmergencyAccess lists the caller's live grants (the SPA shows a
// banner on a client opened this way).
func (s *Server) listEmergencyAccess(c echo.Context) error {
	grants, err := s.svc.EmergencyAccess(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}

	out := make([]emergencyAccessDTO, len(grants))
	for i, g := range grants {
		out[i] = toEmergencyAccessDTO(g)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "hours": s.svc.EmergencyAccessHours()})
}

type clientLookupRequest struct {
	Phone      string `json:"phone"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	BirthYear  *int   `json:"birth_year"`
}

type clientLookupDTO struct {
	ClientID string `json:"client_id"`
	TeamID   string `json:"team_id"`
	TeamName string `json:"team_name"`
	InScope  bool   `json:"in_scope"`
}

// lookupClient finds a client anywhere in the programme by a whole phone
// number or a full name and birth year, and tells only its id and team.
// A POST, so the terms stay out of URLs and access logs.
func (s *Server) lookupClient(c echo.Context) error {
	var req clientLookupRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}

	found, err := s.svc.LookupClients(c.Request().Context(), principal(c), service.LookupInput{
		Phone:      req.Phone,
		GivenName:  req.GivenName,
		FamilyName: req.FamilyName,
		BirthYear:  req.BirthYear,
	})
	if err != nil {
		return err
	}

	out := make([]clientLookupDTO, len(found))
	for i, m := range found {
		out[i] = clientLookupDTO{
			ClientID: m.ID,
			TeamID:   m.TeamID,
			TeamName: m.TeamName,
			InScope:  m.InScope,
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}
