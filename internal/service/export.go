package service

import (
	"context"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// ClientExport is everything Brug holds about one client, for subject
// access and portability.
type ClientExport struct {
	Client ClientView
	store.ClientHoldings
	Visits        []VisitView
	Referrals     []ReferralView
	GroupSessions []GroupSessionView
	// CHWFirstName is what reminders sign with.
	CHWFirstName string
	// Names of the staff the rows mention, by user id.
	Names      map[string]string
	ExportedAt time.Time
}

// ExportClient gathers a client's data (coordinator of the client's team)
// and audits the export; format is json or pdf.
func (s *Service) ExportClient(ctx context.Context, p *Principal, id, format string) (ClientExport, error) {
	c, err := s.coordinatorOf(ctx, p, id, auth.PermClientsExport)
	if err != nil {
		return ClientExport{}, err
	}
	h, err := s.Store.ClientHoldings(ctx, id)
	if err != nil {
		return ClientExport{}, err
	}
	var ids []string
	add := func(p *string) {
		if p != nil && *p != "" {
			ids = append(ids, *p)
		}
	}
	add(c.AssignedCHWID)
	for _, e := range h.Audit {
		add(e.ActorID)
	}
	for _, e := range h.ReferralEvents {
		add(e.ActorID)
	}
	for _, v := range h.Visits {
		add(&v.CHWID)
	}
	for _, t := range h.Tasks {
		add(t.AssigneeID)
	}
	for _, cs := range h.Consents {
		add(&cs.GivenBy)
		add(cs.WithdrawnBy)
	}
	names, err := s.Store.UserNames(ctx, dedupe(ids))
	if err != nil {
		return ClientExport{}, err
	}
	chw := ""
	if c.AssignedCHWID != nil {
		chw, _, _ = strings.Cut(names[*c.AssignedCHWID], " ")
	}
	byVisit := map[string][]model.Barrier{}
	for _, b := range h.Barriers {
		if b.VisitID != nil {
			byVisit[*b.VisitID] = append(byVisit[*b.VisitID], b)
		}
	}
	visits := make([]VisitView, len(h.Visits))
	for i, v := range h.Visits {
		visits[i] = visitView(v, byVisit[v.ID])
	}
	events := map[string][]model.ReferralEvent{}
	for _, e := range h.ReferralEvents {
		events[e.ReferralID] = append(events[e.ReferralID], e)
	}
	refs := make([]ReferralView, len(h.Referrals))
	for i, r := range h.Referrals {
		refs[i] = referralView(r, events[r.ID])
	}
	sessions, err := s.groupSessionViews(ctx, h.GroupSessions)
	if err != nil {
		return ClientExport{}, err
	}
	s.auditClient(ctx, p, "client.export", id, "format="+format)
	return ClientExport{Client: ViewOf(c), ClientHoldings: h, CHWFirstName: chw,
		Visits: visits, Referrals: refs, GroupSessions: sessions, Names: names, ExportedAt: s.Store.Now()}, nil
}
