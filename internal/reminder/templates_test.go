package reminder

import (
	"strings"
	"testing"
	"time"
)

func TestTemplatesForEveryLanguageAndKind(t *testing.T) {
	when := time.Date(2026, 11, 24, 13, 30, 0, 0, time.UTC) // 14:30 in Brussels
	for _, lang := range Languages {
		for _, kind := range Kinds {
			if _, ok := templates[lang][kind]; !ok {
				t.Fatalf("no %s template in %s", kind, lang)
			}
			m, err := Render(lang, kind, Data{When: when, CHWName: "Hanne", ReplyURL: "https://brug.example.be/a/AbCdEfGhIjKlMnOpQrStUvWx"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.SMS, "14") || m.Subject == "" || !strings.Contains(m.HTML, "<p>") || !strings.Contains(m.Text, "Hanne") {
				t.Errorf("%s/%s: %+v", lang, kind, m)
			}
			parts, gsm := SMSParts(m.SMS)
			if !gsm || parts != 1 {
				t.Errorf("%s/%s SMS is %d parts (gsm7=%v, %d chars): %q", lang, kind, parts, gsm, len([]rune(m.SMS)), m.SMS)
			}
			if kind == KindReminder && !strings.Contains(m.SMS, "/a/AbCd") {
				t.Errorf("%s reminder lacks the reply link: %q", lang, m.SMS)
			}
		}
	}
	if len(templates) != len(Languages) {
		t.Errorf("templates for %d languages, want %d", len(templates), len(Languages))
	}
}

func TestDatesWrittenPerLanguage(t *testing.T) {
	when := time.Date(2026, 3, 29, 7, 5, 0, 0, time.UTC) // 09:05 summer time, Sunday
	want := map[string]string{
		"nl": "zondag 29 maart om 9.05 uur",
		"fr": "dimanche 29 mars à 9h05",
		"de": "Sonntag, 29. März, um 9:05 Uhr",
		"en": "Sunday 29 March at 9:05",
	}
	for lang, w := range want {
		if got := FormatWhen(lang, when); got != w {
			t.Errorf("%s: %q, want %q", lang, got, w)
		}
	}
}

func TestSMSParts(t *testing.T) {
	cases := []struct {
		s     string
		parts int
		gsm   bool
	}{
		{strings.Repeat("a", 160), 1, true},
		{strings.Repeat("a", 161), 2, true},
		{strings.Repeat("€", 80), 1, true}, // extension characters count double
		{strings.Repeat("€", 81), 2, true},
		{"Привет", 1, false},
		{strings.Repeat("ç", 71), 2, false}, // ç is not GSM-7 (only Ç is)
	}
	for _, c := range cases {
		if p, g := SMSParts(c.s); p != c.parts || g != c.gsm {
			t.Errorf("%q: %d/%v, want %d/%v", c.s[:min(len(c.s), 12)], p, g, c.parts, c.gsm)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	m, _ := Render("en", KindReminder, Data{When: time.Now(), CHWName: "<script>x</script>", ReplyURL: "https://x.example/a/t"})
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, `<a href="https://x.example/a/t">`) {
		t.Fatalf("html: %s", m.HTML)
	}
}
