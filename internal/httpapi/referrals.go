package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/service"
)

type providerDTO struct {
	ID                string    `json:"id"`
	TeamID            string    `json:"team_id"`
	Name              string    `json:"name"`
	Type              string    `json:"type"`
	Address           string    `json:"address"`
	Municipality      string    `json:"municipality"`
	Phone             *string   `json:"phone"`
	Email             *string   `json:"email"`
	Website           string    `json:"website"`
	Languages         []string  `json:"languages"`
	AcceptsNew        bool      `json:"accepts_new_patients"`
	ThirdPartyPayment bool      `json:"third_party_payment"`
	Conventioned      bool      `json:"conventioned"`
	Notes             string    `json:"notes"`
	UpdatedAt         time.Time `json:"updated_at"`
}

func toProviderDTO(p service.ProviderView) providerDTO {
	return providerDTO{ID: p.ID, TeamID: p.TeamID, Name: p.Name, Type: p.Type, Address: p.Address, Municipality: p.Municipality,
		Phone: p.Phone, Email: p.Email, Website: p.Website, Languages: p.Languages, AcceptsNew: p.AcceptsNew,
		ThirdPartyPayment: p.ThirdPartyPayment, Conventioned: p.Conventioned, Notes: p.Notes, UpdatedAt: p.UpdatedAt}
}

func (s *Server) listProviders(c echo.Context) error {
	var fields apperr.Fields
	f := service.ProviderFilter{Type: c.QueryParam("type"), Municipality: c.QueryParam("municipality"), Language: strings.ToLower(c.QueryParam("language")),
		Q: strings.TrimSpace(c.QueryParam("q")), Cursor: c.QueryParam("cursor"), Limit: queryInt(c, "limit", 50, 1, 200, &fields)}
	// accepting is the older name of accepts_new_patients, the field's own.
	f.Accepting = queryBool(c, "accepting", &fields)
	if b := queryBool(c, "accepts_new_patients", &fields); b != nil {
		f.Accepting = b
	}
	f.ThirdPartyPayment = queryBool(c, "third_party_payment", &fields)
	if err := fields.Err(); err != nil {
		return err
	}
	items, next, err := s.svc.Providers(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	out := make([]providerDTO, len(items))
	for i, p := range items {
		out[i] = toProviderDTO(p)
	}
	return c.JSON(http.StatusOK, newList(out, next))
}

type providerRequest struct {
	TeamID            string   `json:"team_id" validate:"omitempty,uuid"`
	Name              string   `json:"name"`
	Type              string   `json:"type"`
	Address           string   `json:"address"`
	Municipality      string   `json:"municipality"`
	Phone             string   `json:"phone"`
	Email             string   `json:"email"`
	Website           string   `json:"website"`
	Languages         []string `json:"languages" validate:"max=20"`
	AcceptsNew        *bool    `json:"accepts_new_patients"`
	ThirdPartyPayment bool     `json:"third_party_payment"`
	Conventioned      *bool    `json:"conventioned"`
	Notes             string   `json:"notes"`
}

func (r providerRequest) input() service.ProviderInput {
	in := service.ProviderInput{Name: r.Name, Type: r.Type, Address: r.Address, Municipality: r.Municipality, Phone: r.Phone,
		Email: r.Email, Website: r.Website, Languages: r.Languages, ThirdPartyPayment: r.ThirdPartyPayment, Notes: r.Notes,
		AcceptsNew: true, Conventioned: true}
	if r.AcceptsNew != nil {
		in.AcceptsNew = *r.AcceptsNew
	}
	if r.Conventioned != nil {
		in.Conventioned = *r.Conventioned
	}
	return in
}

func (s *Server) createProvider(c echo.Context) error {
	var req providerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.CreateProvider(c.Request().Context(), principal(c), req.TeamID, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toProviderDTO(p))
}

func (s *Server) patchProvider(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req providerRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.UpdateProvider(c.Request().Context(), principal(c), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toProviderDTO(p))
}

// importProviders takes a text/csv body or a multipart field "file".
func (s *Server) importProviders(c echo.Context) error {
	teamID := c.QueryParam("team_id")
	if teamID != "" && uuid.Validate(teamID) != nil {
		return apperr.Validation("team_id", "uuid", "Must be a UUID.")
	}
	req := c.Request()
	body := req.Body
	ct := req.Header.Get(echo.HeaderContentType)
	switch {
	case strings.HasPrefix(ct, echo.MIMEMultipartForm):
		fh, err := c.FormFile("file")
		if err != nil {
			return apperr.Validation("file", "required", "Send the CSV in a multipart field named file.")
		}
		f, err := fh.Open()
		if err != nil {
			return apperr.Wrap(apperr.KindMalformed, "The file could not be read.", err)
		}
		defer f.Close()
		body = f
	case strings.HasPrefix(ct, "text/csv"), strings.HasPrefix(ct, "text/plain"):
	default:
		return apperr.New(apperr.KindUnsupported, "Send text/csv, or multipart/form-data with a field named file.")
	}
	n, err := s.svc.ImportProviders(req.Context(), principal(c), teamID, body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]int{"imported": n})
}

type referralEventDTO struct {
	From  string    `json:"from"`
	To    string    `json:"to"`
	Actor *userRef  `json:"actor"`
	By    string    `json:"by"`
	Note  string    `json:"note"`
	At    time.Time `json:"at"`
}

type referralDTO struct {
	Version       int                `json:"version"`
	ID            string             `json:"id"`
	ClientID      string             `json:"client_id"`
	Client        *userRef           `json:"client"`
	ProviderID    *string            `json:"provider_id"`
	Provider      *userRef           `json:"provider"`
	ProviderType  string             `json:"provider_type"`
	Reason        string             `json:"reason"`
	Urgency       string             `json:"urgency"`
	BarrierIDs    []string           `json:"barrier_ids"`
	Note          string             `json:"note"`
	Status        string             `json:"status"`
	Outcome       string             `json:"outcome"`
	DeclineReason string             `json:"decline_reason"`
	Allowed       []string           `json:"allowed_transitions"`
	Events        []referralEventDTO `json:"events,omitempty"`
	LastEventAt   time.Time          `json:"last_event_at"`
	CreatedAt     time.Time          `json:"created_at"`
	UpdatedAt     time.Time          `json:"updated_at"`
}

// referralDTOs names referrals through the service and shapes them.
func (s *Server) referralDTOs(c echo.Context, views []service.ReferralView) ([]referralDTO, error) {
	views, err := s.svc.NameReferrals(c.Request().Context(), principal(c), views)
	if err != nil {
		return nil, err
	}
	return toReferralDTOs(views), nil
}

func toReferralDTOs(views []service.ReferralView) []referralDTO {
	out := make([]referralDTO, len(views))
	for i, v := range views {
		d := referralDTO{Version: v.Version, ID: v.ID, ClientID: v.ClientID, ProviderID: v.ProviderID, ProviderType: v.ProviderType, Reason: v.Reason,
			Urgency: v.Urgency, BarrierIDs: v.BarrierIDs, Note: v.Note, Status: v.Status, Outcome: v.Outcome, DeclineReason: v.DeclineReason,
			Allowed: service.ReferralTransitions[v.Status], LastEventAt: v.LastEventAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
		d.Client, d.Provider = toRef(v.Client), toRef(v.Provider)
		for _, e := range v.Events {
			ed := referralEventDTO{From: e.FromStatus, To: e.ToStatus, By: e.ActorLabel, Note: e.Note, At: e.CreatedAt}
			if e.ActorID != nil {
				ed.Actor = &userRef{*e.ActorID, v.ActorNames[*e.ActorID]}
			}
			d.Events = append(d.Events, ed)
		}
		out[i] = d
	}
	return out
}

func (s *Server) writeReferral(c echo.Context, status int, v service.ReferralView) error {
	out, err := s.referralDTOs(c, []service.ReferralView{v})
	if err != nil {
		return err
	}
	setETag(c, v.Version)
	return c.JSON(status, out[0])
}

type referralRequest struct {
	ClientID     string   `json:"client_id" validate:"required,uuid"`
	ProviderID   *string  `json:"provider_id" validate:"omitempty,uuid"`
	ProviderType string   `json:"provider_type"`
	Reason       string   `json:"reason"`
	Urgency      string   `json:"urgency"`
	BarrierIDs   []string `json:"barrier_ids" validate:"max=20,dive,uuid"`
	Note         string   `json:"note"`
	Send         bool     `json:"send"`
}

func (s *Server) createReferral(c echo.Context) error {
	var req referralRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.CreateReferral(c.Request().Context(), principal(c), service.ReferralInput{ClientID: req.ClientID, ProviderID: req.ProviderID,
		ProviderType: req.ProviderType, Reason: req.Reason, Urgency: req.Urgency, BarrierIDs: req.BarrierIDs, Note: req.Note, Send: req.Send})
	if err != nil {
		return err
	}
	return s.writeReferral(c, http.StatusCreated, v)
}

func (s *Server) listReferrals(c echo.Context) error {
	f := service.ReferralFilter{ClientID: c.QueryParam("client_id")}
	if f.ClientID != "" && uuid.Validate(f.ClientID) != nil {
		return apperr.Validation("client_id", "uuid", "Must be a UUID.")
	}
	if v := c.QueryParam("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !slices.Contains(service.ReferralStatuses, st) {
				return apperr.ValidationP("status", apperr.CodeOneOf, "Must be statuses from: "+strings.Join(service.ReferralStatuses, ", ")+".", apperr.Options(service.ReferralStatuses...))
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	views, err := s.svc.Referrals(c.Request().Context(), principal(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(toReferralDTOs(views), ""))
}

func (s *Server) getReferral(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.svc.Referral(c.Request().Context(), principal(c), id)
	if err != nil {
		return err
	}
	return s.writeReferral(c, http.StatusOK, v)
}

type referralPatch struct {
	Version    *int    `json:"version"`
	Reason     *string `json:"reason"`
	Urgency    *string `json:"urgency"`
	Note       *string `json:"note"`
	ProviderID *string `json:"provider_id" validate:"omitempty,uuid"`
}

func (s *Server) patchReferral(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req referralPatch
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	want, err := wantedVersion(c, req.Version)
	if err != nil {
		return err
	}
	var v service.ReferralView
	err = s.guarded(c, "referrals", id, "", want, func(ctx context.Context) (err error) {
		v, err = s.svc.UpdateReferral(ctx, principal(c), id, req.Reason, req.Urgency, req.Note, req.ProviderID)
		return err
	}, func() (any, int, error) {
		cur, err := s.svc.Referral(c.Request().Context(), principal(c), id)
		if err != nil {
			return nil, 0, err
		}
		out, err := s.referralDTOs(c, []service.ReferralView{cur})
		if err != nil {
			return nil, 0, err
		}
		return out[0], cur.Version, nil
	})
	if err != nil {
		return err
	}
	return s.writeReferral(c, http.StatusOK, v)
}

type transitionRequest struct {
	To      string `json:"to" validate:"required"`
	Reason  string `json:"reason"`
	Outcome string `json:"outcome"`
}

func (s *Server) transitionReferral(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req transitionRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.TransitionReferral(c.Request().Context(), principal(c), id, service.TransitionInput{To: req.To, Reason: req.Reason, Outcome: req.Outcome})
	if err != nil {
		return err
	}
	return s.writeReferral(c, http.StatusOK, v)
}

type linkRequest struct {
	Email bool `json:"email"`
}

// referralLink makes a new link for the provider (revoking earlier ones)
// with a ready text in a language the provider speaks; with email, Brug
// also e-mails it to the provider's directory address.
func (s *Server) referralLink(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var req linkRequest
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	p := principal(c)

	l, err := s.svc.ReferralLink(c.Request().Context(), p, id, req.Email)
	if err != nil {
		return err
	}

	url := s.cfg.BaseURL.String() + "/provider/" + l.Token
	first, _, _ := strings.Cut(p.Name, " ")
	msg, err := reminder.Render(l.Language, reminder.KindReferralLink, reminder.Data{When: l.ExpiresAt, CHWName: first, ReplyURL: url})
	if err != nil {
		return err
	}
	var email any
	if l.EmailTo != "" {
		email = map[string]string{
			"to":     l.EmailTo,
			"status": "queued",
		}
	}
	return c.JSON(http.StatusCreated, map[string]any{
		"url":        url,
		"token":      l.Token,
		"expires_at": l.ExpiresAt,
		"message": map[string]string{
			"language": l.Language,
			"sms":      msg.SMS,
			"subject":  msg.Subject,
			"text":     msg.Text,
		},
		"email": email,
	})
}

func (s *Server) publicLink(c echo.Context) error {
	v, err := s.svc.ProviderLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{
		"client_first_name": v.ClientFirstName, "reason": v.Reason, "urgency": v.Urgency, "provider_name": v.ProviderName,
		"chw": map[string]string{"name": v.CHWName, "email": v.CHWEmail}, "expires_at": v.ExpiresAt, "status": v.Status,
	})
}

type linkAnswer struct {
	Action        string `json:"action" validate:"required"`
	StartsAtLocal string `json:"starts_at_local"`
	Reason        string `json:"reason" validate:"max=1000"`
	Location      string `json:"location" validate:"max=300"`
}

func (s *Server) answerLink(c echo.Context) error {
	var req linkAnswer
	if err := bindJSON(c, &req); err != nil {
		return err
	}
	err := s.svc.AnswerProviderLink(c.Request().Context(), c.Param("token"), service.ProviderAnswer{
		Action: req.Action, StartsAtLocal: req.StartsAtLocal, Reason: req.Reason, Location: req.Location})
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
