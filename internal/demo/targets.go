package demo

import (
	"context"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

// SeedTargets sets, when there are none yet, the programme's monthly
// goals from a year ago (so My activity's twelve months have goals), a
// higher visits target for Gent from three months ago, and a lighter
// override for chw.gent2 (part-time) from this month: Today and the
// coaching view then show real progress against real goals.
func SeedTargets(ctx context.Context, st *store.Store) (int, error) {
	n, err := st.CountRows(ctx, &model.Target{}, "1 = 1")
	if err != nil || n > 0 {
		return 0, err
	}
	admin, err := st.UserByEmail(ctx, "admin@example.org")
	if err != nil {
		return 0, err
	}
	now := st.Now().In(service.Brussels)
	month := func(back int) string { return now.AddDate(0, -back, 1-now.Day()).Format("2006-01") }
	defaults := map[string]int{"visits": 40, "clients_reached": 25, "new_clients": 4, "referrals_sent": 6, "referrals_completed": 3,
		"appointments_attended": 75, "barriers_resolved": 4, "barriers_signalled": 1, "group_sessions": 1, "group_participants": 12}
	var rows []model.Target
	for _, ind := range service.Indicators {
		g := defaults[ind.Key]
		rows = append(rows, model.Target{ScopeKind: model.TargetProgramme, Indicator: ind.Key, Month: month(11), Goal: &g, SetBy: admin.User.ID})
	}
	trees, err := st.Teams(ctx)
	if err != nil {
		return 0, err
	}
	for _, tr := range trees {
		if tr.Team.Slug != "gent" {
			continue
		}
		coord, err := st.UserByEmail(ctx, "coordinator.gent@example.org")
		if err != nil {
			return 0, err
		}
		team := tr.Team.ID
		visits, reached := 45, 28
		rows = append(rows,
			model.Target{ScopeKind: model.TargetTeam, TeamID: &team, Indicator: "visits", Month: month(3), Goal: &visits, SetBy: coord.User.ID},
			model.Target{ScopeKind: model.TargetTeam, TeamID: &team, Indicator: "clients_reached", Month: month(3), Goal: &reached, SetBy: coord.User.ID})
		if chw2, err := st.UserByEmail(ctx, "chw.gent2@example.org"); err == nil {
			light := 25
			rows = append(rows, model.Target{ScopeKind: model.TargetCHW, UserID: &chw2.User.ID, Indicator: "visits", Month: month(0), Goal: &light, SetBy: coord.User.ID})
		}
	}
	return len(rows), st.AddTargets(ctx, rows)
}
