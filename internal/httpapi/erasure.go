package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

type erasureRequest struct {
	RequestReference string `json:"request_reference"`
	Reason           string `json:"reason"`
}

// eraseClient erases the client's personal data on a documented request
// (coordinator of the team); 409 under a legal hold.
func (s *Server) eraseClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req erasureRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.EraseClient(c.Request().Context(), principal(c), id, service.ErasureInput{
		RequestReference: req.RequestReference,
		Reason:           req.Reason,
	})
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}

type legalHoldRequest struct {
	Reason string `json:"reason"`
}

// putLegalHold places a legal hold: neither erasure nor retention touch
// the record until it is lifted.
func (s *Server) putLegalHold(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req legalHoldRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.SetLegalHold(c.Request().Context(), principal(c), id, &req.Reason)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}

// deleteLegalHold lifts the legal hold.
func (s *Server) deleteLegalHold(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.SetLegalHold(c.Request().Context(), principal(c), id, nil)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusOK, v)
}
