package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

func TestPolicySignal(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(time.Date(2026, 8, 12, 9, 0, 0, 0, time.UTC))
		// Gent signals 6 financial barriers, each described; Liège 2.
		signal := func(as, category, name, detail string) {
			id := newClient(t, api, as, map[string]any{"given_name": name, "family_name": "Vandenberghe"})
			b := api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": category, "detail": detail}, api.Bearer(as))
			if b.Status != 201 {
				t.Fatal(b.Status, string(b.Body))
			}
			if r := api.Do("PATCH", "/api/v1/clients/"+id+"/barriers/"+b.JSON(t)["id"].(string), map[string]any{"status": "signalled"}, api.Bearer(as)); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		for i := 0; i < 7; i++ {
			signal(chw, "financial", fmt.Sprintf("Zoë%d", i), fmt.Sprintf("Zoë%d Vandenberghe kan het remgeld bij de tandarts niet voorschieten; derdebetaler wordt geweigerd.", i))
		}
		for i := 0; i < 6; i++ {
			signal(chw, "administrative", fmt.Sprintf("Quinten%d", i), "")
			signal(chwLiege, "language", fmt.Sprintf("Lang%d", i), "Pas d'interprète disponible aux urgences.")
		}
		signal(chw, "digital", "Aline", "Geen wifi in het OCMW-loket; Aline kon geen afspraak online maken.")
		signal(chw, "digital", "Brice", "")
		// Outside the quarter: not counted.
		api.Clock.Set(time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC))
		signal(chw, "financial", "Later", "Later signal.")

		q := "/api/v1/reports/policy-signal?period=2026-Q3"
		coordBody := string(api.Do("GET", q+"&lang=nl", nil, api.Bearer(coord)).Body)
		for _, want := range []string{`"name":"Vlaanderen"`, `"code":"financial"`, `"count":{"value":7}`, `"count":{"value":2}`, "kan het remgeld bij de tandarts niet voorschieten", `"exact":true`} {
			if !strings.Contains(coordBody, want) {
				t.Errorf("coordinator lacks %s: %s", want, coordBody)
			}
		}
		for _, leak := range []string{"Zoë", "Vandenberghe", "Later", "Wallonie", "Aline", "Quinten"} {
			if strings.Contains(coordBody, leak) {
				t.Errorf("coordinator's signal holds %q: %s", leak, coordBody)
			}
		}
		mgrBody := string(api.Do("GET", q+"&lang=fr", nil, api.Bearer(mgr)).Body)
		for _, want := range []string{`"name":"Flandre"`, `"name":"Wallonie"`, `"count":{"value":5}`, `{"value":null,"suppressed":true}`, "Pas d'interprète", "remgeld"} {
			if !strings.Contains(mgrBody, want) {
				t.Errorf("manager lacks %s: %s", want, mgrBody)
			}
		}
		// A hidden count carries no words either.
		if strings.Contains(mgrBody, "wifi") || strings.Contains(mgrBody, "Aline") || strings.Contains(mgrBody, "Zoë") {
			t.Errorf("a suppressed signal shows its description, or a name shows: %s", mgrBody)
		}
		pdf := api.Do("GET", q+"&format=pdf&lang=de", nil, api.Bearer(mgr))
		if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf.Body), "%PDF-") {
			t.Fatalf("pdf: %d %s %.20q", pdf.Status, pdf.Header.Get("Content-Type"), pdf.Body)
		}
		chwJSON := string(api.Do("GET", q, nil, api.Bearer(chw)).Body)
		if !strings.Contains(chwJSON, `"count":{"value":7}`) {
			t.Errorf("a CHW's own signals are exact on screen: %s", chwJSON)
		}
		var exports int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'report.export' AND entity_id = 'policy_signal'").Count(&exports)
		if exports != 1 {
			t.Errorf("pdf exports audited: %d", exports)
		}
		r := api.Do("GET", "/api/v1/reports/policy-signal?period=2026-Q5&format=docx&lang=xx", nil, api.Bearer(mgr))
		if r.Status != 422 {
			t.Fatalf("bad input: %d %s", r.Status, r.Body)
		}
		for _, f := range []string{"period", "format", "lang"} {
			if !strings.Contains(string(r.Body), `"field":"`+f+`"`) {
				t.Errorf("bad input does not name %s: %s", f, r.Body)
			}
		}
		if r := api.Do("GET", q, nil, api.Bearer(admin)); r.Status != 403 {
			t.Errorf("admin: %d", r.Status)
		}
		// Without a period: the last full quarter (the clock is in Q4).
		if body := string(api.Do("GET", "/api/v1/reports/policy-signal", nil, api.Bearer(coord)).Body); !strings.Contains(body, `"from":"2026-07-01"`) || !strings.Contains(body, `"to":"2026-09-30"`) {
			t.Errorf("default period: %s", body)
		}
	})
}
