package httpapi_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/testutil"
)

// A fixture: in Gent, 6 clients with a financial barrier and 2 with a
// language barrier (chw.gent1); in Liège, 7 clients with a financial one.
func reportFixture(t *testing.T, api *testutil.API) {
	t.Helper()
	add := func(as, category string, n int) {
		for i := 0; i < n; i++ {
			id := newClient(t, api, as, map[string]any{"given_name": fmt.Sprintf("R%s%d", category, i)})
			r := api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": category}, api.Bearer(as))
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
	}
	add(chw, "financial", 6)
	add(chw, "language", 2)
	add(chwLiege, "financial", 7)
}

func TestBarrierReport(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		reportFixture(t, api)
		today := api.Clock.Now().Format("2006-01-02")
		q := "/api/v1/reports/barriers?from=" + today + "&to=" + today
		api.Run(t, []testutil.Scenario{
			{Name: "programme manager, by team", Method: "GET", Path: q + "&group_by=team", As: mgr, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				body := string(r.Body)
				// 2 language barriers in Gent are hidden, and so is enough
				// else (6, 7, the totals) that 2 cannot be recomputed; the
				// grand total of 15 stays.
				for _, want := range []string{`"label":"Gent"`, `"label":"Liège"`, `{"value":null,"suppressed":true}`, `"grand_total":{"value":15}`} {
					if !strings.Contains(body, want) {
						t.Errorf("lacks %s: %s", want, body)
					}
				}
				if strings.Count(body, `"label":"Gent"`) != 1 { // one row in "detected"; nothing addressed or resolved yet
					t.Errorf("Gent is not one row per table: %s", body)
				}
				if strings.Contains(body, `{"value":2}`) || strings.Contains(body, `{"value":8}`) || strings.Contains(body, `{"value":6}`) || strings.Contains(body, "Rfinancial") {
					t.Errorf("reveals a small count, a way to recompute one, or a name: %s", body)
				}
			}},
			{Name: "a larger group keeps its numbers", Method: "GET", Path: q + "&group_by=none&team_id=" + teamID(t, api, "liege"), As: mgr, Status: 200,
				Contains: []string{`"cells":[{"value":5}`}}, // 7, rounded to a multiple of 5
			{Name: "coordinator sees only Gent", Method: "GET", Path: q, As: coord, Status: 200, Contains: []string{`"label":"Gent"`}, Excludes: []string{"Liège"}},
			{Name: "coordinator of another team's filter", Method: "GET", Path: q + "&team_id=" + teamID(t, api, "liege"), As: coord, Status: 422, Fields: []string{"team_id"}},
			{Name: "a CHW sees their own", Method: "GET", Path: q + "&group_by=none", As: chw, Status: 200, Contains: []string{`"grand_total":{"value":10}`}, Excludes: []string{`{"value":2}`}}, // 8, rounded
			{Name: "admins see no reports", Method: "GET", Path: q, As: admin, Status: 403},
			{Name: "bad parameters, every one named", Method: "GET", Path: "/api/v1/reports/barriers?group_by=street&from=2026-13-01&team_id=x&format=pdf", As: mgr, Status: 422,
				Fields: []string{"format"}},
			{Name: "bad parameters 2", Method: "GET", Path: "/api/v1/reports/barriers?group_by=street&from=2026-13-01&team_id=x", As: mgr, Status: 422,
				Fields: []string{"group_by", "from", "team_id"}},
			{Name: "from after to", Method: "GET", Path: "/api/v1/reports/barriers?from=2026-05-01&to=2026-04-01", As: mgr, Status: 422, Fields: []string{"from"}},
			{Name: "over five years", Method: "GET", Path: "/api/v1/reports/barriers?from=2015-01-01&to=2026-01-01", As: mgr, Status: 422, Fields: []string{"to"}},
			{Name: "csv", Method: "GET", Path: q + "&format=csv", As: mgr, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				body := string(r.Body)
				if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(body, "detected,Liège,suppressed,") || !strings.Contains(body, "suppressed") {
					t.Fatalf("csv: %s", body)
				}
			}},
		})
		x := api.Do("GET", q+"&format=xlsx", nil, api.Bearer(mgr))
		if x.Status != 200 || !strings.HasPrefix(string(x.Body), "PK") {
			t.Fatalf("xlsx: %d %.40q", x.Status, x.Body)
		}
		book, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := book.GetRows("detected")
		if len(rows) < 3 || rows[0][0] != "group" || !strings.Contains(strings.Join(rows[len(rows)-1], ","), "15") {
			t.Fatalf("xlsx rows: %v", rows)
		}
		var exports int64
		api.DB.Gorm.Model(&model.AuditEvent{}).Where("action = 'report.export'").Count(&exports)
		if exports != 2 {
			t.Fatalf("exports audited: %d", exports)
		}
		// A fund manager only counts the clients of their fund's CHWs: none here.
		var cm model.Fund
		api.DB.Gorm.Where("code = 'cm'").Take(&cm)
		gent1 := myID(t, api, chw)
		api.DB.Gorm.Model(&model.User{}).Where("id = ?", gent1).Update("fund_id", cm.ID)
		r := api.Do("POST", "/api/v1/users", map[string]any{"email": "fundmgr@example.org", "name": "Fund Manager", "role": "manager",
			"fund_id": cm.ID, "password": "a-long-password"}, api.Bearer(admin))
		if r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		tok := api.Login("fundmgr@example.org", "a-long-password").JSON(t)["access_token"].(string)
		body := string(api.Do("GET", q+"&group_by=team", nil, bearer(tok)).Body)
		if !strings.Contains(body, `"label":"Gent"`) || strings.Contains(body, "Liège") {
			t.Fatalf("fund manager's scope: %s", body)
		}
		_ = time.Now
	})
}

func TestActivityReport(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		// 6 clients in Gent with a home visit (inform), one closed later.
		var ids []string
		for i := 0; i < 6; i++ {
			id := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("Act%d", i)})
			ids = append(ids, id)
			if r := api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 30, "missions": []string{"inform"}}, api.Bearer(chw)); r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		// Three more visits to the first: 9 visits by 6 people.
		for i := 0; i < 3; i++ {
			api.Do("POST", "/api/v1/clients/"+ids[0]+"/visits", map[string]any{"mode": "home", "duration_minutes": 10, "missions": []string{"inform"}}, api.Bearer(chw))
		}
		api.Do("PATCH", "/api/v1/clients/"+ids[0], map[string]any{"status": "closed", "close_reason": "moved"}, api.Bearer(chw))
		today := api.Clock.Now().Format("2006-01-02")
		r := api.Do("GET", "/api/v1/reports/activity?group_by=team&from="+today+"&to="+today, nil, api.Bearer(mgr))
		if r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		var body struct {
			Tables []struct {
				Name    string
				Columns []string
				Rows    []struct {
					Label string
					Cells []map[string]any
				}
			}
		}
		if err := jsonUnmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		cell := func(table, label, col string) any {
			for _, tb := range body.Tables {
				if tb.Name != table {
					continue
				}
				for _, row := range tb.Rows {
					if row.Label != label {
						continue
					}
					for j, c := range tb.Columns {
						if c == col {
							if row.Cells[j]["suppressed"] == true {
								return "suppressed"
							}
							return row.Cells[j]["value"]
						}
					}
				}
			}
			return nil
		}
		// Shown rounded to a multiple of 5: 9 visits read 10, 6 clients read 5.
		if v := cell("visits_by_mode", "Gent", "home"); v != float64(10) {
			t.Errorf("home visits in Gent: %v", v)
		}
		if v := cell("visits_by_mission", "Gent", "inform"); v != float64(10) {
			t.Errorf("inform visits in Gent: %v", v)
		}
		if v := cell("new_clients", "Gent", "outreach"); v != float64(5) {
			t.Errorf("new clients in Gent: %v", v)
		}
		if v := cell("clients_active", "Gent", "active"); v != float64(5) { // people, not visits
			t.Errorf("active clients in Gent: %v", v)
		}
		if v := cell("clients_closed", "Gent", "closed"); v != "suppressed" {
			t.Errorf("one closed client must be suppressed: %v", v)
		}
		if strings.Contains(string(r.Body), "Act0") {
			t.Fatal("a name in a report")
		}
	})
}

// Periods are the same on both engines, ISO weeks included.
func TestReportPeriods(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		// 2027-01-01 is a Friday: ISO week 53 of 2026, quarter 1 of 2027.
		api.Clock.Set(time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC))
		for i := 0; i < 5; i++ {
			id := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("P%d", i)})
			api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": "trust"}, api.Bearer(chw))
		}
		want := map[string]string{"week": "2026-W53", "month": "2027-01", "quarter": "2027-Q1", "team": teamID(t, api, "gent"),
			"neighbourhood": "", "fund": "", "none": "all", "municipality": ""}
		for g, key := range want {
			body := string(api.Do("GET", "/api/v1/reports/barriers?from=2026-12-01&to=2027-01-31&group_by="+g, nil, api.Bearer(mgr)).Body)
			if !strings.Contains(body, `"key":"`+key+`"`) {
				t.Errorf("%s: want key %s in %s", g, key, body)
			}
		}
	})
}

func TestMedianDaysToAppointment(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		start := api.Clock.Now()
		// Five referrals, appointments 2, 4, 6, 8 and 30 days later: median 6.
		for i, d := range []int{2, 4, 6, 8, 30} {
			cl := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("M%d", i)})
			ref := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": cl, "provider_type": "gp", "reason": "r", "send": true}, api.Bearer(chw)).JSON(t)["id"].(string)
			r := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": cl, "referral_id": ref,
				"starts_at": start.Add(time.Duration(d) * 24 * time.Hour).Format(time.RFC3339)}, api.Bearer(chw))
			if r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		day := start.Format("2006-01-02")
		body := string(api.Do("GET", "/api/v1/reports/activity?group_by=team&from="+day+"&to="+day, nil, api.Bearer(mgr)).Body)
		if !strings.Contains(body, `"median_days_referral_to_appointment":[{"key":`) || !strings.Contains(body, `"days":6`) {
			t.Fatalf("median: %s", body)
		}
		// Of fewer referrals than the threshold, it is hidden.
		body = string(api.Do("GET", "/api/v1/reports/activity?group_by=team&from="+day+"&to="+day, nil, api.Bearer(coordLiege)).Body)
		if strings.Contains(body, `"days":`) {
			t.Fatalf("Liège has no referrals: %s", body)
		}
	})
}
