package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/brug-chw/brug/internal/model"

	"github.com/labstack/echo/v4"
)

type labels struct {
	NL string `json:"nl"`
	FR string `json:"fr"`
	DE string `json:"de"`
	EN string `json:"en"`
}

type neighbourhoodDTO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type municipalityDTO struct {
	ID             string             `json:"id"`
	Name           string             `json:"name"`
	Neighbourhoods []neighbourhoodDTO `json:"neighbourhoods"`
}

type teamDTO struct {
	ID              string   `json:"id"`
	Slug            string   `json:"slug"`
	Name            string   `json:"name"`
	Outreach        *string  `json:"outreach"`
	ReminderOffsets []string `json:"reminder_offsets"`
	Region          struct {
		Code  string `json:"code"`
		Names labels `json:"names"`
	} `json:"region"`
	Municipalities []municipalityDTO `json:"municipalities"`
}

func (s *Server) listTeams(c echo.Context) error {
	trees, err := s.svc.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]teamDTO, 0, len(trees))
	for _, t := range trees {
		d := teamDTO{ID: t.Team.ID, Slug: t.Team.Slug, Name: t.Team.Name, Outreach: t.Team.Outreach, Municipalities: []municipalityDTO{},
			ReminderOffsets: offsetsOf(t.Team)}
		d.Region.Code = t.Region.Code
		d.Region.Names = labels{t.Region.NameNL, t.Region.NameFR, t.Region.NameDE, t.Region.NameEN}
		for _, m := range t.Municipalities {
			md := municipalityDTO{ID: m.Municipality.ID, Name: m.Municipality.Name, Neighbourhoods: []neighbourhoodDTO{}}
			for _, n := range m.Neighbourhoods {
				md.Neighbourhoods = append(md.Neighbourhoods, neighbourhoodDTO{ID: n.ID, Name: n.Name})
			}
			d.Municipalities = append(d.Municipalities, md)
		}
		out = append(out, d)
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

func (s *Server) listFunds(c echo.Context) error {
	funds, err := s.svc.Funds(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]fundDTO, len(funds))
	for i, f := range funds {
		out[i] = fundDTO{ID: f.ID, Code: f.Code, Name: f.Name}
	}
	return c.JSON(http.StatusOK, newList(out, ""))
}

type termDTO struct {
	Code   string `json:"code"`
	Labels labels `json:"labels"`
}

func (s *Server) taxonomy(c echo.Context) error {
	byKind, err := s.svc.Taxonomy(c.Request().Context())
	if err != nil {
		return err
	}
	out := map[string]any{"ui_languages": []string{"nl", "fr", "de", "en"}}
	for _, kind := range []string{"chw_missions", "provider_types", "barrier_categories", "belgian_care_rights"} {
		terms := []termDTO{}
		for _, t := range byKind[kind] {
			terms = append(terms, termDTO{Code: t.Code, Labels: labels{t.LabelNL, t.LabelFR, t.LabelDE, t.LabelEN}})
		}
		out[kind] = terms
	}
	return c.JSON(http.StatusOK, out)
}

func offsetsOf(t model.Team) []string {
	var out []string
	if json.Unmarshal([]byte(t.ReminderOffsets), &out) != nil || len(out) == 0 {
		return []string{"24h", "2h"}
	}
	return out
}

type teamPatch struct {
	ReminderOffsets []string `json:"reminder_offsets" validate:"required"`
}

func (s *Server) patchTeam(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req teamPatch
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	t, err := s.svc.SetReminderOffsets(c.Request().Context(), principal(c), id, req.ReminderOffsets)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": t.ID, "name": t.Name, "reminder_offsets": offsetsOf(t)})
}
