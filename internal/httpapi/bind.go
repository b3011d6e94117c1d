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
	"strings"

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
			fields.Add(k, "type", "Must be "+typeName(fv.Type())+".")
		}
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

func typeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeOf(Nullable[string]{}) {
		return "a string or null"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(typeName(t.Elem()), "a ") + "s"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + t.Kind().String()
}

var ruleMessages = map[string]string{
	"required": "This field is required.",
	"email":    "Must be a valid e-mail address.",
	"uuid":     "Must be a UUID.",
	"oneof":    "Must be one of: %s.",
	"min":      "Must be at least %s (characters or items).",
	"max":      "Must be at most %s (characters or items).",
	"gte":      "Must be at least %s.",
	"lte":      "Must be at most %s.",
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
		name := fieldPath(fe)
		msg, ok := ruleMessages[fe.Tag()]
		if !ok {
			msg = "Is not valid."
		}
		if strings.Contains(msg, "%s") {
			msg = fmt.Sprintf(msg, strings.ReplaceAll(fe.Param(), " ", ", "))
		}
		fields.Add(name, fe.Tag(), msg)
	}
	return fields.Err()
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
