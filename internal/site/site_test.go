package site_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/site"
)

func TestEveryTextInFourLanguages(t *testing.T) {
	for _, k := range site.TextKeys() {
		nl, fr, de, en := site.Text(k)
		for lang, v := range map[string]string{"nl": nl, "fr": fr, "de": de, "en": en} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("text %q has no %s", k, lang)
			}
		}
		// Placeholders must agree across languages.
		count := strings.Count(en, "%")
		for _, v := range []string{nl, fr, de} {
			if strings.Count(v, "%") != count {
				t.Errorf("text %q: placeholders differ between languages", k)
			}
		}
	}
}

// Every key a template uses exists.
func TestTemplatesUseKnownKeys(t *testing.T) {
	known := map[string]bool{}
	for _, k := range site.TextKeys() {
		known[k] = true
	}
	files, _ := filepath.Glob("templates/*.html")
	use := regexp.MustCompile(`\.T "([a-z._]+)"`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			if !known[m[1]] {
				t.Errorf("%s uses unknown text %q", f, m[1])
			}
		}
	}
}

func TestConsentTextOfCurrentVersion(t *testing.T) {
	for _, lang := range site.Languages {
		ps := site.ConsentText(service.ConsentVersion, lang)
		if len(ps) < 5 {
			t.Fatalf("privacy text %s in %s has %d paragraphs", service.ConsentVersion, lang, len(ps))
		}
		joined := strings.Join(ps, " ")
		// The text must say that withdrawing leaves earlier processing lawful, and how long data is kept.
		if !strings.Contains(joined, "6") {
			t.Errorf("%s privacy text does not state the retention period", lang)
		}
	}
	// Every version ever published stays complete in the four languages.
	for _, v := range site.ConsentVersions() {
		n := len(site.ConsentText(v, "en"))
		for _, lang := range site.Languages {
			ps := site.ConsentText(v, lang)
			if len(ps) != n {
				t.Errorf("privacy text %s: %s has %d paragraphs, en %d", v, lang, len(ps), n)
			}
			for i, p := range ps {
				if strings.TrimSpace(p) == "" {
					t.Errorf("privacy text %s: %s paragraph %d is empty", v, lang, i)
				}
			}
		}
	}
	if site.ConsentText("1999-01", "en") != nil {
		t.Error("an unknown version has a text")
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]string{
		"":                           "nl",
		"fr-BE,fr;q=0.9,en;q=0.8":    "fr",
		"de-DE":                      "de",
		"en-GB,en;q=0.9":             "en",
		"nl-BE":                      "nl",
		"pt-PT,pt;q=0.9":             "nl",
		"es;q=0.9,de;q=0.8,fr;q=0.7": "de",
		"garbage;;;":                 "nl",
	}
	for header, want := range cases {
		if got := site.Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	rec := httptest.NewRecorder()
	p := site.Page{Lang: "en", Path: "/privacy", Title: `<script>x</script>`, BaseURL: "https://brug.example",
		Data: map[string]any{"Version": "v", "Paragraphs": []string{`<img src=x onerror=alert(1)>`}}}
	if err := site.Render(rec, "privacy", p); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.String()
	if strings.Contains(body, "<script>x") || strings.Contains(body, "<img src=x") {
		t.Fatal("render does not escape")
	}
	if rec.Header().Get("Content-Language") != "en" {
		t.Error("no Content-Language")
	}
}
