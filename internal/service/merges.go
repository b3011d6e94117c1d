package service

import (
	"context"
	"fmt"
	"slices"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// MergeFields are the fields a coordinator chooses between, side by side,
// when two records are merged; the rest of the survivor stays as it is.
var MergeFields = []string{"given_name", "family_name", "pseudonym", "birth_year", "phone", "email", "language",
	"spoken_languages", "neighbourhood_id", "care_rights", "source", "status"}

// ClientDuplicates lists the clients of the coordinator's teams that look
// like client id (same folded name and birth year, or same phone): the
// candidates to merge it with.
func (s *Service) ClientDuplicates(ctx context.Context, p *Principal, id string) ([]ClientView, error) {
	c, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, c.TeamID, auth.PermClientsMerge) {
		return nil, apperr.Forbidden()
	}
	d, err := s.findDuplicates(ctx, p, c.TeamID, c, c.ID)
	if err != nil {
		return nil, err
	}
	found, err := s.Store.ClientsByID(ctx, p.Scope, d.Candidates)
	if err != nil {
		return nil, err
	}
	out := []ClientView{}
	for _, cid := range d.Candidates {
		if v, ok := found[cid]; ok {
			out = append(out, ViewOf(v))
		}
	}
	s.auditClient(ctx, p, "client.read", id, "duplicates")
	return out, nil
}

// MergeClients merges record mergedID into survivorID (a coordinator of
// both records' teams): take names the fields the survivor takes from the
// merged record.
func (s *Service) MergeClients(ctx context.Context, p *Principal, survivorID, mergedID string, take []string) (model.ClientMerge, ClientView, error) {
	surv, err := s.visibleClient(ctx, p, survivorID)
	if err != nil {
		return model.ClientMerge{}, ClientView{}, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, surv.TeamID, auth.PermClientsMerge) {
		return model.ClientMerge{}, ClientView{}, apperr.Forbidden()
	}
	var f apperr.Fields
	var merged model.Client
	switch {
	case mergedID == "":
		f.Add("merged_id", "required", "Name the record to merge into this one.")
	case mergedID == survivorID:
		f.Add("merged_id", "self", "A record cannot be merged with itself.")
	default:
		merged, err = s.Store.ClientByID(ctx, p.Scope, mergedID)
		if err != nil {
			// Outside the caller's teams or absent: the same answer.
			f.Add("merged_id", "not_found", "No such client in your teams.")
		}
	}
	cols := map[string]any{}
	if merged.ID != "" {
		cols = map[string]any{
			"given_name": merged.GivenName, "family_name": merged.FamilyName, "pseudonym": merged.Pseudonym, "birth_year": merged.BirthYear,
			"phone": merged.Phone, "email": merged.Email, "language": merged.Language, "spoken_languages": merged.SpokenLanguages,
			"neighbourhood_id": merged.NeighbourhoodID, "care_rights": merged.CareRights, "source": merged.Source, "status": merged.Status,
		}
	}
	set := map[string]any{}
	for i, field := range take {
		if !slices.Contains(MergeFields, field) {
			f.OneOf(fmt.Sprintf("take[%d]", i), MergeFields)
			continue
		}
		if merged.ID == "" {
			continue
		}
		set[field] = cols[field]
		if field == "status" {
			set["close_reason"] = merged.CloseReason
		}
		if field == "neighbourhood_id" && merged.NeighbourhoodID != nil && merged.TeamID != surv.TeamID {
			f.Add(fmt.Sprintf("take[%d]", i), "team", "The neighbourhood is not one of the surviving record's team.")
		}
	}
	if err := f.Err(); err != nil {
		return model.ClientMerge{}, ClientView{}, err
	}
	if surv.ErasedAt != nil || merged.ErasedAt != nil {
		return model.ClientMerge{}, ClientView{}, apperr.New(apperr.KindConflict, "An erased record cannot be merged.")
	}
	m, err := s.Store.MergeClients(ctx, p.Scope, survivorID, mergedID, p.UserID, set, dedupe(take))
	if err != nil {
		return model.ClientMerge{}, ClientView{}, storeErr(err)
	}
	s.auditClient(ctx, p, "client.merge", survivorID, "merge="+m.ID+" merged="+mergedID)
	s.auditClient(ctx, p, "client.merged_into", mergedID, "merge="+m.ID+" survivor="+survivorID)
	c, err := s.Store.ClientByID(ctx, p.Scope, survivorID)
	return m, ViewOf(c), storeErr(err)
}

// ClientMerges lists the merges into a client (coordinator).
func (s *Service) ClientMerges(ctx context.Context, p *Principal, id string) ([]model.ClientMerge, error) {
	c, err := s.visibleClient(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, c.TeamID, auth.PermClientsMerge) {
		return nil, apperr.Forbidden()
	}
	return s.Store.ClientMerges(ctx, id)
}

// UndoMerge brings a merged record back within store.MergeUndoWindow
// (coordinator of both records' teams).
func (s *Service) UndoMerge(ctx context.Context, p *Principal, mergeID string) (model.ClientMerge, error) {
	m, err := s.Store.ClientMergeByID(ctx, p.Scope, mergeID)
	if err != nil {
		return m, storeErr(err)
	}
	merged, err := s.Store.MergedRecord(ctx, m.MergedID)
	if err != nil && m.UndoneAt == nil {
		return m, storeErr(err)
	}
	if m.UndoneAt == nil && (!p.InTeam(merged.TeamID) || !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, merged.TeamID, auth.PermClientsMerge)) {
		return m, apperr.NotFound()
	}
	if m.UndoneAt != nil {
		return m, apperr.New(apperr.KindConflict, "This merge was undone already.")
	}
	if surv, err := s.Store.ClientByIDUnscoped(ctx, m.SurvivorID); err == nil && surv.ErasedAt != nil {
		return m, apperr.New(apperr.KindConflict, "The record's data was erased: the merge cannot be undone.")
	}
	if s.Store.Now().Sub(m.CreatedAt) > store.MergeUndoWindow {
		return m, apperr.New(apperr.KindConflict, "A merge can be undone within 30 days only.")
	}
	if err := s.Store.UndoMerge(ctx, m, p.UserID); err != nil {
		return m, storeErr(err)
	}
	s.auditClient(ctx, p, "client.merge_undo", m.SurvivorID, "merge="+m.ID)
	s.auditClient(ctx, p, "client.merge_undo", m.MergedID, "merge="+m.ID)
	return s.Store.ClientMergeByID(ctx, p.Scope, mergeID)
}

// ResolveClientID follows a merged record's id to the record that survived.
func (s *Service) ResolveClientID(ctx context.Context, id string) string {
	r, err := s.Store.ResolveClientID(ctx, id)
	if err != nil {
		return id
	}
	return r
}
