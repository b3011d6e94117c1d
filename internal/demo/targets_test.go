package demo_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// The demo targets give Today and the coaching view goals: the programme's
// for a year, Gent's visits target, chw.gent2's own.
func TestSeedTargets(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		n, err := demo.SeedTargets(ctx, api.Svc.Store)
		if err != nil || n != 13 {
			t.Fatalf("seeded %d targets: %v", n, err)
		}
		if again, err := demo.SeedTargets(ctx, api.Svc.Store); err != nil || again != 0 {
			t.Fatalf("second seed created %d: %v", again, err)
		}
		goal := func(as string, ind string) any {
			p := api.Do(http.MethodGet, "/api/v1/me/progress", nil, api.Bearer(as)).JSON(t)
			for _, it := range p["indicators"].([]any) {
				if m := it.(map[string]any); m["indicator"] == ind {
					return m["goal"]
				}
			}
			return nil
		}
		if g := goal("chw.gent1@example.org", "visits"); g != float64(45) {
			t.Errorf("gent1 visits goal %v, want Gent's 45", g)
		}
		if g := goal("chw.gent2@example.org", "visits"); g != float64(25) {
			t.Errorf("gent2 visits goal %v, want their own 25", g)
		}
		if g := goal("chw.liege1@example.org", "new_clients"); g != float64(4) {
			t.Errorf("liège new clients goal %v, want the programme's 4", g)
		}
		h := api.Do(http.MethodGet, "/api/v1/me/progress/history", nil, api.Bearer("chw.liege1@example.org")).JSON(t)["months"].([]any)
		first := h[0].(map[string]any)["indicators"].([]any)[0].(map[string]any)
		if first["goal"] != float64(40) {
			t.Errorf("a year ago the visits goal was %v, want 40", first["goal"])
		}
	})
}
