package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// workday is a fixed Wednesday morning, so report periods never depend on
// the hour the suite runs (a real clock after 23:00 UTC is already the
// next day in Brussels).
var workday = time.Date(2026, 11, 18, 9, 30, 0, 0, time.UTC)

// brusselsDay is the Brussels date of the API's clock.
func brusselsDay(api *testutil.API) string {
	return api.Clock.Now().In(store.Brussels).Format("2006-01-02")
}

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
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(workday)
		reportFixture(t, api)
		today := brusselsDay(api)
		q := "/api/v1/reports/barriers?from=" + today + "&to=" + today
		api.Run(t, []testutil.Scenario{
			{Name: "programme manager, by team", Method: "GET", Path: q + "&group_by=team", As: mgr, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				body := string(r.Body)
				// 2 language barriers in Gent are hidden, and so is enough
				// else (6, 7, the totals) that 2 cannot be recomputed; the
				// grand total of 15 stays.
				for _, want := range []string{`"label":"Gent"`, `"label":"Liège"`, `{"value":null,"suppressed":true}`, `"grand_total":{"value":15}`, `"exact":false`} {
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
			// A coordinator knows every client of the team: exact figures.
			{Name: "coordinator sees Gent exactly", Method: "GET", Path: q, As: coord, Status: 200,
				Contains: []string{`"label":"Gent"`, `"exact":true`, `"grand_total":{"value":8}`, `"cells":[{"value":6}`}, Excludes: []string{"Liège", "suppressed"}},
			{Name: "coordinator of another team's filter", Method: "GET", Path: q + "&team_id=" + teamID(t, api, "liege"), As: coord, Status: 422, Fields: []string{"team_id"}},
			{Name: "a CHW sees their own work exactly", Method: "GET", Path: q + "&group_by=none", As: chw, Status: 200,
				Contains: []string{`"grand_total":{"value":8}`, `{"value":2}`, `"exact":true`}},
			{Name: "a CHW's download leaves Brug: suppressed", Method: "GET", Path: q + "&group_by=none&format=csv", As: chw, Status: 200, Check: func(t *testing.T, r testutil.Response) {
				if !strings.Contains(string(r.Body), "detected,all,suppressed,") || !strings.Contains(string(r.Body), ",10\n") {
					t.Errorf("a download must be suppressed and rounded: %s", r.Body)
				}
			}},
			{Name: "admins see no reports", Method: "GET", Path: q, As: admin, Status: 403},
			{Name: "bad parameters, every one named", Method: "GET", Path: "/api/v1/reports/barriers?group_by=street&from=2026-13-01&team_id=x&format=pdf", As: mgr, Status: 422,
				Fields: []string{"format", "group_by", "from", "team_id"}},
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
		if exports != 3 {
			t.Fatalf("exports audited: %d", exports)
		}
		// A fund manager counts the work of their fund's CHWs at the time it
		// was done: none here, since no demo CHW had a fund.
		var cm model.Fund
		api.DB.Gorm.Where("code = 'cm'").Take(&cm)
		createUser(t, api, map[string]any{"email": "fundmgr@example.org", "name": "Fund Manager", "role": "manager",
			"fund_id": cm.ID}, "a-long-password")
		tok := api.Login("fundmgr@example.org", "a-long-password").JSON(t)["access_token"].(string)
		body := string(api.Do("GET", q+"&group_by=team", nil, bearer(tok)).Body)
		if strings.Contains(body, `"label":"Gent"`) || strings.Contains(body, "Liège") {
			t.Fatalf("a fund gained work done before its CHW joined it: %s", body)
		}
		// From now on chw.gent1 works for that fund: new work counts.
		gent1 := myID(t, api, chw)
		if r := api.Do("PATCH", "/api/v1/users/"+gent1, map[string]any{"fund_id": cm.ID}, api.Bearer(admin)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		for i := 0; i < 5; i++ {
			id := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("F%d", i)})
			api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": "digital"}, api.Bearer(chw))
		}
		body = string(api.Do("GET", q+"&group_by=team", nil, bearer(tok)).Body)
		if !strings.Contains(body, `"label":"Gent"`) || !strings.Contains(body, `"grand_total":{"value":5}`) || strings.Contains(body, "Liège") {
			t.Fatalf("fund manager's scope: %s", body)
		}
	})
}

// reportTable is the JSON shape of one report table.
type reportTable struct {
	Name    string
	Unit    string
	Columns []string
	Rows    []struct {
		Key   string
		Label string
		Cells []map[string]any
		Total map[string]any
	}
	Totals     []map[string]any
	GrandTotal map[string]any `json:"grand_total"`
}

type reportBody struct {
	Exact  bool
	Tables []reportTable
}

func getReport(t *testing.T, api *testutil.API, as, path string) reportBody {
	t.Helper()
	r := api.Do("GET", path, nil, api.Bearer(as))
	if r.Status != 200 {
		t.Fatalf("%s as %s: %d %s", path, as, r.Status, r.Body)
	}
	var body reportBody
	if err := jsonUnmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

// cell reads a table's cell by row label and column ("suppressed" when
// hidden, nil when absent).
func (b reportBody) cell(table, label, col string) any {
	for _, tb := range b.Tables {
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

func (b reportBody) table(name string) reportTable {
	for _, tb := range b.Tables {
		if tb.Name == name {
			return tb
		}
	}
	return reportTable{}
}

func TestActivityReport(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(workday)
		// 6 clients in Gent with a home visit (inform + support; the
		// last two detect too), one closed later.
		var ids []string
		for i := 0; i < 6; i++ {
			id := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("Act%d", i)})
			ids = append(ids, id)
			missions := []string{"inform", "support"}
			if i >= 4 {
				missions = append(missions, "detect")
			}
			if r := api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": "home", "duration_minutes": 30, "missions": missions,
				"topics": []string{"dental care"}}, api.Bearer(chw)); r.Status != 201 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		// Three more visits to the first: 9 visits by 6 people.
		for i := 0; i < 3; i++ {
			api.Do("POST", "/api/v1/clients/"+ids[0]+"/visits", map[string]any{"mode": "home", "duration_minutes": 10, "missions": []string{"inform"}}, api.Bearer(chw))
		}
		api.Do("PATCH", "/api/v1/clients/"+ids[0], map[string]any{"status": "closed", "close_reason": "moved"}, api.Bearer(chw))
		today := brusselsDay(api)
		q := "/api/v1/reports/activity?group_by=team&from=" + today + "&to=" + today
		m := getReport(t, api, mgr, q)
		// Shown rounded to a multiple of 5: 9 visits read 10, 6 clients read 5.
		for _, c := range []struct {
			table, col string
			want       any
		}{
			{"visits_by_mode", "home", float64(10)},
			{"mission_touches", "inform", float64(10)},  // 9
			{"mission_touches", "detect", "suppressed"}, // 2
			{"topic_touches", "dental care", float64(5)},
			{"new_clients", "outreach", float64(5)},
			{"clients_active", "active", float64(5)}, // people, not visits
			{"clients_closed", "closed", "suppressed"},
		} {
			if v := m.cell(c.table, "Gent", c.col); v != c.want {
				t.Errorf("manager: %s %s in Gent: %v, want %v", c.table, c.col, v, c.want)
			}
		}
		if u := m.table("mission_touches").Unit; u != "mission_touches" {
			t.Errorf("mission table unit %q: its total is touches, not visits", u)
		}
		// The coordinator and the CHW see the exact numbers.
		for _, as := range []string{coord, chw} {
			e := getReport(t, api, as, q)
			if !e.Exact {
				t.Errorf("%s: not exact", as)
			}
			for _, c := range []struct {
				table, col string
				want       float64
			}{{"visits_by_mode", "home", 9}, {"mission_touches", "inform", 9}, {"mission_touches", "support", 6}, {"mission_touches", "detect", 2},
				{"clients_active", "active", 6}, {"clients_closed", "closed", 1}, {"topic_touches", "dental care", 6}} {
				if v := e.cell(c.table, "Gent", c.col); v != c.want {
					t.Errorf("%s: %s %s: %v, want %v", as, c.table, c.col, v, c.want)
				}
			}
			if g := e.table("mission_touches").GrandTotal["value"]; g != float64(17) {
				t.Errorf("%s: mission touches total %v, want 9+6+2", as, g)
			}
		}
		if strings.Contains(string(api.Do("GET", q, nil, api.Bearer(mgr)).Body), "Act0") {
			t.Fatal("a name in a report")
		}
	})
}

// Periods are Brussels periods on both engines, across both changes of the
// clock: an instant 30 minutes after local midnight belongs to the local day.
func TestReportPeriodsInBrussels(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		cases := []struct {
			name string
			at   time.Time // UTC
			keys map[string]string
		}{
			// 00:30 CET on the Sunday summer time starts.
			{"spring forward", time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC),
				map[string]string{"day": "2026-03-29", "week": "2026-W13", "month": "2026-03", "quarter": "2026-Q1", "year": "2026"}},
			// 00:30 CEST on 1 April: a new month and quarter in Brussels, still March in UTC.
			{"month and quarter", time.Date(2026, 3, 31, 22, 30, 0, 0, time.UTC),
				map[string]string{"day": "2026-04-01", "week": "2026-W14", "month": "2026-04", "quarter": "2026-Q2", "year": "2026"}},
			// 00:30 CEST on the Sunday summer time ends.
			{"fall back", time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC),
				map[string]string{"day": "2026-10-25", "week": "2026-W43", "month": "2026-10", "quarter": "2026-Q4", "year": "2026"}},
			// 00:30 CET on the Monday after: a new ISO week.
			{"after fall back", time.Date(2026, 10, 25, 23, 30, 0, 0, time.UTC),
				map[string]string{"day": "2026-10-26", "week": "2026-W44", "month": "2026-10", "quarter": "2026-Q4", "year": "2026"}},
			// 00:30 on New Year's Day: 2027 in Brussels, ISO week 53 of 2026.
			{"new year", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC),
				map[string]string{"day": "2027-01-01", "week": "2026-W53", "month": "2027-01", "quarter": "2027-Q1", "year": "2027"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				api := testutil.NewAPI(t, engine)
				api.Clock.Set(c.at)
				for i := 0; i < 5; i++ {
					id := newClient(t, api, chw, map[string]any{"given_name": fmt.Sprintf("P%d", i)})
					api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": "trust"}, api.Bearer(chw))
				}
				wide := "/api/v1/reports/barriers?from=" + c.at.AddDate(0, -2, 0).Format("2006-01-02") + "&to=" + c.at.AddDate(0, 2, 0).Format("2006-01-02")
				for g, key := range c.keys {
					b := getReport(t, api, coord, wide+"&group_by="+g)
					if v := b.cell("detected", key, "trust"); v != float64(5) {
						t.Errorf("%s: want 5 under %s, got %v: %+v", g, key, v, b.table("detected").Rows)
					}
				}
				// The period's days are Brussels days too.
				day := c.keys["day"]
				if v := getReport(t, api, coord, "/api/v1/reports/barriers?group_by=none&from="+day+"&to="+day).cell("detected", "all", "trust"); v != float64(5) {
					t.Errorf("the local day %s lacks the barriers: %v", day, v)
				}
				utcDay := c.at.Format("2006-01-02")
				if v := getReport(t, api, coord, "/api/v1/reports/barriers?group_by=none&from="+utcDay+"&to="+utcDay).cell("detected", "all", "trust"); v != nil {
					t.Errorf("the UTC day %s holds the barriers: %v", utcDay, v)
				}
			})
		}
	})
}

func TestMedianDaysToAppointment(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		api.Clock.Set(workday)
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
		day := brusselsDay(api)
		body := string(api.Do("GET", "/api/v1/reports/activity?group_by=team&from="+day+"&to="+day, nil, api.Bearer(mgr)).Body)
		if !strings.Contains(body, `"median_days_referral_to_appointment":[{"key":`) || !strings.Contains(body, `"days":6`) {
			t.Fatalf("median: %s", body)
		}
		// Of fewer referrals than the threshold, it is hidden from a manager.
		body = string(api.Do("GET", "/api/v1/reports/activity?group_by=team&from="+day+"&to="+day+"&team_id="+teamID(t, api, "liege"), nil, api.Bearer(mgr)).Body)
		if strings.Contains(body, `"days":`) {
			t.Fatalf("Liège has no referrals: %s", body)
		}
	})
}

// parseCSV reads a report download into table → group → the row's cells.
func parseCSV(t *testing.T, b []byte) map[string]map[string][]string {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(b))
	rd.FieldsPerRecord = -1 // tables differ in width
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	out := map[string]map[string][]string{}
	for _, r := range recs {
		if r[0] == "table" {
			continue
		}
		if out[r[0]] == nil {
			out[r[0]] = map[string][]string{}
		}
		out[r[0]][r[1]] = r[2:]
	}
	return out
}
