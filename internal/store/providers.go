package store

import (
	"context"
	"strings"

	"github.com/brug-chw/brug/internal/model"
)

// ProviderFilter narrows Providers.
type ProviderFilter struct {
	TeamIDs      []string
	Type         string
	Municipality string
	Language     string
	Accepting    *bool
	// ThirdPartyPayment: only providers that do (or do not) apply the
	// third-party payment scheme (the client pays only their share).
	ThirdPartyPayment *bool
	Q                 string
	Limit             int
	Cursor            string
}

// Providers searches the directory of the caller's teams, by name.
func (s *Store) Providers(ctx context.Context, f ProviderFilter) (Page[model.Provider], error) {
	if len(f.TeamIDs) == 0 {
		return Page[model.Provider]{}, nil
	}
	q := s.q(ctx).Model(&model.Provider{}).Where("team_id IN ?", f.TeamIDs)
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if f.Municipality != "" {
		q = q.Where("lower(municipality) = ?", strings.ToLower(f.Municipality))
	}
	if f.Language != "" {
		q = q.Where("lower(languages) LIKE ? ESCAPE '\\'", likePattern(`"`+f.Language+`"`))
	}
	if f.Accepting != nil {
		q = q.Where("accepts_new = ?", *f.Accepting)
	}
	if f.ThirdPartyPayment != nil {
		q = q.Where("third_party_payment = ?", *f.ThirdPartyPayment)
	}
	if f.Q != "" {
		q = q.Where("search_text LIKE ? ESCAPE '\\'", likePattern(f.Q))
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page[model.Provider]{}, err
		}
		q = q.Where("(name > ? OR (name = ? AND id > ?))", c.K, c.K, c.ID)
	}
	var rows []model.Provider
	if err := q.Order("name, id").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return Page[model.Provider]{}, mapErr(err, "providers")
	}
	page := Page[model.Provider]{Items: rows}
	if len(rows) > f.Limit {
		page.Items = rows[:f.Limit]
		last := page.Items[len(page.Items)-1]
		page.NextCursor = encodeCursor(last.Name, last.ID)
	}
	return page, nil
}

// ProviderText is what a provider is found by.
func ProviderText(name, address, municipality string) string {
	return strings.ToLower(strings.Join(strings.Fields(name+" "+address+" "+municipality), " "))
}

// ProviderByID returns a provider of one of the teams.
func (s *Store) ProviderByID(ctx context.Context, teamIDs []string, id string) (model.Provider, error) {
	var p model.Provider
	if len(teamIDs) == 0 {
		return p, ErrNotFound
	}
	err := s.q(ctx).Where("id = ? AND team_id IN ?", id, teamIDs).Take(&p).Error
	return p, mapErr(err, "provider")
}

// ProvidersByID returns providers by id, whatever their team (names on screens).
func (s *Store) ProvidersByID(ctx context.Context, ids []string) (map[string]model.Provider, error) {
	out := map[string]model.Provider{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []model.Provider
	if err := s.q(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, mapErr(err, "providers by id")
	}
	for _, p := range rows {
		out[p.ID] = p
	}
	return out, nil
}

// SaveProviders inserts providers in one transaction: all or none.
func (s *Store) SaveProviders(ctx context.Context, ps []model.Provider) error {
	return s.Tx(ctx, func(tx *Store) error {
		for i := range ps {
			p := &ps[i]
			if p.ID == "" {
				p.ID = NewID()
			}
			p.SearchText = ProviderText(p.Name, p.Address, p.Municipality)
			if err := tx.q(ctx).Create(p).Error; err != nil {
				return mapErr(err, "save provider")
			}
		}
		return nil
	})
}

// UpdateProvider changes a provider of the team.
func (s *Store) UpdateProvider(ctx context.Context, p *model.Provider) error {
	p.SearchText = ProviderText(p.Name, p.Address, p.Municipality)
	p.UpdatedAt = s.Now()
	return mapErr(s.q(ctx).Save(p).Error, "update provider")
}

// CountProviders counts the directory (demo seeding checks it).
func (s *Store) CountProviders(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.Provider{}).Count(&n).Error
	return n, mapErr(err, "count providers")
}
