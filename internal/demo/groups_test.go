package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

func TestSeedGroupSessions(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		n, err := demo.SeedGroupSessions(ctx, api.Svc.Store)
		if err != nil || n < 30 {
			t.Fatalf("seeded %d sessions: %v", n, err)
		}
		if again, err := demo.SeedGroupSessions(ctx, api.Svc.Store); err != nil || again != 0 {
			t.Fatalf("second seed created %d: %v", again, err)
		}
		var rows []model.GroupSession
		api.DB.Gorm.Find(&rows)
		loc, _ := time.LoadLocation("Europe/Brussels")
		now := api.Svc.Store.Now()
		upcoming := 0
		for _, g := range rows {
			local := g.StartsAt.In(loc)
			if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday || local.Hour() < 8 || local.Hour() > 19 {
				t.Errorf("session %q at %s: not in working hours", g.Title, local)
			}
			if g.StartsAt.Before(now.AddDate(-1, 0, -7)) {
				t.Errorf("session %q at %s: older than a year", g.Title, local)
			}
			if g.StartsAt.After(now) {
				upcoming++
				if g.Status != "planned" {
					t.Errorf("upcoming session %q is %s", g.Title, g.Status)
				}
			} else if g.Status == "planned" {
				t.Errorf("past session %q still planned", g.Title)
			}
		}
		if upcoming != 2 {
			t.Errorf("%d upcoming sessions, want 2", upcoming)
		}
		var fac int64
		api.DB.Gorm.Model(&model.GroupSessionFacilitator{}).Count(&fac)
		if fac < int64(len(rows)) {
			t.Errorf("%d facilitator rows for %d sessions", fac, len(rows))
		}
		// The sessions respect the API's own rules: each reads back through it.
		r := api.Do("GET", "/api/v1/group-sessions?order=desc", nil, api.Bearer("coordinator.liege@example.org"))
		if r.Status != 200 || len(r.JSON(t)["items"].([]any)) != 16 {
			t.Errorf("liège list: %d %s", r.Status, r.Body)
		}
	})
}
