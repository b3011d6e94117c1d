package httpapi

import (
	"math"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/site"
)

// The contact form's JSON API, and the coordinators' triage queue.

type contactRequest struct {
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	Organisation   string `json:"organisation"`
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	Municipality   string `json:"municipality"`
	Neighbourhood  string `json:"neighbourhood"`
	Language       string `json:"language"`
	Message        string `json:"message"`
	Consent        bool   `json:"consent"`
	ConsentVersion string `json:"consent_version"`
	Website        string `json:"website"`
	PageLanguage   string `json:"page_language"`
}

type contactReceiptDTO struct {
	ID          string  `json:"id"`
	Team        *string `json:"team"`
	Emailed     bool    `json:"emailed"`
	WithdrawURL string  `json:"withdraw_url"`
}

// pageLanguage is the language a public API answers in: the one named,
// else the browser's.
func pageLanguage(c echo.Context, named string) string {
	if site.Supported(named) {
		return named
	}
	return site.Negotiate(c.Request().Header.Get("Accept-Language"))
}

func (s *Server) submitContact(c echo.Context) error {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxContactBody)
	lang := pageLanguage(c, "")
	if wait, ok := s.contactAllowed(c); !ok {
		return &apperr.Error{Kind: apperr.KindRateLimited, RetryAfter: wait,
			Detail: site.T(lang, "err.rate", int(math.Ceil(wait.Minutes())))}
	}
	var in contactRequest
	if err := bindJSON(c, &in); err != nil {
		return localizeContact(err, lang)
	}
	switch {
	case site.Supported(in.PageLanguage):
		lang = in.PageLanguage
	case c.Request().Header.Get("Accept-Language") == "" && site.Supported(in.Language):
		lang = in.Language
	}
	receipt, err := s.svc.SubmitContact(req.Context(), service.ContactInput{Kind: in.Kind, Name: in.Name, Organisation: in.Organisation,
		Phone: in.Phone, Email: in.Email, Municipality: in.Municipality, Neighbourhood: in.Neighbourhood, Language: in.Language, Message: in.Message, Consent: in.Consent,
		ConsentVersion: in.ConsentVersion, Honeypot: in.Website, PageLanguage: lang})
	if err != nil {
		return localizeContact(err, lang)
	}
	out := contactReceiptDTO{ID: receipt.ID, Emailed: receipt.Emailed, WithdrawURL: s.withdrawURL(lang, receipt.WithdrawToken)}
	if receipt.TeamName != "" {
		out.Team = &receipt.TeamName
	}
	return c.JSON(http.StatusAccepted, out)
}

type withdrawalDTO struct {
	Withdrawn   bool       `json:"withdrawn"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	Converted   bool       `json:"converted"`
	DataDeleted bool       `json:"data_deleted"`
}

func toWithdrawalDTO(w service.ContactWithdrawal) withdrawalDTO {
	return withdrawalDTO{Withdrawn: w.Request.WithdrawnAt != nil, WithdrawnAt: w.Request.WithdrawnAt, Converted: w.Converted,
		DataDeleted: w.Request.WithdrawnAt != nil}
}

func (s *Server) contactWithdrawal(c echo.Context) error {
	w, err := s.svc.ContactWithdrawalStatus(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toWithdrawalDTO(w))
}

func (s *Server) withdrawContactAPI(c echo.Context) error {
	var empty struct{}
	if err := bindJSON(c, &empty); err != nil {
		return err
	}
	w, err := s.svc.WithdrawContact(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toWithdrawalDTO(w))
}

type publicArea struct {
	Name           string   `json:"name"`
	Neighbourhoods []string `json:"neighbourhoods"`
}

type publicTeam struct {
	Name           string       `json:"name"`
	Outreach       *string      `json:"outreach"`
	Municipalities []publicArea `json:"municipalities"`
}

type publicRegion struct {
	Code  string           `json:"code"`
	Names reference.Labels `json:"names"`
	Teams []publicTeam     `json:"teams"`
}

// publicAreas lists where the teams work, for the public pages; with ?q= it
// also says which team covers a typed place.
func (s *Server) publicAreas(c echo.Context) error {
	ctx := c.Request().Context()
	tree, err := s.svc.AreaTree(ctx)
	if err != nil {
		return err
	}
	regions := []publicRegion{}
	for _, t := range tree {
		if len(regions) == 0 || regions[len(regions)-1].Code != t.Region.Code {
			regions = append(regions, publicRegion{Code: t.Region.Code,
				Names: reference.Labels{NL: t.Region.NameNL, FR: t.Region.NameFR, DE: t.Region.NameDE, EN: t.Region.NameEN}})
		}
		pt := publicTeam{Name: t.Team.Name, Outreach: t.Team.Outreach, Municipalities: []publicArea{}}
		for _, m := range t.Municipalities {
			a := publicArea{Name: m.Municipality.Name, Neighbourhoods: []string{}}
			for _, n := range m.Neighbourhoods {
				a.Neighbourhoods = append(a.Neighbourhoods, n.Name)
			}
			pt.Municipalities = append(pt.Municipalities, a)
		}
		regions[len(regions)-1].Teams = append(regions[len(regions)-1].Teams, pt)
	}
	type match struct {
		Team          string  `json:"team"`
		Municipality  string  `json:"municipality"`
		Neighbourhood *string `json:"neighbourhood"`
	}
	matches := []match{}
	if q := c.QueryParam("q"); q != "" {
		if len([]rune(q)) > 100 {
			return apperr.ValidationP("q", apperr.CodeMax, "Must be at most 100 characters.", apperr.Max(100))
		}
		found, err := s.svc.SearchAreas(ctx, q, 20)
		if err != nil {
			return err
		}
		for _, f := range found {
			m := match{Team: f.TeamName, Municipality: f.MunicipalityName}
			if f.NeighbourhoodName != "" {
				n := f.NeighbourhoodName
				m.Neighbourhood = &n
			}
			matches = append(matches, m)
		}
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.JSON(http.StatusOK, map[string]any{"regions": regions, "matches": matches})
}

type contactDTO struct {
	ID              string     `json:"id"`
	Kind            string     `json:"kind"`
	Status          string     `json:"status"`
	Name            string     `json:"name"`
	Organisation    string     `json:"organisation"`
	Phone           *string    `json:"phone"`
	Email           *string    `json:"email"`
	Area            string     `json:"area"`
	TeamID          *string    `json:"team_id"`
	MunicipalityID  *string    `json:"municipality_id"`
	NeighbourhoodID *string    `json:"neighbourhood_id"`
	Language        string     `json:"language"`
	Message         string     `json:"message"`
	ConsentVersion  string     `json:"consent_version"`
	ConsentAt       time.Time  `json:"consent_at"`
	WithdrawnAt     *time.Time `json:"withdrawn_at"`
	CloseReason     string     `json:"close_reason"`
	CloseNote       string     `json:"close_note"`
	HandledBy       *userRef   `json:"handled_by"`
	HandledAt       *time.Time `json:"handled_at"`
	ClientID        *string    `json:"client_id"`
	ProviderID      *string    `json:"provider_id"`
	Purged          bool       `json:"purged"`
	Overdue         bool       `json:"overdue"`
	CreatedAt       time.Time  `json:"created_at"`
}

func contactDTOs(vs []service.ContactView) []contactDTO {
	out := make([]contactDTO, len(vs))
	for i, v := range vs {
		d := contactDTO{ID: v.ID, Kind: v.Kind, Status: v.Status, Name: v.Name, Organisation: v.Organisation, Phone: v.Phone,
			Email: v.Email, Area: v.AreaText, TeamID: v.TeamID, MunicipalityID: v.MunicipalityID, NeighbourhoodID: v.NeighbourhoodID,
			Language: v.Language, Message: v.Message, ConsentVersion: v.ConsentVersion, ConsentAt: v.ConsentAt, WithdrawnAt: v.WithdrawnAt,
			CloseReason: v.CloseReason, CloseNote: v.CloseNote, HandledAt: v.HandledAt, ClientID: v.ClientID, ProviderID: v.ProviderID,
			Purged: v.PurgedAt != nil, Overdue: v.Overdue, CreatedAt: v.CreatedAt}
		if v.HandledBy != nil {
			d.HandledBy = &userRef{ID: *v.HandledBy, Name: v.HandledByName}
		}
		out[i] = d
	}
	return out
}

func (s *Server) listContactRequests(c echo.Context) error {
	status := c.QueryParam("status")
	if status != "" && status != "open" && status != "handled" {
		return apperr.OneOf("status", []string{"open", "handled"})
	}
	vs, err := s.svc.ContactQueue(c.Request().Context(), principal(c), status != "handled", c.QueryParam("kind"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(contactDTOs(vs), ""))
}

// contactSummary counts the caller's open and overdue requests, for the
// navigation badge: no personal data, so no audit event.
func (s *Server) contactSummary(c echo.Context) error {
	open, overdue, err := s.svc.ContactCounts(c.Request().Context(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"open": open, "overdue": overdue})
}

func (s *Server) getContactRequest(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.ContactRequest(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.writeContact(c, v)
}

type convertRequest struct {
	CHWID            string `json:"chw_id" validate:"required,uuid"`
	TeamID           string `json:"team_id" validate:"omitempty,uuid"`
	ConfirmDuplicate bool   `json:"confirm_duplicate"`
}

func (s *Server) convertContact(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p := principal(c) // the route's scope check answered 404 outside the caller's teams
	var req convertRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.ConvertContact(c.Request().Context(), p, id, req.CHWID, req.TeamID, req.ConfirmDuplicate)
	if err != nil {
		return err
	}
	return s.writeClient(c, http.StatusCreated, v)
}

func (s *Server) partnerContact(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p := principal(c)
	var req providerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.PartnerContact(c.Request().Context(), p, id, req.TeamID, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toProviderDTO(v))
}

type closeContactRequest struct {
	Reason string `json:"reason"`
	Note   string `json:"note"`
}

func (s *Server) closeContact(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p := principal(c)
	var req closeContactRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.CloseContact(c.Request().Context(), p, id, req.Reason, req.Note)
	if err != nil {
		return err
	}
	return s.writeContact(c, v)
}

func (s *Server) writeContact(c echo.Context, v service.ContactView) error {
	// One request, read or just changed: named here, as the queue is.
	vs, err := s.svc.NameContacts(c.Request().Context(), []service.ContactView{v})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, contactDTOs(vs)[0])
}

// contactAllowed applies the contact form's limit per address: this
// process's bucket, and on PostgreSQL the count over every replica.
func (s *Server) contactAllowed(c echo.Context) (time.Duration, bool) {
	if wait, ok := s.contactLimiter.allow(c.RealIP()); !ok {
		return wait, false
	}
	return s.svc.SharedContactAllowed(c.Request().Context(), c.RealIP(), s.cfg.ContactPerHour)
}
