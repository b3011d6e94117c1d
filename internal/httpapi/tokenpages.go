package httpapi

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/site"
)

// The token pages a client or a provider opens from a message: the reply
// page (/a/{token}) and the provider's answer page (/provider/{token}).
// Server-rendered like the public pages, so they work without JavaScript
// and never load the staff app. They call the same service functions as
// the JSON API under /api/v1/public/.

func (s *Server) tokenPageRoutes() {
	s.E.GET("/a/:token", func(c echo.Context) error { return s.replyPage(c, false) })
	s.E.POST("/a/:token", func(c echo.Context) error { return s.replyPage(c, true) })
	s.E.GET("/provider/:token", func(c echo.Context) error { return s.providerPage(c, false) })
	s.E.POST("/provider/:token", func(c echo.Context) error { return s.providerPage(c, true) })
	s.E.GET("/a/*", s.tokenNotFound)
	s.E.GET("/provider/*", s.tokenNotFound)
}

// isTokenPath: paths the SPA fallback must never answer.
func isTokenPath(p string) bool {
	return p == "/a" || p == "/provider" || strings.HasPrefix(p, "/a/") || strings.HasPrefix(p, "/provider/")
}

func (s *Server) tokenNotFound(c echo.Context) error {
	lang := s.tokenLang(c, "")
	p := s.page(lang, "/", "notfound.title", "", nil)
	p.Status, p.NoIndex = http.StatusNotFound, true
	return s.render(c, "notfound", p)
}

// tokenLang: the language asked for with ?lang=, else the link's own, else
// the browser's.
func (s *Server) tokenLang(c echo.Context, linkLang string) string {
	if l := c.QueryParam("lang"); site.Supported(l) {
		return l
	}
	if site.Supported(linkLang) {
		return linkLang
	}
	return site.Negotiate(c.Request().Header.Get("Accept-Language"))
}

// sameOrigin refuses a form posted from another site. The token is the
// secret, so a forged post needs it anyway; this keeps a page elsewhere
// from making a visitor's browser answer for them.
func (s *Server) sameOrigin(c echo.Context) bool {
	h := c.Request().Header
	if sf := h.Get("Sec-Fetch-Site"); sf != "" {
		return sf == "same-origin" || sf == "none"
	}
	// Without Fetch metadata: the Origin, which is "null" under our
	// no-referrer policy.
	o := h.Get("Origin")
	if o == "" || o == "null" {
		return true
	}
	u, err := url.Parse(o)
	if err != nil {
		return false
	}
	return u.Host == s.cfg.BaseURL.Host || u.Host == c.Request().Host
}

func (s *Server) tokenPage(c echo.Context, lang, base, titleKey string) site.Page {
	p := s.page(lang, base, titleKey, "", nil)
	p.NoIndex, p.SwitchPath = true, base
	c.Response().Header().Set("Cache-Control", "no-store")
	return p
}

func (s *Server) replyPage(c echo.Context, post bool) error {
	token := c.Param("token")
	ctx := c.Request().Context()
	base := "/a/" + url.PathEscape(token)
	v, err := s.svc.Reply(ctx, token)
	lang := s.tokenLang(c, v.Language)
	p := s.tokenPage(c, lang, base, "reply.title")
	data := map[string]any{"Action": base + "?lang=" + lang}
	p.Data = data
	if apperr.IsKind(err, apperr.KindNotFound) {
		p.Status, data["Invalid"] = http.StatusNotFound, true
		return s.render(c, "reply", p)
	}
	if err != nil {
		return err
	}
	data["When"] = site.DateTime(lang, v.StartsAt.In(service.Brussels))
	if v.Reply != "" {
		data["Answer"] = map[string]string{"confirmed": "reply.confirm", "reschedule_requested": "reply.reschedule"}[v.Reply]
	}
	if !post {
		data["Past"] = !v.Answerable
		return s.render(c, "reply", p)
	}
	if !s.sameOrigin(c) {
		p.Status, data["Error"] = http.StatusForbidden, site.T(lang, "err.origin")
		return s.render(c, "reply", p)
	}
	action := c.FormValue("action")
	err = s.svc.AnswerReply(ctx, token, action)
	switch {
	case err == nil:
		data["Done"] = map[string]string{"confirm": "reply.thanks_confirm", "reschedule": "reply.thanks_reschedule"}[strings.TrimSpace(action)]
	case apperr.IsKind(err, apperr.KindGone):
		p.Status, data["Past"] = http.StatusGone, true
	case apperr.IsKind(err, apperr.KindValidation):
		p.Status, data["Error"] = http.StatusUnprocessableEntity, site.T(lang, "err.oneof")
	default:
		s.log.Error("reply page", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
		p.Status, data["Error"] = http.StatusServiceUnavailable, site.T(lang, "err.retry")
	}
	return s.render(c, "reply", p)
}

type providerValues struct{ Action, Date, Time, Location, Reason string }

// goneText words a link's 410 problem in lang, as the staff app did.
func goneText(lang string, err error) string {
	ae, _ := apperr.As(err)
	reason, _ := ae.Extra["reason"].(string)
	switch reason {
	case service.LinkAnswered:
		a, _ := ae.Extra["answer"].(string)
		if a != "waitlist" && a != "decline" {
			a = "accept"
		}
		return site.T(lang, "link.gone.answered."+a)
	case service.LinkReplaced, service.LinkSettled, service.LinkClosed:
		return site.T(lang, "link.gone."+reason)
	case service.LinkExpired:
		date := ""
		if t, ok := ae.Extra["expired_at"].(interface{ Format(string) string }); ok {
			date = t.Format("02/01/2006")
		}
		return site.T(lang, "link.gone.expired", date)
	}
	return site.T(lang, "link.gone")
}

// providerFieldMessage is a field error of AnswerProviderLink in lang.
func providerFieldMessage(lang string, fe apperr.FieldError) string {
	switch {
	case fe.Field == "starts_at_local" && fe.Code == apperr.CodeTimeGap:
		return site.T(lang, "err.time_gap")
	case fe.Field == "starts_at_local":
		return site.T(lang, "err.date_time")
	case fe.Code == apperr.CodeMax && fe.Field == "reason":
		return site.T(lang, "err.max", 1000)
	case fe.Code == apperr.CodeMax:
		return site.T(lang, "err.max", 300)
	case fe.Code == apperr.CodeOneOf:
		return site.T(lang, "err.oneof")
	}
	return site.T(lang, "err.required")
}

func (s *Server) providerPage(c echo.Context, post bool) error {
	token := c.Param("token")
	ctx := c.Request().Context()
	base := "/provider/" + url.PathEscape(token)
	lang := s.tokenLang(c, "")
	data := map[string]any{}
	vals := providerValues{}
	status := http.StatusOK
	if post {
		if !s.sameOrigin(c) {
			p := s.tokenPage(c, lang, base, "link.title")
			p.Status, p.Data = http.StatusForbidden, map[string]any{"Gone": site.T(lang, "err.origin")}
			return s.render(c, "providerlink", p)
		}
		vals = providerValues{Action: c.FormValue("action"), Date: strings.TrimSpace(c.FormValue("date")), Time: strings.TrimSpace(c.FormValue("time")),
			Location: c.FormValue("location"), Reason: c.FormValue("reason")}
		// The form shows every field at once (it works without
		// JavaScript): only those of the chosen answer go to the service.
		in := service.ProviderAnswer{Action: vals.Action}
		if vals.Action == "accept" {
			if vals.Date != "" || vals.Time != "" {
				in.StartsAtLocal = vals.Date + "T" + vals.Time
			}
			in.Location = vals.Location
		}
		if vals.Action == "decline" {
			in.Reason = vals.Reason
		}
		var ferr apperr.Fields
		if len([]rune(in.Reason)) > 1000 {
			ferr.Add("reason", apperr.CodeMax, "At most 1000 characters.")
		}
		if len([]rune(in.Location)) > 300 {
			ferr.Add("location", apperr.CodeMax, "At most 300 characters.")
		}
		err := ferr.Err()
		if err == nil {
			err = s.svc.AnswerProviderLink(ctx, token, in)
		}
		switch {
		case err == nil && in.Action != "acknowledge":
			p := s.tokenPage(c, lang, base, "link.title")
			p.Data = map[string]any{"Done": true}
			return s.render(c, "providerlink", p)
		case err == nil:
			data["Acknowledged"], vals = true, providerValues{}
		case apperr.IsKind(err, apperr.KindValidation):
			ae, _ := apperr.As(err)
			byField := map[string]string{}
			for _, fe := range ae.Fields {
				if _, ok := byField[fe.Field]; !ok {
					byField[fe.Field] = providerFieldMessage(lang, fe)
				}
			}
			data["Err"], data["Error"], status = byField, site.T(lang, "contact.errors")+" "+strings.Join(mapValues(byField), " "), http.StatusUnprocessableEntity
		case apperr.IsKind(err, apperr.KindConflict):
			data["Error"], status = site.T(lang, "err.conflict"), http.StatusConflict
		case apperr.IsKind(err, apperr.KindNotFound), apperr.IsKind(err, apperr.KindGone):
			// Shown below, as on opening the link.
		default:
			return err
		}
	}
	v, err := s.svc.ProviderLink(ctx, token)
	if err == nil {
		lang = s.tokenLang(c, v.Language)
	}
	p := s.tokenPage(c, lang, base, "link.title")
	p.Status, p.Data = status, data
	switch {
	case apperr.IsKind(err, apperr.KindNotFound):
		p.Status, data["Invalid"] = http.StatusNotFound, true
		return s.render(c, "providerlink", p)
	case apperr.IsKind(err, apperr.KindGone):
		p.Status, data["Gone"] = http.StatusGone, goneText(lang, err)
		return s.render(c, "providerlink", p)
	case err != nil:
		return err
	}
	if v.Status == "acknowledged" {
		data["Acknowledged"], data["Actions"] = true, []string{"accept", "waitlist", "decline"}
	} else {
		data["Actions"] = []string{"acknowledge", "accept", "waitlist", "decline"}
	}
	data["View"], data["Values"], data["Action"] = v, vals, base+"?lang="+lang
	data["Until"] = site.Date(lang, v.ExpiresAt.In(service.Brussels))
	if _, ok := data["Err"]; !ok {
		data["Err"] = map[string]string{}
	}
	return s.render(c, "providerlink", p)
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, k := range []string{"action", "starts_at_local", "location", "reason"} {
		if v, ok := m[k]; ok {
			out = append(out, v)
		}
	}
	return out
}
