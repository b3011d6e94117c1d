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
	now := s.Now()
	if len(snap) == 1 && snap[0].Stamp == stamp && json.Unmarshal([]byte(snap[0].Body), dest) == nil {
		s.cache.snaps.hits.Add(1)
		// The worker keeps the snapshots asked for lately up to date; the
		// mark is written at most once an hour per snapshot.
		err := s.q(ctx).Exec("UPDATE report_snapshots SET asked_at = ? WHERE key = ? AND (asked_at IS NULL OR asked_at < ?)",
			now, key, now.Add(-time.Hour)).Error
		return mapErr(err, "mark report snapshot")
	}
	s.cache.snaps.misses.Add(1)
	if err := run(); err != nil {
		return err
	}
	// The worker computes grain statements again (RefreshStaleSnapshots);
	// a snapshot of any other shape is kept without its statement.
	again := q
	if _, ok := any(dest).(*[]grainRow); !ok {
		again = ""
	}
	return s.saveSnapshot(ctx, key, stamp, again, args, from, to, *dest, &now)
}

// saveSnapshot keeps a statement's rows with the stamp read before they
// were computed, and what the worker needs to compute them again.
// asked is when a reader asked for it (nil: the worker computed it, and
// the last reader's time stays).
func (s *Store) saveSnapshot(ctx context.Context, key, stamp, q string, args []any, from, to time.Time, rows any, asked *time.Time) error {
	body, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	typed, err := encodeArgs(args)
	if err != nil || q == "" {
		q, typed = "", "" // kept, but never computed again by the worker
	}
	err = s.q(ctx).Exec(`INSERT INTO report_snapshots (key, stamp, body, computed_at, statement, args, period_from, period_to, asked_at)
	      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	      ON CONFLICT (key) DO UPDATE SET stamp = excluded.stamp, body = excluded.body, computed_at = excluded.computed_at,
	        statement = excluded.statement, args = excluded.args, period_from = excluded.period_from,
	        period_to = excluded.period_to, asked_at = COALESCE(excluded.asked_at, report_snapshots.asked_at)`,
		key, stamp, string(body), s.Now(), q, typed, from.UTC(), to.UTC(), asked).Error
	return mapErr(err, "save report snapshot")
}

// typedArg is a statement argument as the snapshot keeps it: report
// statements take times, strings and lists of strings (ids).
type typedArg struct {
	Time *time.Time `json:"t,omitempty"`
	Str  *string    `json:"s,omitempty"`
	Strs []string   `json:"l,omitempty"`
}

func encodeArgs(args []any) (string, error) {
	out := make([]typedArg, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			out[i].Time = &v
		case string:
			out[i].Str = &v
		case []string:
			if len(v) == 0 {
				return "", fmt.Errorf("snapshot argument %d: an empty list", i)
			}
			out[i].Strs = v
		default:
			return "", fmt.Errorf("snapshot argument %d: %T", i, a)
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeArgs(raw string) ([]any, error) {
	var in []typedArg
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, err
	}
	out := make([]any, len(in))
	for i, a := range in {
		switch {
		case a.Time != nil:
			out[i] = a.Time.UTC()
		case a.Str != nil:
			out[i] = *a.Str
		case a.Strs != nil:
			out[i] = a.Strs
		default:
			return nil, fmt.Errorf("snapshot argument %d: empty", i)
		}
	}
	return out, nil
}

// RefreshStaleSnapshots computes again, ahead of the next reader, the
// snapshots asked for since askedSince whose rows changed (a back-dated
// visit, a late answer), at most limit of them, each inside enter (the
// report gate, so the worker never takes more than its share of report
// computations). It returns how many it computed. Several replicas may run
// it at once: each computation stores the rows with the stamp read before
// them, as a reader's would, so the result is the same whoever wins.
func (s *Store) RefreshStaleSnapshots(ctx context.Context, askedSince time.Time, limit int, enter func(context.Context) (func(), error)) (int, error) {
	if s.cache.snapsOff.Load() {
		return 0, nil
	}
	var snaps []struct {
		Key, Stamp, Statement, Args string
		PeriodFrom, PeriodTo        time.Time
	}
	err := s.q(ctx).Raw(`SELECT key, stamp, statement, args, period_from, period_to FROM report_snapshots
	      WHERE asked_at >= ? AND statement <> '' ORDER BY asked_at DESC`, askedSince).Scan(&snaps).Error
	if err != nil {
		return 0, mapErr(err, "stale report snapshots")
	}
	done := 0
	for _, sn := range snaps {
		if done >= limit || ctx.Err() != nil {
			break
		}
		deps, ok := snapshotDeps(sn.Statement)
		args, err := decodeArgs(sn.Args)
		if !ok || err != nil {
			continue
		}
		stamp, err := s.changeStamp(ctx, deps, stampMonths(sn.PeriodFrom, sn.PeriodTo))
		if err != nil {
			return done, err
		}
		if stamp == sn.Stamp {
			continue
		}
		leave, err := enter(ctx)
		if err != nil {
			return done, err
		}
		var rows []grainRow
		err = s.reportQuery(ctx, sn.Statement, args, &rows)
		if err == nil {
			err = s.saveSnapshot(ctx, sn.Key, stamp, sn.Statement, args, sn.PeriodFrom, sn.PeriodTo, rows, nil)
		}
		leave()
		if err != nil {
			return done, mapErr(err, "refresh report snapshot")
		}
		done++
	}
	return done, nil
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
