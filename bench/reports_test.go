package bench

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkReportVsSQL compares the report's aggregates of visits by team and
// mode (cells, row people, column people, all people: four grains, one
// statement: GROUPING SETS on PostgreSQL, UNION ALL on SQLite) with a
// hand-written UNION ALL statement computing the same four, on 100 000 clients and
// BENCH_VISITS (default 1 000 000) visits. Run with -benchtime 20x.
func BenchmarkReportVsSQL(b *testing.B) {
	nVisits := benchVisits()
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			seed(b, api) // 100k clients over 50 CHWs
			seedVisits(b, api, nVisits)
			st := api.Svc.Store
			ctx := b.Context()
			to := time.Now().UTC().Add(24 * time.Hour)
			from := to.AddDate(-2, 0, 0)
			fact := store.Fact{From: "visits AS f JOIN clients c ON c.id = f.client_id", TimeCol: "f.visited_at", Category: "f.mode"}
			sc := store.ReportScope{All: true}
			report := func() {
				if _, err := st.CountGrains(ctx, sc, fact, "team", from, to); err != nil {
					b.Fatal(err)
				}
			}
			hand := `SELECT CAST(c.team_id AS text) AS grp, f.mode AS cat, COUNT(*) AS value, COUNT(DISTINCT c.id) AS persons
			           FROM visits f JOIN clients c ON c.id = f.client_id WHERE f.visited_at >= ? AND f.visited_at < ? GROUP BY 1, f.mode
			         UNION ALL SELECT CAST(c.team_id AS text), '', COUNT(*), COUNT(DISTINCT c.id)
			           FROM visits f JOIN clients c ON c.id = f.client_id WHERE f.visited_at >= ? AND f.visited_at < ? GROUP BY 1
			         UNION ALL SELECT '', f.mode, COUNT(*), COUNT(DISTINCT c.id)
			           FROM visits f JOIN clients c ON c.id = f.client_id WHERE f.visited_at >= ? AND f.visited_at < ? GROUP BY f.mode
			         UNION ALL SELECT '', '', COUNT(*), COUNT(DISTINCT c.id)
			           FROM visits f JOIN clients c ON c.id = f.client_id WHERE f.visited_at >= ? AND f.visited_at < ?`
			handSQL := func() {
				var rows []struct {
					Grp, Cat       string
					Value, Persons int64
				}
				if err := api.DB.Gorm.WithContext(ctx).Raw(hand, from, to, from, to, from, to, from, to).Scan(&rows).Error; err != nil {
					b.Fatal(err)
				}
			}
			measure := func(f func()) time.Duration {
				f() // warm the cache
				start := time.Now()
				for i := 0; i < 5; i++ {
					f()
				}
				return time.Since(start) / 5
			}
			var rep, sql time.Duration
			for b.Loop() {
				rep, sql = measure(report), measure(handSQL)
			}
			b.ReportMetric(float64(rep.Milliseconds()), "ms-report")
			b.ReportMetric(float64(sql.Milliseconds()), "ms-handsql")
			b.ReportMetric(float64(rep)/float64(sql), "x-handsql")
		})
	}
}

// seedVisits adds n visits over the seeded clients, spread over two years.
func seedVisits(b *testing.B, api *testutil.API, n int) {
	b.Helper()
	var clients []struct{ ID, AssignedChwID, TeamID string }
	if err := api.DB.Gorm.Raw("SELECT id, COALESCE(assigned_chw_id, created_by) AS assigned_chw_id, team_id FROM clients").Scan(&clients).Error; err != nil {
		b.Fatal(err)
	}
	// The bench CHWs work for the funds in turn, so a fund's figures are a
	// real cut; the rows record team and fund as the app writes them.
	var funds []string
	api.DB.Gorm.Raw("SELECT CAST(id AS text) FROM funds ORDER BY code").Scan(&funds)
	fundOf := map[string]any{}
	var users []string
	api.DB.Gorm.Raw("SELECT CAST(id AS text) FROM users WHERE role = 'chw' ORDER BY id").Scan(&users)
	for i, u := range users {
		fundOf[u] = funds[i%len(funds)]
		api.DB.Gorm.Exec("UPDATE users SET fund_id = ? WHERE id = ?", funds[i%len(funds)], u)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	modes := []string{"home", "street", "office", "phone", "partner"}
	missions := []string{`["inform"]`, `["inform","direct"]`, `["support"]`, `["inform","support","detect"]`, `["direct","signal"]`}
	topics := []string{`["dental care"]`, `["GP registration"]`, `["insurance fund","costs"]`, `["mental health"]`, `[]`}
	now := time.Now().UTC()
	const batch = 400
	var sb strings.Builder
	args := make([]any, 0, batch*12)
	flush := func(rows int) {
		if rows == 0 {
			return
		}
		if err := api.DB.Gorm.Exec("INSERT INTO visits (id, client_id, chw_id, team_id, fund_id, visited_at, mode, duration_minutes, missions, topics, created_at, updated_at) VALUES "+
			strings.TrimSuffix(sb.String(), ","), args...).Error; err != nil {
			b.Fatal(err)
		}
		sb.Reset()
		args = args[:0]
	}
	start := time.Now()
	rows := 0
	for i := 0; i < n; i++ {
		c := clients[rng.IntN(len(clients))]
		at := now.Add(-time.Duration(rng.IntN(730*24*60)) * time.Minute)
		sb.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?),")
		args = append(args, store.NewID(), c.ID, c.AssignedChwID, c.TeamID, fundOf[c.AssignedChwID], at, modes[rng.IntN(len(modes))], 30,
			missions[rng.IntN(len(missions))], topics[rng.IntN(len(topics))], at, at)
		rows++
		if rows == batch {
			flush(rows)
			rows = 0
		}
	}
	flush(rows)
	if api.Engine == "postgres" {
		// What autovacuum does to a live table: index-only scans need the
		// visibility map.
		api.DB.Gorm.Exec("VACUUM ANALYZE visits")
	} else {
		api.DB.Gorm.Exec("ANALYZE")
	}
	b.Logf("%s: %d visits seeded in %s", api.Engine, n, time.Since(start).Round(time.Second))
}
