package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
)

// SyncReference loads funds, regions, teams, municipalities, neighbourhoods
// and taxonomy terms from the embedded files. It is idempotent: rows are
// matched on their natural key, updated when a label changed, never duplicated.
// Nothing is deleted, because users and clients may point at old rows.
func (s *Store) SyncReference(ctx context.Context, d *reference.Data) error {
	return s.Tx(ctx, func(tx *Store) error {
		for _, f := range d.Funds {
			row := model.Fund{Code: f.Code, Name: f.Name}
			if err := tx.upsert(ctx, &row, "code = ?", []any{f.Code}, map[string]any{"name": f.Name}); err != nil {
				return err
			}
		}
		for _, r := range d.Areas.Regions {
			region := model.Region{Code: r.Code, NameNL: r.Names.NL, NameFR: r.Names.FR, NameDE: r.Names.DE, NameEN: r.Names.EN}
			if err := tx.upsert(ctx, &region, "code = ?", []any{r.Code}, map[string]any{
				"name_nl": r.Names.NL, "name_fr": r.Names.FR, "name_de": r.Names.DE, "name_en": r.Names.EN,
			}); err != nil {
				return err
			}
			for _, t := range r.Teams {
				var outreach *string
				if t.Outreach != "" {
					o := t.Outreach
					outreach = &o
				}
				team := model.Team{Slug: t.Slug(), Name: t.Name, RegionID: region.ID, Outreach: outreach}
				if err := tx.upsert(ctx, &team, "slug = ?", []any{team.Slug}, map[string]any{
					"name": t.Name, "region_id": region.ID, "outreach": outreach,
				}); err != nil {
					return err
				}
				for _, m := range t.Municipalities {
					mun := model.Municipality{TeamID: team.ID, Name: m.Name}
					if err := tx.upsert(ctx, &mun, "team_id = ? AND name = ?", []any{team.ID, m.Name}, nil); err != nil {
						return err
					}
					for _, n := range m.Neighbourhoods {
						nb := model.Neighbourhood{MunicipalityID: mun.ID, Name: n}
						if err := tx.upsert(ctx, &nb, "municipality_id = ? AND name = ?", []any{mun.ID, n}, nil); err != nil {
							return err
						}
					}
				}
			}
		}
		for kind, terms := range d.Taxonomy.Kinds() {
			for i, t := range terms {
				row := model.TaxonomyTerm{Kind: kind, Code: t.Code, LabelNL: t.Labels.NL, LabelFR: t.Labels.FR,
					LabelDE: t.Labels.DE, LabelEN: t.Labels.EN, Position: i}
				if err := tx.upsert(ctx, &row, "kind = ? AND code = ?", []any{kind, t.Code}, map[string]any{
					"label_nl": t.Labels.NL, "label_fr": t.Labels.FR, "label_de": t.Labels.DE, "label_en": t.Labels.EN, "position": i,
				}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// upsert finds the row by its natural key; it inserts it with a new id when
// absent, or applies changes when present. dst receives the stored id.
func (s *Store) upsert(ctx context.Context, dst any, where string, args []any, changes map[string]any) error {
	err := s.q(ctx).Where(where, args...).Take(dst).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		setID(dst, NewID())
		return mapErr(s.q(ctx).Create(dst).Error, fmt.Sprintf("insert %T", dst))
	case err != nil:
		return mapErr(err, fmt.Sprintf("find %T", dst))
	}
	if len(changes) > 0 {
		return mapErr(s.q(ctx).Model(dst).Updates(changes).Error, fmt.Sprintf("update %T", dst))
	}
	return nil
}

func setID(dst any, id string) {
	switch v := dst.(type) {
	case *model.Fund:
		v.ID = id
	case *model.Region:
		v.ID = id
	case *model.Team:
		v.ID = id
	case *model.Municipality:
		v.ID = id
	case *model.Neighbourhood:
		v.ID = id
	case *model.TaxonomyTerm:
		v.ID = id
	default:
		panic(fmt.Sprintf("setID: %T", dst))
	}
}

// TeamTree is a team with its region and areas.
type TeamTree struct {
	Team           model.Team
	Region         model.Region
	Municipalities []MunicipalityTree
}

// MunicipalityTree is a municipality with its neighbourhoods.
type MunicipalityTree struct {
	Municipality   model.Municipality
	Neighbourhoods []model.Neighbourhood
}

// Teams returns every team with its areas, ordered by region and name.
func (s *Store) Teams(ctx context.Context) ([]TeamTree, error) {
	var (
		regions []model.Region
		teams   []model.Team
		muns    []model.Municipality
		nbs     []model.Neighbourhood
	)
	db := s.q(ctx)
	if err := db.Order("code").Find(&regions).Error; err != nil {
		return nil, mapErr(err, "list regions")
	}
	if err := db.Order("name").Find(&teams).Error; err != nil {
		return nil, mapErr(err, "list teams")
	}
	if err := db.Order("name").Find(&muns).Error; err != nil {
		return nil, mapErr(err, "list municipalities")
	}
	if err := db.Order("name").Find(&nbs).Error; err != nil {
		return nil, mapErr(err, "list neighbourhoods")
	}
	regionByID := map[string]model.Region{}
	for _, r := range regions {
		regionByID[r.ID] = r
	}
	nbByMun := map[string][]model.Neighbourhood{}
	for _, n := range nbs {
		nbByMun[n.MunicipalityID] = append(nbByMun[n.MunicipalityID], n)
	}
	munByTeam := map[string][]MunicipalityTree{}
	for _, m := range muns {
		munByTeam[m.TeamID] = append(munByTeam[m.TeamID], MunicipalityTree{Municipality: m, Neighbourhoods: nbByMun[m.ID]})
	}
	out := make([]TeamTree, 0, len(teams))
	for _, t := range teams {
		out = append(out, TeamTree{Team: t, Region: regionByID[t.RegionID], Municipalities: munByTeam[t.ID]})
	}
	return out, nil
}

// TeamsByID returns the named teams that exist.
func (s *Store) TeamsByID(ctx context.Context, ids []string) ([]model.Team, error) {
	var teams []model.Team
	if len(ids) == 0 {
		return teams, nil
	}
	err := s.q(ctx).Where("id IN ?", ids).Order("name").Find(&teams).Error
	return teams, mapErr(err, "teams by id")
}

// TeamBySlug finds a team by its slug.
func (s *Store) TeamBySlug(ctx context.Context, slug string) (model.Team, error) {
	var t model.Team
	err := s.q(ctx).Where("slug = ?", slug).Take(&t).Error
	return t, mapErr(err, "team "+slug)
}

// Funds lists the funds.
func (s *Store) Funds(ctx context.Context) ([]model.Fund, error) {
	var f []model.Fund
	err := s.q(ctx).Order("name").Find(&f).Error
	return f, mapErr(err, "list funds")
}

// FundByID returns one fund.
func (s *Store) FundByID(ctx context.Context, id string) (model.Fund, error) {
	var f model.Fund
	err := s.q(ctx).Where("id = ?", id).Take(&f).Error
	return f, mapErr(err, "fund "+id)
}

// FundByCode returns one fund.
func (s *Store) FundByCode(ctx context.Context, code string) (model.Fund, error) {
	var f model.Fund
	err := s.q(ctx).Where("code = ?", code).Take(&f).Error
	return f, mapErr(err, "fund "+code)
}

// TaxonomyTerms returns every term ordered by kind and position.
func (s *Store) TaxonomyTerms(ctx context.Context) ([]model.TaxonomyTerm, error) {
	var t []model.TaxonomyTerm
	err := s.q(ctx).Order("kind, position").Find(&t).Error
	return t, mapErr(err, "list taxonomy")
}

// CountNeighbourhoods counts stored neighbourhoods (used by checks and tests).
func (s *Store) CountNeighbourhoods(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.Neighbourhood{}).Count(&n).Error
	return n, mapErr(err, "count neighbourhoods")
}

// Regions lists the regions in their reference order.
func (s *Store) Regions(ctx context.Context) ([]model.Region, error) {
	var rs []model.Region
	err := s.q(ctx).Order("code").Find(&rs).Error
	return rs, mapErr(err, "regions")
}
