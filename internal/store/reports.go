package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"gorm.io/gorm"
)

// ReportScope is whose work a report counts. Work is counted under who did
// it and the team and fund recorded on the row when it was done, never
// under the client's CHW of today.
type ReportScope struct {
	CHWID   string   // work done by one CHW
	TeamIDs []string // work done for these teams
	FundID  string   // work done by CHWs of this fund (at the time)
	All     bool     // the whole programme
}

// GroupCount is one aggregate: a group, a category, how many, and how many
// distinct people.
type GroupCount struct {
	Group    string
	Category string
	Value    int64
	Persons  int64
}

// Fact describes what a report table counts: rows of a table aliased f,
// placed in the period by TimeCol, falling in Category, optionally
// filtered by Where. Team, Fund and Author name the columns that carry
// the row's attribution (defaults f.team_id, f.fund_id, f.created_by);
// Client the column naming the client (default f.client_id), used for
// distinct people and for the client's neighbourhood.
type Fact struct {
	From     string
	TimeCol  string
	Category string
	Where    string
	Person   string
	Team     string
	Fund     string
	Author   string
	Client   string
	// People counts distinct people rather than rows (clients reached).
	People bool
	// Expand counts a row once under each element of a JSON array column
	// (a visit's missions or topics); Category is then the element.
	Expand string
	// ExpandCodes, when the elements come from a known list (missions),
	// matches them as text instead of parsing the JSON: several times
	// faster on PostgreSQL, and the same count.
	ExpandCodes []string
	// Sum adds up this column instead of counting rows (participants of
	// group sessions).
	Sum string
	// Authors, when a row has several authors (the facilitators of a group
	// session), is the SQL subquery of their ids; a CHW's scope then keeps
	// the rows they are one of.
	Authors string
	// Neighbourhood is the row's own neighbourhood column, for rows not
	// about one client (group sessions).
	Neighbourhood string
	// AuthorsJoin and AuthorsCol, with Authors, join a row to each of its
	// authors, for counting work per CHW (GroupCHW): a session counts for
	// each of its facilitators.
	AuthorsJoin, AuthorsCol string
}

func (f Fact) col(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// BarrierFact is the fact of barriers placed in time by one of their
// timestamps (detected_at, resolved_at, signalled_at).
func BarrierFact(timeCol string) Fact {
	return Fact{From: "barriers f", TimeCol: "f." + timeCol, Category: "f.category"}
}

// Periods are the time dimensions, cut in Europe/Brussels.
var Periods = []string{"day", "week", "month", "quarter", "year"}

// Brussels is the time zone of the programme's periods.
var Brussels = mustZone("Europe/Brussels")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// localTime is the SQL of a UTC timestamp column as Brussels wall time.
// PostgreSQL has the zone database; for SQLite the summer-time intervals
// of the years around the period come from Go's, as a CASE.
func (s *Store) localTime(col string, from, to time.Time) string {
	if s.isPG() {
		return "(" + col + " AT TIME ZONE 'Europe/Brussels')"
	}
	t := "substr(" + col + ", 1, 19)"
	var b strings.Builder
	b.WriteString("datetime(" + t + ", CASE")
	for y := from.Year() - 1; y <= to.Year()+1; y++ {
		start, end := summerTime(y)
		fmt.Fprintf(&b, " WHEN %s >= '%s' AND %s < '%s' THEN '+%d seconds'", t, start.UTC().Format(time.DateTime), t, end.UTC().Format(time.DateTime), offset(start))
	}
	fmt.Fprintf(&b, " ELSE '+%d seconds' END)", offset(time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)))
	return b.String()
}

func offset(t time.Time) int {
	_, off := t.In(Brussels).Zone()
	return off
}

// summerTime finds the instants a year's summer time begins and ends in
// Brussels, by the hour.
func summerTime(year int) (time.Time, time.Time) {
	find := func(from time.Time) time.Time {
		base := offset(from)
		for h := 0; h < 24*366; h++ {
			at := from.Add(time.Duration(h) * time.Hour)
			if offset(at) != base {
				return at
			}
		}
		return from
	}
	start := find(time.Date(year, 3, 1, 0, 0, 0, 0, time.UTC))
	end := find(start)
	return start, end
}

// periodExpr is the SQL of a period key (2026-05-31, 2026-W22, 2026-05,
// 2026-Q2, 2026) of a timestamp, in Brussels.
func (s *Store) periodExpr(period, col string, from, to time.Time) string {
	lt := s.localTime(col, from, to)
	if s.isPG() {
		f := map[string]string{"day": "YYYY-MM-DD", "week": `IYYY-"W"IW`, "month": "YYYY-MM", "quarter": `YYYY-"Q"Q`, "year": "YYYY"}[period]
		return "to_char(" + lt + ", '" + f + "')"
	}
	switch period {
	case "quarter":
		return "(strftime('%Y', " + lt + ") || '-Q' || ((CAST(strftime('%m', " + lt + ") AS integer) + 2) / 3))"
	}
	// ISO 8601 weeks: SQLite 3.46+ has %G and %V.
	f := map[string]string{"day": "%Y-%m-%d", "week": "%G-W%V", "month": "%Y-%m", "year": "%Y"}[period]
	return "strftime('" + f + "', " + lt + ")"
}

// reportWorkMem is the memory a report statement may sort in on
// PostgreSQL: a month of programme visits sorts in about 6 MB, which the
// default 4 MB sends to disk at twice the time. At most
// BRUG_REPORT_CONCURRENCY reports × ReportParallelism statements use it
// at once.
const reportWorkMem = "64MB"

// reportQuery runs a report statement into dest, on PostgreSQL with
// reportWorkMem for its sorts and without JIT compilation.
func (s *Store) reportQuery(ctx context.Context, q string, args []any, dest any) error {
	if !s.isPG() {
		return s.qr(ctx).Raw(q, args...).Scan(dest).Error
	}
	return s.q(ctx).Transaction(func(tx *gorm.DB) error {
		// No JIT: a report statement's estimate (a JSON array expanded per
		// visit is guessed at 100 elements) crosses the JIT thresholds, and
		// compiling then took about a second per statement against a few
		// hundred milliseconds of work on 1M visits.
		if err := tx.Exec("SELECT set_config('work_mem', ?, true), set_config('jit', 'off', true)", reportWorkMem).Error; err != nil {
			return err
		}
		return tx.Raw(q, args...).Scan(dest).Error
	})
}

func (s *Store) isPG() bool { return s.db.Dialector.Name() == "postgres" }

// ReportParallelism is how many report statements are worth running at
// once: SQLite has one connection, PostgreSQL a pool.
func (s *Store) ReportParallelism() int {
	if s.isPG() {
		return 4
	}
	return 1
}

// teamPlaces are, for teams that name no neighbourhoods (they work
// through outreach places), their single municipality: such a team's
// clients group under it instead of under "no neighbourhood".
type teamPlace struct{ MunicipalityID, Name string }

func (s *Store) teamPlaces(ctx context.Context) (map[string]teamPlace, error) {
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	if s.cache.places != nil {
		return s.cache.places, nil
	}
	var rows []struct {
		TeamID, ID, Name string
		N                int
	}
	err := s.q(ctx).Raw(`SELECT CAST(m.team_id AS text) AS team_id, CAST(m.id AS text) AS id, m.name,
	       (SELECT COUNT(*) FROM municipalities m2 WHERE m2.team_id = m.team_id) AS n
	       FROM municipalities m ORDER BY m.name`).Scan(&rows).Error
	if err != nil {
		return nil, mapErr(err, "team places")
	}
	out := map[string]teamPlace{}
	for _, r := range rows {
		if r.N == 1 {
			out[r.TeamID] = teamPlace{MunicipalityID: r.ID, Name: r.Name}
		}
	}
	if len(out) > 0 {
		s.cache.places = out
	}
	return out, nil
}

// teamCase maps a team column to a value per team with one municipality.
func teamCase(teamCol string, places map[string]teamPlace, val func(teamPlace) string) string {
	if len(places) == 0 {
		return "''"
	}
	ids := make([]string, 0, len(places))
	for id := range places {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	b.WriteString("CASE CAST(" + teamCol + " AS text)")
	for _, id := range ids {
		b.WriteString(" WHEN '" + id + "' THEN '" + strings.ReplaceAll(val(places[id]), "'", "''") + "'")
	}
	b.WriteString(" ELSE '' END")
	return b.String()
}

// GroupRegion groups work by the region of its team (the policy signal);
// it is not offered as a report's group_by.
const GroupRegion = "region"

// GroupCHW groups work by the CHW who did it (the coaching view and
// targets); it is not offered as a report's group_by.
const GroupCHW = "chw"

// MunicipalityKey prefixes the key of a municipality standing in for the
// neighbourhood of a team that names none.
const MunicipalityKey = "m:"

// groupExpr is the SQL of a report dimension for a fact, and the joins it
// needs (the client aliased c, their neighbourhood nb and municipality mu).
func (s *Store) groupExpr(ctx context.Context, groupBy string, f Fact, from, to time.Time) (string, string, error) {
	team, fund := f.col(f.Team, "f.team_id"), f.col(f.Fund, "f.fund_id")
	client := f.col(f.Client, "f.client_id")
	switch groupBy {
	case "none":
		return "'all'", "", nil
	case "team":
		return "COALESCE(CAST(" + team + " AS text), '')", "", nil
	case "fund":
		return "COALESCE(CAST(" + fund + " AS text), '')", "", nil
	case GroupCHW:
		if f.AuthorsJoin != "" {
			return "COALESCE(CAST(" + f.AuthorsCol + " AS text), '')", f.AuthorsJoin, nil
		}
		return "COALESCE(CAST(" + f.col(f.Author, "f.created_by") + " AS text), '')", "", nil
	case GroupRegion:
		return "COALESCE(CAST(rt.region_id AS text), '')", " LEFT JOIN teams rt ON rt.id = " + team, nil
	case "neighbourhood", "municipality":
		places, err := s.teamPlaces(ctx)
		if err != nil {
			return "", "", err
		}
		join := " LEFT JOIN clients c ON c.id = " + client
		nbCol := "c.neighbourhood_id"
		if f.Neighbourhood != "" {
			join, nbCol = "", f.Neighbourhood
		}
		if groupBy == "neighbourhood" {
			return "COALESCE(CAST(" + nbCol + " AS text), " + teamCase(team, places, func(p teamPlace) string { return MunicipalityKey + p.MunicipalityID }) + ")", join, nil
		}
		join += " LEFT JOIN neighbourhoods nb ON nb.id = " + nbCol + " LEFT JOIN municipalities mu ON mu.id = nb.municipality_id"
		return "COALESCE(mu.name, " + teamCase(team, places, func(p teamPlace) string { return p.Name }) + ")", join, nil
	}
	for _, p := range Periods {
		if p == groupBy {
			return s.periodExpr(p, f.TimeCol, from, to), "", nil
		}
	}
	return "", "", fmt.Errorf("unknown group_by %q", groupBy)
}

// GroupLabels names the groups of a dimension (team, neighbourhood and
// fund names; a team's municipality where it names no neighbourhoods).
func (s *Store) GroupLabels(ctx context.Context, groupBy string) (map[string]string, error) {
	out := map[string]string{}
	switch groupBy {
	case "team":
		var ts []model.Team
		if err := s.q(ctx).Find(&ts).Error; err != nil {
			return nil, mapErr(err, "team labels")
		}
		for _, t := range ts {
			out[t.ID] = t.Name
		}
	case "neighbourhood":
		var ns []model.Neighbourhood
		if err := s.q(ctx).Find(&ns).Error; err != nil {
			return nil, mapErr(err, "neighbourhood labels")
		}
		for _, n := range ns {
			out[n.ID] = n.Name
		}
		places, err := s.teamPlaces(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range places {
			out[MunicipalityKey+p.MunicipalityID] = p.Name
		}
	case "fund":
		fs, err := s.Funds(ctx)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			out[f.ID] = f.Name
		}
	}
	return out, nil
}

// scopeSQL is the condition that keeps a report to the caller's scope, on
// the work's own attribution.
func scopeSQL(sc ReportScope, f Fact) (string, []any) {
	switch {
	case sc.All:
		return "1 = 1", nil
	case sc.CHWID != "" && f.Authors != "":
		return "? IN " + f.Authors, []any{sc.CHWID}
	case sc.CHWID != "":
		return f.col(f.Author, "f.created_by") + " = ?", []any{sc.CHWID}
	case len(sc.TeamIDs) > 0:
		return f.col(f.Team, "f.team_id") + " IN ?", []any{sc.TeamIDs}
	case sc.FundID != "":
		return f.col(f.Fund, "f.fund_id") + " = ?", []any{sc.FundID}
	}
	return "1 = 0", nil
}

// GroupMedian is the median of a group and how many values it is of.
type GroupMedian struct {
	Group  string
	Median float64
	N      int64
}

// ReferralFact is the fact of referrals, placed in time when made.
var ReferralFact = Fact{From: "referrals f", TimeCol: "f.created_at"}

// MedianDaysToAppointment: per group, the median number of days from a
// referral made in [from, to) to its first appointment, computed in SQL
// with window functions on both engines.
func (s *Store) MedianDaysToAppointment(ctx context.Context, sc ReportScope, groupBy string, from, to time.Time) ([]GroupMedian, error) {
	g, join, err := s.groupExpr(ctx, groupBy, ReferralFact, from, to)
	if err != nil {
		return nil, err
	}
	days := "(julianday(substr(a.first_at, 1, 19)) - julianday(substr(f.created_at, 1, 19)))"
	if s.isPG() {
		days = "(EXTRACT(EPOCH FROM (a.first_at - f.created_at)) / 86400.0)"
	}
	cond, args := scopeSQL(sc, ReferralFact)
	q := `WITH d AS (
	        SELECT ` + g + ` AS grp, ` + days + ` AS days
	        FROM referrals f` + join + `
	        JOIN (SELECT referral_id, MIN(starts_at) AS first_at FROM appointments WHERE referral_id IS NOT NULL GROUP BY referral_id) a
	          ON a.referral_id = f.id
	        WHERE f.created_at >= ? AND f.created_at < ? AND ` + cond + `
	      ), r AS (
	        SELECT grp, days, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY days) AS rn, COUNT(*) OVER (PARTITION BY grp) AS n FROM d
	      )
	      SELECT grp, AVG(days) AS median, MAX(n) AS n FROM r WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp`
	var rows []struct {
		Grp    string
		Median float64
		N      int64
	}
	all := append([]any{from.UTC(), to.UTC()}, args...)
	if err := s.reportQuery(ctx, q, all, &rows); err != nil {
		return nil, mapErr(err, "median days")
	}
	out := make([]GroupMedian, len(rows))
	for i, r := range rows {
		out[i] = GroupMedian{Group: r.Grp, Median: r.Median, N: r.N}
	}
	return out, nil
}

// Grains are one table's aggregates at the four grains a suppressed table
// needs: cells (group × category), rows (group), columns (category), all.
type Grains struct {
	Cells, Rows, Columns, All []GroupCount
}

// grainRow is one aggregate of CountGrains' statement; level 0 cells, 1
// rows, 2 columns, 3 all.
type grainRow struct {
	Grp     *string
	Cat     *string
	Value   int64
	Persons int64
	Level   int
}

// CountGrains computes a fact's four grains in one statement: GROUPING
// SETS on PostgreSQL (one pass over the rows), UNION ALL on SQLite.
func (s *Store) CountGrains(ctx context.Context, sc ReportScope, f Fact, groupBy string, from, to time.Time) (Grains, error) {
	g, join, err := s.groupExpr(ctx, groupBy, f, from, to)
	if err != nil {
		return Grains{}, err
	}
	person := f.col(f.Person, f.col(f.Client, "f.client_id"))
	source := f.From + join
	category := f.Category
	if f.Expand != "" {
		if len(f.ExpandCodes) > 0 {
			var parts []string
			for _, c := range f.ExpandCodes {
				parts = append(parts, "SELECT '"+strings.ReplaceAll(c, "'", "''")+"' AS value")
			}
			source += " JOIN (" + strings.Join(parts, " UNION ALL ") + ") m ON " + f.Expand + " LIKE '%\"' || m.value || '\"%'"
		} else if s.isPG() {
			source += " CROSS JOIN LATERAL jsonb_array_elements_text(CAST(" + f.Expand + " AS jsonb)) AS m(value)"
		} else {
			source += ", json_each(" + f.Expand + ") AS m"
		}
		category = "m.value"
	}
	cond, scopeArgs := scopeSQL(sc, f)
	where := f.TimeCol + " >= ? AND " + f.TimeCol + " < ? AND " + cond
	if f.Where != "" {
		where += " AND (" + f.Where + ")"
	}
	args := append([]any{from.UTC(), to.UTC()}, scopeArgs...)
	value := "COUNT(*)"
	switch {
	case f.People:
		value = "COUNT(DISTINCT d.person)"
	case f.Sum != "":
		value = "COALESCE(SUM(d.amount), 0)"
	}
	amount := "1"
	if f.Sum != "" {
		amount = f.Sum
	}
	inner := "SELECT " + g + " AS grp, CAST(" + category + " AS text) AS cat, " + person + " AS person, " + amount + " AS amount FROM " + source + " WHERE " + where
	var q string
	if s.isPG() {
		// The derived table turns constants (group_by=none) into columns
		// GROUPING SETS can roll up.
		q = "SELECT COALESCE(d.grp, '') AS grp, COALESCE(d.cat, '') AS cat, " + value + " AS value, COUNT(DISTINCT d.person) AS persons, " +
			"GROUPING(d.grp) * 2 + GROUPING(d.cat) AS level FROM (" + inner + ") d GROUP BY GROUPING SETS ((d.grp, d.cat), (d.grp), (d.cat), ())"
	} else {
		// One scan into a temporary b-tree, then four groupings of it.
		part := func(gx, cx, level, groupBy string) string {
			return "SELECT " + gx + " AS grp, " + cx + " AS cat, " + value + " AS value, COUNT(DISTINCT d.person) AS persons, " + level +
				" AS level FROM d" + groupBy
		}
		q = "WITH d AS MATERIALIZED (" + inner + ") " +
			part("d.grp", "d.cat", "0", " GROUP BY d.grp, d.cat") + " UNION ALL " + part("d.grp", "''", "1", " GROUP BY d.grp") +
			" UNION ALL " + part("''", "d.cat", "2", " GROUP BY d.cat") + " UNION ALL " + part("''", "''", "3", "")
	}
	var rows []grainRow
	err = snapshotted(ctx, s, q, args, from, to, &rows, func() error { return s.reportQuery(ctx, q, args, &rows) })
	if err != nil {
		return Grains{}, mapErr(err, "report grains")
	}
	var out Grains
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, r := range rows {
		gc := GroupCount{Group: str(r.Grp), Category: str(r.Cat), Value: r.Value, Persons: r.Persons}
		switch r.Level {
		case 0:
			out.Cells = append(out.Cells, gc)
		case 1:
			out.Rows = append(out.Rows, gc)
		case 2:
			out.Columns = append(out.Columns, gc)
		default:
			if gc.Persons > 0 || gc.Value > 0 {
				out.All = append(out.All, gc)
			}
		}
	}
	return out, nil
}

// SignalledBarrier is one barrier signalled to policy, with the region of
// the team it was recorded for: the words of the policy signal (its counts
// come from CountGrains like any report's). The client's names are read only so the
// service can blank them out of the description; they never leave it.
type SignalledBarrier struct {
	RegionID   string
	Category   string
	Detail     string
	GivenName  string
	FamilyName string
	Pseudonym  string
	ClientID   string
	// Aliases are the names of records merged into the client: the
	// description may use them too.
	Aliases []string `gorm:"-"`
}

// SignalledBarriers lists the barriers signalled in [from, to) within scope.
func (s *Store) SignalledBarriers(ctx context.Context, sc ReportScope, from, to time.Time) ([]SignalledBarrier, error) {
	f := BarrierFact("signalled_at")
	cond, args := scopeSQL(sc, f)
	var out []SignalledBarrier
	err := s.q(ctx).Raw(`SELECT CAST(t.region_id AS text) AS region_id, f.category, f.detail, c.given_name, c.family_name, c.pseudonym,
	      CAST(c.id AS text) AS client_id
	      FROM barriers f JOIN teams t ON t.id = f.team_id JOIN clients c ON c.id = f.client_id
	      WHERE f.signalled_at >= ? AND f.signalled_at < ? AND `+cond+` ORDER BY f.signalled_at, f.id`,
		append([]any{from.UTC(), to.UTC()}, args...)...).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return out, mapErr(err, "signalled barriers")
	}
	var ids []string
	for _, b := range out {
		ids = append(ids, b.ClientID)
	}
	var merged []model.Client
	if err := s.q(ctx).Select("merged_into_id, given_name, family_name, pseudonym").
		Where("merged_into_id IN ?", ids).Find(&merged).Error; err != nil {
		return nil, mapErr(err, "names of merged records")
	}
	for i := range out {
		for _, m := range merged {
			if m.MergedIntoID != nil && *m.MergedIntoID == out[i].ClientID {
				out[i].Aliases = append(out[i].Aliases, m.GivenName, m.FamilyName, m.Pseudonym)
			}
		}
	}
	return out, nil
}
