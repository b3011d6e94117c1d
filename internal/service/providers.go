package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/textpolicy"
)

// ProviderInput is a provider as submitted or imported.
type ProviderInput struct {
	Name, Type, Address, Municipality, Phone, Email, Website, Notes string
	Languages                                                       []string
	AcceptsNew, ThirdPartyPayment, Conventioned                     bool
}

// ProviderCSVColumns are the import's header names (README documents them).
var ProviderCSVColumns = []string{"name", "type", "address", "municipality", "phone", "email", "website", "languages",
	"accepts_new_patients", "third_party_payment", "conventioned", "notes"}

// ProviderView is a provider with its languages decoded.
type ProviderView struct {
	model.Provider
	Languages []string
}

// ViewProvider decodes a stored provider.
func ViewProvider(p model.Provider) ProviderView {
	v := ProviderView{Provider: p}
	v.Languages = decodeList(p.Languages)
	return v
}

// providerTeam is the team whose directory a coordinator manages.
func (s *Service) providerTeam(p *Principal, teamID string) (string, error) {
	if teamID == "" {
		if len(p.TeamIDs) != 1 {
			return "", apperr.Validation("team_id", "required", "Say which of your teams' directory this is for.")
		}
		teamID = p.TeamIDs[0]
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, teamID, auth.PermProvidersManage) {
		return "", apperr.Validation("team_id", "team", "Must be one of your teams.")
	}
	return teamID, nil
}

func (s *Service) checkProvider(ctx context.Context, in *ProviderInput, field string, f *apperr.Fields) (model.Provider, error) {
	types, err := s.codes(ctx, "provider_types")
	if err != nil {
		return model.Provider{}, err
	}
	p := model.Provider{AcceptsNew: in.AcceptsNew, ThirdPartyPayment: in.ThirdPartyPayment, Conventioned: in.Conventioned}
	p.Name = trimmed(&in.Name, 200, field+"name", f)
	if p.Name == "" {
		f.Add(field+"name", "required", "A name is required.")
	}
	if !slices.Contains(types, in.Type) {
		f.OneOf(field+"type", types)
	}
	p.Type = in.Type
	p.Address = trimmed(&in.Address, 300, field+"address", f)
	p.Municipality = trimmed(&in.Municipality, 100, field+"municipality", f)
	p.Notes = trimmed(&in.Notes, 2000, field+"notes", f)
	if v := strings.TrimSpace(in.Phone); v != "" {
		if e164, ok := NormalisePhone(v); ok {
			p.Phone = &e164
		} else {
			f.AddP(field+"phone", apperr.CodePhone, "Must be a phone number, e.g. "+PhoneExample+".", PhoneParams())
		}
	}
	if v := strings.ToLower(strings.TrimSpace(in.Email)); v != "" {
		if !strings.Contains(v, "@") || strings.ContainsAny(v, " <>") {
			f.Add(field+"email", "email", "Must be a valid e-mail address.")
		} else {
			p.Email = &v
		}
	}
	if v := strings.TrimSpace(in.Website); v != "" {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			f.Add(field+"website", "url", "Must start with https:// or http://.")
		}
		p.Website = v
	}
	var langs []string
	for _, l := range in.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" {
			langs = append(langs, l)
		}
	}
	p.Languages = jsonList(dedupe(langs))
	return p, nil
}

// Providers searches the directory of the caller's teams.
func (s *Service) Providers(ctx context.Context, p *Principal, f store.ProviderFilter) ([]ProviderView, string, error) {
	f.TeamIDs = p.TeamIDs
	page, err := s.Store.Providers(ctx, f)
	if err != nil {
		return nil, "", storeErr(err)
	}
	out := make([]ProviderView, len(page.Items))
	for i, pr := range page.Items {
		out[i] = ViewProvider(pr)
	}
	return out, page.NextCursor, nil
}

// CreateProvider adds a provider to a team's directory (coordinator).
func (s *Service) CreateProvider(ctx context.Context, p *Principal, teamID string, in ProviderInput) (ProviderView, error) {
	team, err := s.providerTeam(p, teamID)
	if err != nil {
		return ProviderView{}, err
	}
	var f apperr.Fields
	pr, err := s.checkProvider(ctx, &in, "", &f)
	if err != nil {
		return ProviderView{}, err
	}
	if err := f.Err(); err != nil {
		return ProviderView{}, err
	}
	pr.TeamID = team
	if err := s.Store.SaveProviders(ctx, []model.Provider{pr}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return ProviderView{}, apperr.Validation("name", "taken", "This provider is already in the directory.")
		}
		return ProviderView{}, err
	}
	s.audit(ctx, p, "provider.create", "provider", pr.Name, "")
	page, err := s.Store.Providers(ctx, store.ProviderFilter{TeamIDs: []string{team}, Q: pr.Name, Type: pr.Type, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return ProviderView{}, err
	}
	return ViewProvider(page.Items[0]), nil
}

// UpdateProvider changes a provider of the caller's team (coordinator).
func (s *Service) UpdateProvider(ctx context.Context, p *Principal, id string, in ProviderInput) (ProviderView, error) {
	cur, err := s.Store.ProviderByID(ctx, p.TeamIDs, id)
	if err != nil {
		return ProviderView{}, storeErr(err)
	}
	if _, err := s.providerTeam(p, cur.TeamID); err != nil {
		return ProviderView{}, apperr.Forbidden()
	}
	var f apperr.Fields
	next, err := s.checkProvider(ctx, &in, "", &f)
	if err != nil {
		return ProviderView{}, err
	}
	if err := f.Err(); err != nil {
		return ProviderView{}, err
	}
	next.ID, next.TeamID, next.CreatedAt = cur.ID, cur.TeamID, cur.CreatedAt
	if err := s.Store.UpdateProvider(ctx, &next); err != nil {
		return ProviderView{}, storeErr(err)
	}
	s.audit(ctx, p, "provider.update", "provider", id, "")
	return ViewProvider(next), nil
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "y", "ja", "j", "oui", "o", "x":
		return true, true
	case "", "0", "false", "no", "n", "nee", "non", "nein":
		return false, true
	}
	return false, false
}

// ImportProviders reads a CSV (UTF-8, with or without BOM, ';' or ','
// separated, a header row of ProviderCSVColumns in any order) and adds every
// row, or none: any bad row answers 422 with every problem of every row.
func (s *Service) ImportProviders(ctx context.Context, p *Principal, teamID string, r io.Reader) (int, error) {
	team, err := s.providerTeam(p, teamID)
	if err != nil {
		return 0, err
	}
	raw, err := io.ReadAll(io.LimitReader(r, 2<<20+1))
	if err != nil {
		return 0, err
	}
	if len(raw) > 2<<20 {
		return 0, apperr.New(apperr.KindTooLarge, "The file is larger than 2 MiB.")
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	firstLine, _, _ := bytes.Cut(raw, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = ','
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	records, err := cr.ReadAll()
	if err != nil {
		return 0, apperr.Validation("file", "csv", "The file is not valid CSV: "+csvErr(err))
	}
	if len(records) < 2 {
		return 0, apperr.Validation("file", "empty", "The file has a header row but no providers.")
	}
	col := map[string]int{}
	var f apperr.Fields
	for i, h := range records[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(ProviderCSVColumns, h) {
			f.AddP("header", "unknown_column", fmt.Sprintf("Unknown column %q; use: %s.", h, strings.Join(ProviderCSVColumns, ", ")), map[string]any{"column": h, "options": ProviderCSVColumns})
			continue
		}
		col[h] = i
	}
	for _, need := range []string{"name", "type"} {
		if _, ok := col[need]; !ok {
			f.AddP("header", "missing_column", "The header needs a column "+need+".", map[string]any{"column": need})
		}
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	if len(records)-1 > 5000 {
		return 0, apperr.ValidationP("file", apperr.CodeMax, "At most 5000 providers per file.", apperr.Max(5000))
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	seen := map[string]int{}
	var out []model.Provider
	for n, rec := range records[1:] {
		row := n + 2 // the line number a person sees in a spreadsheet
		field := fmt.Sprintf("rows[%d].", row)
		// The same text policy as a JSON body, cell by cell.
		for _, name := range ProviderCSVColumns {
			if i, ok := col[name]; ok && i < len(rec) {
				if bad := textpolicy.Check(rec[i], textpolicy.KindOf(name)); !bad.OK() {
					f.AddP(field+name, bad.Code, bad.Message, bad.Params())
				}
			}
		}
		in := ProviderInput{Name: get(rec, "name"), Type: get(rec, "type"), Address: get(rec, "address"),
			Municipality: get(rec, "municipality"), Phone: get(rec, "phone"), Email: get(rec, "email"),
			Website: get(rec, "website"), Notes: get(rec, "notes"), Languages: strings.Split(get(rec, "languages"), "|")}
		var ok bool
		for name, dst := range map[string]*bool{"accepts_new_patients": &in.AcceptsNew, "third_party_payment": &in.ThirdPartyPayment, "conventioned": &in.Conventioned} {
			v := get(rec, name)
			if *dst, ok = parseBool(v); !ok {
				f.AddP(field+name, "bool", fmt.Sprintf("%q is not yes or no.", v), apperr.Options("yes", "no"))
			}
		}
		if _, has := col["accepts_new_patients"]; !has {
			in.AcceptsNew = true
		}
		if _, has := col["conventioned"]; !has {
			in.Conventioned = true
		}
		pr, err := s.checkProvider(ctx, &in, field, &f)
		if err != nil {
			return 0, err
		}
		key := strings.ToLower(pr.Name + "|" + pr.Type + "|" + pr.Address)
		if first, dup := seen[key]; dup {
			f.AddP(field+"name", "duplicate", fmt.Sprintf("Same provider as row %d.", first), map[string]any{"row": first})
		}
		seen[key] = row
		pr.TeamID = team
		out = append(out, pr)
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	if err := s.Store.SaveProviders(ctx, out); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return 0, apperr.Validation("file", "duplicate", "One or more providers of the file are already in the directory; nothing was imported.")
		}
		return 0, err
	}
	s.audit(ctx, p, "provider.import", "provider", team, fmt.Sprintf("rows=%d", len(out)))
	return len(out), nil
}

func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: %v", pe.Line, pe.Err)
	}
	return "unreadable"
}
