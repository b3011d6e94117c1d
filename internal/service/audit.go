package service

import (
	"context"
	"strings"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ActionEmergencyAccess is a break-the-glass read of a client record: always
// unusual in the audit reader.
const ActionEmergencyAccess = "client.emergency_access"

// AuditExportMax bounds one CSV download of the audit log.
const AuditExportMax = 100_000

// AuditEntry is an audit event as the audit reader shows it.
type AuditEntry struct {
	model.AuditEvent
	ActorName string
	// Unusual: a client's record touched by someone who was neither the
	// client's CHW nor a coordinator of the client's team then, or a
	// break-the-glass access.
	Unusual bool
}

// AuditPage is one page of the audit reader.
type AuditPage struct {
	Items      []AuditEntry
	NextCursor string
}

// SearchAudit lists audit events for an admin or a data protection officer.
// The search is itself audited, with its filters.
func (s *Service) SearchAudit(ctx context.Context, p *Principal, f store.AuditSearch) (AuditPage, error) {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermAuditRead) {
		return AuditPage{}, apperr.Forbidden()
	}
	s.flushAuditReads(ctx)
	page, err := s.Store.SearchAudit(ctx, f)
	if err != nil {
		return AuditPage{}, storeErr(err)
	}
	entries, err := s.auditEntries(ctx, page.Items)
	if err != nil {
		return AuditPage{}, err
	}
	s.audit(ctx, p, "audit.search", "audit", "", auditFilterDetail(f, "json"))
	return AuditPage{Items: entries, NextCursor: page.NextCursor}, nil
}

// AccessGrantedDays is how far back the audit reader's first page lists
// the accounts given client access, above the search results.
const AccessGrantedDays = 30

// RecentAccessGrants lists the user.client_access_granted events of the
// last AccessGrantedDays days, newest first (at most 50): an admin giving an
// account access to client records, themselves included, stands out at the
// top of the audit reader. Part of the search it comes with (not audited
// again).
func (s *Service) RecentAccessGrants(ctx context.Context, p *Principal) ([]AuditEntry, error) {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermAuditRead) {
		return nil, apperr.Forbidden()
	}
	page, err := s.Store.SearchAudit(ctx, store.AuditSearch{Action: "user.client_access_granted",
		From: s.Store.Now().AddDate(0, 0, -AccessGrantedDays), Limit: 50})
	if err != nil {
		return nil, storeErr(err)
	}
	return s.auditEntries(ctx, page.Items)
}

// ExportAudit hands every matching event (at most AuditExportMax), newest
// first, to each in batches; the download is audited once.
func (s *Service) ExportAudit(ctx context.Context, p *Principal, f store.AuditSearch, each func([]AuditEntry) error) error {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, "", auth.PermAuditRead) {
		return apperr.Forbidden()
	}
	s.audit(ctx, p, "audit.search", "audit", "", auditFilterDetail(f, "csv"))
	s.flushAuditReads(ctx)
	f.Limit = 1000
	for n := 0; n < AuditExportMax; {
		page, err := s.Store.SearchAudit(ctx, f)
		if err != nil {
			return storeErr(err)
		}
		entries, err := s.auditEntries(ctx, page.Items)
		if err != nil {
			return err
		}
		if err := each(entries); err != nil {
			return err
		}
		n += len(entries)
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
	return nil
}

func (s *Service) auditEntries(ctx context.Context, events []model.AuditEvent) ([]AuditEntry, error) {
	usual, err := s.Store.UsualAccess(ctx, events)
	if err != nil {
		return nil, err
	}
	var actors []string
	for _, e := range events {
		if e.ActorID != nil {
			actors = append(actors, *e.ActorID)
		}
	}
	names, err := s.Store.UserNames(ctx, dedupe(actors))
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, len(events))
	for i, e := range events {
		out[i] = AuditEntry{AuditEvent: e}
		if e.ActorID != nil {
			out[i].ActorName = names[*e.ActorID]
		}
		ok, judged := usual[e.ID]
		out[i].Unusual = e.Action == ActionEmergencyAccess || strings.Contains(strings.ToLower(e.Detail), "break-the-glass") ||
			(judged && !ok)
	}
	return out, nil
}

// auditFilterDetail writes the filters of a search for its audit event.
func auditFilterDetail(f store.AuditSearch, format string) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("actor_id", f.ActorID)
	add("client_id", f.ClientID)
	add("action", f.Action)
	add("entity", f.Entity)
	if !f.From.IsZero() {
		add("from", f.From.In(Brussels).Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		add("to", f.To.In(Brussels).AddDate(0, 0, -1).Format("2006-01-02"))
	}
	if f.Cursor != "" {
		add("page", "next")
	}
	add("format", format)
	return strings.Join(parts, " ")
}
