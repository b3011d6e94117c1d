package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
)

type barrierDTO struct {
	Version     int        `json:"version"`
	ID          string     `json:"id"`
	ClientID    string     `json:"client_id"`
	VisitID     *string    `json:"visit_id"`
	Category    string     `json:"category"`
	Detail      string     `json:"detail"`
	Status      string     `json:"status"`
	DetectedAt  time.Time  `json:"detected_at"`
	AddressedAt *time.Time `json:"addressed_at"`
	ResolvedAt  *time.Time `json:"resolved_at"`
	SignalledAt *time.Time `json:"signalled_at"`
}

func toBarrierDTO(b model.Barrier) barrierDTO {
	return barrierDTO{Version: b.Version, ID: b.ID, ClientID: b.ClientID, VisitID: b.VisitID, Category: b.Category, Detail: b.Detail, Status: b.Status,
		DetectedAt: b.DetectedAt, AddressedAt: b.AddressedAt, ResolvedAt: b.ResolvedAt, SignalledAt: b.SignalledAt}
}

type visitDTO struct {
	ID              string       `json:"id"`
	ClientID        string       `json:"client_id"`
	CHWID           string       `json:"chw_id"`
	VisitedAt       time.Time    `json:"visited_at"`
	Mode            string       `json:"mode"`
	DurationMinutes int          `json:"duration_minutes"`
	Missions        []string     `json:"missions"`
	Topics          []string     `json:"topics"`
	Note            string       `json:"note"`
	Barriers        []barrierDTO `json:"barriers"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
}

func toVisitDTO(v service.VisitView) visitDTO {
	d := visitDTO{ID: v.ID, ClientID: v.ClientID, CHWID: v.CHWID, VisitedAt: v.VisitedAt, Mode: v.Mode, DurationMinutes: v.DurationMinutes,
		Missions: v.Missions, Topics: v.Topics, Note: v.Note, Barriers: []barrierDTO{}, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
	for _, b := range v.Barriers {
		d.Barriers = append(d.Barriers, toBarrierDTO(b))
	}
	return d
}

type barrierRequest struct {
	Category string `json:"category" validate:"required"`
	Detail   string `json:"detail" validate:"max=2000"`
	Status   string `json:"status" validate:"omitempty,oneof=open addressed resolved signalled"`
}

type visitRequest struct {
	VisitedAt       *time.Time       `json:"visited_at"`
	Mode            *string          `json:"mode"`
	DurationMinutes *int             `json:"duration_minutes"`
	Missions        *[]string        `json:"missions"`
	Topics          *[]string        `json:"topics"`
	Note            *string          `json:"note"`
	Barriers        []barrierRequest `json:"barriers" validate:"dive"`
}

func (r visitRequest) input() service.VisitInput {
	in := service.VisitInput{VisitedAt: r.VisitedAt, Mode: r.Mode, DurationMinutes: r.DurationMinutes, Missions: r.Missions, Topics: r.Topics, Note: r.Note}
	for _, b := range r.Barriers {
		in.Barriers = append(in.Barriers, service.BarrierInput{Category: b.Category, Detail: b.Detail, Status: b.Status})
	}
	return in
}

func (s *Server) createVisit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req visitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.LogVisit(c.Request().Context(), principal(c), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toVisitDTO(v))
}

func (s *Server) listVisits(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	visits, err := s.svc.Visits(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]visitDTO, len(visits))
	for i, v := range visits {
		out[i] = toVisitDTO(v)
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

// subID reads a second path id; malformed ids are 404 like absent ones.
func subID(c echo.Context, name string) (string, error) {
	id := c.Param(name)
	if uuid.Validate(id) != nil {
		return "", apperr.NotFound()
	}
	return id, nil
}

func (s *Server) patchVisit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	visitID, err := subID(c, "visit_id")
	if err != nil {
		return err
	}
	var req visitRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.UpdateVisit(c.Request().Context(), principal(c), id, visitID, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toVisitDTO(v))
}

// deleteVisit removes a visit logged by mistake: its CHW within 24 hours,
// a coordinator later.
func (s *Server) deleteVisit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	visitID, err := subID(c, "visit_id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteVisit(c.Request().Context(), principal(c), id, visitID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) createBarrier(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req barrierRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	b, err := s.svc.AddBarrier(c.Request().Context(), principal(c), id, service.BarrierInput{Category: req.Category, Detail: req.Detail, Status: req.Status})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toBarrierDTO(b))
}

func (s *Server) listBarriers(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	rows, err := s.svc.Barriers(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]barrierDTO, len(rows))
	for i, b := range rows {
		out[i] = toBarrierDTO(b)
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

type barrierPatch struct {
	Version *int    `json:"version"`
	Status  *string `json:"status" validate:"omitempty,oneof=open addressed resolved signalled"`
	Detail  *string `json:"detail" validate:"omitempty,max=2000"`
}

func (s *Server) patchBarrier(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	barrierID, err := subID(c, "barrier_id")
	if err != nil {
		return err
	}
	var req barrierPatch
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	want, err := wantedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var b model.Barrier
	err = s.guarded(c, "barriers", barrierID, id, want, func(ctx context.Context) (err error) {
		b, err = s.svc.UpdateBarrier(ctx, principal(c), id, barrierID, req.Status, req.Detail)
		return err
	}, func() (any, int, error) {
		cur, err := s.svc.Barrier(c.Request().Context(), principal(c), id, barrierID)
		if err != nil {
			return nil, 0, err
		}
		return toBarrierDTO(cur), cur.Version, nil
	})
	if err != nil {
		return err
	}
	setETag(c, b.Version)
	return c.JSON(http.StatusOK, toBarrierDTO(b))
}

type consentDTO struct {
	Purpose     string     `json:"purpose"`
	Given       bool       `json:"given"`
	GivenAt     *time.Time `json:"given_at"`
	GivenBy     *string    `json:"given_by"`
	TextVersion string     `json:"text_version"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	Warning     string     `json:"warning,omitempty"`
}

type consentHistoryDTO struct {
	Purpose     string     `json:"purpose"`
	GivenAt     time.Time  `json:"given_at"`
	GivenBy     string     `json:"given_by"`
	TextVersion string     `json:"text_version"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	WithdrawnBy *string    `json:"withdrawn_by"`
}

type consentsResponse struct {
	Items   []consentDTO        `json:"items"`
	History []consentHistoryDTO `json:"history"`
}

func consentsBody(states []service.ConsentState, history []model.Consent) consentsResponse {
	out := consentsResponse{Items: []consentDTO{}, History: []consentHistoryDTO{}}
	for _, st := range states {
		out.Items = append(out.Items, consentDTO{st.Purpose, st.Given, st.GivenAt, st.GivenBy, st.TextVersion, st.WithdrawnAt, st.Warning})
	}
	for _, h := range history {
		out.History = append(out.History, consentHistoryDTO{h.Purpose, h.GivenAt, h.GivenBy, h.TextVersion, h.WithdrawnAt, h.WithdrawnBy})
	}
	return out
}

func (s *Server) listConsents(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	states, history, err := s.svc.Consents(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, consentsBody(states, history))
}

type consentRequest struct {
	Purpose string `json:"purpose" validate:"required"`
}

func (s *Server) giveConsent(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req consentRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.svc.GiveConsent(ctx, principal(c), id, req.Purpose); err != nil {
		return err
	}
	states, history, err := s.svc.Consents(ctx, principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, consentsBody(states, history))
}

func (s *Server) withdrawConsent(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.WithdrawConsent(c.Request().Context(), principal(c), id, c.Param("purpose")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type timelineDTO struct {
	At    time.Time      `json:"at"`
	Type  string         `json:"type"`
	ID    string         `json:"id"`
	Actor *userRef       `json:"actor"`
	Data  map[string]any `json:"data"`
}

func (s *Server) timeline(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	items, names, err := s.svc.Timeline(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	out := make([]timelineDTO, len(items))
	for i, it := range items {
		out[i] = timelineDTO{At: it.At, Type: it.Type, ID: it.ID, Data: it.Data}
		if it.ActorID != "" {
			out[i].Actor = &userRef{it.ActorID, names[it.ActorID]}
		}
		if it.Type == "assigned" {
			for _, k := range []string{"from", "to"} {
				if uid, ok := it.Data[k].(string); ok && uid != "" {
					it.Data[k+"_name"] = names[uid]
				}
			}
		}
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}
