package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgxQuery runs a read on PostgreSQL through pgx itself, on a connection
// of the same pool, and hands each row to scan: pgx decodes the columns
// straight into the destinations, without database/sql's driver.Value
// for every column and its conversion copy (a third of the caseload
// list's CPU went there, issue 18). q is written as for GORM (? per
// argument, a slice argument for IN ?). It answers false when it cannot
// run the read so (SQLite, a transaction in the context): the caller
// then uses GORM.
func (s *Store) pgxQuery(ctx context.Context, q string, args []any, scan func(pgx.Rows) error) (bool, error) {
	sqlDB := s.directPool(ctx)
	if sqlDB == nil || !s.isPG() {
		return false, nil
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return true, err
	}
	defer conn.Close()
	q, args = positional(q, args, true)
	return true, conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return errNotPgx
		}
		rows, err := c.Conn().Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// directRows runs a read on the read pool through database/sql alone
// (SQLite), without GORM building the statement (an eighth of SQLite's
// caseload list went to GORM's clause and placeholder work). It answers
// nil rows when a transaction is in the context: the caller then uses
// GORM, on the transaction.
func (s *Store) directRows(ctx context.Context, q string, args []any) (*sql.Rows, error) {
	sqlDB := s.directPool(ctx)
	if sqlDB == nil {
		return nil, nil
	}
	q, args = positional(q, args, false)
	return sqlDB.QueryContext(ctx, q, args...)
}

// directPool is the pool qr reads from, as a *sql.DB, or nil inside a
// transaction (a Tx, a request's transaction), where reads must stay on
// the transaction and see its writes.
func (s *Store) directPool(ctx context.Context) *sql.DB {
	if s.bound || ctx.Value(requestTxKey{}) != nil {
		return nil
	}
	pool := s.db
	if s.read != nil {
		pool = s.read
	}
	sqlDB, _ := pool.Statement.ConnPool.(*sql.DB)
	return sqlDB
}

var errNotPgx = errors.New("store: the PostgreSQL pool is not pgx")

// positional rewrites GORM's placeholders as PostgreSQL's (dollar): each
// ? outside a quoted literal becomes $n, and a slice argument ($n,
// $n+1, …), as GORM expands IN ?; without dollar, ? stays and a slice
// becomes (?,?,…).
func positional(q string, args []any, dollar bool) (string, []any) {
	var b strings.Builder
	b.Grow(len(q) + 16)
	out := make([]any, 0, len(args)+4)
	next, quoted := 0, false
	param := func(v any) {
		out = append(out, v)
		if !dollar {
			b.WriteByte('?')
			return
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(len(out)))
	}
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case ch == '\'':
			quoted = !quoted
		case ch == '?' && !quoted && next < len(args):
			v := args[next]
			next++
			if list, ok := v.([]string); ok {
				b.WriteByte('(')
				if len(list) == 0 {
					b.WriteString("NULL")
				}
				for j, item := range list {
					if j > 0 {
						b.WriteByte(',')
					}
					param(item)
				}
				b.WriteByte(')')
				continue
			}
			param(v)
			continue
		}
		b.WriteByte(ch)
	}
	return b.String(), out
}
