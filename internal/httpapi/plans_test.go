package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/testutil"
)

// seedCaseloads adds CHWs and clients in the proportions the programme
// grows to (a CHW follows about 1% of the clients, a team has a tenth),
// and barriers over two years; on PostgreSQL it then refreshes the
// planner's statistics, so plans are those of a large database, not of an
// empty one.
func seedCaseloads(t *testing.T, api *testutil.API, chws, clients int) {
	t.Helper()
	g := api.DB.Gorm
	var teams []string
	if err := g.Raw("SELECT CAST(id AS text) FROM teams ORDER BY slug").Scan(&teams).Error; err != nil || len(teams) < 2 {
		t.Fatalf("teams: %v %v", teams, err)
	}
	var creator string
	if err := g.Raw("SELECT CAST(id AS text) FROM users WHERE role = 'admin' LIMIT 1").Scan(&creator).Error; err != nil {
		t.Fatal(err)
	}
	var stmts []string
	if api.Engine == db.Postgres {
		stmts = []string{
			`CREATE TEMP TABLE seed_chws AS SELECT i, gen_random_uuid() AS id FROM generate_series(1, ?) i`,
			`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
			   SELECT id, 'seed' || i || '@example.org', 'Seed ' || i, 'chw', 'x', now(), now() FROM seed_chws`,
			`INSERT INTO clients (id, team_id, assigned_chw_id, source, search_text, last_activity_at, created_by, created_at, updated_at)
			   SELECT gen_random_uuid(), (ARRAY[` + quoteList(teams) + `]::uuid[])[1 + (c.i % ` + itoa(len(teams)) + `)],
			          CASE WHEN g % 20 = 0 THEN NULL ELSE c.id END, 'outreach', 'seed ' || g,
			          now() - g * interval '30 minutes', '` + creator + `', now() - g * interval '30 minutes', now()
			   FROM generate_series(1, ?) g JOIN seed_chws c ON c.i = 1 + (g % ?)`,
			`UPDATE clients SET origin_team_id = team_id`,
			`INSERT INTO barriers (id, client_id, team_id, category, status, detected_at, addressed_at, resolved_at, signalled_at, created_by, created_at, updated_at)
			   SELECT gen_random_uuid(), id, team_id, 'housing', 'open', created_at,
			          CASE WHEN n % 2 = 0 THEN created_at END, CASE WHEN n % 4 = 0 THEN created_at END, CASE WHEN n % 10 = 0 THEN created_at END,
			          created_by, created_at, created_at
			   FROM (SELECT c.*, CAST(substr(search_text, 6) AS integer) AS n FROM clients c WHERE search_text LIKE 'seed %') s WHERE n % 5 = 0`,
			`ANALYZE`,
		}
	} else {
		stmts = []string{
			`CREATE TEMP TABLE seed_chws AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i, lower(hex(randomblob(16))) AS id FROM n`,
			`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
			   SELECT id, 'seed' || i || '@example.org', 'Seed ' || i, 'chw', 'x', datetime('now'), datetime('now') FROM seed_chws`,
			`WITH RECURSIVE n(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < ?)
			 INSERT INTO clients (id, team_id, assigned_chw_id, source, search_text, last_activity_at, created_by, created_at, updated_at)
			   SELECT lower(hex(randomblob(16))), json_extract('[` + quoteJSON(teams) + `]', '$[' || (c.i % ` + itoa(len(teams)) + `) || ']'),
			          CASE WHEN g % 20 = 0 THEN NULL ELSE c.id END, 'outreach', 'seed ' || g,
			          strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (30 * g) || ' minutes'), '` + creator + `',
			          strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (30 * g) || ' minutes'), datetime('now')
			   FROM n JOIN seed_chws c ON c.i = 1 + (g % ?)`,
			`UPDATE clients SET origin_team_id = team_id`,
			`INSERT INTO barriers (id, client_id, team_id, category, status, detected_at, addressed_at, resolved_at, signalled_at, created_by, created_at, updated_at)
			   SELECT lower(hex(randomblob(16))), id, team_id, 'housing', 'open', created_at,
			          CASE WHEN n % 2 = 0 THEN created_at END, CASE WHEN n % 4 = 0 THEN created_at END, CASE WHEN n % 10 = 0 THEN created_at END,
			          created_by, created_at, created_at
			   FROM (SELECT c.*, CAST(substr(search_text, 6) AS integer) AS n FROM clients c WHERE search_text LIKE 'seed %') s WHERE n % 5 = 0`,
			// SQLite databases of the programme carry no statistics
			// (nothing runs ANALYZE): plans are those of its heuristics.
			`SELECT 1`,
		}
	}
	args := [][]any{{chws}, nil, {clients, chws}, nil, nil, nil}
	for i, s := range stmts {
		if err := g.Exec(s, args[i]...).Error; err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
	}
}

func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = "'" + id + "'"
	}
	return strings.Join(q, ", ")
}

func quoteJSON(ids []string) string {
	b, _ := json.Marshal(ids)
	return strings.Trim(string(b), "[]")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// pgPlan is PostgreSQL's plan of a query as the names of its nodes and
// the indexes they read, one per line ("Index Scan clients_chw_live_idx").
func pgPlan(t *testing.T, api *testutil.API, q string, args ...any) string {
	t.Helper()
	var out string
	if err := api.DB.Gorm.Raw("EXPLAIN (FORMAT JSON) "+q, args...).Row().Scan(&out); err != nil {
		t.Fatal(err)
	}
	var plans []struct{ Plan pgNode }
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(n pgNode, depth int)
	walk = func(n pgNode, depth int) {
		b.WriteString(strings.Repeat("  ", depth) + n.NodeType)
		if n.IndexName != "" {
			b.WriteString(" " + n.IndexName)
		}
		b.WriteString("\n")
		for _, c := range n.Plans {
			walk(c, depth+1)
		}
	}
	walk(plans[0].Plan, 0)
	return b.String()
}

type pgNode struct {
	NodeType  string   `json:"Node Type"`
	IndexName string   `json:"Index Name"`
	Plans     []pgNode `json:"Plans"`
}

func sqlitePlan(t *testing.T, api *testutil.API, q string, args ...any) string {
	t.Helper()
	var rows []struct{ Detail string }
	if err := api.DB.Gorm.Raw("EXPLAIN QUERY PLAN "+q, args...).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Detail + "\n")
	}
	return b.String()
}

// On a database of programme size, the caseload pages and the report
// periods read the indexes made for them: a CHW's page in its keyset order
// straight off an index (no BitmapAnd, no sort), a team's likewise, and
// each barrier timestamp and new clients of a team on their own index.
func TestCaseloadPlansOnALargeDatabase(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		seedCaseloads(t, api, 200, 40000)
		var chwID, teamID string
		api.DB.Gorm.Raw("SELECT CAST(assigned_chw_id AS text) FROM clients WHERE search_text = 'seed 1'").Scan(&chwID)
		api.DB.Gorm.Raw("SELECT CAST(team_id AS text) FROM clients WHERE search_text = 'seed 1'").Scan(&teamID)
		if chwID == "" || teamID == "" {
			t.Fatal("seeded client not found")
		}
		pg := engine == db.Postgres
		plan := func(q string, args ...any) string {
			if pg {
				return pgPlan(t, api, q, args...)
			}
			return sqlitePlan(t, api, q, args...)
		}
		// The statements ListClients sends (clientSelect: the CHW's name
		// joined; visibleClients; keyset order).
		sel := "SELECT clients.*, COALESCE(chw.name, '') FROM clients LEFT JOIN users chw ON chw.id = clients.assigned_chw_id"
		chwQ := sel + " WHERE clients.merged_into_id IS NULL AND (clients.assigned_chw_id = ? AND clients.team_id IN (?)) ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
		teamQ := sel + " WHERE clients.merged_into_id IS NULL AND clients.team_id IN (?) ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
		nextQ := sel + " WHERE clients.merged_into_id IS NULL AND (clients.assigned_chw_id = ? AND clients.team_id IN (?)) AND (clients.last_activity_at < ? OR (clients.last_activity_at = ? AND clients.id < ?)) ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
		at := time.Now().Add(-time.Hour).UTC()
		chwIdx, teamIdx := "clients_chw_team_search_idx", "clients_team_activity_idx"
		sorted, anded := "Sort", "BitmapAnd"
		if !pg {
			chwIdx, sorted, anded = "clients_chw_activity_idx", "TEMP B-TREE", "MULTI-INDEX"
		}
		for name, p := range map[string]string{
			"CHW caseload":           plan(chwQ, chwID, teamID),
			"CHW caseload, page two": plan(nextQ, chwID, teamID, at, at, chwID),
		} {
			if !strings.Contains(p, chwIdx) || strings.Contains(p, sorted) || strings.Contains(p, anded) {
				t.Errorf("%s plan:\n%s", name, p)
			}
		}
		// A CHW of two teams: one caseload's rows off the CHW's index,
		// never intersected with a whole team's.
		if p := plan(chwQ, chwID, []string{teamID, chwID}); !strings.Contains(p, chwIdx) || strings.Contains(p, anded) {
			t.Errorf("CHW of two teams plan:\n%s", p)
		}
		// A coordinator looking for one person among the team's clients:
		// on PostgreSQL the trigram index, not a walk through the team.
		if pg {
			searchQ := sel + " WHERE clients.merged_into_id IS NULL AND clients.team_id IN (?) AND clients.search_text LIKE ? ESCAPE '\\' ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
			if p := plan(searchQ, teamID, "%zuleyha%"); !strings.Contains(p, "clients_search_trgm_idx") {
				t.Errorf("a rare name in a team plan:\n%s", p)
			}
		}
		// A CHW's name search on PostgreSQL (store.ListClients: the page's
		// keys first) tests the folded name on the caseload index alone,
		// in page order, and reads only the page's rows: no trigram
		// intersection with the caseload, no sort of the namesakes.
		if pg {
			inner := "SELECT clients.id FROM clients WHERE clients.merged_into_id IS NULL AND (clients.assigned_chw_id = ? AND clients.team_id IN (?)) AND clients.search_text LIKE ? ESCAPE '\\' ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
			searchQ := sel + " WHERE clients.id IN (" + inner + ") ORDER BY clients.last_activity_at DESC, clients.id DESC"
			p := plan(searchQ, chwID, teamID, "%seed 1%")
			if !strings.Contains(p, "Index Only Scan "+chwIdx) || strings.Contains(p, anded) || strings.Contains(p, "clients_search_trgm_idx") {
				t.Errorf("a CHW's name search plan:\n%s", p)
			}
			var def string
			api.DB.Gorm.Raw("SELECT indexdef FROM pg_indexes WHERE indexname = ?", chwIdx).Scan(&def)
			if !strings.Contains(def, "INCLUDE (search_text)") || !strings.Contains(def, "WHERE (merged_into_id IS NULL)") {
				t.Errorf("%s: %s", chwIdx, def)
			}
		}
		// A name search on SQLite walks the caseload index in order and
		// tests each entry there: the index holds the scope's and the
		// search's columns, so only matching rows are read from the table.
		if !pg {
			searchQ := sel + " WHERE clients.merged_into_id IS NULL AND (clients.assigned_chw_id = ? AND clients.team_id IN (?)) AND clients.search_text LIKE ? ESCAPE '\\' ORDER BY clients.last_activity_at DESC, clients.id DESC LIMIT 51"
			if p := plan(searchQ, chwID, teamID, "%seed 12%"); !strings.Contains(p, chwIdx) || strings.Contains(p, sorted) {
				t.Errorf("a CHW's name search plan:\n%s", p)
			}
			for idx, want := range map[string][]string{
				"clients_chw_activity_idx": {"assigned_chw_id", "team_id", "last_activity_at", "id", "merged_into_id", "search_text"},
			} {
				var cols []string
				if err := api.DB.Gorm.Raw("SELECT name FROM pragma_index_info(?) ORDER BY seqno", idx).Scan(&cols).Error; err != nil {
					t.Fatal(err)
				}
				if strings.Join(cols, ",") != strings.Join(want, ",") {
					t.Errorf("%s holds %v, want %v", idx, cols, want)
				}
			}
		}
		if p := plan(teamQ, teamID); !strings.Contains(p, teamIdx) || strings.Contains(p, sorted) || strings.Contains(p, anded) {
			t.Errorf("team caseload plan:\n%s", p)
		}
		// Today's appointments of a CHW on SQLite (store.Appointments with a
		// day's window, CROSS JOIN): from the day's appointments, each client
		// by its key, never the CHW's whole caseload probed one by one.
		if !pg {
			dayQ := "SELECT appointments.* FROM appointments CROSS JOIN clients ON clients.id = appointments.client_id WHERE clients.merged_into_id IS NULL AND (clients.assigned_chw_id = ? AND clients.team_id IN (?)) AND appointments.starts_at >= ? AND appointments.starts_at < ? ORDER BY appointments.starts_at, appointments.id LIMIT 1000"
			if p := plan(dayQ, chwID, teamID, at, at.Add(24*time.Hour)); strings.Contains(p, "clients_chw_activity_idx") || !strings.Contains(p, "appointments_starts_idx") {
				t.Errorf("a CHW's day of appointments plan:\n%s", p)
			}
		}
		from, to := time.Now().AddDate(0, -1, 0).UTC(), time.Now().UTC()
		for col, idx := range map[string]string{"detected_at": "barriers_detected_idx", "addressed_at": "barriers_addressed_idx",
			"resolved_at": "barriers_resolved_idx", "signalled_at": "barriers_signalled_idx"} {
			q := "SELECT f.category, COUNT(*) FROM barriers f WHERE f." + col + " >= ? AND f." + col + " < ? GROUP BY f.category"
			if p := plan(q, from, to); !strings.Contains(p, idx) {
				t.Errorf("barriers by %s plan:\n%s", col, p)
			}
		}
		q := "SELECT f.source, COUNT(*) FROM clients f WHERE f.created_at >= ? AND f.created_at < ? AND f.origin_team_id IN (?) GROUP BY f.source"
		if p := plan(q, from, to, teamID); !strings.Contains(p, "clients_origin_team_created_idx") {
			t.Errorf("new clients of a team plan:\n%s", p)
		}
	})
}
