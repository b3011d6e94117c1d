package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// DefaultRetention is how long after closing a client's record keeps its
// personal data, unless BRUG_RETENTION_MONTHS says otherwise.
const DefaultRetention = 24

// ErasureInput is a documented erasure request.
type ErasureInput struct {
	RequestReference string
	Reason           string
}

// coordinatorOf loads a client the caller may see and answers 403 unless
// their role holds perm in the client's team.
func (s *Service) coordinatorOf(ctx context.Context, p *Principal, id, perm string) (model.Client, error) {
	c, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return c, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, c.TeamID, perm) {
		return c, apperr.Forbidden()
	}
	return c, nil
}

func checkText(f *apperr.Fields, field, v string, max int) {
	switch {
	case strings.TrimSpace(v) == "":
		f.Add(field, "required", "Required.")
	case utf8.RuneCountInString(v) > max:
		f.Add(field, "max", "At most "+strconv.Itoa(max)+" characters.")
	}
}

// EraseClient erases a client's personal data on a documented request
// (coordinator of the client's team). A legal hold refuses it (409).
func (s *Service) EraseClient(ctx context.Context, p *Principal, id string, in ErasureInput) (ClientView, error) {
	c, err := s.coordinatorOf(ctx, p, id, auth.PermClientsErase)
	if err != nil {
		return ClientView{}, err
	}
	var f apperr.Fields
	checkText(&f, "request_reference", in.RequestReference, 100)
	checkText(&f, "reason", in.Reason, 500)
	if err := f.Err(); err != nil {
		return ClientView{}, err
	}
	if c.ErasedAt != nil {
		return ClientView{}, apperr.New(apperr.KindConflict, "This client's data was erased already.")
	}
	by := p.UserID
	_, err = s.Store.EraseClient(ctx, id, store.ErasureRequest{By: &by, Reference: strings.TrimSpace(in.RequestReference), Reason: strings.TrimSpace(in.Reason)})
	if errors.Is(err, store.ErrLegalHold) {
		return ClientView{}, apperr.New(apperr.KindConflict, "This record is under a legal hold: it cannot be erased until the hold is lifted.")
	}
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "client.erase", id, "reference="+strings.TrimSpace(in.RequestReference))
	c, err = s.visibleClient(ctx, p, id)
	return ViewOf(c), err
}

// SetLegalHold puts a legal hold on a client (reason) or lifts it (reason
// ""), coordinator of the client's team; audited.
func (s *Service) SetLegalHold(ctx context.Context, p *Principal, id string, reason *string) (ClientView, error) {
	if _, err := s.coordinatorOf(ctx, p, id, auth.PermClientsErase); err != nil {
		return ClientView{}, err
	}
	r := ""
	if reason != nil {
		var f apperr.Fields
		checkText(&f, "reason", *reason, 500)
		if err := f.Err(); err != nil {
			return ClientView{}, err
		}
		r = strings.TrimSpace(*reason)
	}
	c, changed, err := s.Store.SetLegalHold(ctx, p.Scope, id, p.UserID, r)
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	if changed {
		action := "client.legal_hold"
		if r == "" {
			action = "client.legal_hold_lift"
		}
		s.auditClient(ctx, p, action, id, "")
	}
	return ViewOf(c), nil
}

// RetentionCutoff is the moment before which a closed client is erased.
func (s *Service) RetentionCutoff() time.Time {
	months := s.RetentionMonths
	if months <= 0 {
		months = DefaultRetention
	}
	return s.Store.Now().AddDate(0, -months, 0)
}

// EraseExpired is the retention rule: clients closed longer than the
// retention period ago, and not under legal hold, are erased. Run by
// housekeeping; returns how many were erased.
func (s *Service) EraseExpired(ctx context.Context) (int, error) {
	n := 0
	for {
		ids, err := s.Store.RetentionDue(ctx, s.RetentionCutoff(), 100)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			ok, err := s.Store.EraseClient(ctx, id, store.ErasureRequest{Reference: "retention", Reason: "retention period after closing"})
			if errors.Is(err, store.ErrLegalHold) {
				continue // a hold placed since the query
			}
			if err != nil {
				return n, err
			}
			if ok {
				n++
				s.auditRecord(ctx, &Principal{}, "client.erase", "client", id, id, "reference=retention")
			}
		}
		if len(ids) < 100 {
			return n, nil
		}
	}
}
