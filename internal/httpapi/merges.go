package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type mergeDTO struct {
	ID         string     `json:"id"`
	SurvivorID string     `json:"survivor_id"`
	MergedID   string     `json:"merged_id"`
	MergedBy   string     `json:"merged_by"`
	Taken      []string   `json:"taken"`
	CreatedAt  time.Time  `json:"created_at"`
	UndoUntil  time.Time  `json:"undo_until"`
	UndoneAt   *time.Time `json:"undone_at"`
}

func toMergeDTO(m model.ClientMerge) mergeDTO {
	d := mergeDTO{ID: m.ID, SurvivorID: m.SurvivorID, MergedID: m.MergedID, MergedBy: m.MergedBy, Taken: []string{},
		CreatedAt: m.CreatedAt, UndoUntil: m.CreatedAt.Add(service.MergeUndoWindow), UndoneAt: m.UndoneAt}
	_ = json.Unmarshal([]byte(m.Taken), &d.Taken)
	return d
}

// clientDuplicates lists the clients of the coordinator's teams that look
// like this one: the candidates for a merge.
func (s *Server) clientDuplicates(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	views, err := s.svc.ClientDuplicates(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out, err := s.clientDTOs(c, views)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

type mergeRequest struct {
	MergedID string   `json:"merged_id"`
	Take     []string `json:"take"`
}

// mergeClient merges merged_id into this record in one step; take names
// the fields this record takes from the merged one.
func (s *Server) mergeClient(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req mergeRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	if req.MergedID != "" && uuid.Validate(req.MergedID) != nil {
		return apperr.Validation("merged_id", "uuid", "Must be a UUID.")
	}
	m, v, err := s.svc.MergeClients(c.Request().Context(), principal(c), id, req.MergedID, req.Take)
	if err != nil {
		return err
	}
	cl, err := s.clientDTOs(c, []service.ClientView{v})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"merge": toMergeDTO(m), "client": cl[0]})
}

// clientMerges lists the merges into this record (to undo one).
func (s *Server) clientMerges(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ms, err := s.svc.ClientMerges(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]mergeDTO, len(ms))
	for i, m := range ms {
		out[i] = toMergeDTO(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out})
}

// undoMerge brings the merged record back (within 30 days).
func (s *Server) undoMerge(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	m, err := s.svc.UndoMerge(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toMergeDTO(m))
}
