// Package textpolicy is the one input policy for every text Brug accepts:
// JSON bodies, query parameters, the public contact form and CSV imports.
// Text must be valid UTF-8 and free of NUL and other control characters,
// of bidirectional controls (which can reorder what a reader sees) and of
// invisible characters (which make an empty-looking name); newlines are
// allowed only in notes and other multi-line text; a name must hold a
// visible letter. Both database engines then store the same text: SQLite
// would keep a NUL that PostgreSQL refuses with an error.
package textpolicy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the shape of text a field holds.
type Kind int

const (
	// Line is single-line text: no newline or tab.
	Line Kind = iota
	// Multiline text (a note, a message) may hold newlines and tabs.
	Multiline
	// Name is a Line that must contain at least one letter.
	Name
)

// Codes of the field errors the policy gives.
const (
	CodeEncoding      = "encoding"       // not valid UTF-8
	CodeCharacters    = "characters"     // params.reason: control, newline, bidi, invisible
	CodeVisibleLetter = "visible_letter" // a name without a letter
)

// Violation says what is wrong with a text; the zero value means nothing.
type Violation struct {
	Code    string
	Reason  string // for CodeCharacters
	Message string // English, for logs and API users
}

// OK tells whether the text passed.
func (v Violation) OK() bool { return v.Code == "" }

// Params are the field error's params.
func (v Violation) Params() map[string]any {
	if v.Reason == "" {
		return nil
	}
	return map[string]any{"reason": v.Reason}
}

// Check applies the policy to one value.
func Check(s string, k Kind) Violation {
	if !utf8.ValidString(s) {
		return Violation{Code: CodeEncoding, Message: "Must be valid UTF-8 text."}
	}
	letter := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			// What a JSON decoder puts for invalid UTF-8 or a lone surrogate.
			return Violation{Code: CodeEncoding, Message: "Must be valid UTF-8 text."}
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			if k != Multiline || r == '\v' || r == '\f' || r == '\u0085' {
				return Violation{Code: CodeCharacters, Reason: "newline", Message: "Must be on one line."}
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return Violation{Code: CodeCharacters, Reason: "control", Message: "Contains a control character."}
		case Bidi(r):
			return Violation{Code: CodeCharacters, Reason: "bidi", Message: "Contains a character that changes the text's direction."}
		case Invisible(r):
			return Violation{Code: CodeCharacters, Reason: "invisible", Message: "Contains an invisible character."}
		case unicode.IsLetter(r):
			letter = true
		}
	}
	// A blank name is for the field's own "required" rule.
	if k == Name && strings.TrimSpace(s) != "" && !letter {
		return Violation{Code: CodeVisibleLetter, Message: "A name must contain at least one letter."}
	}
	return Violation{}
}

// Bidi reports the bidirectional formatting characters: embeddings,
// overrides, isolates and the direction marks.
func Bidi(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// Invisible reports characters that show nothing and join nothing: the
// zero-width space, word joiner and invisible operators, the byte order
// mark, the soft hyphen and the tag block used to hide text. The
// zero-width (non-)joiners U+200C/U+200D stay allowed: Persian, Indic
// scripts and emoji need them.
func Invisible(r rune) bool {
	return r == '\u200b' || (r >= '\u2060' && r <= '\u2064') || r == '\ufeff' || r == '\u00ad' || r == '\u180e' ||
		(r >= 0xe0000 && r <= 0xe007f)
}

// multilineFields are the JSON field names that hold multi-line text.
var multilineFields = map[string]bool{
	"note": true, "notes": true, "detail": true, "message": true, "reason": true, "close_note": true,
	"decline_reason": true, "outcome_note": true,
}

// nameFields are the JSON field names that hold a person's or an
// organisation's name.
var nameFields = map[string]bool{"given_name": true, "family_name": true, "pseudonym": true, "name": true}

// KindOf is the kind of text a JSON field (its last name, e.g. "note" of
// "barriers[0].note") holds.
func KindOf(field string) Kind {
	switch {
	case multilineFields[field]:
		return Multiline
	case nameFields[field]:
		return Name
	}
	return Line
}
