package httpapi

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/textpolicy"
)

// checkTexts applies the text policy to every string inside a bound
// field's value (nested objects, lists and maps included), naming each bad
// one by its path: "barriers[0].detail".
func checkTexts(path string, v reflect.Value, f *apperr.Fields) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkTexts(path, v.Elem(), f)
		}
	case reflect.String:
		name := path
		if i := strings.LastIndexAny(name, ".]"); i >= 0 && name[i] == '.' {
			name = name[i+1:]
		}
		name, _, _ = strings.Cut(name, "[")
		if bad := textpolicy.Check(v.String(), textpolicy.KindOf(name)); !bad.OK() && !f.Has(path) {
			f.AddP(path, bad.Code, bad.Message, bad.Params())
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			checkTexts(fmt.Sprintf("%s[%d]", path, i), v.Index(i), f)
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		for _, k := range keys {
			kp := fmt.Sprintf("%s.%v", path, k)
			if k.Kind() == reflect.String {
				if bad := textpolicy.Check(k.String(), textpolicy.Line); !bad.OK() {
					f.AddP(path, bad.Code, bad.Message, bad.Params())
					continue
				}
			}
			checkTexts(kp, v.MapIndex(k), f)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			switch {
			case name == "-":
				continue
			case name == "" && (sf.Name == "Value" || sf.Name == "Set" || sf.Anonymous):
				// Nullable[T].Value and embedded structs speak for the field itself.
				checkTexts(path, v.Field(i), f)
			case name != "":
				checkTexts(path+"."+name, v.Field(i), f)
			}
		}
	}
}

// checkQueryTexts refuses query parameters that break the text policy
// (`q=%00` would reach PostgreSQL as a NUL and fail there).
func checkQueryTexts(c echo.Context) error {
	var f apperr.Fields
	params := c.QueryParams()
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, val := range params[k] {
			if bad := textpolicy.Check(val, textpolicy.Line); !bad.OK() && !f.Has(k) {
				f.AddP(k, bad.Code, bad.Message, bad.Params())
			}
		}
	}
	return f.Err()
}
