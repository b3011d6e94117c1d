package store

import (
	"reflect"
	"regexp"
	"testing"
)

var dollarN = regexp.MustCompile(`\$[0-9]+`)

// GORM's placeholders become PostgreSQL's: a ? in a quoted literal stays,
// a slice spreads over as many parameters as it has items (NULL for none).
func TestPositional(t *testing.T) {
	for _, c := range []struct {
		q        string
		args     []any
		want     string
		wantArgs []any
	}{
		{"a = ? AND b IN ?", []any{1, []string{"x", "y"}}, "a = $1 AND b IN ($2,$3)", []any{1, "x", "y"}},
		{"b IN ? AND c = ?", []any{[]string{}, "z"}, "b IN (NULL) AND c = $1", []any{"z"}},
		{"name LIKE ? ESCAPE '\\' AND note = 'why?' AND d = ?", []any{"%a%", 4}, "name LIKE $1 ESCAPE '\\' AND note = 'why?' AND d = $2", []any{"%a%", 4}},
		{"x = 'it''s?' OR y = ?", []any{2}, "x = 'it''s?' OR y = $1", []any{2}},
	} {
		got, args := positional(c.q, c.args, true)
		if got != c.want || !reflect.DeepEqual(args, c.wantArgs) {
			t.Errorf("positional(%q) = %q %v, want %q %v", c.q, got, args, c.want, c.wantArgs)
		}
		// SQLite's form: the same with every $n a ?.
		got, args = positional(c.q, c.args, false)
		if want := dollarN.ReplaceAllString(c.want, "?"); got != want || !reflect.DeepEqual(args, c.wantArgs) {
			t.Errorf("positional(%q, ?) = %q %v, want %q %v", c.q, got, args, want, c.wantArgs)
		}
	}
}
