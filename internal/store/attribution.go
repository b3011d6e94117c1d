package store

import (
	"context"
	"fmt"
)

// attribution is the team and fund a piece of work counts under: the
// client's team and the author's fund at the moment the row is written.
// Rows keep them, so reports never re-attribute past work after a
// transfer, a team move or a fund change.
type attribution struct {
	TeamID *string
	FundID *string
}

// attributionOf reads the attribution of work on a client by an author.
func (s *Store) attributionOf(ctx context.Context, clientID, authorID string) (attribution, error) {
	var a attribution
	err := s.q(ctx).Raw(`SELECT CAST(c.team_id AS text) AS team_id, (SELECT CAST(u.fund_id AS text) FROM users u WHERE u.id = ?) AS fund_id
	                      FROM clients c WHERE c.id = ?`, authorID, clientID).Scan(&a).Error
	if err != nil {
		return a, mapErr(err, fmt.Sprintf("attribution of client %s", clientID))
	}
	return a, nil
}

// stamp fills a row's team and fund when the caller has not (bulk loads
// and tests may set them themselves).
func (s *Store) stamp(ctx context.Context, teamID, fundID **string, clientID, authorID string) error {
	if *teamID != nil {
		return nil
	}
	a, err := s.attributionOf(ctx, clientID, authorID)
	if err != nil {
		return err
	}
	*teamID, *fundID = a.TeamID, a.FundID
	return nil
}
