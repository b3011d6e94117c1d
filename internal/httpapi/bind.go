package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
)

var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// invitation_only refuses any value: admins send an invitation link
	// instead of setting a password.
	_ = v.RegisterValidation("invitation_only", func(validator.FieldLevel) bool { return false })
	return v
}()

// bindJSON decodes a JSON object body into dst strictly: malformed JSON is
// 400; unknown fields, wrong types and failed validation rules are 422 with
// every bad field listed, not just the first.
func bindJSON(c echo.Context, dst any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != echo.MIMEApplicationJSON {
			return apperr.New(apperr.KindUnsupported, "The body must be application/json.")
		}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return apperr.New(apperr.KindTooLarge, "The request body is too large.")
		}
		return apperr.Wrap(apperr.KindMalformed, "The request body could not be read.", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return apperr.New(apperr.KindMalformed, "The body is not a JSON object.")
	}
	if dec.More() {
		return apperr.New(apperr.KindMalformed, "The body has data after the JSON object.")
	}
	var fields apperr.Fields
	rv := reflect.ValueOf(dst).Elem()
	rt := rv.Type()
	known := map[string]int{}
	for i := 0; i < rt.NumField(); i++ {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			known[name] = i
		}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i, ok := known[k]
		if !ok {
			fields.Add(k, "unknown_field", "This field is not accepted here.")
			continue
		}
		fv := rv.Field(i)
		if err := json.Unmarshal(raw[k], fv.Addr().Interface()); err != nil {
			expected, phrase := jsonType(fv.Type())
			fields.AddP(k, apperr.CodeType, "Must be "+phrase+".", map[string]any{"expected": expected})
			continue
		}
		// One text policy for every string (see internal/textpolicy).
		checkTexts(k, fv, &fields)
	}
	if len(fields) > 0 {
		return fields.Err()
	}
	if n, ok := dst.(normalizer); ok {
		n.normalize()
	}
	return validateStruct(dst)
}

// normalizer is implemented by requests that tidy input before validation
// (a phone keyboard's trailing space in an e-mail address, say).
type normalizer interface{ normalize() }

// jsonType names the JSON type a Go field accepts: expected is the spec's
// word ("integer or null"), phrase the English one ("a whole number or null").
func jsonType(t reflect.Type) (expected, phrase string) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v, ok := nullableValue(t); ok {
		e, p := jsonType(v)
		return e + " or null", p + " or null"
	}
	if t == reflect.TypeOf(time.Time{}) {
		return "string", "a date and time (RFC 3339)"
	}
	switch t.Kind() {
	case reflect.String:
		return "string", "a string"
	case reflect.Bool:
		return "boolean", "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer", "a whole number"
	case reflect.Float32, reflect.Float64:
		return "number", "a number"
	case reflect.Slice, reflect.Array:
		_, p := jsonType(t.Elem())
		return "array", "a list of " + strings.TrimPrefix(strings.TrimPrefix(p, "a "), "an ") + "s"
	case reflect.Struct, reflect.Map:
		return "object", "an object"
	}
	return t.Kind().String(), "a " + t.Kind().String()
}

// nullableValue finds the T of a Nullable[T] (a struct with a bool Set and
// a *T Value) whatever T is.
func nullableValue(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct || t.NumField() != 2 {
		return nil, false
	}
	set, ok1 := t.FieldByName("Set")
	val, ok2 := t.FieldByName("Value")
	if !ok1 || !ok2 || set.Type.Kind() != reflect.Bool || val.Type.Kind() != reflect.Pointer {
		return nil, false
	}
	return val.Type.Elem(), true
}

var ruleMessages = map[string]string{
	"required": "This field is required.",
	"email":    "Must be a valid e-mail address.",
	"uuid":     "Must be a UUID.",
	"dive":     "Has an invalid item.",
	// An admin never sets a password.
	"invitation_only": "Admins do not set passwords: the user sets one from the invitation link. Send a new link with POST /api/v1/users/{id}/invitation.",
}

func validateStruct(dst any) error {
	err := validate.Struct(dst)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	var fields apperr.Fields
	for _, fe := range verrs {
		code, msg, params := ruleError(fe)
		fields.AddP(fieldPath(fe), code, msg, params)
	}
	return fields.Err()
}

// ruleError turns a failed validator tag into a code, an English message
// and the params the message is made of. min and max count characters of a
// string and items of a list, and bound a number.
func ruleError(fe validator.FieldError) (code, msg string, params map[string]any) {
	param := fe.Param()
	n, numErr := strconv.Atoi(param)
	unit := ""
	switch fe.Kind() {
	case reflect.String:
		unit = " characters"
	case reflect.Slice, reflect.Array, reflect.Map:
		unit = " items"
	}
	switch {
	case fe.Tag() == "oneof":
		opts := strings.Fields(param)
		return apperr.CodeOneOf, "Must be one of: " + strings.Join(opts, ", ") + ".", apperr.Options(opts...)
	case numErr != nil:
	case fe.Tag() == "max" && unit != "":
		return apperr.CodeMax, fmt.Sprintf("Must be at most %d%s.", n, unit), apperr.Max(n)
	case fe.Tag() == "min" && unit != "":
		return "min", fmt.Sprintf("Must be at least %d%s.", n, unit), map[string]any{"min": n}
	case fe.Tag() == "min" || fe.Tag() == "gte":
		return apperr.CodeRange, fmt.Sprintf("Must be at least %d.", n), map[string]any{"min": n}
	case fe.Tag() == "max" || fe.Tag() == "lte":
		return apperr.CodeRange, fmt.Sprintf("Must be at most %d.", n), map[string]any{"max": n}
	}
	msg, ok := ruleMessages[fe.Tag()]
	if !ok {
		msg = "Is not valid."
	}
	return fe.Tag(), msg, nil
}

// fieldPath turns "userCreate.team_ids[0]" into "team_ids[0]".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// Nullable distinguishes an absent field (Set=false) from an explicit null.
type Nullable[T any] struct {
	Set   bool
	Value *T
}

// UnmarshalJSON is only called for keys present in the body.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		n.Value = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}
