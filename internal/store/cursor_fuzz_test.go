package store

import (
	"encoding/base64"
	"testing"

	"github.com/brug-chw/brug/internal/textpolicy"
)

// A cursor comes from the client: whatever it holds, decoding never panics,
// and what it accepts round-trips and holds only text the policy allows.
func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{encodeCursor("2026-12-01T10:00:00Z", "01890000-0000-7000-8000-000000000000"), "", "%%%", "e30",
		base64.RawURLEncoding.EncodeToString([]byte(`{"k":"\u0000","id":"x"}`)),
		base64.RawURLEncoding.EncodeToString([]byte(`{"k":"a","id":"x\u202e"}`))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			return
		}
		if !textpolicy.Check(c.K, textpolicy.Line).OK() || !textpolicy.Check(c.ID, textpolicy.Line).OK() || c.ID == "" {
			t.Fatalf("accepted cursor %q holds %q/%q", s, c.K, c.ID)
		}
		if again, err := decodeCursor(encodeCursor(c.K, c.ID)); err != nil || again != c {
			t.Fatalf("cursor %q does not round-trip: %v %v", s, again, err)
		}
	})
}

func TestForgedCursorsAreRefused(t *testing.T) {
	for _, raw := range []string{`{"k":"\u0000","id":"x"}`, `{"k":"a","id":"x\u0000"}`, `{"k":"a\nb","id":"x"}`, `{"k":"a","id":""}`} {
		if _, err := decodeCursor(base64.RawURLEncoding.EncodeToString([]byte(raw))); err == nil {
			t.Errorf("cursor %s accepted", raw)
		}
	}
}
