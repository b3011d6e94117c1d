package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// Windows of different lengths that start at the same instant (a minute
// and ten minutes at hh:00) are separate counters: one hit counts once in
// each. (CI caught them sharing a row, which halved the limit in the first
// minute of every ten.)
func TestRateWindowsAreSeparate(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		at := time.Date(2026, 12, 2, 16, 20, 0, 0, time.UTC) // a minute and a ten-minute window both start here
		st := store.New(d.Gorm, func() time.Time { return at.Add(5 * time.Second) })
		ctx := context.Background()
		for range 3 {
			for _, w := range []time.Duration{time.Minute, 10 * time.Minute} {
				if _, _, err := st.RateHit(ctx, "k", w); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, w := range []time.Duration{time.Minute, 10 * time.Minute} {
			n, left, err := st.RateCount(ctx, "k", w)
			if err != nil || n != 3 {
				t.Fatalf("window %v: %d %v, want 3", w, n, err)
			}
			if left != w-5*time.Second {
				t.Fatalf("window %v: %v left", w, left)
			}
		}
	})
}
