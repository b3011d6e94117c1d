package httpapi

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/site"
)

// Public pages: server-rendered, one URL per language. They are not part
// of the JSON API (and so not of api/openapi.yaml); the authorization
// matrix test still walks them.

// MaxContactBody bounds the contact form's body (form or JSON).
const MaxContactBody = 32 << 10

// sitePages are the public pages under each /{lang}/ prefix.
var sitePages = []string{"/", "/where", "/contact", "/privacy"}

func (s *Server) siteRoutes() {
	s.E.GET("/", s.siteRoot)
	s.E.HEAD("/", s.siteRoot)
	s.E.GET("/robots.txt", s.robots)
	s.E.GET("/sitemap.xml", s.sitemap)
	s.E.GET("/favicon.ico", s.favicon)
	s.E.GET("/site/:file", s.siteStatic)
	s.tokenPageRoutes()
	for _, lang := range site.Languages {
		lang := lang
		s.E.GET("/"+lang, func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/"+lang+"/") })
		s.E.GET("/"+lang+"/", func(c echo.Context) error { return s.homePage(c, lang) })
		s.E.GET("/"+lang+"/where", func(c echo.Context) error { return s.wherePage(c, lang) })
		s.E.GET("/"+lang+"/contact", func(c echo.Context) error { return s.contactPage(c, lang) })
		s.E.POST("/"+lang+"/contact", func(c echo.Context) error { return s.contactSubmit(c, lang) })
		s.E.GET("/"+lang+"/privacy", func(c echo.Context) error { return s.privacyPage(c, lang) })
		s.E.GET("/"+lang+"/withdraw/:token", func(c echo.Context) error { return s.withdrawPage(c, lang, false) })
		s.E.POST("/"+lang+"/withdraw/:token", func(c echo.Context) error { return s.withdrawPage(c, lang, true) })
		s.E.GET("/"+lang+"/*", func(c echo.Context) error { return s.notFoundPage(c, lang) })
	}
}

func (s *Server) page(lang, path, titleKey, descKey string, data any) site.Page {
	p := site.Page{Lang: lang, Path: path, Title: site.T(lang, titleKey), BaseURL: strings.TrimSuffix(s.cfg.BaseURL.String(), "/"), Data: data}
	if descKey == "" {
		descKey = "home.description"
	}
	p.Description = site.T(lang, descKey)
	return p
}

func (s *Server) render(c echo.Context, name string, p site.Page) error {
	c.Response().Header().Add("Vary", "Accept-Language")
	return site.Render(c.Response(), name, p)
}

// siteRoot sends a visitor to the home page in the best language their
// browser asks for.
func (s *Server) siteRoot(c echo.Context) error {
	c.Response().Header().Set("Vary", "Accept-Language")
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Redirect(http.StatusFound, "/"+site.Negotiate(c.Request().Header.Get("Accept-Language"))+"/")
}

func (s *Server) robots(c echo.Context) error {
	base := strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
	body := "User-agent: *\nDisallow: /api/\nDisallow: /a/\nDisallow: /provider/\n"
	for _, l := range site.Languages {
		body += "Disallow: /" + l + "/withdraw/\n"
	}
	body += "Allow: /\n\nSitemap: " + base + "/sitemap.xml\n"
	return c.Blob(http.StatusOK, "text/plain; charset=utf-8", []byte(body))
}

func (s *Server) sitemap(c echo.Context) error {
	base := strings.TrimSuffix(s.cfg.BaseURL.String(), "/")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, p := range sitePages {
		for _, l := range site.Languages {
			fmt.Fprintf(&b, "<url><loc>%s/%s%s</loc>", base, l, p)
			for _, alt := range site.Languages {
				fmt.Fprintf(&b, `<xhtml:link rel="alternate" hreflang="%s" href="%s/%s%s"/>`, alt, base, alt, p)
			}
			b.WriteString("</url>\n")
		}
	}
	b.WriteString("</urlset>\n")
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", []byte(b.String()))
}

// favicon: browsers ask for /favicon.ico on their own; the pages link the SVG.
func (s *Server) favicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) siteStatic(c echo.Context) error {
	name := c.Param("file")
	b, ok := site.Static(name)
	if !ok {
		return echo.ErrNotFound
	}
	ct := "text/css; charset=utf-8"
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	cached, _ := s.pages.get("/site/"+name, func() (*cachedBody, error) { return newCachedBody(b, "", ct), nil })
	// The pages link static files with their content hash.
	return cached.serve(c, "public, max-age=31536000, immutable")
}

func (s *Server) homePage(c echo.Context, lang string) error {
	return s.cachedPage(c, "home", func() (site.Page, error) { return s.homeData(c, lang) })
}

func (s *Server) homeData(c echo.Context, lang string) (site.Page, error) {
	terms, err := s.svc.TaxonomyTerms(c.Request().Context())
	if err != nil {
		return site.Page{}, err
	}
	var missions []string
	for _, t := range terms {
		if t.Kind == "chw_missions" {
			missions = append(missions, reference.Labels{NL: t.LabelNL, FR: t.LabelFR, DE: t.LabelDE, EN: t.LabelEN}.Get(lang))
		}
	}
	return s.page(lang, "/", "home.title", "home.description", map[string]any{"Missions": missions}), nil
}

type whereRegion struct {
	Code, Name string
	Teams      []whereTeam
}

type whereTeam struct {
	Name, Outreach, Keys string
	Municipalities       []whereMunicipality
}

type whereMunicipality struct {
	Name, Neighbourhoods, Keys string
}

func foldKeys(names ...string) string {
	var out []string
	for _, n := range names {
		out = append(out, service.FoldKey(n))
	}
	return strings.Join(out, "|")
}

func (s *Server) wherePage(c echo.Context, lang string) error {
	return s.cachedPage(c, "where", func() (site.Page, error) { return s.whereData(c, lang) })
}

func (s *Server) whereData(c echo.Context, lang string) (site.Page, error) {
	ctx := c.Request().Context()
	tree, err := s.svc.AreaTree(ctx)
	if err != nil {
		return site.Page{}, err
	}
	var regions []whereRegion
	for _, t := range tree {
		// The page's ids are the codes in lower case: compare those.
		if len(regions) == 0 || regions[len(regions)-1].Code != strings.ToLower(t.Region.Code) {
			name := reference.Labels{NL: t.Region.NameNL, FR: t.Region.NameFR, DE: t.Region.NameDE, EN: t.Region.NameEN}.Get(lang)
			regions = append(regions, whereRegion{Code: strings.ToLower(t.Region.Code), Name: name})
		}
		wt := whereTeam{Name: t.Team.Name, Keys: foldKeys(t.Team.Name)}
		if t.Team.Outreach != nil {
			wt.Outreach = reference.Outreach(t.Team.Name, *t.Team.Outreach, lang)
		}
		for _, m := range t.Municipalities {
			// The live filter finds a municipality by its other names too.
			other := reference.OtherNames(m.Municipality.Name)
			names := append(append([]string{m.Municipality.Name}, other.Names...), other.Postcodes...)
			var nbs []string
			for _, n := range m.Neighbourhoods {
				nbs = append(nbs, n.Name)
				names = append(names, n.Name)
			}
			wt.Municipalities = append(wt.Municipalities, whereMunicipality{Name: m.Municipality.Name, Neighbourhoods: strings.Join(nbs, ", "), Keys: foldKeys(names...)})
		}
		regions[len(regions)-1].Teams = append(regions[len(regions)-1].Teams, wt)
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(q)) > 100 {
		q = string([]rune(q)[:100])
	}
	var matches []service.AreaMatch
	if q != "" {
		if matches, err = s.svc.SearchAreas(ctx, q, 20); err != nil {
			return site.Page{}, err
		}
	}
	p := s.page(lang, "/where", "where.title", "where.description", map[string]any{"Regions": regions, "Query": q, "Matches": matches})
	if q != "" {
		p.NoIndex = true
	}
	return p, nil
}

// contactValues are the form's values as typed, shown back on an error.
type contactValues struct {
	Kind, Name, Organisation, Phone, Email, Municipality, Language, Message, Website string
	Consent                                                                          bool
}

type formError struct{ Field, Label, Message string }

var contactFieldLabels = map[string]string{
	"kind": "contact.kind", "name": "field.name", "organisation": "field.organisation", "phone": "field.phone",
	"email": "field.email", "municipality": "field.area", "neighbourhood": "field.area", "language": "field.language", "message": "field.message",
	"consent": "nav.privacy", "website": "field.website",
}

var contactMax = map[string]int{
	"name": service.ContactMaxName, "organisation": service.ContactMaxOrg, "phone": service.ContactMaxPhone,
	"email": service.ContactMaxEmail, "municipality": service.ContactMaxArea, "neighbourhood": service.ContactMaxArea, "message": service.ContactMaxMessage,
}

// contactMessage is a field error in the visitor's language.
func contactMessage(lang string, fe apperr.FieldError) string {
	switch {
	case fe.Field == "consent":
		return site.T(lang, "err.consent."+fe.Code)
	case fe.Code == "max":
		return site.T(lang, "err.max", contactMax[fe.Field])
	}
	if m := site.T(lang, "err."+fe.Code); m != "err."+fe.Code {
		return m
	}
	return fe.Message
}

// localizeContact rewrites a validation error's messages into lang.
func localizeContact(err error, lang string) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindValidation {
		return err
	}
	out := *ae
	out.Fields = make([]apperr.FieldError, len(ae.Fields))
	for i, fe := range ae.Fields {
		fe.Message = contactMessage(lang, fe)
		out.Fields[i] = fe
	}
	out.Detail = site.T(lang, "contact.errors")
	return &out
}

func (s *Server) areaOptions(c echo.Context) []string {
	tree, err := s.svc.AreaTree(c.Request().Context())
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range tree {
		for _, m := range t.Municipalities {
			out = append(out, m.Municipality.Name)
			for _, n := range m.Neighbourhoods {
				out = append(out, n.Name+" ("+m.Municipality.Name+")")
			}
		}
	}
	return out
}

func (s *Server) contactData(c echo.Context, v contactValues, errs []formError, refusal string) map[string]any {
	byField := map[string]string{}
	for _, e := range errs {
		if _, ok := byField[e.Field]; !ok {
			byField[e.Field] = e.Message
		}
	}
	return map[string]any{
		"Values": v, "Errors": errs, "Err": byField, "Refusal": refusal, "Kinds": model.ContactKinds,
		"ConsentVersion": service.ConsentVersion, "AreaOptions": s.areaOptions(c),
		"Max": map[string]int{"Name": service.ContactMaxName, "Organisation": service.ContactMaxOrg, "Phone": service.ContactMaxPhone,
			"Email": service.ContactMaxEmail, "Area": service.ContactMaxArea, "Message": service.ContactMaxMessage},
	}
}

func (s *Server) contactPage(c echo.Context, lang string) error {
	v := contactValues{Kind: c.QueryParam("kind"), Municipality: c.QueryParam("municipality"), Language: lang}
	if !slices.Contains(model.ContactKinds, v.Kind) {
		v.Kind = ""
	}
	if len([]rune(v.Municipality)) > service.ContactMaxArea {
		v.Municipality = ""
	}
	return s.cachedPage(c, "contact", func() (site.Page, error) {
		return s.page(lang, "/contact", "contact.title", "contact.description", s.contactData(c, v, nil, "")), nil
	})
}

// contactSubmit handles the form without JavaScript: the answer is the
// confirmation page, or the form again with every problem named.
func (s *Server) contactSubmit(c echo.Context, lang string) error {
	p := s.page(lang, "/contact", "contact.title", "contact.description", nil)
	p.NoIndex = true
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, MaxContactBody)
	if err := req.ParseForm(); err != nil {
		var maxErr *http.MaxBytesError
		p.Status = http.StatusBadRequest
		msg := site.T(lang, "err.unavailable")
		if errors.As(err, &maxErr) {
			p.Status, msg = http.StatusRequestEntityTooLarge, site.T(lang, "err.too_large")
		}
		p.Data = s.contactData(c, contactValues{Language: lang}, nil, msg)
		return s.render(c, "contact", p)
	}
	f := req.PostForm
	v := contactValues{Kind: f.Get("kind"), Name: f.Get("name"), Organisation: f.Get("organisation"), Phone: f.Get("phone"),
		Email: f.Get("email"), Municipality: f.Get("municipality"), Language: f.Get("language"), Message: f.Get("message"),
		Website: f.Get("website"), Consent: f.Get("consent") != ""}
	if wait, ok := s.contactAllowed(c); !ok {
		p.Status = http.StatusTooManyRequests
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		p.Data = s.contactData(c, v, nil, site.T(lang, "err.rate", int(math.Ceil(wait.Minutes()))))
		return s.render(c, "contact", p)
	}
	in := service.ContactInput{Kind: v.Kind, Name: v.Name, Organisation: v.Organisation, Phone: v.Phone, Email: v.Email,
		Municipality: v.Municipality, Language: v.Language, Message: v.Message, Consent: v.Consent, ConsentVersion: f.Get("consent_version"),
		Honeypot: v.Website, PageLanguage: lang}
	receipt, err := s.svc.SubmitContact(req.Context(), in)
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.KindValidation {
		var (
			errs    []formError
			refusal string
		)
		for _, fe := range ae.Fields {
			if fe.Field == "website" {
				// The hidden trap field: say so at the top, and empty it.
				refusal, v.Website = contactMessage(lang, fe), ""
				continue
			}
			errs = append(errs, formError{Field: fe.Field, Label: strings.TrimSuffix(site.T(lang, contactFieldLabels[fe.Field]), "?"), Message: contactMessage(lang, fe)})
		}
		p.Status = http.StatusUnprocessableEntity
		p.Title = site.T(lang, "contact.errors") + " " + p.Title
		p.Data = s.contactData(c, v, errs, refusal)
		return s.render(c, "contact", p)
	}
	if err != nil {
		s.log.Error("contact form", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
		p.Status = http.StatusServiceUnavailable
		p.Data = s.contactData(c, v, nil, site.T(lang, "err.unavailable"))
		return s.render(c, "contact", p)
	}
	sent := s.page(lang, "/contact", "sent.title", "contact.description", map[string]any{
		"TeamName": receipt.TeamName, "Emailed": receipt.Emailed, "WithdrawURL": s.withdrawURL(lang, receipt.WithdrawToken)})
	sent.NoIndex = true
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, "sent", sent)
}

func (s *Server) withdrawURL(lang, token string) string {
	return strings.TrimSuffix(s.cfg.BaseURL.String(), "/") + "/" + lang + "/withdraw/" + url.PathEscape(token)
}

// notFoundPage answers unknown paths under a language prefix with a page
// in that language (not the staff app).
func (s *Server) notFoundPage(c echo.Context, lang string) error {
	p := s.page(lang, "/", "notfound.title", "", nil)
	p.Status, p.NoIndex = http.StatusNotFound, true
	return s.render(c, "notfound", p)
}

func (s *Server) privacyPage(c echo.Context, lang string) error {
	return s.cachedPage(c, "privacy", func() (site.Page, error) {
		return s.page(lang, "/privacy", "privacy.title", "privacy.description", map[string]any{
			"Version": service.ConsentVersion, "Paragraphs": site.ConsentText(service.ConsentVersion, lang)}), nil
	})
}

// withdrawPage shows a withdrawal link (GET never changes anything: mail
// scanners open links) and withdraws on POST.
func (s *Server) withdrawPage(c echo.Context, lang string, post bool) error {
	token := c.Param("token")
	ctx := c.Request().Context()
	path := "/withdraw/" + url.PathEscape(token)
	p := s.page(lang, path, "withdraw.title", "", nil)
	p.NoIndex = true
	data := map[string]any{"Path": path}
	var (
		w   service.ContactWithdrawal
		err error
	)
	if post {
		w, err = s.svc.WithdrawContact(ctx, token)
	} else {
		w, err = s.svc.ContactWithdrawalStatus(ctx, token)
	}
	switch {
	case apperr.IsKind(err, apperr.KindNotFound):
		p.Status = http.StatusNotFound
		data["Invalid"] = true
	case err != nil:
		return err
	case w.Withdrawn && w.Request.WithdrawnAt != nil:
		data["Already"] = w.Request.WithdrawnAt.In(service.Brussels).Format("02/01/2006")
	case post:
		data["Done"], data["Converted"] = true, w.Converted
	default:
		// Before confirming, a request that became a client says what
		// withdrawing does to the client record: nothing by itself.
		data["Converted"] = w.Converted
	}
	p.Data = data
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, "withdraw", p)
}

// ipLimiter allows n requests per window per address, in bursts of n.
type ipLimiter struct {
	mu    sync.Mutex
	every time.Duration
	burst int
	seen  map[netip.Addr]*rate.Limiter
	max   int
}

func newIPLimiter(perHour int) *ipLimiter {
	if perHour < 1 {
		perHour = 1
	}
	return &ipLimiter{every: time.Hour / time.Duration(perHour), burst: perHour, seen: map[netip.Addr]*rate.Limiter{}, max: 50_000}
}

// allow reports whether ip may send now, or how long it must wait.
func (l *ipLimiter) allow(ip string) (time.Duration, bool) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		addr = netip.IPv4Unspecified()
	}
	if addr.Is6() && !addr.Is4In6() {
		// One IPv6 subscriber holds a whole /64.
		addr = netip.PrefixFrom(addr, 64).Masked().Addr()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.seen[addr]
	if !ok {
		if len(l.seen) >= l.max {
			// Forget everyone rather than grow without bound; the worst
			// case is a fresh burst for each address.
			l.seen = map[netip.Addr]*rate.Limiter{}
		}
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.seen[addr] = lim
	}
	r := lim.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return d, false
	}
	return 0, true
}
