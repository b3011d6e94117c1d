package store

import (
	"context"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// CreateEmergencyAccess stores a break-the-glass grant.
func (s *Store) CreateEmergencyAccess(ctx context.Context, g *model.EmergencyAccess) error {
	if g.ID == "" {
		g.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(g).Error; err != nil {
			return mapErr(err, "create emergency access")
		}
		// The grant counts from the holder's very next request.
		return tx.authChanged(ctx, AuthChange{UserID: g.UserID})
	})
}

// LiveEmergencyAccess lists the grants of a user that have not expired at
// now, soonest to expire first (AuthState reads them for every request).
func (s *Store) LiveEmergencyAccess(ctx context.Context, userID string, now time.Time) ([]model.EmergencyAccess, error) {
	var out []model.EmergencyAccess
	err := s.q(ctx).Where("user_id = ? AND expires_at > ?", userID, now.UTC()).Order("expires_at, id").Limit(100).Find(&out).Error
	return out, mapErr(err, "emergency access")
}

// MarkEmergencyAccessReviewed records who reviewed a grant (the first
// review counts).
func (s *Store) MarkEmergencyAccessReviewed(ctx context.Context, id, by string) error {
	err := s.q(ctx).Model(&model.EmergencyAccess{}).Where("id = ? AND reviewed_at IS NULL", id).
		Updates(map[string]any{"reviewed_at": s.Now(), "reviewed_by": by}).Error
	return mapErr(err, "review emergency access")
}

// LookupMatch is all the narrow lookup discloses of a client: its id and
// its team.
type LookupMatch struct {
	ID       string
	TeamID   string
	TeamName string
}

// LookupClients finds live clients across the programme by exact phone
// number (E.164) or exact folded name and birth year. Both are exact on
// purpose: the lookup must not be a way to browse.
func (s *Store) LookupClients(ctx context.Context, phone, searchText string, birthYear *int) ([]LookupMatch, error) {
	q := s.q(ctx).Model(&model.Client{}).
		Select("CAST(clients.id AS text) AS id, CAST(clients.team_id AS text) AS team_id, teams.name AS team_name").
		Joins("JOIN teams ON teams.id = clients.team_id").
		Where("clients.merged_into_id IS NULL")
	switch {
	case phone != "":
		q = q.Where("clients.phone = ?", phone)
	case searchText != "" && birthYear != nil:
		q = q.Where("clients.search_text = ? AND clients.birth_year = ?", searchText, *birthYear)
	default:
		return nil, nil
	}
	var out []LookupMatch
	err := q.Order("clients.id").Limit(10).Scan(&out).Error
	return out, mapErr(err, "client lookup")
}

// CountActions counts the audit events of one action by one actor since a
// moment (the client lookup is bounded this way, across replicas).
func (s *Store) CountActions(ctx context.Context, actorID, action string, since time.Time) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.AuditEvent{}).Where("actor_id = ? AND action = ? AND created_at >= ?", actorID, action, since.UTC()).Count(&n).Error
	return n, mapErr(err, "count actions")
}

// LiveGrant is a live break-the-glass grant as the access register shows
// it: who, for which team's client, until when (not the reason, which may
// name the client).
type LiveGrant struct {
	UserID    string
	UserName  string
	UserEmail string
	TeamName  string
	GrantedAt time.Time
	ExpiresAt time.Time
}

// LiveGrants lists every grant alive at now, soonest to expire first.
func (s *Store) LiveGrants(ctx context.Context, now time.Time) ([]LiveGrant, error) {
	var out []LiveGrant
	err := s.q(ctx).Table("emergency_access").
		Select("CAST(users.id AS text) AS user_id, users.name AS user_name, users.email AS user_email, teams.name AS team_name, emergency_access.granted_at, emergency_access.expires_at").
		Joins("JOIN users ON users.id = emergency_access.user_id").
		Joins("JOIN clients ON clients.id = emergency_access.client_id").
		Joins("JOIN teams ON teams.id = clients.team_id").
		Where("emergency_access.expires_at > ?", now.UTC()).
		Order("emergency_access.expires_at, emergency_access.id").Limit(500).Scan(&out).Error
	return out, mapErr(err, "live grants")
}
