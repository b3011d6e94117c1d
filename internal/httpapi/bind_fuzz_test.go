package httpapi

import (
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/textpolicy"
)

// The JSON binding takes any bytes: it never panics, answers only 400, 413,
// 415 or 422 problems, and whatever it accepts holds only text the policy
// allows, in every string however deeply nested.
func FuzzBindJSON(f *testing.F) {
	for _, s := range []string{
		`{"given_name":"Amina","family_name":"Diallo","birth_year":1990,"phone":"0470 12 34 56"}`,
		`{"given_name":"Ann\u0000a"}`, `{"given_name":"\u200b"}`, `{"mode":"home","duration_minutes":30,"note":"a\nb","topics":["x\u202e"]}`,
		`{"barriers":[{"category":"financial","detail":"x\u0000"}]}`, `{"birth_year":"1990"}`, `[1,2]`, `{"a":1}{}`, "{\"note\":\"\xff\"}",
		`{"given_name":"Ann\ud800a"}`, `{"spoken_languages":["ar","\u2066"]}`, ``, `null`,
	} {
		f.Add(s)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string) {
		for _, dst := range []any{&clientRequest{}, &visitRequest{}} {
			req := httptest.NewRequest("POST", "/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			err := bindJSON(e.NewContext(req, httptest.NewRecorder()), dst)
			if err != nil {
				ae, ok := apperr.As(err)
				if !ok {
					t.Fatalf("%q: not a problem: %v", body, err)
				}
				if st := ae.Status(); st != 400 && st != 413 && st != 415 && st != 422 {
					t.Fatalf("%q: status %d", body, st)
				}
				continue
			}
			walkStrings(reflect.ValueOf(dst), func(s string) {
				if !textpolicy.Check(s, textpolicy.Multiline).OK() {
					t.Fatalf("%q: accepted text %q breaks the policy", body, s)
				}
			})
		}
	})
}

func walkStrings(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	case reflect.String:
		fn(v.String())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), fn)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walkStrings(k, fn)
			walkStrings(v.MapIndex(k), fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), fn)
			}
		}
	}
}
