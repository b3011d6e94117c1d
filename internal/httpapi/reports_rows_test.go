package httpapi_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// A shown number never differs from what the rows say: after random
// visits (many back-dated), transfers and deletions, every exact cell of
// visits by mode and mission touches, per Brussels ISO week and per CHW,
// equals the count made in Go from the visits table itself.
func TestReportsMatchRows(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(workday)
		rng := rand.New(rand.NewPCG(12, 2026))
		var clients []string
		for i := 0; i < 8; i++ {
			clients = append(clients, newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("Row%d", i)}))
		}
		owner := map[string]string{}
		for _, c := range clients {
			owner[c] = chw
		}
		ids := map[string]string{chw: myID(t, api, chw), chw2: myID(t, api, chw2)}
		missions := []string{"inform", "direct", "support", "detect", "signal"}
		for step := 0; step < 90; step++ {
			switch k := rng.IntN(10); {
			case k == 0: // a transfer
				c := clients[rng.IntN(len(clients))]
				to := chw
				if owner[c] == chw {
					to = chw2
				}
				if r := api.Do("PUT", "/api/v1/clients/"+c+"/assignment", map[string]any{"chw_id": ids[to]}, api.Bearer(coord)); r.Status != 200 {
					t.Fatal(r.Status, string(r.Body))
				}
				owner[c] = to
			case k == 1: // a deletion (a correction made in the database)
				api.DB.Gorm.Exec("DELETE FROM barriers WHERE visit_id IN (SELECT id FROM visits WHERE id = (SELECT MIN(id) FROM visits))")
				api.DB.Gorm.Exec("DELETE FROM visits WHERE id = (SELECT MIN(id) FROM visits)")
			default: // a visit, often back-dated, by the client's CHW or the coordinator
				c := clients[rng.IntN(len(clients))]
				as := owner[c]
				if rng.IntN(4) == 0 {
					as = coord
				}
				ms := []string{}
				for _, m := range missions {
					if rng.IntN(3) == 0 {
						ms = append(ms, m)
					}
				}
				at := workday.Add(-time.Duration(rng.IntN(60*24)) * time.Hour)
				r := api.Do("POST", "/api/v1/clients/"+c+"/visits", map[string]any{"mode": model.VisitModes[rng.IntN(len(model.VisitModes))],
					"duration_minutes": 30, "missions": ms, "visited_at": at.Format(time.RFC3339)}, api.Bearer(as))
				if r.Status != 201 {
					t.Fatal(r.Status, string(r.Body))
				}
			}
		}

		// The rows, counted in Go.
		var rows []model.Visit
		api.DB.Gorm.Find(&rows)
		type key struct{ who, week, table, col string }
		want := map[key]float64{}
		for _, v := range rows {
			y, w := v.VisitedAt.In(store.Brussels).ISOWeek()
			week := fmt.Sprintf("%d-W%02d", y, w)
			for _, who := range []string{"team", v.CHWID} {
				want[key{who, week, "visits_by_mode", v.Mode}]++
				var ms []string
				_ = json.Unmarshal([]byte(v.Missions), &ms)
				for _, m := range ms {
					want[key{who, week, "mission_touches", m}]++
				}
			}
		}
		if len(rows) < 50 {
			t.Fatalf("too few visits to prove anything: %d", len(rows))
		}
		// People reached are distinct people over the whole period, not a
		// sum of the weeks.
		var reached int64
		api.DB.Gorm.Raw("SELECT COUNT(DISTINCT client_id) FROM visits").Scan(&reached)
		q := "/api/v1/reports/activity?group_by=week&from=" + workday.AddDate(0, 0, -70).Format("2006-01-02") + "&to=" + workday.Format("2006-01-02")
		if g := getReport(t, api, coord, q).table("clients_active").GrandTotal["value"]; g != float64(reached) {
			t.Errorf("clients reached over the period: %v, want %d distinct", g, reached)
		}
		for _, view := range []struct{ as, who string }{{coord, "team"}, {chw, ids[chw]}, {chw2, ids[chw2]}} {
			b := getReport(t, api, view.as, q)
			got := map[key]float64{}
			for _, name := range []string{"visits_by_mode", "mission_touches"} {
				tb := b.table(name)
				for _, r := range tb.Rows {
					for j, c := range tb.Columns {
						if v, _ := r.Cells[j]["value"].(float64); v != 0 {
							got[key{view.who, r.Key, name, c}] = v
						}
					}
				}
			}
			for k, v := range want {
				if k.who == view.who && got[k] != v {
					t.Errorf("%s: %v: report %v, rows %v", view.as, k, got[k], v)
				}
			}
			for k, v := range got {
				if want[k] != v {
					t.Errorf("%s: %v: report %v, rows %v", view.as, k, v, want[k])
				}
			}
		}
	})
}
