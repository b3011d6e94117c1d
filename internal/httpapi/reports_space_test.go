package httpapi_test

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// workFixture records a few weeks of varied work in Gent (two CHWs) and
// Liège, from start on: visits with several missions and topics, barriers,
// referrals, appointments kept and missed, a closed client. It returns the
// Gent clients of chw.gent1.
func workFixture(t *testing.T, api *testutil.API, start time.Time) []string {
	t.Helper()
	var gent1 []string
	modes := []string{"home", "office", "phone", "street"}
	missions := [][]string{{"inform"}, {"inform", "direct"}, {"support", "detect"}, {"inform", "support", "signal"}}
	topics := []string{"dental care", "GP registration", "insurance fund"}
	cats := []string{"financial", "administrative", "language", "digital"}
	ptypes := []string{"dentist", "gp", "health_insurance_fund", "pharmacy"}
	for i, who := range []struct {
		as string
		n  int
	}{{chw, 9}, {chw2, 4}, {chwLiege, 7}} {
		for j := 0; j < who.n; j++ {
			// Spread over three weeks and over working hours.
			api.Clock.Set(start.Add(time.Duration(j*3+i)*24*time.Hour + time.Duration(j%8)*time.Hour))
			id := newClient(t, api, who.as, map[string]any{"given_name": fmt.Sprintf("W%d-%d", i, j)})
			if who.as == chw {
				gent1 = append(gent1, id)
			}
			for v := 0; v <= j%3; v++ {
				r := api.Do("POST", "/api/v1/clients/"+id+"/visits", map[string]any{"mode": modes[(j+v)%4], "duration_minutes": 20 + 5*v,
					"missions": missions[(j+v)%4], "topics": []string{topics[(j+v)%3]}}, api.Bearer(who.as))
				if r.Status != 201 {
					t.Fatal(r.Status, string(r.Body))
				}
			}
			api.Do("POST", "/api/v1/clients/"+id+"/barriers", map[string]any{"category": cats[j%4]}, api.Bearer(who.as))
			ref := api.Do("POST", "/api/v1/referrals", map[string]any{"client_id": id, "provider_type": ptypes[j%4], "reason": "r", "send": true}, api.Bearer(who.as))
			if ref.Status != 201 {
				t.Fatal(ref.Status, string(ref.Body))
			}
			at := api.Clock.Now().Add(2 * time.Hour)
			appt := api.Do("POST", "/api/v1/appointments", map[string]any{"client_id": id, "referral_id": ref.JSON(t)["id"],
				"starts_at": at.Format(time.RFC3339)}, api.Bearer(who.as))
			if appt.Status != 201 {
				t.Fatal(appt.Status, string(appt.Body))
			}
			api.Clock.Set(at.Add(time.Hour))
			status := "attended"
			if j%3 == 2 {
				status = "missed"
			}
			if r := api.Do("PATCH", "/api/v1/appointments/"+appt.JSON(t)["id"].(string), map[string]any{"status": status}, api.Bearer(who.as)); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
			if j == 5 {
				api.Do("PATCH", "/api/v1/clients/"+id, map[string]any{"status": "closed", "close_reason": "moved"}, api.Bearer(who.as))
			}
		}
	}
	return gent1
}

// A transfer, a CHW's move to another team, a fund change and a client's
// move to another team never change a past period's figures, for any
// viewer; new work counts under whoever does it.
func TestReportsKeepPastAttribution(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		var funds []model.Fund
		api.DB.Gorm.Order("code").Find(&funds)
		gent1 := myID(t, api, chw)
		if r := api.Do("PATCH", "/api/v1/users/"+gent1, map[string]any{"fund_id": funds[0].ID}, api.Bearer(admin)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		createUser(t, api, map[string]any{"email": "fundmgr@example.org", "name": "Fund Manager", "role": "manager",
			"fund_id": funds[0].ID}, demo.Password)

		start := time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC) // a Monday
		clients := workFixture(t, api, start)
		period := "&from=2026-09-01&to=2026-10-15"
		views := []struct {
			name    string
			headers func() map[string]string
			path    string
		}{
			{"manager by team", func() map[string]string { return api.Bearer(mgr) }, "/api/v1/reports/activity?group_by=team" + period},
			{"manager by fund", func() map[string]string { return api.Bearer(mgr) }, "/api/v1/reports/activity?group_by=fund" + period},
			{"manager barriers by neighbourhood", func() map[string]string { return api.Bearer(mgr) }, "/api/v1/reports/barriers?group_by=neighbourhood" + period},
			{"fund manager", func() map[string]string { return api.Bearer("fundmgr@example.org") }, "/api/v1/reports/activity?group_by=week" + period},
			{"coordinator Gent", func() map[string]string { return api.Bearer(coord) }, "/api/v1/reports/activity?group_by=week" + period},
			{"coordinator Liège", func() map[string]string { return api.Bearer(coordLiege) }, "/api/v1/reports/activity?group_by=none" + period},
			{"chw.gent1's own", func() map[string]string { return api.Bearer(chw) }, "/api/v1/reports/activity?group_by=month" + period},
			{"chw.gent2's own", func() map[string]string { return api.Bearer(chw2) }, "/api/v1/reports/barriers?group_by=none" + period},
		}
		snapshot := func() map[string]string {
			out := map[string]string{}
			for _, v := range views {
				r := api.Do("GET", v.path, nil, v.headers())
				if r.Status != 200 {
					t.Fatalf("%s: %d %s", v.name, r.Status, r.Body)
				}
				out[v.name] = string(r.Body)
			}
			return out
		}
		before := snapshot()
		if b := getReport(t, api, chw, views[6].path); b.table("visits_by_mode").GrandTotal["value"].(float64) < 15 {
			t.Fatalf("the fixture is too small to prove anything: %+v", b.table("visits_by_mode"))
		}
		same := func(step string) {
			t.Helper()
			after := snapshot()
			for _, v := range views {
				if after[v.name] != before[v.name] {
					t.Errorf("after %s, %s changed:\nbefore %s\nafter  %s", step, v.name, before[v.name], after[v.name])
				}
			}
		}
		api.Clock.Set(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
		gent2 := myID(t, api, chw2)
		for _, id := range clients {
			if r := api.Do("PUT", "/api/v1/clients/"+id+"/assignment", map[string]any{"chw_id": gent2}, api.Bearer(coord)); r.Status != 200 {
				t.Fatal(r.Status, string(r.Body))
			}
		}
		same("a transfer of chw.gent1's caseload")
		if r := api.Do("PATCH", "/api/v1/users/"+gent1, map[string]any{"fund_id": funds[1].ID}, api.Bearer(admin)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		same("a fund change")
		if r := api.Do("PATCH", "/api/v1/users/"+gent1, map[string]any{"team_ids": []string{teamID(t, api, "liege")}}, api.Bearer(admin)); r.Status != 200 {
			t.Fatal(r.Status, string(r.Body))
		}
		same("a team move of the CHW")
		api.DB.Gorm.Model(&model.Client{}).Where("id = ?", clients[0]).Update("team_id", teamID(t, api, "liege"))
		same("a client's move to another team")

		// New work counts under who does it now.
		if r := api.Do("POST", "/api/v1/clients/"+clients[1]+"/visits", map[string]any{"mode": "home", "duration_minutes": 30, "missions": []string{"inform"}}, api.Bearer(chw2)); r.Status != 201 {
			t.Fatal(r.Status, string(r.Body))
		}
		now := "&group_by=none&from=2026-11-02&to=2026-11-02"
		if v := getReport(t, api, chw2, "/api/v1/reports/activity?"+now).cell("visits_by_mode", "all", "home"); v != float64(1) {
			t.Errorf("chw.gent2's new visit: %v", v)
		}
		if v := getReport(t, api, chw, "/api/v1/reports/activity?"+now).cell("visits_by_mode", "all", "home"); v != nil {
			t.Errorf("chw.gent1 is credited with a colleague's visit: %v", v)
		}
	})
}

// Every report × group_by × format × role answers, and the numbers agree:
// a table's grand total does not depend on the grouping; a suppressed
// figure is the exact one rounded to 5; the CSV and the XLSX carry what the
// suppressed JSON says.
func TestReportSpace(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		workFixture(t, api, time.Date(2026, 9, 7, 8, 0, 0, 0, time.UTC))
		period := "&from=2026-09-01&to=2026-10-15"
		round5 := func(v float64) float64 { return float64((int64(v) + 2) / 5 * 5) }
		for _, rep := range []string{"activity", "barriers"} {
			// Exact grand totals per table, per viewer, from the first grouping.
			exact := map[string]map[string]float64{}
			for _, g := range service.GroupBys {
				for _, as := range []string{chw, chw2, coord, coordLiege, mgr, admin} {
					path := "/api/v1/reports/" + rep + "?group_by=" + g + period
					if as == admin {
						if r := api.Do("GET", path, nil, api.Bearer(admin)); r.Status != 403 {
							t.Errorf("admin %s: %d", path, r.Status)
						}
						continue
					}
					b := getReport(t, api, as, path)
					if b.Exact != (as != mgr) {
						t.Errorf("%s %s: exact=%v", as, path, b.Exact)
					}
					if len(b.Tables) == 0 {
						t.Fatalf("%s %s: no tables", as, path)
					}
					for _, tb := range b.Tables {
						v, suppressed := tb.GrandTotal["value"], tb.GrandTotal["suppressed"] == true
						if b.Exact {
							if exact[as] == nil {
								exact[as] = map[string]float64{}
							}
							if prev, ok := exact[as][tb.Name]; ok && prev != v {
								t.Errorf("%s %s %s: grand total %v by %s, %v before", rep, as, tb.Name, v, g, prev)
							}
							exact[as][tb.Name] = v.(float64)
							continue
						}
						// The programme is Gent plus Liège.
						want := round5(exact[coord][tb.Name] + exact[coordLiege][tb.Name])
						if !suppressed && v != want {
							t.Errorf("%s manager %s by %s: %v, want %v", rep, tb.Name, g, v, want)
						}
					}
					for _, format := range []string{"csv", "xlsx"} {
						r := api.Do("GET", path+"&format="+format, nil, api.Bearer(as))
						if r.Status != 200 {
							t.Fatalf("%s %s %s: %d %s", as, path, format, r.Status, r.Body)
						}
						grand := downloadGrands(t, format, r.Body)
						for _, tb := range b.Tables {
							got, ok := grand[tb.Name]
							if !ok {
								t.Errorf("%s %s %s lacks table %s", as, path, format, tb.Name)
								continue
							}
							if got == "suppressed" {
								continue
							}
							want := round5(exact[as][tb.Name])
							if as == mgr {
								want = round5(exact[coord][tb.Name] + exact[coordLiege][tb.Name])
							}
							if got != strconv.FormatFloat(want, 'f', -1, 64) {
								t.Errorf("%s %s %s %s: grand %s, want %v", as, path, format, tb.Name, got, want)
							}
						}
					}
				}
			}
			if exact[coord]["visits_by_mode"] == 0 && rep == "activity" {
				t.Fatal("the fixture has no visits")
			}
		}
		// Parameters outside the space are refused, each named.
		for _, bad := range []struct{ query, field string }{
			{"group_by=street", "group_by"}, {"format=pdf", "format"}, {"period=decade", "period"},
			{"from=2026-05-02&to=2026-05-01", "from"}, {"from=2020-01-01&to=2026-01-02", "to"}, {"from=yesterday", "from"},
		} {
			r := api.Do("GET", "/api/v1/reports/activity?"+bad.query, nil, api.Bearer(mgr))
			if r.Status != 422 || !slices.Contains(problemFields(t, r), bad.field) {
				t.Errorf("%s: %d %s", bad.query, r.Status, r.Body)
			}
		}
	})
}

// downloadGrands reads each table's grand total from a CSV or XLSX report.
func downloadGrands(t *testing.T, format string, body []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	if format == "csv" {
		for table, rows := range parseCSV(t, body) {
			total := rows["total"]
			out[table] = total[len(total)-1]
		}
		return out
	}
	book, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range book.GetSheetList() {
		rows, _ := book.GetRows(sheet)
		last := rows[len(rows)-1]
		out[sheet] = last[len(last)-1]
	}
	return out
}

// problemFields lists the fields a problem response names.
func problemFields(t *testing.T, r testutil.Response) []string {
	t.Helper()
	var out []string
	errs, _ := r.JSON(t)["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m["field"].(string))
		}
	}
	return out
}
