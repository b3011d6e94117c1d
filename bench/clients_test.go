// Package bench holds benchmarks that need a large database. They run only
// with -bench, for example:
//
//	go test ./bench -run '^$' -bench . -benchtime 300x                 # SQLite
//	TEST_DATABASE_URL=postgres://… go test ./bench -run '^$' -bench .  # and PostgreSQL
package bench

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

const (
	totalClients = 100_000
	totalCHWs    = 50
)

var given = []string{"Amina", "Mohamed", "Fatma", "Ionut", "Maria", "Yusuf", "Sarah", "Kevin", "Nadia", "Omar", "Elif", "Ahmed"}
var family = []string{"El Idrissi", "Yilmaz", "Popescu", "Diallo", "Janssens", "Benali", "Ivanova", "Mertens", "Nkosi", "Kaya"}

// seed adds totalCHWs CHWs over the teams and totalClients clients spread
// over them (5% unassigned); chw.gent1 gets a share like everyone else.
func seed(b *testing.B, api *testutil.API) {
	b.Helper()
	ctx := b.Context()
	st := api.Svc.Store
	trees, err := st.Teams(ctx)
	if err != nil {
		b.Fatal(err)
	}
	demo, err := st.UserByEmail(ctx, "chw.gent1@example.org")
	if err != nil {
		b.Fatal(err)
	}
	type chw struct{ id, team string }
	chws := []chw{{demo.ID, demo.TeamIDs[0]}}
	for i := 1; i < totalCHWs; i++ {
		team := trees[i%len(trees)].Team.ID
		u := model.User{Email: fmt.Sprintf("bench.chw%d@example.org", i), Name: fmt.Sprintf("CHW %d", i), Role: "chw", Language: "nl", PasswordHash: "x"}
		if err := st.CreateUser(ctx, &u, []string{team}); err != nil {
			b.Fatal(err)
		}
		chws = append(chws, chw{u.ID, team})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC()
	batch := make([]model.Client, 0, 1000)
	for i := 0; i < totalClients; i++ {
		c := chws[rng.IntN(len(chws))]
		g, f := given[rng.IntN(len(given))], family[rng.IntN(len(family))]
		y := 1940 + rng.IntN(65)
		phone := fmt.Sprintf("+32470%06d", i)
		at := now.Add(-time.Duration(rng.IntN(730*24*60)) * time.Minute)
		cl := model.Client{ID: store.NewID(), TeamID: c.team, GivenName: g, FamilyName: f, SearchText: store.SearchText(g, f, ""),
			BirthYear: &y, Phone: &phone, Language: "nl", SpokenLanguages: "[]", CareRights: "[]", Source: "outreach", Status: "active",
			LastActivityAt: at, CreatedBy: c.id, CreatedAt: at, UpdatedAt: at}
		if rng.IntN(20) > 0 {
			id := c.id
			cl.AssignedCHWID = &id
		}
		batch = append(batch, cl)
		if len(batch) == cap(batch) {
			if err := api.DB.Gorm.WithContext(ctx).CreateInBatches(batch, 250).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	if api.Engine == "postgres" {
		// A settled database before anything is measured: statistics,
		// the visibility map (index-only scans) and the inserts' dirty
		// pages written out, rather than autovacuum and a checkpoint
		// running under the first measurements.
		for _, stmt := range []string{"VACUUM ANALYZE", "CHECKPOINT"} {
			if err := api.DB.Gorm.Exec(stmt).Error; err != nil {
				b.Fatalf("%s: %v", stmt, err)
			}
		}
	} else {
		api.DB.Gorm.Exec("ANALYZE")
	}
}

func percentile(d []time.Duration, p float64) float64 {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return float64(d[int(float64(len(d)-1)*p)].Microseconds()) / 1000
}

// BenchmarkClientList measures GET /api/v1/clients through the real router
// at 100k clients and reports p50/p99 in milliseconds.
func BenchmarkClientList(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			start := time.Now()
			seed(b, api)
			b.Logf("%s: seeded %d clients in %s", engine, totalClients, time.Since(start).Round(time.Millisecond))
			chwH := api.Bearer("chw.gent1@example.org")
			coordH := api.Bearer("coordinator.gent@example.org")
			// A cursor a few pages deep for the paging case.
			deep := ""
			path := "/api/v1/clients?limit=50"
			for i := 0; i < 5; i++ {
				body := api.Do(http.MethodGet, path, nil, coordH).JSON(b)
				deep, _ = body["next_cursor"].(string)
				path = "/api/v1/clients?limit=50&cursor=" + url.QueryEscape(deep)
			}
			cases := []struct {
				name, path string
				h          map[string]string
			}{
				{"chw-caseload", "/api/v1/clients?limit=50", chwH},
				{"chw-search-name", "/api/v1/clients?limit=50&q=amina", chwH},
				{"team-first-page", "/api/v1/clients?limit=50", coordH},
				{"team-page-6", path, coordH},
				{"team-search-name", "/api/v1/clients?limit=50&q=diallo", coordH},
				{"team-search-phone", "/api/v1/clients?limit=50&q=0470000123", coordH},
				{"team-unassigned", "/api/v1/clients?limit=50&assigned_to=none", coordH},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var d []time.Duration
					for b.Loop() {
						t0 := time.Now()
						r := api.Do(http.MethodGet, c.path, nil, c.h)
						d = append(d, time.Since(t0))
						if r.Status != 200 {
							b.Fatalf("%d %s", r.Status, r.Body)
						}
					}
					b.ReportMetric(percentile(d, 0.50), "p50-ms")
					b.ReportMetric(percentile(d, 0.99), "p99-ms")
				})
			}
		})
	}
}
