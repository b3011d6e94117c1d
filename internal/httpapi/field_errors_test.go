package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/testutil"
)

// fieldErrors returns the problem's errors by field.
func fieldErrors(t *testing.T, r testutil.Response) map[string]map[string]any {
	t.Helper()
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %d %s", r.Status, r.Body)
	}
	out := map[string]map[string]any{}
	for _, e := range r.JSON(t)["errors"].([]any) {
		fe := e.(map[string]any)
		out[fe["field"].(string)] = fe
	}
	return out
}

// wantFieldError checks one field's code and params (numbers compare as JSON numbers).
func wantFieldError(t *testing.T, r testutil.Response, field, code string, params map[string]any) map[string]any {
	t.Helper()
	fe, ok := fieldErrors(t, r)[field]
	if !ok {
		t.Fatalf("no error for %s in %s", field, r.Body)
	}
	if fe["code"] != code {
		t.Errorf("%s: code %v, want %s (%s)", field, fe["code"], code, r.Body)
	}
	got, _ := fe["params"].(map[string]any)
	for k, want := range params {
		if fmt.Sprint(got[k]) != fmt.Sprint(want) {
			t.Errorf("%s: params.%s = %v, want %v (%s)", field, k, got[k], want, r.Body)
		}
	}
	return fe
}

func TestFieldErrorsArePrecise(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		as := api.Bearer(chw)
		year := time.Now().Year()

		t.Run("client name too long", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": strings.Repeat("a", 101), "confirm_duplicate": true}, as)
			fe := wantFieldError(t, r, "given_name", "max", map[string]any{"max": 100})
			if fe["message"] != "Must be at most 100 characters." {
				t.Errorf("message %v", fe["message"])
			}
		})
		t.Run("birth year out of range", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amal", "birth_year": 1800, "confirm_duplicate": true}, as)
			wantFieldError(t, r, "birth_year", "range", map[string]any{"min": 1900, "max": year})
		})
		t.Run("bad phone", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amal", "phone": "12", "confirm_duplicate": true}, as)
			wantFieldError(t, r, "phone", "phone", map[string]any{"example": "0470 12 34 56"})
		})
		t.Run("wrong type for a nullable number", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", `{"given_name":"Amal","birth_year":"1980"}`, as)
			fe := wantFieldError(t, r, "birth_year", "type", map[string]any{"expected": "integer or null"})
			if fe["message"] == "Must be an object." || fe["message"] != "Must be a whole number or null." {
				t.Errorf("message %v", fe["message"])
			}
		})
		t.Run("wrong type for a nullable string and a list", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", `{"given_name":"Amal","phone":5,"spoken_languages":"ar"}`, as)
			wantFieldError(t, r, "phone", "type", map[string]any{"expected": "string or null"})
			wantFieldError(t, r, "spoken_languages", "type", map[string]any{"expected": "array"})
		})
		t.Run("empty spoken language is required", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": "Amal", "spoken_languages": []string{" ", strings.Repeat("x", 41)}, "confirm_duplicate": true}, as)
			wantFieldError(t, r, "spoken_languages[0]", "required", nil)
			wantFieldError(t, r, "spoken_languages[1]", "max", map[string]any{"max": 40})
		})

		client := newClient(t, api, chw, map[string]any{"given_name": "Field", "family_name": "Errors"})
		t.Run("appointment in the spring clock gap", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": client, "starts_at_local": "2027-03-28T02:30", "duration_minutes": 30}, as)
			wantFieldError(t, r, "starts_at_local", "time_gap", nil)
		})
		t.Run("appointment duration out of range", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": client, "starts_at_local": "2027-04-28T10:30", "duration_minutes": 1}, as)
			wantFieldError(t, r, "duration_minutes", "range", map[string]any{"min": 5, "max": 600})
		})
		t.Run("empty referral reason", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": client, "provider_type": "dentist", "reason": "   "}, as)
			wantFieldError(t, r, "reason", "required", nil)
		})
		t.Run("referral reason too long", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": client, "provider_type": "dentist", "reason": strings.Repeat("r", 1001), "urgency": "now"}, as)
			wantFieldError(t, r, "reason", "max", map[string]any{"max": 1000})
			fe := wantFieldError(t, r, "urgency", "oneof", nil)
			if fmt.Sprint(fe["params"]) != "map[options:[routine soon urgent]]" {
				t.Errorf("urgency params %v", fe["params"])
			}
		})
		t.Run("empty referral reason on update", func(t *testing.T) {
			made := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": client, "provider_type": "dentist", "reason": "GMD"}, as)
			if made.Status != http.StatusCreated {
				t.Fatalf("create referral: %d %s", made.Status, made.Body)
			}
			r := api.Do("PATCH", "/api/v1/referrals/"+made.JSON(t)["id"].(string), map[string]any{"reason": ""}, as)
			wantFieldError(t, r, "reason", "required", nil)
		})
		t.Run("validator tags max and oneof", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/users", map[string]any{"email": "tags@example.org", "name": strings.Repeat("n", 201), "role": "boss",
				"language": "es", "password": "long-enough-pw"}, api.Bearer(admin))
			wantFieldError(t, r, "name", "max", map[string]any{"max": 200})
			fe := wantFieldError(t, r, "language", "oneof", nil)
			if fmt.Sprint(fe["params"]) != "map[options:[nl fr de en]]" {
				t.Errorf("language params %v", fe["params"])
			}
			if fe := wantFieldError(t, r, "role", "oneof", nil); fmt.Sprint(fe["params"]) != "map[options:[chw coordinator manager admin dpo]]" {
				t.Errorf("role params %v", fe["params"])
			}
		})
		t.Run("an admin cannot set a password", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/users", map[string]any{"email": "tags@example.org", "name": "N", "role": "admin", "password": "short"}, api.Bearer(admin))
			wantFieldError(t, r, "password", "invitation_only", nil)
		})
		t.Run("empty user name is required", func(t *testing.T) {
			r := api.Do("PATCH", "/api/v1/me", map[string]any{"name": "  "}, as)
			wantFieldError(t, r, "name", "required", nil)
		})
		t.Run("empty visit topic is required", func(t *testing.T) {
			r := api.Do("POST", "/api/v1/clients/"+client+"/visits", map[string]any{"mode": "home", "duration_minutes": 721, "topics": []string{""}}, as)
			wantFieldError(t, r, "topics[0]", "required", nil)
			wantFieldError(t, r, "duration_minutes", "range", map[string]any{"min": 1, "max": 720})
		})
	})
}
