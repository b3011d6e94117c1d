package service

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/research"
	"github.com/brug-chw/brug/internal/store"
)

// ResearchColumn is one column of the research extract, as the data
// dictionary describes it.
type ResearchColumn struct {
	Name        string
	Type        string // string, integer, month
	Description string
	Values      []string // the possible values, when a fixed list
	Quasi       bool     // a quasi-identifier (k-anonymity holds on these together)
}

// ResearchExtractResult is a released extract: its metadata, the key shown
// once to the requester (never stored) and the rows.
type ResearchExtractResult struct {
	Extract model.ResearchExtract
	Key     []byte
	Columns []ResearchColumn
	Rows    [][]string
}

// researchVersion names the column layout and the anonymisation rules.
const researchVersion = 1

// ResearchColumns lists the extract's columns: the quasi-identifiers, the
// status, counts of each kind of work by code and status, and the first
// and last month of contact. Free text (notes, details, reasons) is left
// out entirely, and so are team and fund: the team follows from the place,
// so it would undo the place's generalisation.
func (s *Service) ResearchColumns(ctx context.Context) ([]ResearchColumn, error) {
	terms, err := s.Store.TaxonomyTerms(ctx)
	if err != nil {
		return nil, err
	}
	codes := map[string][]string{}
	for _, t := range terms {
		codes[t.Kind] = append(codes[t.Kind], t.Code)
	}
	cols := []ResearchColumn{
		{Name: "pseudonym", Type: "string", Description: "HMAC-SHA256 of the client id with this extract's key (first 16 bytes, hex): the same person has the same pseudonym within one extract and an unrelated one in another."},
		{Name: "birth_band", Type: "string", Quasi: true, Description: "Birth year in a 10-year band (1980-1989); a 20-year (1980-1999) or 40-year band (1960-1999) where needed for k-anonymity; unknown when not recorded."},
		{Name: "municipality", Type: "string", Quasi: true, Description: "Municipality of the client's neighbourhood (never the neighbourhood); region:<code> or other where generalised for k-anonymity; unknown when not recorded."},
		{Name: "language", Type: "string", Quasi: true, Values: model.Languages, Description: "Preferred language."},
		{Name: "care_rights", Type: "string", Quasi: true, Values: codes["belgian_care_rights"], Description: "Belgian care rights held, codes sorted and joined by |; none when none; count:<n> (how many, not which) where needed for k-anonymity."},
		{Name: "source", Type: "string", Quasi: true, Values: model.ClientSources, Description: "How the client came to the programme."},
		{Name: "status", Type: "string", Values: model.ClientStatuses, Description: "Status of the client record at the time of the extract."},
	}
	count := func(name, desc string) {
		cols = append(cols, ResearchColumn{Name: name, Type: "integer", Description: desc})
	}
	count("visits", "Visits logged.")
	for _, m := range model.VisitModes {
		count("visits_mode_"+m, "Visits in mode "+m+".")
	}
	for _, m := range codes["chw_missions"] {
		count("visits_mission_"+m, "Visits that touched mission "+m+" (a visit touches one or more).")
	}
	count("barriers", "Barriers detected.")
	for _, c := range codes["barrier_categories"] {
		count("barriers_category_"+c, "Barriers of category "+c+".")
	}
	for _, st := range model.BarrierStatuses {
		count("barriers_status_"+st, "Barriers now "+st+".")
	}
	count("referrals", "Referrals made.")
	for _, t := range codes["provider_types"] {
		count("referrals_type_"+t, "Referrals to a provider of type "+t+".")
	}
	for _, st := range ReferralStatuses {
		count("referrals_status_"+st, "Referrals now "+st+".")
	}
	count("appointments", "Appointments.")
	for _, st := range model.AppointmentStatuses {
		count("appointments_status_"+st, "Appointments now "+st+".")
	}
	count("group_sessions", "Group sessions through which the client came to the programme.")
	cols = append(cols,
		ResearchColumn{Name: "first_contact_month", Type: "month", Description: "Month (YYYY-MM, Europe/Brussels) of the first visit or group session; empty without one."},
		ResearchColumn{Name: "last_contact_month", Type: "month", Description: "Month (YYYY-MM, Europe/Brussels) of the last visit or group session; empty without one."},
	)
	return cols, nil
}

// ResearchExtract releases the research extract: the clients with a live
// research consent, pseudonymised with a fresh random key, k-anonymous on
// the quasi-identifiers. Only the metadata and the key's fingerprint are
// stored; fewer than k eligible (or releasable) clients release nothing.
func (s *Service) ResearchExtract(ctx context.Context, p *Principal) (ResearchExtractResult, error) {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermResearchExtract) {
		return ResearchExtractResult{}, apperr.Forbidden()
	}
	cols, err := s.ResearchColumns(ctx)
	if err != nil {
		return ResearchExtractResult{}, err
	}
	clients, acts, err := s.Store.ResearchPopulation(ctx)
	if err != nil {
		return ResearchExtractResult{}, err
	}

	subjects := make([]research.Subject, len(clients))
	for i, c := range clients {
		place := c.MunicipalityName
		if place == "" && c.TeamMunicipalities == 1 {
			place = c.TeamMunicipality
		}
		subjects[i] = research.Subject{ClientID: c.ID, BirthYear: c.BirthYear, Municipality: place, Region: c.RegionCode,
			Language: c.Language, CareRights: decodeList(c.CareRights), Source: c.Source}
	}
	res := research.Anonymise(subjects, research.K)
	if len(clients) < research.K || len(res.Released) == 0 {
		s.audit(ctx, p, "research.extract_refused", "research_extract", "", fmt.Sprintf("fewer than k=%d", research.K))
		return ResearchExtractResult{}, apperr.Newf(apperr.KindConflict,
			"Fewer than %d clients with a live research consent could be released without breaking %d-anonymity; nothing was released.", research.K, research.K)
	}

	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return ResearchExtractResult{}, fmt.Errorf("research key: %w", err)
	}
	byClient := map[string]*researchTally{}
	status := map[string]string{}
	for _, c := range clients {
		byClient[c.ID] = &researchTally{counts: map[string]int{}}
		status[c.ID] = c.Status
	}
	for _, a := range acts {
		if t := byClient[a.ClientID]; t != nil {
			t.add(a)
		}
	}
	rows := make([][]string, 0, len(res.Released))
	for _, r := range res.Released {
		t := byClient[r.Subject.ClientID]
		row := make([]string, 0, len(cols))
		for _, col := range cols {
			switch col.Name {
			case "pseudonym":
				row = append(row, research.Pseudonym(key, r.Subject.ClientID))
			case "birth_band":
				row = append(row, r.BirthBand)
			case "municipality":
				row = append(row, r.Municipality)
			case "language":
				row = append(row, r.Language)
			case "care_rights":
				row = append(row, r.CareRights)
			case "source":
				row = append(row, r.Source)
			case "status":
				row = append(row, status[r.Subject.ClientID])
			case "first_contact_month":
				row = append(row, t.first)
			case "last_contact_month":
				row = append(row, t.last)
			default:
				row = append(row, strconv.Itoa(t.counts[col.Name]))
			}
		}
		rows = append(rows, row)
	}

	params, _ := json.Marshal(map[string]any{"k": research.K, "quasi_identifiers": research.QuasiIdentifiers, "version": researchVersion})
	e := model.ResearchExtract{RequestedBy: p.UserID, KeyFingerprint: research.Fingerprint(key), Eligible: len(clients),
		Rows: len(rows), Generalised: res.Generalised, Suppressed: res.Suppressed, Params: string(params)}
	if err := s.Store.CreateResearchExtract(ctx, &e); err != nil {
		return ResearchExtractResult{}, err
	}
	s.audit(ctx, p, "research.extract", "research_extract", e.ID,
		fmt.Sprintf("rows=%d generalised=%d suppressed=%d fingerprint=%s", e.Rows, e.Generalised, e.Suppressed, e.KeyFingerprint[:16]))
	return ResearchExtractResult{Extract: e, Key: key, Columns: cols, Rows: rows}, nil
}

// ResearchExtracts lists past extracts (never their keys) with who made them.
func (s *Service) ResearchExtracts(ctx context.Context, p *Principal) ([]model.ResearchExtract, map[string]string, error) {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermResearchExtract) {
		return nil, nil, apperr.Forbidden()
	}
	list, err := s.Store.ListResearchExtracts(ctx, 200)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, e := range list {
		if _, ok := names[e.RequestedBy]; ok {
			continue
		}
		if u, err := s.Store.UserByID(ctx, e.RequestedBy); err == nil {
			names[e.RequestedBy] = u.Name
		}
	}
	return list, names, nil
}

// researchTally counts one client's work for the extract.
type researchTally struct {
	counts      map[string]int
	first, last string
}

func (t *researchTally) add(a store.ResearchActivity) {
	inc := func(names ...string) {
		for _, n := range names {
			t.counts[n]++
		}
	}
	switch a.Kind {
	case "visit":
		inc("visits", "visits_mode_"+a.Code)
		for _, m := range decodeList(a.Missions) {
			inc("visits_mission_" + m)
		}
		t.contact(a)
	case "barrier":
		inc("barriers", "barriers_category_"+a.Code, "barriers_status_"+a.Status)
	case "referral":
		inc("referrals", "referrals_type_"+a.Code, "referrals_status_"+a.Status)
	case "appointment":
		inc("appointments", "appointments_status_"+a.Status)
	case "group_session":
		inc("group_sessions")
		t.contact(a)
	}
}

func (t *researchTally) contact(a store.ResearchActivity) {
	m := a.At.In(Brussels).Format("2006-01")
	if t.first == "" || m < t.first {
		t.first = m
	}
	if m > t.last {
		t.last = m
	}
}
