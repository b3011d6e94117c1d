package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/textpolicy"
)

// ConsentVersion is the version of the contact form's privacy text the
// visitor accepts. Change it (and the texts in internal/site) together.
const ConsentVersion = "2026-11"

// Contact form limits, in characters.
const (
	ContactMaxName    = 100
	ContactMaxOrg     = 150
	ContactMaxArea    = 100
	ContactMaxMessage = 2000
	ContactMaxEmail   = 254
	ContactMaxPhone   = 30
)

// ContactInput is what a visitor sends through the form.
type ContactInput struct {
	Kind           string
	Name           string
	Organisation   string
	Phone          string
	Email          string
	Municipality   string
	Neighbourhood  string
	Language       string
	Message        string
	Consent        bool
	ConsentVersion string
	Honeypot       string // the hidden "website" field: people leave it empty
	PageLanguage   string // the language the form was shown in
}

// ContactReceipt is what the visitor gets back.
type ContactReceipt struct {
	ID            string
	WithdrawToken string
	TeamName      string
	Emailed       bool
}

// htmlLike matches markup: a tag, a comment, or an entity.
var htmlLike = regexp.MustCompile(`<[a-zA-Z/!?]|&[a-zA-Z]+;|&#[0-9xX]`)

// ContactToken derives a request's withdrawal token: the confirmation page
// and the e-mail (sent later by the worker) carry the same one, and only
// its hash is stored.
func ContactToken(secret []byte, id string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("contact-withdraw:" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// cleanText trims a field and records max, html and control-character errors.
func cleanText(v string, max int, field string, multiline bool, f *apperr.Fields) string {
	v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
	switch {
	case len([]rune(v)) > max:
		f.AddP(field, apperr.CodeMax, fmt.Sprintf("Must be at most %d characters.", max), apperr.Max(max))
	case htmlLike.MatchString(v):
		f.Add(field, "html", "HTML is not accepted.")
	default:
		kind := textpolicy.KindOf(field)
		if multiline {
			kind = textpolicy.Multiline
		}
		if bad := textpolicy.Check(v, kind); !bad.OK() {
			f.AddP(field, bad.Code, bad.Message, bad.Params())
		}
	}
	return v
}

// SubmitContact validates and stores a request from the public form. The
// field errors carry codes that internal/site turns into the visitor's language.
func (s *Service) SubmitContact(ctx context.Context, in ContactInput) (ContactReceipt, error) {
	var f apperr.Fields
	if strings.TrimSpace(in.Honeypot) != "" {
		f.Add("website", "honeypot", "This field must stay empty.")
	}
	if !slices.Contains(model.ContactKinds, in.Kind) {
		f.OneOf("kind", model.ContactKinds)
	}
	r := model.ContactRequest{Kind: in.Kind, Status: "new", MailStatus: "none"}
	r.Name = cleanText(in.Name, ContactMaxName, "name", false, &f)
	if r.Name == "" && !f.Has("name") {
		f.Add("name", "required", "Required.")
	}
	r.Organisation = cleanText(in.Organisation, ContactMaxOrg, "organisation", false, &f)
	if in.Kind == "collaboration" && r.Organisation == "" && !f.Has("organisation") {
		f.Add("organisation", "required", "Required.")
	}
	phone := cleanText(in.Phone, ContactMaxPhone, "phone", false, &f)
	email := cleanText(in.Email, ContactMaxEmail, "email", false, &f)
	if phone == "" && email == "" && !f.Has("phone") && !f.Has("email") {
		f.Add("phone", "contact_required", "Give a phone number or an e-mail address.")
		f.Add("email", "contact_required", "Give a phone number or an e-mail address.")
	}
	if phone != "" && !f.Has("phone") {
		if e164, ok := NormalisePhone(phone); ok {
			r.Phone = &e164
		} else {
			f.AddP("phone", apperr.CodePhone, "Not a phone number, e.g. "+PhoneExample+".", PhoneParams())
		}
	}
	if email != "" && !f.Has("email") {
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
			f.Add("email", "email", "Not an e-mail address.")
		} else {
			r.Email = &email
		}
	}
	mun := cleanText(in.Municipality, ContactMaxArea, "municipality", false, &f)
	nb := cleanText(in.Neighbourhood, ContactMaxArea, "neighbourhood", false, &f)
	switch {
	case mun != "" && nb != "":
		r.AreaText = nb + " (" + mun + ")"
	case nb != "":
		r.AreaText = nb
	default:
		r.AreaText = mun
	}
	if in.Kind == "want_chw" && r.AreaText == "" && !f.Has("municipality") && !f.Has("neighbourhood") {
		f.Add("municipality", "required", "Required.")
	}
	r.Language = in.Language
	if !slices.Contains(model.Languages, r.Language) {
		f.OneOf("language", model.Languages)
	}
	r.Message = cleanText(in.Message, ContactMaxMessage, "message", true, &f)
	if r.Message == "" && !f.Has("message") {
		f.Add("message", "required", "Required.")
	}
	switch {
	case !in.Consent:
		f.Add("consent", "required", "Tick the box to accept the privacy text.")
	case in.ConsentVersion != ConsentVersion:
		f.Add("consent", "version", "The privacy text has changed; read it again and tick the box.")
	}
	if err := f.Err(); err != nil {
		return ContactReceipt{}, err
	}
	page := in.PageLanguage
	if !slices.Contains(model.Languages, page) {
		page = r.Language
	}
	r.ConsentVersion, r.ConsentLanguage, r.ConsentAt = ConsentVersion, page, s.Store.Now()
	var receipt ContactReceipt
	if area, ok, err := s.MatchArea(ctx, r.AreaText); err != nil {
		return receipt, err
	} else if ok {
		r.TeamID, r.MunicipalityID = &area.TeamID, &area.MunicipalityID
		if area.NeighbourhoodID != "" {
			r.NeighbourhoodID = &area.NeighbourhoodID
		}
		receipt.TeamName = area.TeamName
	}
	if r.Email != nil {
		r.MailStatus = "queued"
		receipt.Emailed = true
	}
	// The id decides the token; only the token's hash is stored.
	r.ID = store.NewID()
	receipt.ID, receipt.WithdrawToken = r.ID, ContactToken(s.contactSecret(), r.ID)
	r.WithdrawTokenHash = auth.HashRefreshToken(receipt.WithdrawToken)
	if err := s.Store.CreateContactRequest(ctx, &r); err != nil {
		return ContactReceipt{}, err
	}
	s.audit(ctx, nil, "contact.submit", "contact_request", r.ID, r.Kind)
	return receipt, nil
}

func (s *Service) contactSecret() []byte {
	if len(s.LinkSecret) == 0 {
		panic("service: LinkSecret is not set")
	}
	return s.LinkSecret
}

// ContactWithdrawal is what a withdrawal link shows.
type ContactWithdrawal struct {
	Request   model.ContactRequest
	Withdrawn bool // consent was already withdrawn
	Converted bool // the request became a client: the CHW handles it with them
}

func (s *Service) contactByToken(ctx context.Context, token string) (model.ContactRequest, error) {
	if token == "" || len(token) > 100 {
		return model.ContactRequest{}, apperr.NotFound()
	}
	r, err := s.Store.ContactRequestByTokenHash(ctx, auth.HashRefreshToken(token))
	return r, storeErr(err)
}

// ContactWithdrawalStatus tells a withdrawal link's state, without changing it.
func (s *Service) ContactWithdrawalStatus(ctx context.Context, token string) (ContactWithdrawal, error) {
	r, err := s.contactByToken(ctx, token)
	return ContactWithdrawal{Request: r, Withdrawn: r.WithdrawnAt != nil, Converted: r.ClientID != nil}, err
}

// WithdrawContact records a withdrawal of consent and deletes the
// request's personal data at once. A converted request keeps its link to
// the client: the client record follows the client's own consents, and the
// CHW following the client gets a task to contact the person.
func (s *Service) WithdrawContact(ctx context.Context, token string) (ContactWithdrawal, error) {
	r, err := s.contactByToken(ctx, token)
	if err != nil {
		return ContactWithdrawal{}, err
	}
	if r.WithdrawnAt != nil {
		return ContactWithdrawal{Request: r, Withdrawn: true, Converted: r.ClientID != nil}, nil
	}
	now := s.Store.Now()
	set := model.ContactErasure()
	set["withdrawn_at"] = now
	if r.MailStatus == "queued" || r.MailStatus == "sending" {
		set["mail_status"] = "cancelled"
	}
	if r.Status == "new" {
		set["status"] = "withdrawn"
	}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateContactRequest(ctx, r.ID, r.Status, set); err != nil {
			return err
		}
		if r.ClientID == nil {
			return nil
		}
		c, err := tx.ClientByIDUnscoped(ctx, *r.ClientID)
		if err != nil {
			return err
		}
		key := "contact-withdrawn:" + r.ID
		_, err = tx.CreateTask(ctx, &model.Task{ClientID: c.ID, AssigneeID: c.AssignedCHWID, Kind: TaskConsentGone,
			DueOn: BrusselsDate(now), Params: TaskParams(nil), DedupeKey: &key})
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		// Handled meanwhile: read again and withdraw from the new state.
		return s.WithdrawContact(ctx, token)
	}
	if err != nil {
		return ContactWithdrawal{}, err
	}
	s.audit(ctx, nil, "contact.withdraw", "contact_request", r.ID, "")
	r.WithdrawnAt = &now
	return ContactWithdrawal{Request: r, Converted: r.ClientID != nil}, nil
}

// AreaMatch is where a typed place lies.
type AreaMatch struct {
	TeamID, TeamName, MunicipalityID, MunicipalityName, NeighbourhoodID, NeighbourhoodName string
}

// AreaCache keeps the area index built from the reference tables, which
// do not change while the process runs. A Service without one rebuilds it.
type AreaCache struct {
	mu  sync.Mutex
	idx *areaIndex
}

type areaIndex struct {
	entries []areaEntry
	tree    []store.TeamTree
}

type areaEntry struct {
	key   string
	match AreaMatch
}

// FoldKey lowercases and strips accents and punctuation: "Liège" -> "liege".
func FoldKey(s string) string { return strings.ReplaceAll(reference.Slugify(s), "-", " ") }

func (s *Service) areas(ctx context.Context) (*areaIndex, error) {
	if c := s.Areas; c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.idx != nil {
			return c.idx, nil
		}
	}
	tree, err := s.Store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	sortByRegion(tree)
	idx := &areaIndex{tree: tree}
	for _, t := range tree {
		for _, m := range t.Municipalities {
			base := AreaMatch{TeamID: t.Team.ID, TeamName: t.Team.Name, MunicipalityID: m.Municipality.ID, MunicipalityName: m.Municipality.Name}
			idx.entries = append(idx.entries, areaEntry{FoldKey(m.Municipality.Name), base})
			// The municipality's names in the other languages and its
			// postcodes find it too ("Gand", "Lüttich", "9000").
			other := reference.OtherNames(m.Municipality.Name)
			for _, name := range append(slices.Clone(other.Names), other.Postcodes...) {
				idx.entries = append(idx.entries, areaEntry{FoldKey(name), base})
			}
			for _, n := range m.Neighbourhoods {
				nb := base
				nb.NeighbourhoodID, nb.NeighbourhoodName = n.ID, n.Name
				idx.entries = append(idx.entries, areaEntry{FoldKey(n.Name), nb})
			}
		}
	}
	if s.Areas != nil {
		s.Areas.idx = idx
	}
	return idx, nil
}

// sortByRegion puts the teams (listed by name) region by region, in the
// order of areas.json, so that a page shows each region once.
func sortByRegion(tree []store.TeamTree) {
	order := map[string]int{}
	if d, err := reference.Load(); err == nil {
		for i, r := range d.Areas.Regions {
			order[r.Code] = i
		}
	}
	rank := func(code string) int {
		if i, ok := order[code]; ok {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(tree, func(a, b store.TeamTree) int {
		if c := rank(a.Region.Code) - rank(b.Region.Code); c != 0 {
			return c
		}
		return strings.Compare(a.Region.Code, b.Region.Code)
	})
}

// AreaTree returns the teams with their areas (reference data, cached).
func (s *Service) AreaTree(ctx context.Context) ([]store.TeamTree, error) {
	idx, err := s.areas(ctx)
	if err != nil {
		return nil, err
	}
	return idx.tree, nil
}

// SearchAreas finds the municipalities and neighbourhoods whose name
// contains q (accents and case ignored), neighbourhoods first for an exact name.
func (s *Service) SearchAreas(ctx context.Context, q string, limit int) ([]AreaMatch, error) {
	idx, err := s.areas(ctx)
	if err != nil {
		return nil, err
	}
	key := FoldKey(q)
	if key == "" {
		return nil, nil
	}
	var exact, prefix, inside []AreaMatch
	for _, e := range idx.entries {
		switch {
		case e.key == key:
			exact = append(exact, e.match)
		case strings.HasPrefix(e.key, key):
			prefix = append(prefix, e.match)
		case strings.Contains(e.key, key):
			inside = append(inside, e.match)
		}
	}
	// A place found under several of its names is listed once.
	seen := map[AreaMatch]bool{}
	var out []AreaMatch
	for _, m := range append(append(exact, prefix...), inside...) {
		if !seen[m] && len(out) < limit {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out, nil
}

// MatchArea resolves a typed place to one area: an exact name, or
// "Neighbourhood (Municipality)" as the form's suggestions write it.
func (s *Service) MatchArea(ctx context.Context, text string) (AreaMatch, bool, error) {
	idx, err := s.areas(ctx)
	if err != nil {
		return AreaMatch{}, false, err
	}
	full := FoldKey(text)
	if full == "" {
		return AreaMatch{}, false, nil
	}
	var found []AreaMatch
	for _, e := range idx.entries {
		if e.key == full {
			found = append(found, e.match)
		}
	}
	// "Name (Municipality)"; a name may itself hold parentheses.
	var munKey string
	if t := strings.TrimSpace(text); len(found) == 0 && strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, "("); i > 0 {
			key := FoldKey(t[:i])
			munKey = FoldKey(t[i+1 : len(t)-1])
			for _, e := range idx.entries {
				if e.key == key && FoldKey(e.match.MunicipalityName) == munKey {
					found = append(found, e.match)
				}
			}
		}
	}
	if len(found) == 0 {
		// An unknown neighbourhood of a known municipality ("Rabot (Gent)"),
		// or a municipality named inside the text ("9000 Gent").
		whole := " " + FoldKey(text) + " "
		for _, e := range idx.entries {
			if e.match.NeighbourhoodID == "" && (e.key == munKey || strings.Contains(whole, " "+e.key+" ")) {
				found = append(found, e.match)
			}
		}
	}
	if len(found) == 0 {
		return AreaMatch{}, false, nil
	}
	// A name used by one team only decides the team even when it is ambiguous
	// within it (a municipality and its same-named centre).
	for _, m := range found[1:] {
		if m.TeamID != found[0].TeamID {
			return AreaMatch{}, false, nil
		}
	}
	return found[0], true, nil
}
