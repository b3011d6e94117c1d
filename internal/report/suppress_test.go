package report

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

func table(values [][]int64) *Table {
	t := &Table{Columns: make([]string, len(values[0]))}
	for i, row := range values {
		r := Row{Key: string(rune('a' + i))}
		var persons int64
		for _, v := range row {
			r.Cells = append(r.Cells, Cell{Value: v, Persons: v})
			persons += v
		}
		t.Rows = append(t.Rows, r)
	}
	rows := make([]int64, len(values))
	cols := make([]int64, len(values[0]))
	var grand int64
	for i, row := range values {
		for j, v := range row {
			rows[i] += v
			cols[j] += v
			grand += v
		}
	}
	t.Finish(rows, cols, grand)
	return t
}

func TestPrimaryAndSecondary(t *testing.T) {
	tb := table([][]int64{
		{10, 3, 12},
		{8, 9, 11},
	})
	Suppress(tb, 5)
	if !tb.Rows[0].Cells[1].Suppressed {
		t.Fatal("3 must be hidden")
	}
	// Row 0 now has one hidden cell: the smallest other one (10) goes too.
	if !tb.Rows[0].Cells[0].Suppressed || tb.Rows[0].Cells[2].Suppressed {
		t.Fatalf("row 0: %+v", tb.Rows[0].Cells)
	}
	// Column 1 has one hidden cell: row 1's 9 goes too; column 0 likewise (8).
	if !tb.Rows[1].Cells[1].Suppressed || !tb.Rows[1].Cells[0].Suppressed {
		t.Fatalf("row 1: %+v", tb.Rows[1].Cells)
	}
	b, _ := json.Marshal(tb.Rows[0].Cells[1])
	if string(b) != `{"value":null,"suppressed":true}` {
		t.Fatalf("json: %s", b)
	}
}

func TestZerosAndLargeCellsStay(t *testing.T) {
	tb := table([][]int64{{0, 20}, {0, 30}})
	Suppress(tb, 5)
	for _, r := range tb.Rows {
		for _, c := range r.Cells {
			if c.Suppressed {
				t.Fatalf("nothing to hide: %+v", tb)
			}
		}
	}
}

func TestThresholdNeverBelowThree(t *testing.T) {
	tb := table([][]int64{{2, 40}, {40, 40}})
	Suppress(tb, 1)
	if !tb.Rows[0].Cells[0].Suppressed {
		t.Fatal("a threshold under 3 must act as 3")
	}
}

// Property: for any table, every visible cell describes 0 or at least k
// people, and no row or column (with its total) has exactly one hidden
// number, so none can be recomputed by subtraction.
func TestSuppressionProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := 0; iter < 3000; iter++ {
		rows, cols := 1+rng.IntN(6), 1+rng.IntN(6)
		k := []int{3, 5, 10}[rng.IntN(3)]
		values := make([][]int64, rows)
		for i := range values {
			values[i] = make([]int64, cols)
			for j := range values[i] {
				if rng.IntN(3) > 0 {
					values[i][j] = int64(rng.IntN(25))
				}
			}
		}
		tb := table(values)
		Suppress(tb, k)
		check := func(c Cell, where string) {
			if !c.Suppressed && c.Persons > 0 && c.Persons < int64(k) {
				t.Fatalf("iter %d: visible %s describes %d < %d people", iter, where, c.Persons, k)
			}
		}
		for i, r := range tb.Rows {
			hidden := boolN(r.Total.Suppressed)
			for j, c := range r.Cells {
				check(c, "cell")
				hidden += boolN(c.Suppressed)
				_ = j
			}
			check(r.Total, "row total")
			if hidden == 1 {
				t.Fatalf("iter %d: row %d has one hidden number: %+v", iter, i, r)
			}
		}
		for j := range tb.Columns {
			hidden := boolN(tb.Totals[j].Suppressed)
			for _, r := range tb.Rows {
				hidden += boolN(r.Cells[j].Suppressed)
			}
			if hidden == 1 {
				t.Fatalf("iter %d: column %d has one hidden number", iter, j)
			}
		}
		hidden := boolN(tb.Grand.Suppressed)
		for _, c := range tb.Totals {
			hidden += boolN(c.Suppressed)
		}
		if hidden == 1 {
			t.Fatalf("iter %d: column totals with one hidden number", iter)
		}
		b, _ := json.Marshal(tb)
		if strings.Contains(string(b), `"persons"`) {
			t.Fatal("persons must not be published")
		}
	}
}

func boolN(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Property: whatever two reports a reader compares (two periods, one inside
// the other; a group and the same group narrowed), the difference of any
// two shown numbers never determines a count between 1 and k-1 exactly:
// every shown number is a multiple of k, so each stands for k possible true
// values, and a difference for 2k-1.
func TestDifferencingRevealsNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const k = 5
	for iter := 0; iter < 2000; iter++ {
		// Day-by-day counts of one group and one category.
		days := make([]int64, 2+rng.IntN(30))
		for i := range days {
			if rng.IntN(2) == 0 {
				days[i] = int64(rng.IntN(4))
			}
		}
		sum := func(a, b int) int64 {
			var s int64
			for _, d := range days[a:b] {
				s += d
			}
			return s
		}
		publish := func(a, b int) Cell {
			v := sum(a, b)
			tb := &Table{Columns: []string{"x"}, Rows: []Row{{Cells: []Cell{{Value: v, Persons: v}}}}}
			tb.Finish([]int64{v}, []int64{v}, v)
			Suppress(tb, k)
			return tb.Rows[0].Cells[0]
		}
		a := rng.IntN(len(days) - 1)
		b := a + 1 + rng.IntN(len(days)-a-1)
		c := b + rng.IntN(len(days)-b+1)
		outer, inner := publish(a, c), publish(a, b)
		for _, x := range []Cell{outer, inner} {
			if !x.Suppressed && x.Value%k != 0 {
				t.Fatalf("shown value %d is not a multiple of %d", x.Value, k)
			}
		}
		if outer.Suppressed || inner.Suppressed {
			continue
		}
		// What a reader learns about days[b:c]: outer-inner within ±(k-1).
		diff := outer.Value - inner.Value
		truth := sum(b, c)
		if truth > 0 && truth < k {
			possible := 0
			for s := diff - (k - 1); s <= diff+(k-1); s++ {
				if s >= 0 {
					possible++
				}
			}
			if possible < 2 {
				t.Fatalf("iter %d: a small count (%d) is determined by differencing", iter, truth)
			}
		}
		if d := diff - truth; d > k-1 || d < -(k-1) {
			t.Fatalf("rounding error %d larger than the bound", d)
		}
	}
}

// Property, for tables of anonymous headcounts (group session
// participants, no people behind the numbers): a shown number is never
// a small count itself, and no row or column has exactly one hidden number.
func TestSuppressionPropertyHeadcounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 29))
	for iter := 0; iter < 2000; iter++ {
		rows, cols := 1+rng.IntN(5), 1+rng.IntN(5)
		k := []int{3, 5}[rng.IntN(2)]
		values := make([][]int64, rows)
		for i := range values {
			values[i] = make([]int64, cols)
			for j := range values[i] {
				if rng.IntN(2) > 0 {
					values[i][j] = int64(rng.IntN(40))
				}
			}
		}
		tb := table(values)
		zero := func(c *Cell) { c.Persons = 0 }
		for i := range tb.Rows {
			for j := range tb.Rows[i].Cells {
				zero(&tb.Rows[i].Cells[j])
			}
			zero(&tb.Rows[i].Total)
		}
		for j := range tb.Totals {
			zero(&tb.Totals[j])
		}
		zero(&tb.Grand)
		orig := *tb
		orig.Rows = make([]Row, len(tb.Rows))
		for i, r := range tb.Rows {
			orig.Rows[i] = Row{Cells: append([]Cell(nil), r.Cells...), Total: r.Total}
		}
		Suppress(tb, k)
		for i, r := range tb.Rows {
			hidden := boolN(r.Total.Suppressed)
			for j, c := range r.Cells {
				if v := orig.Rows[i].Cells[j].Value; !c.Suppressed && v > 0 && v < int64(k) {
					t.Fatalf("iter %d: a headcount of %d shows (k %d)", iter, v, k)
				}
				hidden += boolN(c.Suppressed)
			}
			if hidden == 1 {
				t.Fatalf("iter %d: row %d has one hidden number", iter, i)
			}
		}
		for j := range tb.Columns {
			hidden := boolN(tb.Totals[j].Suppressed)
			for _, r := range tb.Rows {
				hidden += boolN(r.Cells[j].Suppressed)
			}
			if hidden == 1 {
				t.Fatalf("iter %d: column %d has one hidden number", iter, j)
			}
		}
	}
}
