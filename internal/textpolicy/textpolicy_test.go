package textpolicy

import "testing"

func TestCheck(t *testing.T) {
	cases := []struct {
		in     string
		kind   Kind
		code   string
		reason string
	}{
		{"Amina Diallo", Name, "", ""},
		{"Clàire Ñúñez-Öztürk", Name, "", ""},
		{"محمد", Name, "", ""},
		{"می\u200cخواهم", Name, "", ""}, // Persian with a zero-width non-joiner
		{"", Name, "", ""},
		{"\u200b", Name, CodeCharacters, "invisible"},
		{"Ann\u200ba", Name, CodeCharacters, "invisible"},
		{"\ufeffAnna", Name, CodeCharacters, "invisible"},
		{"Anna\u202eXYZ", Name, CodeCharacters, "bidi"},
		{"Anna\u2066", Line, CodeCharacters, "bidi"},
		{"An\x00na", Name, CodeCharacters, "control"},
		{"x\x00", Multiline, CodeCharacters, "control"},
		{"x\x1b[31m", Multiline, CodeCharacters, "control"},
		{"x\u0085y", Multiline, CodeCharacters, "newline"},
		{"Anna\nBob", Name, CodeCharacters, "newline"},
		{"Room 1\rX-INJECT:1", Line, CodeCharacters, "newline"},
		{"a\tb", Line, CodeCharacters, "newline"},
		{"line one\nline two\r\n\tindented", Multiline, "", ""},
		{"---", Name, CodeVisibleLetter, ""},
		{"42", Name, CodeVisibleLetter, ""},
		{"\xff\xfe", Line, CodeEncoding, ""},
		{"bad \ufffd", Line, CodeEncoding, ""},
		{"0470 12 34 56", Line, "", ""},
		{"👩‍⚕️ Dr. Janssens", Name, "", ""},
	}
	for _, tc := range cases {
		v := Check(tc.in, tc.kind)
		if v.Code != tc.code || v.Reason != tc.reason {
			t.Errorf("Check(%q, %d) = %q/%q, want %q/%q", tc.in, tc.kind, v.Code, v.Reason, tc.code, tc.reason)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"Anna", "\x00", "\u202e", "a\nb", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range []Kind{Line, Multiline, Name} {
			v := Check(s, k)
			if !v.OK() {
				continue
			}
			// Whatever passes is valid UTF-8 with no control, bidi or invisible character.
			for _, r := range s {
				if (r < 0x20 && !(k == Multiline && (r == '\n' || r == '\r' || r == '\t'))) || Bidi(r) || Invisible(r) || r == 0x7f {
					t.Fatalf("%q passed as kind %d with %U", s, k, r)
				}
			}
		}
	})
}
