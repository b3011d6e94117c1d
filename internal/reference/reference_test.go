package reference

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The embedded copies must stay equal to ../shared/data, the project's
// source of truth. The files sit beside the repository in CI.
func TestEmbeddedFilesMatchShared(t *testing.T) {
	shared := sharedData()
	if _, err := os.Stat(shared); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared/data not found beside the repository: %v", err)
		}
		t.Skip("shared/data is not beside this checkout")
	}
	for _, name := range []string{"areas.json", "taxonomy.json"} {
		want, err := os.ReadFile(filepath.Join(shared, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := File(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("internal/reference/data/%s differs from shared/data/%s: copy it again", name, name)
		}
	}
}

// sharedData is ../shared/data beside the checkout, or, for a clone of a
// local repository (git clone /work/main /tmp/x), beside that repository.
func sharedData() string {
	beside := filepath.Join("..", "..", "..", "shared", "data")
	if _, err := os.Stat(beside); err == nil {
		return beside
	}
	out, err := exec.Command("git", "config", "--get", "remote.origin.url").Output()
	origin := strings.TrimPrefix(strings.TrimSpace(string(out)), "file://")
	if err != nil || !filepath.IsAbs(origin) {
		return beside
	}
	return filepath.Join(filepath.Dir(filepath.Clean(origin)), "shared", "data")
}

func TestLoad(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	teams, nbs := 0, 0
	slugs := map[string]bool{}
	for _, r := range d.Areas.Regions {
		for _, tm := range r.Teams {
			teams++
			if slugs[tm.Slug()] {
				t.Errorf("duplicate team slug %s", tm.Slug())
			}
			slugs[tm.Slug()] = true
			for _, m := range tm.Municipalities {
				nbs += len(m.Neighbourhoods)
			}
		}
	}
	if teams < 5 || nbs < 20 || len(d.Funds) == 0 {
		t.Fatalf("teams=%d neighbourhoods=%d funds=%d", teams, nbs, len(d.Funds))
	}
	for kind, terms := range d.Taxonomy.Kinds() {
		if len(terms) == 0 {
			t.Errorf("%s is empty", kind)
		}
		for _, term := range terms {
			if term.Code == "" || term.Labels.NL == "" || term.Labels.FR == "" || term.Labels.DE == "" || term.Labels.EN == "" {
				t.Errorf("%s term %+v lacks a code or a label", kind, term)
			}
		}
	}
	for _, s := range []string{"gent", "liege", "brussel-bruxelles", "eupen-und-kelmis"} {
		if !slugs[s] {
			t.Errorf("slug %s missing; have %v", s, slugs)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Liège": "liege", "Brussel/Bruxelles": "brussel-bruxelles", "Verviers-Dison": "verviers-dison"} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
