// Package report owns small-number suppression of statistical tables, so a
// report never lets a reader single out a person: a cell about 1 to k-1
// people is hidden (primary suppression), and so is enough else that no
// hidden cell can be recomputed from a row's or column's total (secondary).
// Shown numbers are rounded to multiples of k, so that comparing reports
// (overlapping periods, a team against its neighbourhoods) cannot recover a
// hidden count either.
package report

// MinThreshold is the lowest threshold allowed: below it, a cell would
// describe too few people.
const MinThreshold = 3

// Cell is one number of a table: Value is what is counted (visits,
// referrals, people), Persons how many distinct people stand behind it.
type Cell struct {
	Value      int64 `json:"value"`
	Persons    int64 `json:"-"`
	Suppressed bool  `json:"suppressed,omitempty"`
}

// Row is a group (a team, a month, …) with its cells and their total.
type Row struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Cells []Cell `json:"cells"`
	Total Cell   `json:"total"`
}

// Table is rows × columns with row totals, column totals and a grand total.
type Table struct {
	Name string `json:"name"`
	// Unit says what a number counts: visits, people, referrals, or
	// touches (a visit touching three missions counts once under each, so
	// a touch table's total is not a number of visits).
	Unit    string   `json:"unit"`
	Columns []string `json:"columns"`
	Rows    []Row    `json:"rows"`
	Totals  []Cell   `json:"totals"`
	Grand   Cell     `json:"grand_total"`
}

// Finish fills the totals from the cells. Persons of a total is the largest
// of its parts when the parts may overlap, which is the safe lower bound.
func (t *Table) Finish(rowPersons []int64, colPersons []int64, grandPersons int64) {
	t.Totals = make([]Cell, len(t.Columns))
	t.Grand = Cell{Persons: grandPersons}
	for i := range t.Rows {
		r := &t.Rows[i]
		r.Total = Cell{}
		for j, c := range r.Cells {
			r.Total.Value += c.Value
			t.Totals[j].Value += c.Value
		}
		if rowPersons != nil {
			r.Total.Persons = rowPersons[i]
		}
		t.Grand.Value += r.Total.Value
	}
	for j := range t.Totals {
		if colPersons != nil {
			t.Totals[j].Persons = colPersons[j]
		}
	}
}

func small(c Cell, k int64) bool {
	return c.Persons > 0 && c.Persons < k || c.Persons == 0 && c.Value > 0 && c.Value < k
}

// Suppress hides every cell about fewer than k people, then, until nothing
// changes, one more cell in every row or column relation (cells + total)
// that has exactly one hidden member: the smallest visible non-zero cell,
// or the total when there is none. Hidden cells read null.
func Suppress(t *Table, k int) {
	if k < MinThreshold {
		k = MinThreshold
	}
	kk := int64(k)
	mark := func(c *Cell) {
		if small(*c, kk) {
			c.Suppressed = true
		}
	}
	for i := range t.Rows {
		for j := range t.Rows[i].Cells {
			mark(&t.Rows[i].Cells[j])
		}
		mark(&t.Rows[i].Total)
	}
	for j := range t.Totals {
		mark(&t.Totals[j])
	}
	mark(&t.Grand)

	// Each relation is a set of cells whose values add up: the members and
	// the total.
	type relation struct {
		members []*Cell
		total   *Cell
	}
	var rels []relation
	for i := range t.Rows {
		r := &t.Rows[i]
		rel := relation{total: &r.Total}
		for j := range r.Cells {
			rel.members = append(rel.members, &r.Cells[j])
		}
		rels = append(rels, rel)
	}
	for j := range t.Columns {
		rel := relation{total: &t.Totals[j]}
		for i := range t.Rows {
			rel.members = append(rel.members, &t.Rows[i].Cells[j])
		}
		rels = append(rels, rel)
	}
	rowTotals := relation{total: &t.Grand}
	for i := range t.Rows {
		rowTotals.members = append(rowTotals.members, &t.Rows[i].Total)
	}
	colTotals := relation{total: &t.Grand}
	for j := range t.Totals {
		colTotals.members = append(colTotals.members, &t.Totals[j])
	}
	rels = append(rels, rowTotals, colTotals)

	for changed := true; changed; {
		changed = false
		for _, rel := range rels {
			hidden := 0
			if rel.total.Suppressed {
				hidden++
			}
			for _, m := range rel.members {
				if m.Suppressed {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			var pick *Cell
			for _, m := range rel.members {
				if !m.Suppressed && m.Value > 0 && (pick == nil || m.Value < pick.Value) {
					pick = m
				}
			}
			if pick == nil {
				pick = rel.total
				if pick.Suppressed {
					// The only hidden one is the total and every member is 0
					// or visible: the total is the sum of what is shown, so
					// showing it reveals nothing new.
					continue
				}
			}
			pick.Suppressed = true
			changed = true
		}
	}
	// Every shown number is rounded to a multiple of k, totals included, so
	// that no difference between two reports (two periods that overlap,
	// a team and its neighbourhoods) pins down a small count exactly.
	clear := func(c *Cell) {
		if c.Suppressed {
			c.Value = 0
			return
		}
		c.Value = roundTo(c.Value, kk)
	}
	for i := range t.Rows {
		for j := range t.Rows[i].Cells {
			clear(&t.Rows[i].Cells[j])
		}
		clear(&t.Rows[i].Total)
	}
	for j := range t.Totals {
		clear(&t.Totals[j])
	}
	clear(&t.Grand)
}

// roundTo rounds to the nearest multiple of k (halves up); 0 stays 0.
func roundTo(v, k int64) int64 {
	if v <= 0 {
		return v
	}
	return (v + k/2) / k * k
}

// MarshalJSON writes a hidden cell as {"value": null, "suppressed": true}:
// not 0, not the number.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.Suppressed {
		return []byte(`{"value":null,"suppressed":true}`), nil
	}
	return []byte(`{"value":` + itoa(c.Value) + `}`), nil
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
