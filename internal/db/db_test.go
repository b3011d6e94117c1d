package db_test

import (
	"context"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reference"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
	"github.com/brug-chw/brug/migrations"
)

func versions(t *testing.T, engine string) []string {
	entries, err := fs.ReadDir(migrations.FS, engine)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		v, _, _ := strings.Cut(e.Name(), "_")
		out = append(out, v)
	}
	return out
}

func TestMigrationFoldersHaveTheSameVersions(t *testing.T) {
	pg, lite := versions(t, db.Postgres), versions(t, db.SQLite)
	if len(pg) == 0 || !slices.Equal(pg, lite) {
		t.Fatalf("postgres %v != sqlite %v", pg, lite)
	}
}

// columns returns table -> sorted column names of a migrated database.
func columns(t *testing.T, d *db.DB) map[string][]string {
	t.Helper()
	var rows []struct{ T, C string }
	var q string
	if d.Engine == db.SQLite {
		q = `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	} else {
		q = `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`
	}
	if err := d.Gorm.Raw(q).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		if r.T == "goose_db_version" {
			continue
		}
		out[r.T] = append(out[r.T], r.C)
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

func TestSchemasMatchAcrossEngines(t *testing.T) {
	lite, _ := testutil.OpenDB(t, db.SQLite)
	want := columns(t, lite)
	if len(want) < 10 {
		t.Fatalf("sqlite schema has only %d tables", len(want))
	}
	for _, e := range testutil.Engines() {
		if e == db.SQLite {
			continue
		}
		d, _ := testutil.OpenDB(t, e)
		got := columns(t, d)
		for table, cols := range want {
			if !slices.Equal(got[table], cols) {
				t.Errorf("%s.%s columns %v, sqlite has %v", e, table, got[table], cols)
			}
		}
		for table := range got {
			if _, ok := want[table]; !ok {
				t.Errorf("table %s exists on %s only", table, e)
			}
		}
	}
}

func TestMigrateTwiceIsANoop(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		ctx := context.Background()
		v1, err := d.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		v2, _ := d.Version(ctx)
		if v1 != v2 || v1 < 1 {
			t.Fatalf("versions %d then %d", v1, v2)
		}
	})
}

func TestReferenceDataLoadedIdempotently(t *testing.T) {
	ref, err := reference.Load()
	if err != nil {
		t.Fatal(err)
	}
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, _ := testutil.OpenDB(t, engine)
		st := store.New(d.Gorm, nil)
		ctx := context.Background()
		for i := 0; i < 2; i++ {
			if err := st.SyncReference(ctx, ref); err != nil {
				t.Fatalf("sync %d: %v", i, err)
			}
		}
		trees, err := st.Teams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]map[string]bool{}
		for _, tr := range trees {
			set := map[string]bool{}
			for _, m := range tr.Municipalities {
				set[m.Municipality.Name] = true
				for _, n := range m.Neighbourhoods {
					set[m.Municipality.Name+"/"+n.Name] = true
				}
			}
			stored[tr.Team.Name] = set
		}
		wantNb := 0
		for _, r := range ref.Areas.Regions {
			for _, tm := range r.Teams {
				set, ok := stored[tm.Name]
				if !ok {
					t.Errorf("team %s missing", tm.Name)
					continue
				}
				for _, m := range tm.Municipalities {
					if !set[m.Name] {
						t.Errorf("municipality %s of %s missing", m.Name, tm.Name)
					}
					for _, n := range m.Neighbourhoods {
						wantNb++
						if !set[m.Name+"/"+n] {
							t.Errorf("neighbourhood %s/%s of %s missing", m.Name, n, tm.Name)
						}
					}
				}
			}
		}
		n, _ := st.CountNeighbourhoods(ctx)
		if int(n) != wantNb {
			t.Errorf("stored %d neighbourhoods, files list %d (duplicates after two syncs?)", n, wantNb)
		}
		var terms int64
		d.Gorm.Model(&model.TaxonomyTerm{}).Count(&terms)
		wantTerms := 0
		for _, ts := range ref.Taxonomy.Kinds() {
			wantTerms += len(ts)
		}
		if int(terms) != wantTerms {
			t.Errorf("stored %d taxonomy terms, want %d", terms, wantTerms)
		}
		funds, _ := st.Funds(ctx)
		if len(funds) != len(ref.Funds) {
			t.Errorf("stored %d funds, want %d", len(funds), len(ref.Funds))
		}
	})
}

// A burst that uses the whole pool leaves its connections open for the
// next one: none is closed for being idle beyond the idle size (each would
// be a new PostgreSQL session at the next burst).
func TestPoolKeepsItsConnectionsBetweenBursts(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		d, err := db.Open(context.Background(), testutil.DatabaseURL(t, engine), db.Options{MaxOpenConns: 6, SQLiteReaders: 6})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		// SQLite's reads go to its read pool; PostgreSQL's pool is one.
		pool, sleep := d.ReadSQL, "SELECT pg_sleep(0.05)"
		if engine == db.SQLite {
			sleep = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT count(*) FROM n"
		}
		burst := func() {
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := pool.Exec(sleep); err != nil {
						t.Error(err)
					}
				}()
			}
			close(start)
			wg.Wait()
		}
		burst()
		opened := pool.Stats().OpenConnections
		burst()
		st := pool.Stats()
		if opened < 2 || st.OpenConnections != opened || st.MaxIdleClosed != 0 {
			t.Fatalf("after two bursts: opened %d, open %d, closed as idle %d", opened, st.OpenConnections, st.MaxIdleClosed)
		}
	})
}
