package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// ResearchClient is an eligible client of a research extract: only the
// fields the extract may use, never a name, contact or free text.
type ResearchClient struct {
	ID                 string
	TeamID             string
	BirthYear          *int
	Language           string
	CareRights         string // JSON array
	Source             string
	Status             string
	MunicipalityName   string // of the client's neighbourhood; "" without one
	TeamMunicipalities int    // how many municipalities the client's team covers
	TeamMunicipality   string // the team's municipality when it covers exactly one
	RegionCode         string
}

// ResearchActivity is one row of work of an eligible client, reduced to
// the codes the extract counts.
type ResearchActivity struct {
	ClientID string
	Kind     string // visit, barrier, referral, appointment, group_session
	Code     string // visit mode, barrier category, provider type
	Status   string
	Missions string // visits: JSON array
	At       time.Time
}

// researchEligible selects the clients with a live research consent that
// are records of their own (not merged tombstones). It is read at the
// moment of the extract, so a withdrawal counts at once.
const researchEligible = `SELECT c.id FROM clients c
	WHERE c.merged_into_id IS NULL
	  AND EXISTS (SELECT 1 FROM consents k WHERE k.client_id = c.id AND k.purpose = 'research' AND k.withdrawn_at IS NULL)`

// ResearchPopulation returns the eligible clients and their work, in one
// read transaction so both halves see the same consents.
func (s *Store) ResearchPopulation(ctx context.Context) ([]ResearchClient, []ResearchActivity, error) {
	var clients []ResearchClient
	var acts []ResearchActivity
	err := s.Tx(ctx, func(tx *Store) error {
		err := tx.q(ctx).Raw(`SELECT CAST(c.id AS text) AS id, CAST(c.team_id AS text) AS team_id, c.birth_year, c.language,
		        c.care_rights, c.source, c.status, COALESCE(mu.name, '') AS municipality_name,
		        (SELECT COUNT(*) FROM municipalities m2 WHERE m2.team_id = c.team_id) AS team_municipalities,
		        COALESCE((SELECT MIN(m3.name) FROM municipalities m3 WHERE m3.team_id = c.team_id), '') AS team_municipality,
		        COALESCE(r.code, '') AS region_code
		   FROM clients c
		   LEFT JOIN neighbourhoods nb ON nb.id = c.neighbourhood_id
		   LEFT JOIN municipalities mu ON mu.id = nb.municipality_id
		   LEFT JOIN teams t ON t.id = c.team_id
		   LEFT JOIN regions r ON r.id = t.region_id
		  WHERE c.id IN (` + researchEligible + `)
		  ORDER BY c.id`).Scan(&clients).Error
		if err != nil {
			return mapErr(err, "research clients")
		}
		err = tx.q(ctx).Raw(`SELECT CAST(client_id AS text) AS client_id, 'visit' AS kind, mode AS code, '' AS status, missions, visited_at AS at
		   FROM visits WHERE client_id IN (` + researchEligible + `)
		 UNION ALL
		 SELECT CAST(client_id AS text), 'barrier', category, status, '[]', detected_at FROM barriers WHERE client_id IN (` + researchEligible + `)
		 UNION ALL
		 SELECT CAST(client_id AS text), 'referral', provider_type, status, '[]', created_at FROM referrals WHERE client_id IN (` + researchEligible + `)
		 UNION ALL
		 SELECT CAST(client_id AS text), 'appointment', '', status, '[]', starts_at FROM appointments WHERE client_id IN (` + researchEligible + `)
		 UNION ALL
		 SELECT CAST(client_id AS text), 'group_session', '', '', '[]', created_at FROM client_events
		  WHERE kind = 'group_session' AND client_id IN (` + researchEligible + `)`).Scan(&acts).Error
		return mapErr(err, "research activity")
	})
	return clients, acts, err
}

// CreateResearchExtract records an extract's metadata.
func (s *Store) CreateResearchExtract(ctx context.Context, e *model.ResearchExtract) error {
	if e.ID == "" {
		e.ID = NewID()
	}
	if e.RequestedAt.IsZero() {
		e.RequestedAt = s.Now()
	}
	return mapErr(s.q(ctx).Create(e).Error, "create research extract")
}

// ListResearchExtracts lists past extracts, newest first.
func (s *Store) ListResearchExtracts(ctx context.Context, limit int) ([]model.ResearchExtract, error) {
	var out []model.ResearchExtract
	err := s.q(ctx).Order("requested_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, mapErr(err, "research extracts")
}
