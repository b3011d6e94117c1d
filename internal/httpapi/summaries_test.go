package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

func TestFirstWorkingDay(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"2027-01-15": "2027-01-04", // 1 January a holiday, then a weekend
		"2026-11-20": "2026-11-02", // 1 November a Sunday and a holiday
		"2026-06-30": "2026-06-01",
		"2026-08-10": "2026-08-03", // 1 August a Saturday
	} {
		d, _ := time.Parse(time.DateOnly, in)
		if got := service.FirstWorkingDay(d.Add(12 * time.Hour)).Format(time.DateOnly); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// From the first working day of a month, every CHW and coordinator gets
// last month's summary once (a notice, e-mailed through the outbox), and
// reads it at /me/summary.
func TestMonthlySummary(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		ctx := context.Background()
		month := api.Clock.Now().In(brussels()).Format("2006-01")
		m, _ := time.ParseInLocation("2006-01", month, brussels())
		first := service.FirstWorkingDay(m.AddDate(0, 1, 0).Add(12 * time.Hour))
		start := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, brussels())
		notices := func(who string) []model.StaffNotice {
			t.Helper()
			var out []model.StaffNotice
			api.DB.Gorm.Where("user_id = ? AND kind = ? AND params LIKE ?", myID(t, api, who), service.NoticeMonthlySummary, "%"+month+"%").Find(&out)
			return out
		}

		api.Clock.Set(start.Add(-time.Minute))
		api.Forget()
		if _, err := api.Svc.RunMonthlySummaries(ctx, api.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if n := len(notices(chw)); n != 0 {
			t.Fatalf("%d summaries of %s before the first working day after it", n, month)
		}

		api.Clock.Set(start.Add(8 * time.Hour))
		api.Forget()
		made, err := api.Svc.RunMonthlySummaries(ctx, api.Clock.Now())
		if err != nil || made == 0 {
			t.Fatalf("made %d: %v", made, err)
		}
		if again, err := api.Svc.RunMonthlySummaries(ctx, api.Clock.Now()); err != nil || again != 0 {
			t.Fatalf("second run made %d: %v", again, err)
		}
		for _, who := range []string{chw, coord} {
			ns := notices(who)
			if len(ns) != 1 || ns[0].MailStatus != "queued" {
				t.Fatalf("%s: %+v, want one summary with its e-mail queued", who, ns)
			}
		}
		if n := len(notices(mgr)); n != 0 {
			t.Fatalf("a manager got %d summaries", n)
		}
		// The notice is listed, and the summary is last month's.
		found := false
		for _, n := range api.Do(http.MethodGet, "/api/v1/notices", nil, api.Bearer(chw)).JSON(t)["items"].([]any) {
			n := n.(map[string]any)
			found = found || n["kind"] == service.NoticeMonthlySummary && n["params"].(map[string]any)["month"] == month
		}
		if !found {
			t.Fatal("the summary notice is not listed")
		}
		mine := api.Do(http.MethodGet, "/api/v1/me/summary", nil, api.Bearer(chw)).JSON(t)
		if mine["month"] != month || len(mine["teams"].([]any)) != 0 {
			t.Fatalf("CHW's summary: %v", mine)
		}
		// The coordinator's lists the team's CHWs with the progress the
		// coaching view gives for that month (one computation).
		r := api.Do(http.MethodGet, "/api/v1/me/summary?month="+month, nil, api.Bearer(coord))
		if r.Status != 200 {
			t.Fatalf("coordinator's summary: %d %s", r.Status, r.Body)
		}
		sum := r.JSON(t)
		team := sum["teams"].([]any)[0].(map[string]any)
		coach := api.Do(http.MethodGet, "/api/v1/teams/"+team["team_id"].(string)+"/coaching?month="+month, nil, api.Bearer(coord)).JSON(t)
		byID := map[string]any{}
		for _, c := range coach["chws"].([]any) {
			byID[c.(map[string]any)["id"].(string)] = c.(map[string]any)["this_month"]
		}
		var seen bool
		for _, c := range team["chws"].([]any) {
			c := c.(map[string]any)
			seen = seen || c["id"] == myID(t, api, chw)
			if !jsonEqual(c["progress"], byID[c["id"].(string)]) {
				t.Errorf("%s: summary %v, coaching %v", c["name"], c["progress"], byID[c["id"].(string)])
			}
		}
		if !seen {
			t.Fatal("the CHW is missing from the coordinator's summary")
		}
		// A malformed month and one after this month are named; this month so far is fine.
		cur := api.Svc.CurrentMonth()
		next, _ := service.ParseMonth(cur)
		for q, code := range map[string]string{"2026-13": "month", "november": "month", next.AddDate(0, 1, 0).Format("2006-01"): "future"} {
			if got := fieldErrors(t, api.Do(http.MethodGet, "/api/v1/me/summary?month="+q, nil, api.Bearer(chw))); got["month"]["code"] != code {
				t.Errorf("month=%s: %v, want code %s", q, got, code)
			}
		}
		if r := api.Do(http.MethodGet, "/api/v1/me/summary?month="+cur, nil, api.Bearer(coord)); r.Status != 200 || r.JSON(t)["month"] != cur {
			t.Fatalf("this month so far: %d %s", r.Status, r.Body)
		}
	})
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
