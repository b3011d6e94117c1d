package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// One text policy for every text field, the same on both engines: NUL,
// control, bidi and invisible characters are refused with 422 naming the
// field (newlines only in notes), names need a visible letter, and nothing
// is stored. Before it, a NUL answered 500 on PostgreSQL and was stored by
// SQLite, and "\u200b" made an invisible client.
func TestTextInputPolicy(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Tekst", "family_name": "Beleid"})
		count := func(table string) int64 {
			var n int64
			api.DB.Gorm.Table(table).Count(&n)
			return n
		}
		clients, visits := count("clients"), count("visits")
		csv := map[string]string{"Content-Type": "text/csv"}
		type want struct{ field, code, reason string }
		cases := []struct {
			name   string
			method string
			path   string
			body   any
			hdr    map[string]string
			want   want
		}{
			{"NUL in a name", "POST", "/api/v1/clients", map[string]any{"given_name": "Ann\u0000a"}, nil, want{"given_name", "characters", "control"}},
			{"an invisible name", "POST", "/api/v1/clients", map[string]any{"given_name": "\u200b"}, nil, want{"given_name", "characters", "invisible"}},
			{"a bidi override in a name", "POST", "/api/v1/clients", map[string]any{"given_name": "Anna\u202eXYZ"}, nil, want{"given_name", "characters", "bidi"}},
			{"a newline in a name", "POST", "/api/v1/clients", map[string]any{"given_name": "Anna", "family_name": "Peeters\r\nX"}, nil, want{"family_name", "characters", "newline"}},
			{"a name without a letter", "POST", "/api/v1/clients", map[string]any{"given_name": "-- --"}, nil, want{"given_name", "visible_letter", ""}},
			{"invalid UTF-8", "POST", "/api/v1/clients", []byte("{\"given_name\":\"Ann\xffa\"}"), nil, want{"given_name", "encoding", ""}},
			{"a lone surrogate", "POST", "/api/v1/clients", `{"given_name":"Ann\ud800a"}`, nil, want{"given_name", "encoding", ""}},
			{"NUL in a visit note", "POST", "/api/v1/clients/" + cl + "/visits", map[string]any{"mode": "home", "duration_minutes": 30, "note": "a\u0000b"}, nil, want{"note", "characters", "control"}},
			{"a nested barrier detail", "POST", "/api/v1/clients/" + cl + "/visits", map[string]any{"mode": "home", "duration_minutes": 30,
				"barriers": []map[string]any{{"category": "financial", "detail": "x\u2066y"}}}, nil, want{"barriers[0].detail", "characters", "bidi"}},
			{"a topic in a list", "POST", "/api/v1/clients/" + cl + "/visits", map[string]any{"mode": "home", "duration_minutes": 30, "topics": []string{"GP", "a\nb"}}, nil, want{"topics[1]", "characters", "newline"}},
			{"CR in an appointment location", "POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": futureLocal(), "location": "Zaal 1\rX-INJECT:1"}, nil, want{"location", "characters", "newline"}},
			{"NUL in a search", "GET", "/api/v1/clients?q=%00", nil, nil, want{"q", "characters", "control"}},
			{"NUL in a provider search", "GET", "/api/v1/providers?q=a%00", nil, nil, want{"q", "characters", "control"}},
			{"NUL in a CSV cell", "POST", "/api/v1/providers/import", "name,type\nPraktijk\x00X,gp\n", csv, want{"rows[2].name", "characters", "control"}},
			{"an invisible CSV name", "POST", "/api/v1/providers/import", "name,type\n\u200b,gp\n", csv, want{"rows[2].name", "characters", "invisible"}},
		}
		for _, tc := range cases {
			as := chw
			if strings.Contains(tc.path, "providers") {
				as = coord
			}
			h := api.Bearer(as)
			for k, v := range tc.hdr {
				h[k] = v
			}
			r := api.Do(tc.method, tc.path, tc.body, h)
			if r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422: %s", tc.name, r.Status, r.Body)
				continue
			}
			found := false
			for _, e := range r.JSON(t)["errors"].([]any) {
				fe := e.(map[string]any)
				if fe["field"] != tc.want.field {
					continue
				}
				found = true
				reason := ""
				if p, ok := fe["params"].(map[string]any); ok {
					reason, _ = p["reason"].(string)
				}
				if fe["code"] != tc.want.code || reason != tc.want.reason {
					t.Errorf("%s: %s got %v/%q, want %s/%q", tc.name, tc.want.field, fe["code"], reason, tc.want.code, tc.want.reason)
				}
			}
			if !found {
				t.Errorf("%s: no error names %s: %s", tc.name, tc.want.field, r.Body)
			}
		}
		if count("clients") != clients || count("visits") != visits || count("providers") != 0 || count("appointments") != 0 {
			t.Fatalf("refused input was stored: clients %d→%d, visits %d→%d, providers %d, appointments %d",
				clients, count("clients"), visits, count("visits"), count("providers"), count("appointments"))
		}
		// What the policy allows still goes through, unchanged.
		note := "Eerste regel.\nTweede regel, met een tab:\tja."
		r := api.Do("POST", "/api/v1/clients/"+cl+"/visits", map[string]any{"mode": "home", "duration_minutes": 30, "note": note}, api.Bearer(chw))
		if r.Status != 201 || r.JSON(t)["note"] != note {
			t.Fatalf("a multi-line note: %d %s", r.Status, r.Body)
		}
		for _, name := range []string{"Clàire", "محمد", "می\u200cخواهم", "Ñúñez-Öztürk"} {
			if r := api.Do("POST", "/api/v1/clients", map[string]any{"given_name": name, "family_name": "Test"}, api.Bearer(chw)); r.Status != 201 {
				t.Errorf("name %q: %d %s", name, r.Status, r.Body)
			}
		}
	})
}

// A CR or a control character already stored (from before the policy, or written by SQL) cannot
// break out of its iCalendar property.
func TestCalendarTextIsEscaped(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		cl := newClient(t, api, chw, map[string]any{"given_name": "Kalender", "family_name": "Test"})
		r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "starts_at_local": futureLocal(), "location": "Zaal 1"}, api.Bearer(chw))
		if r.Status != 201 {
			t.Fatalf("appointment: %d %s", r.Status, r.Body)
		}
		id := r.JSON(t)["id"].(string)
		if err := api.DB.Gorm.Model(&model.Appointment{}).Where("id = ?", id).Update("location", "Zaal 1\rX-INJECT:1\x01;,\\").Error; err != nil {
			t.Fatal(err)
		}
		tok := api.Do(http.MethodPost, "/api/v1/calendar/token", map[string]any{}, api.Bearer(chw)).JSON(t)["token"].(string)
		feed := string(api.Do(http.MethodGet, "/api/v1/calendar/"+tok+".ics", nil, nil).Body)
		for _, line := range strings.Split(feed, "\r\n") {
			if strings.ContainsAny(line, "\r\x01") || strings.HasPrefix(line, "X-INJECT") {
				t.Fatalf("a stored CR or NUL broke the feed: %q", line)
			}
		}
		if !strings.Contains(feed, `LOCATION:Zaal 1\nX-INJECT:1\;\,\\`) {
			t.Fatalf("location not escaped per RFC 5545:\n%s", feed)
		}
	})
}

func futureLocal() string {
	at := time.Now().In(service.Brussels).AddDate(0, 0, 5)
	return fmt.Sprintf("%04d-%02d-%02dT10:00", at.Year(), at.Month(), at.Day())
}
