package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ClientInput is a client as submitted; nil leaves a field as it is.
type ClientInput struct {
	GivenName       *string
	FamilyName      *string
	Pseudonym       *string
	BirthYear       **int
	Phone           **string
	Email           **string
	Language        *string
	SpokenLanguages *[]string
	TeamID          *string
	NeighbourhoodID **string
	AssignedCHWID   **string
	CareRights      *[]string
	Source          *string
	Status          *string
	CloseReason     *string
}

// ClientView is a client with the JSON lists decoded.
type ClientView struct {
	model.Client
	// AssignedCHWName is the assigned CHW's name: read in the same
	// statement by the caseload list and the client page, filled by
	// NameClients for the other views.
	AssignedCHWName string
}

// PhoneExample is how a Belgian mobile number is written, for messages.
const PhoneExample = "0470 12 34 56"

// PhoneParams is the params of a "phone" error.
func PhoneParams() map[string]any { return map[string]any{"example": PhoneExample} }

// ViewOf is the view of a stored client. Its JSON columns (spoken
// languages, care rights) stay as stored: the API passes them through.
func ViewOf(c model.Client) ClientView { return ClientView{Client: c} }

// rowView is ViewOf with the name the row carries.
func rowView(r store.ClientRow) ClientView {
	v := ViewOf(r.Client)
	v.AssignedCHWName = r.AssignedCHWName
	return v
}

// NameClients fills the assigned CHW's name of the views that lack it, in
// one statement (none when every view has it, as the list's and the
// client page's have).
func (s *Service) NameClients(ctx context.Context, views []ClientView) error {
	var ids []string
	for _, v := range views {
		if v.AssignedCHWID != nil && v.AssignedCHWName == "" {
			ids = append(ids, *v.AssignedCHWID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	names, err := s.Store.UserNames(ctx, slices.Compact(ids))
	if err != nil {
		return err
	}
	for i, v := range views {
		if v.AssignedCHWID != nil && v.AssignedCHWName == "" {
			views[i].AssignedCHWName = names[*v.AssignedCHWID]
		}
	}
	return nil
}

func jsonList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// codes lists a taxonomy kind's codes. The table is small; reading it on
// each write keeps one source of truth without a cache to invalidate.
func (s *Service) codes(ctx context.Context, kind string) ([]string, error) {
	terms, err := s.Store.TaxonomyTerms(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range terms {
		if t.Kind == kind {
			out = append(out, t.Code)
		}
	}
	return out, nil
}

// NormalisePhone returns the E.164 form of a Belgian or international number.
func NormalisePhone(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false
	}
	n, err := phonenumbers.Parse(raw, "BE")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// PhonePattern turns part of a phone number as a CHW types it into a LIKE
// pattern on E.164 numbers: "+3247…" and "0032 47…" are the start of one,
// "0470" a national number without its leading 0 ("%470%"), and other
// digits ("3456", the last digits) anywhere in it. It needs 3 digits or
// more and nothing but digits and the usual separators.
func PhonePattern(q string) (string, bool) {
	q = strings.TrimSpace(q)
	var digits strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' || r == ' ' || r == '.' || r == '/' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	d := digits.String()
	if len(d) < 3 {
		return "", false
	}
	switch {
	case strings.HasPrefix(q, "+"):
		return "+" + d + "%", true
	case strings.HasPrefix(d, "00"):
		return "+" + d[2:] + "%", true
	case strings.HasPrefix(d, "0"):
		return "%" + d[1:] + "%", true
	}
	return "%" + d + "%", true
}

func trimmed(p *string, max int, field string, f *apperr.Fields) string {
	v := strings.TrimSpace(*p)
	if len([]rune(v)) > max {
		f.AddP(field, apperr.CodeMax, fmt.Sprintf("Must be at most %d characters.", max), apperr.Max(max))
	}
	*p = v
	return v
}

// canWriteClients reports whether the caller's role may change clients.
func (s *Service) canWriteClients(p *Principal) bool {
	return s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermClientsWriteOwn) ||
		s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermClientsWriteTm)
}

// applyClient validates input onto c. It needs the team to check the
// neighbourhood and the assigned CHW.
func (s *Service) applyClient(ctx context.Context, p *Principal, c *model.Client, in ClientInput, creating bool, f *apperr.Fields) error {
	if in.GivenName != nil {
		c.GivenName = trimmed(in.GivenName, 100, "given_name", f)
	}
	if in.FamilyName != nil {
		c.FamilyName = trimmed(in.FamilyName, 100, "family_name", f)
	}
	if in.Pseudonym != nil {
		c.Pseudonym = trimmed(in.Pseudonym, 100, "pseudonym", f)
	}
	if c.GivenName == "" && c.FamilyName == "" && c.Pseudonym == "" {
		f.Add("given_name", "required", "Give a name or a pseudonym.")
	}
	if in.BirthYear != nil {
		c.BirthYear = *in.BirthYear
		if y := c.BirthYear; y != nil && (*y < 1900 || *y > time.Now().Year()) {
			f.AddP("birth_year", apperr.CodeRange, fmt.Sprintf("Must be a year from 1900 to %d.", time.Now().Year()), apperr.Between(1900, time.Now().Year()))
		}
	}
	if in.Phone != nil {
		c.Phone = nil
		if raw := *in.Phone; raw != nil && strings.TrimSpace(*raw) != "" {
			if e164, ok := NormalisePhone(*raw); ok {
				c.Phone = &e164
			} else {
				f.AddP("phone", apperr.CodePhone, "Must be a phone number, e.g. "+PhoneExample+" or +32 470 12 34 56.", PhoneParams())
			}
		}
	}
	if in.Email != nil {
		c.Email = nil
		if raw := *in.Email; raw != nil && strings.TrimSpace(*raw) != "" {
			e := strings.ToLower(strings.TrimSpace(*raw))
			if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
				f.Add("email", "email", "Must be a valid e-mail address.")
			} else {
				c.Email = &e
			}
		}
	}
	if in.Language != nil {
		if !slices.Contains(model.Languages, *in.Language) {
			f.OneOf("language", model.Languages)
		}
		c.Language = *in.Language
	}
	if in.SpokenLanguages != nil {
		langs := []string{}
		for i, l := range *in.SpokenLanguages {
			l = strings.TrimSpace(l)
			switch field := fmt.Sprintf("spoken_languages[%d]", i); {
			case l == "":
				f.Add(field, apperr.CodeRequired, "A language cannot be empty.")
			case len([]rune(l)) > 40:
				f.AddP(field, apperr.CodeMax, "Each language has at most 40 characters.", apperr.Max(40))
			}
			langs = append(langs, l)
		}
		if len(langs) > 10 {
			f.AddP("spoken_languages", apperr.CodeMax, "At most 10 languages.", apperr.Max(10))
		}
		c.SpokenLanguages = jsonList(langs)
	}
	if in.CareRights != nil {
		valid, err := s.codes(ctx, "belgian_care_rights")
		if err != nil {
			return err
		}
		checkCodes(*in.CareRights, valid, "care_rights", f)
		c.CareRights = jsonList(dedupe(*in.CareRights))
	}
	if in.Source != nil {
		if !slices.Contains(model.ClientSources, *in.Source) {
			f.OneOf("source", model.ClientSources)
		}
		c.Source = *in.Source
	}
	if in.Status != nil {
		if !slices.Contains(model.ClientStatuses, *in.Status) {
			f.OneOf("status", model.ClientStatuses)
		}
		c.Status = *in.Status
	}
	if in.CloseReason != nil {
		c.CloseReason = trimmed(in.CloseReason, 500, "close_reason", f)
	}
	if c.Status == "closed" && c.CloseReason == "" {
		f.Add("close_reason", "required", "Say why the follow-up is closed.")
	}
	if c.Status != "closed" {
		c.CloseReason = ""
	}
	if in.NeighbourhoodID != nil {
		c.NeighbourhoodID = *in.NeighbourhoodID
		if c.NeighbourhoodID != nil {
			team, err := s.Store.NeighbourhoodTeam(ctx, *c.NeighbourhoodID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && team != c.TeamID) {
				f.Add("neighbourhood_id", "team", "The neighbourhood is not one of the client's team.")
			} else if err != nil {
				return err
			}
		}
	}
	if in.AssignedCHWID != nil && creating {
		c.AssignedCHWID = *in.AssignedCHWID
		if c.AssignedCHWID != nil {
			if err := s.checkCHWOfTeam(ctx, *c.AssignedCHWID, c.TeamID, "assigned_chw_id", f); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCodes names every entry (by its index as sent) that is not a code.
func checkCodes(list, valid []string, field string, f *apperr.Fields) {
	for i, x := range list {
		if !slices.Contains(valid, x) {
			f.OneOf(fmt.Sprintf("%s[%d]", field, i), valid)
		}
	}
}

func (s *Service) checkCHWOfTeam(ctx context.Context, userID, teamID, field string, f *apperr.Fields) error {
	u, err := s.Store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) {
		f.Add(field, "team", "Must be a CHW of the client's team.")
		return nil
	}
	if err != nil {
		return err
	}
	if u.Role != model.RoleCHW || u.DisabledAt != nil || !slices.Contains(u.TeamIDs, teamID) {
		f.Add(field, "team", "Must be a CHW of the client's team.")
	}
	return nil
}

// Duplicates is what a caller may learn about clients that look like one
// being written: the ids of those they may open, and whether others exist
// in the client's team or elsewhere in the programme (never who).
type Duplicates struct {
	Candidates []string
	InTeam     bool
	Elsewhere  bool
}

// Any reports whether anything matched.
func (d Duplicates) Any() bool { return len(d.Candidates) > 0 || d.InTeam || d.Elsewhere }

// findDuplicates looks across the whole programme for a client of teamID
// like c: same folded name and birth year, or same phone number.
func (s *Service) findDuplicates(ctx context.Context, p *Principal, teamID string, c model.Client, except ...string) (Duplicates, error) {
	matches, err := s.Store.DuplicateMatches(ctx, store.SearchText(c.GivenName, c.FamilyName, c.Pseudonym), c.BirthYear, c.Phone, except...)
	if err != nil {
		return Duplicates{}, err
	}
	var d Duplicates
	for _, m := range matches {
		switch {
		case p.Role == model.RoleCoordinator && p.InTeam(m.TeamID),
			p.Role == model.RoleCHW && p.InTeam(m.TeamID) && m.AssignedCHWID != nil && *m.AssignedCHWID == p.UserID:
			d.Candidates = append(d.Candidates, m.ID)
		case m.TeamID == teamID || p.InTeam(m.TeamID):
			d.InTeam = true
		default:
			d.Elsewhere = true
		}
	}
	return d, nil
}

// duplicateError tells the caller what they may know of the matches.
func duplicateError(d Duplicates) error {
	detail := "A client with the same name and birth year, or the same phone number, is already among the clients you follow."
	switch {
	case len(d.Candidates) > 0:
	case d.InTeam:
		detail = "A client with these details is already followed in your team; your coordinator can link or merge the records."
	default:
		detail = "A client with these details is already followed in another team of the programme; your coordinator can contact that team's coordinator."
	}
	return &apperr.Error{Kind: apperr.KindConflict, Detail: detail + " Send confirm_duplicate: true to create anyway.",
		Extra: map[string]any{"candidates": append([]string{}, d.Candidates...), "in_team": d.InTeam, "elsewhere": d.Elsewhere}}
}

// CreateClient creates a client in the caller's team. A CHW's client is
// assigned to them; a coordinator's goes to a CHW of the team or nobody.
func (s *Service) CreateClient(ctx context.Context, p *Principal, in ClientInput, confirmDuplicate bool) (ClientView, error) {
	return s.createClient(ctx, p, in, confirmDuplicate, "", nil)
}

// createClient is CreateClient for callers that add to it: invalid holds
// bad fields they found, reported with the rest; also is written in the
// same transaction as the client; auditDetail says where it came from.
func (s *Service) createClient(ctx context.Context, p *Principal, in ClientInput, confirmDuplicate bool, auditDetail string, invalid apperr.Fields, also ...func(tx *store.Store, c *model.Client) error) (ClientView, error) {
	f := slices.Clone(invalid)
	c := model.Client{Language: "nl", Status: "active", Source: "outreach", SpokenLanguages: "[]", CareRights: "[]"}
	switch {
	case in.TeamID != nil:
		c.TeamID = *in.TeamID
		if !p.InTeam(c.TeamID) {
			f.Add("team_id", "team", "Must be one of your teams.")
		}
	case len(p.TeamIDs) == 1:
		c.TeamID = p.TeamIDs[0]
	default:
		f.Add("team_id", "required", "Choose the team of the client.")
	}
	if p.Role == model.RoleCHW {
		if in.AssignedCHWID != nil && (*in.AssignedCHWID == nil || **in.AssignedCHWID != p.UserID) {
			f.Add("assigned_chw_id", "self", "A CHW's new client is assigned to that CHW.")
		}
		me := p.UserID
		mine := &me
		in.AssignedCHWID = &mine
	}
	if in.Status != nil && *in.Status == "closed" {
		f.Add("status", "oneof", "A new client cannot be closed.")
	}
	if err := s.applyClient(ctx, p, &c, in, true, &f); err != nil {
		return ClientView{}, err
	}
	if err := f.Err(); err != nil {
		return ClientView{}, err
	}
	if !confirmDuplicate {
		d, err := s.findDuplicates(ctx, p, c.TeamID, c)
		if err != nil {
			return ClientView{}, err
		}
		if d.Any() {
			return ClientView{}, duplicateError(d)
		}
	}
	var hooks []func(tx *store.Store) error
	for _, fn := range also {
		hooks = append(hooks, func(tx *store.Store) error { return fn(tx, &c) })
	}
	if err := s.Store.CreateClient(ctx, &c, p.UserID, hooks...); err != nil {
		return ClientView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "client.create", c.ID, auditDetail)
	got, err := s.Store.ClientByID(ctx, p.Scope, c.ID)
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	return ViewOf(got), nil
}

func (s *Service) auditClient(ctx context.Context, p *Principal, action, clientID, detail string) {
	s.auditRecord(ctx, p, action, "client", clientID, clientID, detail)
}

// visibleClient loads a client in the caller's scope (404 otherwise).
func (s *Service) visibleClient(ctx context.Context, p *Principal, id string) (model.Client, error) {
	c, err := s.Store.ClientByID(ctx, p.Scope, id)
	return c, storeErr(err)
}

// CheckVisible answers NotFound unless the caller may see the record of a
// kind (client, referral, appointment, task, reminder, contact request).
func (s *Service) CheckVisible(ctx context.Context, p *Principal, kind, id string) error {
	var err error
	switch kind {
	case "client":
		_, err = s.Store.ClientByID(ctx, p.Scope, id)
	case "referral":
		_, err = s.Store.ReferralByID(ctx, p.Scope, id)
	case "appointment":
		_, err = s.Store.AppointmentByID(ctx, p.Scope, id)
	case "task":
		_, err = s.Store.TaskByID(ctx, p.Scope, id)
	case "reminder":
		_, err = s.Store.ReminderByID(ctx, p.Scope, id)
	case "contact":
		_, err = s.Store.ContactRequestByID(ctx, p.Scope, id)
	case "group_session":
		_, err = s.Store.GroupSessionByID(ctx, p.Scope, id)
	default:
		return fmt.Errorf("CheckVisible: unknown kind %q", kind)
	}
	return storeErr(err)
}

// Client returns one client and records the read.
// One statement reads the record with its CHW's name and checks the scope;
// an id that misses may be a merged record's (an old link), which resolves
// to the record it was merged into.
func (s *Service) Client(ctx context.Context, p *Principal, id string) (ClientView, error) {
	r, err := s.Store.ClientRowByID(ctx, p.Scope, id)
	if errors.Is(err, store.ErrNotFound) {
		if to := s.ResolveClientID(ctx, id); to != id {
			r, err = s.Store.ClientRowByID(ctx, p.Scope, to)
		}
	}
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "client.read", r.ID, "")
	return rowView(r), nil
}

// ListClients lists the caller's clients.
func (s *Service) ListClients(ctx context.Context, p *Principal, f store.ClientFilter) ([]ClientView, string, error) {
	if f.Q != "" {
		if e164, ok := NormalisePhone(f.Q); ok {
			f.Phone = e164
		} else if part, ok := PhonePattern(f.Q); ok {
			f.PhonePart = part
		} else {
			f.Q = store.Fold(f.Q)
		}
	}
	page, err := s.Store.ListClients(ctx, p.Scope, f)
	if err != nil {
		return nil, "", storeErr(err)
	}
	out := make([]ClientView, len(page.Items))
	for i, r := range page.Items {
		out[i] = rowView(r)
	}
	return out, page.NextCursor, nil
}

// UpdateClient edits a client, including closing and reopening it.
func (s *Service) UpdateClient(ctx context.Context, p *Principal, id string, in ClientInput) (ClientView, error) {
	cur, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return ClientView{}, err
	}
	if !s.canWriteClients(p) {
		return ClientView{}, apperr.NotFound()
	}
	if cur.ErasedAt != nil {
		return ClientView{}, apperr.New(apperr.KindConflict, "This client's data was erased: the record cannot be changed.")
	}
	var f apperr.Fields
	if in.TeamID != nil && *in.TeamID != cur.TeamID {
		f.Add("team_id", "read_only", "A client changes team only through a transfer by a coordinator.")
	}
	if in.AssignedCHWID != nil {
		f.Add("assigned_chw_id", "read_only", "Use PUT /api/v1/clients/{id}/assignment.")
	}
	next := cur
	if err := s.applyClient(ctx, p, &next, in, false, &f); err != nil {
		return ClientView{}, err
	}
	if err := f.Err(); err != nil {
		return ClientView{}, err
	}
	set := editableClientFields(next)
	// The timeline names the fields that changed, never their values.
	kind, detail := "updated", map[string]any{"fields": changedColumns(editableClientFields(cur), set)}
	if next.Status != cur.Status {
		kind = "status_changed"
		detail = map[string]any{"from": cur.Status, "to": next.Status, "reason": next.CloseReason}
	}
	// New contact data or language re-plans the queued reminders of the
	// appointments ahead in the same transaction (a phone added makes SMS
	// possible, an address removed stops e-mail).
	replan := !samePtr(cur.Phone, next.Phone) || !samePtr(cur.Email, next.Email) || cur.Language != next.Language
	var c model.Client
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		var err error
		if c, err = tx.UpdateClient(ctx, p.Scope, id, set, p.UserID, kind, detail); err != nil || !replan {
			return err
		}
		return s.replanClient(ctx, tx, id)
	})
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "client.update", id, kind)
	return ViewOf(c), nil
}

// AssignClient assigns or transfers a client to a CHW of its team, or
// leaves it unassigned (coordinator).
func (s *Service) AssignClient(ctx context.Context, p *Principal, id string, chwID *string) (ClientView, error) {
	cur, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return ClientView{}, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, cur.TeamID, auth.PermClientsAssign) {
		return ClientView{}, apperr.Forbidden()
	}
	var f apperr.Fields
	if chwID != nil {
		if err := s.checkCHWOfTeam(ctx, *chwID, cur.TeamID, "chw_id", &f); err != nil {
			return ClientView{}, err
		}
	}
	if err := f.Err(); err != nil {
		return ClientView{}, err
	}
	if (chwID == nil && cur.AssignedCHWID == nil) || (chwID != nil && cur.AssignedCHWID != nil && *chwID == *cur.AssignedCHWID) {
		return ViewOf(cur), nil
	}
	c, err := s.Store.AssignClient(ctx, p.Scope, id, chwID, p.UserID)
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	to := "none"
	if chwID != nil {
		to = *chwID
	}
	s.auditClient(ctx, p, "client.assign", id, "to="+to)
	return ViewOf(c), nil
}

// Assignments returns who followed the client.
func (s *Service) Assignments(ctx context.Context, p *Principal, id string) ([]AssignmentView, error) {
	if _, err := s.visibleClient(ctx, p, id); err != nil {
		return nil, err
	}
	rows, err := s.Store.Assignments(ctx, id)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, a := range rows {
		ids = append(ids, a.AssignedBy)
		if a.CHWID != nil {
			ids = append(ids, *a.CHWID)
		}
	}
	names, err := s.userNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]AssignmentView, len(rows))
	for i, a := range rows {
		out[i] = AssignmentView{ClientAssignment: a, AssignedByName: names[a.AssignedBy]}
		if a.CHWID != nil {
			out[i].CHWName = names[*a.CHWID]
		}
	}
	return out, nil
}

// ClientAudit lists who read and changed a client (coordinator of the
// team), with reads outside the usual scope marked as in the audit reader.
func (s *Service) ClientAudit(ctx context.Context, p *Principal, id string) ([]AuditEntry, error) {
	c, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, c.TeamID, auth.PermAuditReadTeam) {
		return nil, apperr.Forbidden()
	}
	s.flushAuditReads(ctx)
	events, err := s.Store.ClientAudit(ctx, id, 500)
	if err != nil {
		return nil, err
	}
	return s.auditEntries(ctx, events)
}

// Board returns a coordinator's team board.
func (s *Service) Board(ctx context.Context, p *Principal, teamID string) (store.TeamBoard, error) {
	b, err := s.Store.Board(ctx, p.Scope, teamID, s.Store.Now().Add(-30*24*time.Hour))
	return b, storeErr(err)
}

func samePtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// editableClientFields are the columns an update of a client writes.
func editableClientFields(c model.Client) map[string]any {
	return map[string]any{
		"given_name": c.GivenName, "family_name": c.FamilyName, "pseudonym": c.Pseudonym,
		"birth_year": c.BirthYear, "phone": c.Phone, "email": c.Email, "language": c.Language,
		"spoken_languages": c.SpokenLanguages, "care_rights": c.CareRights, "source": c.Source,
		"status": c.Status, "close_reason": c.CloseReason, "neighbourhood_id": c.NeighbourhoodID,
	}
}

// changedColumns lists, sorted, the keys whose values differ between two
// column maps (pointers compared by what they point to).
func changedColumns(before, after map[string]any) []string {
	out := []string{}
	for k, v := range after {
		if !reflect.DeepEqual(v, before[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
