package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/service"
)

// Monthly summary (issue 17 part 5): last month against the goals, the
// caller's own and, for a coordinator, each CHW of their teams.

type summaryCHWDTO struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Behind   int              `json:"behind"`
	Progress monthProgressDTO `json:"progress"`
}

type summaryTeamDTO struct {
	TeamID string          `json:"team_id"`
	CHWs   []summaryCHWDTO `json:"chws"`
}

// mySummary gives the caller's monthly summary (?month=, default last month).
func (s *Server) mySummary(c echo.Context) error {
	var f apperr.Fields
	month := ""
	if c.QueryParam("month") != "" {
		month = s.monthParam(c, &f)
		// A summary reports work done: this month so far at most.
		if cur := s.svc.CurrentMonth(); len(f) == 0 && month > cur {
			f.AddP("month", "future", "Must not be after this month.", map[string]any{"max": cur})
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	v, err := s.svc.MonthlySummaryOf(c.Request().Context(), principal(c), month)
	if err != nil {
		return err
	}
	out := struct {
		Month      string           `json:"month"`
		Indicators []indicatorDTO   `json:"indicators"`
		Mine       monthProgressDTO `json:"mine"`
		Teams      []summaryTeamDTO `json:"teams"`
	}{Month: v.Month, Indicators: indicatorDTOs(), Mine: toMonthProgress(v.Mine), Teams: []summaryTeamDTO{}}
	for _, t := range v.Teams {
		team := summaryTeamDTO{TeamID: t.TeamID, CHWs: []summaryCHWDTO{}}
		for _, u := range t.CHWs {
			team.CHWs = append(team.CHWs, summaryCHWDTO{ID: u.User.ID, Name: u.User.Name, Behind: behindOf(u.This), Progress: toMonthProgress(u.This)})
		}
		out.Teams = append(out.Teams, team)
	}
	return c.JSON(http.StatusOK, out)
}

// behindOf counts a month's indicators behind their goal.
func behindOf(m service.MonthProgress) int {
	n := 0
	for _, it := range m.Items {
		if it.Behind {
			n++
		}
	}
	return n
}
