package bench

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkTargets times, at the scale of BenchmarkActivityReport (100 000
// clients, BENCH_VISITS visits over two years), the coaching view of a
// team of 10 CHWs (this month and last, from the rows: 20 report
// statements plus caseloads, tasks and referrals) and the programme
// targets report (a month per team, as a programme manager asks it), p50
// over 10 runs each. Run with -benchtime 1x.
func BenchmarkTargets(b *testing.B) {
	nVisits := benchVisits()
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			seed(b, api)
			seedVisits(b, api, nVisits)
			ctx := context.Background()
			st := api.Svc.Store
			demoCHW, err := st.UserByEmail(ctx, "chw.gent1@example.org")
			if err != nil {
				b.Fatal(err)
			}
			team := demoCHW.TeamIDs[0]
			// The team gets 10 CHWs: the demo's and 9 bench CHWs of other
			// teams who join it.
			chws, err := st.UsersOfTeam(ctx, team, model.RoleCHW)
			if err != nil {
				b.Fatal(err)
			}
			var others []model.User
			if err := api.DB.Gorm.Where("role = 'chw' AND email LIKE 'bench.chw%'").Order("email").Find(&others).Error; err != nil {
				b.Fatal(err)
			}
			for _, u := range others {
				if len(chws) >= 10 {
					break
				}
				if err := api.DB.Gorm.Create(&model.TeamMembership{UserID: u.ID, TeamID: team}).Error; err == nil {
					chws = append(chws, u)
				}
			}
			admin, err := st.UserByEmail(ctx, "admin@example.org")
			if err != nil {
				b.Fatal(err)
			}
			month := time.Now().In(store.Brussels).Format("2006-01")
			var rows []model.Target
			for _, ind := range service.Indicators {
				g := 20
				if ind.Unit == "percent" {
					g = 75
				}
				rows = append(rows, model.Target{ScopeKind: model.TargetProgramme, Indicator: ind.Key, Month: month, Goal: &g, SetBy: admin.User.ID})
			}
			if err := st.AddTargets(ctx, rows); err != nil {
				b.Fatal(err)
			}
			coord := &service.Principal{Scope: store.Scope{UserID: store.NewID(), Role: model.RoleCoordinator, TeamIDs: []string{team}}}
			mgr := &service.Principal{Scope: store.Scope{UserID: store.NewID(), Role: model.RoleManager, AllReports: true}}
			api.Svc.Reports = service.NewReportGate(2)
			st.SetReportSnapshots(false)
			p50 := func(f func() error) time.Duration {
				if err := f(); err != nil { // warm the cache
					b.Fatal(err)
				}
				var ds []time.Duration
				for i := 0; i < 10; i++ {
					start := time.Now()
					if err := f(); err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(start))
				}
				sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
				return ds[len(ds)/2]
			}
			for b.Loop() {
				c := p50(func() error {
					v, err := api.Svc.Coaching(ctx, coord, team, month)
					if err == nil && len(v.CHWs) != 10 {
						b.Fatalf("coaching of %d CHWs, want 10", len(v.CHWs))
					}
					return err
				})
				p := p50(func() error { _, err := api.Svc.TargetsReportOf(ctx, mgr, month, "", ""); return err })
				b.ReportMetric(float64(c.Microseconds())/1000, "ms-coaching-10chws")
				b.ReportMetric(float64(p.Microseconds())/1000, "ms-programme")
			}
		})
	}
}
