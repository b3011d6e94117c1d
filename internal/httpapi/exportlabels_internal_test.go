package httpapi

import (
	"testing"

	"github.com/brug-chw/brug/internal/model"
)

// Every code the subject export prints has a word in every language.
func TestExportWordsCoverEveryCode(t *testing.T) {
	t.Parallel()
	for kind, codes := range exportCodes {
		for _, lang := range model.Languages {
			if got := len(exportWords[kind][lang]); got != len(codes) {
				t.Errorf("%s in %s: %d words for %d codes", kind, lang, got, len(codes))
			}
		}
	}
	for _, lang := range model.Languages {
		if len(exportTexts[lang]) != len(exportTexts["en"]) {
			t.Errorf("%s: %d headings, en has %d", lang, len(exportTexts[lang]), len(exportTexts["en"]))
		}
	}
	terms := []model.TaxonomyTerm{{Kind: "barrier_categories", Code: "financial", LabelDE: "Finanziell", LabelEN: "Financial"}}
	de := exportLabeler("de", terms)
	if de("status", "closed") != "abgeschlossen" || de("barrier_categories", "financial") != "Finanziell" || de("mode", "unknown_code") != "unknown code" {
		t.Errorf("labels: %q %q %q", de("status", "closed"), de("barrier_categories", "financial"), de("mode", "unknown_code"))
	}
}
