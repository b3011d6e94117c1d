package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

// sendInvitation e-mails a new single-use link with which the user sets
// their password (admin); earlier links stop working.
func (s *Server) sendInvitation(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}

	// The body, if any, must be an empty object.
	if err := bindJSON(c, &struct{}{}); err != nil {
		return err
	}

	inv, err := s.svc.SendInvitation(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]any{"expires_at": inv.ExpiresAt})
}

type acceptInvitationRequest struct {
	Password *string `json:"password"`
}

// acceptInvitation sets the password of the link's account, once (public).
func (s *Server) acceptInvitation(c echo.Context) error {
	var req acceptInvitationRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}

	password := ""
	if req.Password != nil {
		password = *req.Password
	}
	err := s.svc.AcceptInvitation(c.Request().Context(), c.Param("token"), password)
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type noticeDTO struct {
	ID        string            `json:"id"`
	Kind      string            `json:"kind"`
	Params    map[string]string `json:"params"`
	CreatedAt time.Time         `json:"created_at"`
}

// listNotices lists the caller's unread notices (for a coordinator: an
// account that got access to their team's client records).
func (s *Server) listNotices(c echo.Context) error {
	notices, err := s.svc.Notices(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}

	out := make([]noticeDTO, len(notices))
	for i, n := range notices {
		out[i] = noticeDTO{
			ID:        n.ID,
			Kind:      n.Kind,
			Params:    service.DecodeTaskParams(n.Params),
			CreatedAt: n.CreatedAt,
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

// readNotice marks one of the caller's notices read.
func (s *Server) readNotice(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := bindJSON(c, &struct{}{}); err != nil {
		return err
	}
	if err := s.svc.ReadNotice(c.Request().Context(), principal(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
