package service

import (
	"context"

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
