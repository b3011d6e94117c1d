package store

import (
	"context"
	"fmt"
)

// InsertBatches inserts a slice of rows (a pointer to a []model.X) in
// batches of size, in the store's transaction when it is bound to one. It
// bypasses the per-row stamping of the Create functions, so a caller that
// loads work rows in bulk (the demo seeder, imports) sets team_id and
// fund_id itself.
func (s *Store) InsertBatches(ctx context.Context, rows any, size int) error {
	return mapErr(s.q(ctx).CreateInBatches(rows, size).Error, fmt.Sprintf("insert %T", rows))
}

// CountRows counts the rows of a model matching a condition ("" for all).
func (s *Store) CountRows(ctx context.Context, table any, where string, args ...any) (int64, error) {
	var n int64
	q := s.q(ctx).Model(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	err := q.Count(&n).Error
	return n, mapErr(err, fmt.Sprintf("count %T", table))
}
