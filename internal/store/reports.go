package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// ReportScope is whose work a report counts.
type ReportScope struct {
	CHWID   string   // a CHW's own clients
	TeamIDs []string // a coordinator's teams
	FundID  string   // a manager's fund (the fund of the CHW following the client)
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

// groupExpr is the SQL of a report dimension; clients is aliased c.
func (s *Store) groupExpr(groupBy, timeCol string) (string, error) {
	pg := s.db.Dialector.Name() == "postgres"
	switch groupBy {
	case "none":
		return "'all'", nil
	case "team":
		return "CAST(c.team_id AS text)", nil
	case "neighbourhood":
		return "COALESCE(CAST(c.neighbourhood_id AS text), '')", nil
	case "fund":
		return "COALESCE(CAST(u.fund_id AS text), '')", nil
	case "municipality":
		return "COALESCE(mu.name, '')", nil
	case "month":
		if pg {
			return fmt.Sprintf("to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM')", timeCol), nil
		}
		return fmt.Sprintf("substr(%s, 1, 7)", timeCol), nil
	case "week":
		// ISO 8601 weeks on both engines (SQLite 3.46+ has %G and %V).
		if pg {
			return fmt.Sprintf(`to_char(%s AT TIME ZONE 'UTC', 'IYYY-"W"IW')`, timeCol), nil
		}
		return fmt.Sprintf("strftime('%%G-W%%V', substr(%s, 1, 19))", timeCol), nil
	case "quarter":
		if pg {
			return fmt.Sprintf(`to_char(%s AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`, timeCol), nil
		}
		return fmt.Sprintf("substr(%[1]s, 1, 4) || '-Q' || ((CAST(substr(%[1]s, 6, 2) AS integer) + 2) / 3)", timeCol), nil
	}
	return "", fmt.Errorf("unknown group_by %q", groupBy)
}

// Fact describes what a report table counts: a table joined to its client
// (aliased c, with the following CHW as u), the time column that places a
// row in the period, the category of a row and, optionally, a condition.
type Fact struct {
	From     string // e.g. "visits AS f JOIN clients c ON c.id = f.client_id"
	TimeCol  string // e.g. "f.visited_at"
	Category string // SQL of the column a row falls in
	Where    string // extra condition, may be ""
	Person   string // SQL of the person a row is about (default c.id)
	// People counts distinct people rather than rows (clients reached).
	People bool
}

// BarrierFact is the fact of barriers placed in time by one of their
// timestamps (detected_at, resolved_at, signalled_at).
func BarrierFact(timeCol string) Fact {
	return Fact{From: "barriers AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f." + timeCol, Category: "f.category"}
}

// GroupLabels names the groups of a dimension (team and neighbourhood names).
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

// scopeSQL is the condition that keeps a report to the caller's scope
// (clients aliased c, their CHW u).
func scopeSQL(sc ReportScope) (string, []any) {
	switch {
	case sc.All:
		return "1 = 1", nil
	case sc.CHWID != "":
		return "c.assigned_chw_id = ?", []any{sc.CHWID}
	case len(sc.TeamIDs) > 0:
		return "c.team_id IN ?", []any{sc.TeamIDs}
	case sc.FundID != "":
		return "u.fund_id = ?", []any{sc.FundID}
	}
	return "1 = 0", nil
}

// GroupMedian is the median of a group and how many values it is of.
type GroupMedian struct {
	Group  string
	Median float64
	N      int64
}

// MedianDaysToAppointment: per group, the median number of days from a
// referral made in [from, to) to its first appointment, computed in SQL
// with window functions on both engines.
func (s *Store) MedianDaysToAppointment(ctx context.Context, sc ReportScope, groupBy string, from, to time.Time) ([]GroupMedian, error) {
	g, err := s.groupExpr(groupBy, "f.created_at")
	if err != nil {
		return nil, err
	}
	days := "(julianday(substr(a.first_at, 1, 19)) - julianday(substr(f.created_at, 1, 19)))"
	if s.db.Dialector.Name() == "postgres" {
		days = "(EXTRACT(EPOCH FROM (a.first_at - f.created_at)) / 86400.0)"
	}
	cond, args := scopeSQL(sc)
	q := `WITH d AS (
	        SELECT ` + g + ` AS grp, ` + days + ` AS days
	        FROM referrals f
	        JOIN clients c ON c.id = f.client_id
	        LEFT JOIN users u ON u.id = c.assigned_chw_id
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
	if err := s.q(ctx).Raw(q, all...).Scan(&rows).Error; err != nil {
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

// CountGrains computes a fact's four grains in one statement: GROUPING
// SETS on PostgreSQL (one pass over the rows), UNION ALL on SQLite.
func (s *Store) CountGrains(ctx context.Context, sc ReportScope, f Fact, groupBy string, from, to time.Time) (Grains, error) {
	g, err := s.groupExpr(groupBy, f.TimeCol)
	if err != nil {
		return Grains{}, err
	}
	person := f.Person
	if person == "" {
		person = "c.id"
	}
	from_ := f.From
	if sc.FundID != "" || groupBy == "fund" {
		from_ += " LEFT JOIN users u ON u.id = c.assigned_chw_id"
	}
	if groupBy == "municipality" {
		from_ += " LEFT JOIN neighbourhoods nb ON nb.id = c.neighbourhood_id LEFT JOIN municipalities mu ON mu.id = nb.municipality_id"
	}
	count := "COUNT(*)"
	cond, scopeArgs := scopeSQL(sc)
	where := f.TimeCol + " >= ? AND " + f.TimeCol + " < ? AND " + cond
	if f.Where != "" {
		where += " AND (" + f.Where + ")"
	}
	args := append([]any{from.UTC(), to.UTC()}, scopeArgs...)
	var q string
	var all []any
	if f.People {
		count = "COUNT(DISTINCT " + person + ")"
	}
	if s.db.Dialector.Name() == "postgres" {
		if f.People {
			count = "COUNT(DISTINCT d.person)"
		} else {
			count = "COUNT(*)"
		}
		// The derived table turns constants (group_by=none) into columns
		// GROUPING SETS can roll up.
		q = "SELECT COALESCE(d.grp, '') AS grp, COALESCE(d.cat, '') AS cat, " + count + " AS value, COUNT(DISTINCT d.person) AS persons, " +
			"GROUPING(d.grp) * 2 + GROUPING(d.cat) AS level FROM (SELECT " + g + " AS grp, CAST(" + f.Category + " AS text) AS cat, " + person +
			" AS person FROM " + from_ + " WHERE " + where + ") d GROUP BY GROUPING SETS ((d.grp, d.cat), (d.grp), (d.cat), ())"
		all = args
	} else {
		part := func(gx, cx, level string) string {
			groupBy := ""
			switch {
			case gx != "''" && cx != "''":
				groupBy = " GROUP BY 1, 2"
			case gx != "''":
				groupBy = " GROUP BY 1"
			case cx != "''":
				groupBy = " GROUP BY 2"
			}
			return "SELECT " + gx + " AS grp, " + cx + " AS cat, " + count + " AS value, COUNT(DISTINCT " + person + ") AS persons, " + level +
				" AS level FROM " + from_ + " WHERE " + where + groupBy
		}
		q = part(g, f.Category, "0") + " UNION ALL " + part(g, "''", "1") + " UNION ALL " + part("''", f.Category, "2") + " UNION ALL " + part("''", "''", "3")
		for i := 0; i < 4; i++ {
			all = append(all, args...)
		}
	}
	var rows []struct {
		Grp     string
		Cat     string
		Value   int64
		Persons int64
		Level   int
	}
	if err := s.q(ctx).Raw(q, all...).Scan(&rows).Error; err != nil {
		return Grains{}, mapErr(err, "report grains")
	}
	var out Grains
	for _, r := range rows {
		gc := GroupCount{Group: r.Grp, Category: r.Cat, Value: r.Value, Persons: r.Persons}
		switch r.Level {
		case 0:
			out.Cells = append(out.Cells, gc)
		case 1:
			out.Rows = append(out.Rows, gc)
		case 2:
			out.Columns = append(out.Columns, gc)
		default:
			out.All = append(out.All, gc)
		}
	}
	return out, nil
}
