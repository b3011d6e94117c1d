package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Teams lists every team with its areas. Reference data holds no personal
// data, so every signed-in role may read it.
func (s *Service) Teams(ctx context.Context) ([]store.TeamTree, error) { return s.Store.Teams(ctx) }

// Funds lists the health insurance funds.
func (s *Service) Funds(ctx context.Context) ([]model.Fund, error) { return s.Store.Funds(ctx) }

// Taxonomy returns the taxonomy terms grouped by kind, in file order.
func (s *Service) Taxonomy(ctx context.Context) (map[string][]model.TaxonomyTerm, error) {
	terms, err := s.Store.TaxonomyTerms(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]model.TaxonomyTerm{}
	for _, t := range terms {
		out[t.Kind] = append(out[t.Kind], t)
	}
	return out, nil
}

// SetReminderOffsets sets how long before an appointment a team's clients
// are reminded (a coordinator of the team, or an admin).
func (s *Service) SetReminderOffsets(ctx context.Context, p *Principal, teamID string, offsets []string) (model.Team, error) {
	if !s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, teamID, auth.PermTeamsConfigure) {
		return model.Team{}, apperr.NotFound()
	}
	var f apperr.Fields
	if len(offsets) == 0 || len(offsets) > 5 {
		f.AddP("reminder_offsets", "count", "Give 1 to 5 offsets, e.g. 24h and 2h.", map[string]any{"min": 1, "max": 5, "example": "24h, 2h"})
	}
	seen := map[time.Duration]bool{}
	for i, o := range offsets {
		d, err := time.ParseDuration(o)
		if err != nil || d < 15*time.Minute || d > 14*24*time.Hour || seen[d] {
			f.AddP(fmt.Sprintf("reminder_offsets[%d]", i), apperr.CodeRange, "A duration from 15m to 336h, each once (e.g. 24h, 2h, 90m).", map[string]any{"min": "15m", "max": "336h", "example": "24h, 2h, 90m"})
		}
		seen[d] = true
	}
	if err := f.Err(); err != nil {
		return model.Team{}, err
	}
	// Queued reminders of the appointments ahead follow the new offsets, in
	// the same transaction; messages already sent stay and count for spacing.
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetReminderOffsets(ctx, teamID, jsonList(offsets)); err != nil {
			return err
		}
		return s.replanTeam(ctx, tx, teamID)
	})
	if err != nil {
		return model.Team{}, storeErr(err)
	}
	s.audit(ctx, p, "team.reminder_offsets", "team", teamID, strings.Join(offsets, ","))
	return s.Store.TeamByID(ctx, teamID)
}
