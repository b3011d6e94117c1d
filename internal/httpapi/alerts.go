package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/service"
)

// Coordinator alerts (issue 17 part 4): a team's thresholds. The alerts
// themselves are tasks (GET /api/v1/tasks).

type alertSettingsDTO struct {
	TeamID            string     `json:"team_id"`
	NoVisitDays       int        `json:"no_visit_days"`
	OverdueTasks      int        `json:"overdue_tasks"`
	StuckReferralDays int        `json:"stuck_referral_days"`
	MissedInRow       int        `json:"missed_in_row"`
	Default           bool       `json:"default"`
	UpdatedAt         *time.Time `json:"updated_at"`
}

func toAlertSettings(a service.AlertSettings) alertSettingsDTO {
	return alertSettingsDTO{
		TeamID:            a.TeamID,
		NoVisitDays:       a.NoVisitDays,
		OverdueTasks:      a.OverdueTasks,
		StuckReferralDays: service.StuckReferralDays,
		MissedInRow:       service.MissedInRow,
		Default:           a.Default,
		UpdatedAt:         a.UpdatedAt,
	}
}

// teamAlertSettings reads a team's alert thresholds (its coordinators, an admin).
func (s *Server) teamAlertSettings(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, err := s.svc.AlertSettingsOf(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAlertSettings(a))
}

type alertSettingsRequest struct {
	NoVisitDays  *int `json:"no_visit_days"`
	OverdueTasks *int `json:"overdue_tasks"`
}

// putTeamAlertSettings sets a team's thresholds; a field left out keeps its value.
func (s *Server) putTeamAlertSettings(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req alertSettingsRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	a, err := s.svc.SetAlertSettings(c.Request().Context(), principal(c), id, req.NoVisitDays, req.OverdueTasks)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAlertSettings(a))
}
