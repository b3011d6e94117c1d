package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// The caseload list written by hand (issue 18): the same bytes as Echo's
// c.JSON (encoding/json, HTML-escaped, with its trailing newline) without
// reflection, for the request Brug serves most. TestClientJSONMatches
// compares the two on every field's edge cases; ?pretty and Echo's debug
// mode still go through c.JSON.

var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// writeClientList answers 200 with {"items":[…],"next_cursor":…}.
func writeClientList(c echo.Context, items []clientDTO, next string) error {
	if _, pretty := c.QueryParams()["pretty"]; pretty || c.Echo().Debug {
		return c.JSON(http.StatusOK, newList(items, next))
	}
	bp := listBuffers.Get().(*[]byte)
	b := appendClientList((*bp)[:0], items, next)
	err := c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
	if cap(b) <= 1<<20 {
		*bp = b[:0]
		listBuffers.Put(bp)
	}
	return err
}

func appendClientList(b []byte, items []clientDTO, next string) []byte {
	b = append(b, `{"items":[`...)
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = items[i].appendJSON(b)
	}
	b = append(b, `],"next_cursor":`...)
	if next == "" {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, next)
	}
	return append(b, "}\n"...)
}

// appendJSON writes the client in clientDTO's field order.
func (d *clientDTO) appendJSON(b []byte) []byte {
	b = append(b, `{"version":`...)
	b = strconv.AppendInt(b, int64(d.Version), 10)
	b = appendField(b, "id", d.ID)
	b = appendField(b, "given_name", d.GivenName)
	b = appendField(b, "family_name", d.FamilyName)
	b = appendField(b, "pseudonym", d.Pseudonym)
	b = append(b, `,"birth_year":`...)
	if d.BirthYear == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*d.BirthYear), 10)
	}
	b = appendOptional(b, "phone", d.Phone)
	b = appendOptional(b, "email", d.Email)
	b = appendField(b, "language", d.Language)
	b = appendRaw(append(b, `,"spoken_languages":`...), d.SpokenLanguages)
	b = appendField(b, "team_id", d.TeamID)
	b = appendOptional(b, "neighbourhood_id", d.NeighbourhoodID)
	b = appendOptional(b, "assigned_chw_id", d.AssignedCHWID)
	b = append(b, `,"assigned_chw":`...)
	if d.AssignedCHW == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"id":`...)
		b = appendJSONString(b, d.AssignedCHW.ID)
		b = appendField(b, "name", d.AssignedCHW.Name)
		b = append(b, '}')
	}
	b = appendField(b, "status", d.Status)
	b = appendField(b, "close_reason", d.CloseReason)
	b = appendRaw(append(b, `,"care_rights":`...), d.CareRights)
	b = appendField(b, "source", d.Source)
	b = appendTime(append(b, `,"last_activity_at":`...), d.LastActivityAt)
	b = appendTime(append(b, `,"created_at":`...), d.CreatedAt)
	b = appendTime(append(b, `,"updated_at":`...), d.UpdatedAt)
	b = append(b, `,"erased_at":`...)
	if d.ErasedAt == nil {
		b = append(b, "null"...)
	} else {
		b = appendTime(b, *d.ErasedAt)
	}
	b = append(b, `,"legal_hold":`...)
	if d.LegalHold == nil {
		b = append(b, "null"...)
	} else {
		b = appendTime(append(b, `{"at":`...), d.LegalHold.At)
		b = appendOptional(b, "by", d.LegalHold.By)
		b = appendField(b, "reason", d.LegalHold.Reason)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendField(b []byte, name, v string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, v)
}

func appendOptional(b []byte, name string, v *string) []byte {
	if v == nil {
		b = append(b, ',', '"')
		b = append(b, name...)
		return append(b, `":null`...)
	}
	return appendField(b, name, *v)
}

// appendTime writes what time.Time's MarshalJSON writes (RFC 3339 with
// nanoseconds). A year outside 0–9999, which MarshalJSON refuses and
// nothing stores, is written as the zero time rather than failing the page.
func appendTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y > 9999 {
		t = time.Time{}
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendRaw writes a stored JSON array (checked by rawList) the way
// encoding/json writes a json.RawMessage: compacted, HTML-escaped.
func appendRaw(b []byte, raw json.RawMessage) []byte {
	plain := len(raw) > 0
	for _, c := range raw {
		if c <= ' ' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return append(b, raw...)
	}
	var compact, escaped bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return append(b, "[]"...)
	}
	json.HTMLEscape(&escaped, compact.Bytes())
	return append(b, escaped.Bytes()...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as encoding/json does with HTML escaping:
// <, > and & as \u003c…, control characters escaped, invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
