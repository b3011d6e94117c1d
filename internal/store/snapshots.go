package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Report snapshots.
//
// A closed period's report aggregates are computed once and kept in
// report_snapshots, keyed by a hash of the statement and its arguments,
// with the stamp of the rows they were computed from. The stamp is read
// from report_changes, to which triggers on every counted table add a
// row (table, UTC month of the row's time) with each insert, update and
// delete, in the writing transaction (migration 00009). A snapshot is
// served only while the stamp of its tables and months is unchanged: a
// back-dated visit, a deletion, a client moving neighbourhood or a
// referral answered months later changes the stamp, and the next reader
// computes from the rows again. A shown number is therefore always what
// the rows say; the snapshot only saves recomputing it.
//
// The stamp is read before the rows are: a write committed before the
// stamp is in the rows, and one committed after changes the stamp, so
// the stored aggregates are never newer-stamped than their rows.

// snapshotTables are the tables report statements may read, and the
// table whose changes stand for them (facilitators change under their
// session). Reference tables (teams and places) are loaded at start and
// do not change while the process runs (see refCache).
var snapshotTables = map[string]string{
	"visits": "visits", "clients": "clients", "client_events": "client_events", "referrals": "referrals",
	"appointments": "appointments", "reminders": "reminders", "group_sessions": "group_sessions",
	"group_session_facilitators": "group_sessions", "barriers": "barriers",
	"teams": "", "neighbourhoods": "", "municipalities": "",
	"d": "", // the statement's own derived table
}

var tableRef = regexp.MustCompile(`(?i)\b(?:FROM|JOIN)\s+(?:LATERAL\s+)?([a-z_][a-z0-9_]*)\s*(\()?`)

// snapshotDeps are the tables whose changes a statement depends on; false
// when it reads a table no trigger watches (it is then never snapshotted).
func snapshotDeps(q string) ([]string, bool) {
	seen := map[string]bool{}
	for _, m := range tableRef.FindAllStringSubmatch(q, -1) {
		if m[2] != "" { // a function: json_each(…), jsonb_array_elements_text(…)
			continue
		}
		dep, ok := snapshotTables[strings.ToLower(m[1])]
		if !ok {
			return nil, false
		}
		if dep != "" {
			seen[dep] = true
		}
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out, len(out) > 0
}

// stampMonths are the UTC months a period touches, and "*" (changes that
// concern every month: a client moving neighbourhood).
func stampMonths(from, to time.Time) []string {
	out := []string{"*"}
	last := to.UTC().Add(-time.Nanosecond)
	for m := time.Date(from.UTC().Year(), from.UTC().Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// snapshotStats count how often a snapshot was served and computed.
type snapshotStats struct{ hits, misses atomic.Int64 }

// ReportSnapshotStats is how many report statements were served from a
// snapshot and how many were computed from the rows, since start.
func (s *Store) ReportSnapshotStats() (hits, misses int64) {
	return s.cache.snaps.hits.Load(), s.cache.snaps.misses.Load()
}

// SetReportSnapshots turns snapshots on or off (tests compare the two).
func (s *Store) SetReportSnapshots(on bool) { s.cache.snapsOff.Store(!on) }

// snapshotted runs a report statement into dest, or serves it from its
// snapshot when the period is closed and nothing it counts has changed.
func snapshotted[T any](ctx context.Context, s *Store, q string, args []any, from, to time.Time, dest *[]T, run func() error) error {
	if s.cache.snapsOff.Load() || to.After(s.Now()) {
		return run()
	}
	deps, ok := snapshotDeps(q)
	if !ok {
		return run()
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%v", q, args))
	key := hex.EncodeToString(sum[:])
	stamp, err := s.changeStamp(ctx, deps, stampMonths(from, to))
	if err != nil {
		return err
	}
	var snap []struct{ Stamp, Body string }
	if err := s.q(ctx).Raw("SELECT stamp, body FROM report_snapshots WHERE key = ?", key).Scan(&snap).Error; err != nil {
		return mapErr(err, "report snapshot")
	}
	if len(snap) == 1 && snap[0].Stamp == stamp && json.Unmarshal([]byte(snap[0].Body), dest) == nil {
		s.cache.snaps.hits.Add(1)
		return nil
	}
	s.cache.snaps.misses.Add(1)
	if err := run(); err != nil {
		return err
	}
	body, err := json.Marshal(*dest)
	if err != nil {
		return err
	}
	err = s.q(ctx).Exec(`INSERT INTO report_snapshots (key, stamp, body, computed_at) VALUES (?, ?, ?, ?)
	      ON CONFLICT (key) DO UPDATE SET stamp = excluded.stamp, body = excluded.body, computed_at = excluded.computed_at`,
		key, stamp, string(body), s.Now()).Error
	return mapErr(err, "save report snapshot")
}

// changeStamp sums the changes of tables in months: any write a report
// could count adds to one of these sums.
func (s *Store) changeStamp(ctx context.Context, tables, months []string) (string, error) {
	var rows []struct {
		Tbl, Month string
		N          int64
	}
	err := s.q(ctx).Raw(`SELECT tbl, month, SUM(weight) AS n FROM report_changes WHERE tbl IN ? AND month IN ?
	      GROUP BY tbl, month ORDER BY tbl, month`, tables, months).Scan(&rows).Error
	if err != nil {
		return "", mapErr(err, "report change stamp")
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s/%s=%d;", r.Tbl, r.Month, r.N)
	}
	return b.String(), nil
}

// CompactReportChanges folds the change rows of each table and month into
// one row carrying their summed weight, so stamps stay cheap to read; the
// sums, and so every stamp, stay the same. Snapshots not computed for
// keep are removed. Housekeeping runs it.
func (s *Store) CompactReportChanges(ctx context.Context, keep time.Duration) (int64, error) {
	var folded int64
	if s.isPG() {
		// One statement: rows a writer adds meanwhile are not seen by the
		// DELETE and stay as they are.
		res := s.q(ctx).Exec(`WITH gone AS (DELETE FROM report_changes RETURNING tbl, month, weight)
		      INSERT INTO report_changes (tbl, month, weight) SELECT tbl, month, SUM(weight) FROM gone GROUP BY tbl, month`)
		if res.Error != nil {
			return 0, mapErr(res.Error, "compact report changes")
		}
		folded = res.RowsAffected
	} else {
		// SQLite has one writer: the transaction sees every row.
		err := s.Tx(ctx, func(tx *Store) error {
			if err := tx.q(ctx).Exec(`CREATE TEMP TABLE IF NOT EXISTS report_changes_fold AS SELECT tbl, month, weight FROM report_changes WHERE 0`).Error; err != nil {
				return err
			}
			for _, q := range []string{
				`DELETE FROM temp.report_changes_fold`,
				`INSERT INTO temp.report_changes_fold SELECT tbl, month, SUM(weight) FROM report_changes GROUP BY tbl, month`,
				`DELETE FROM report_changes`,
				`INSERT INTO report_changes (tbl, month, weight) SELECT tbl, month, weight FROM temp.report_changes_fold`,
			} {
				res := tx.q(ctx).Exec(q)
				if res.Error != nil {
					return res.Error
				}
				folded = res.RowsAffected
			}
			return nil
		})
		if err != nil {
			return 0, mapErr(err, "compact report changes")
		}
	}
	if err := s.q(ctx).Exec("DELETE FROM report_snapshots WHERE computed_at < ?", s.Now().Add(-keep)).Error; err != nil {
		return 0, mapErr(err, "remove old report snapshots")
	}
	return folded, nil
}
