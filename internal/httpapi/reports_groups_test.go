package httpapi_test

import (
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Group work counts in the activity report: people reached (headcounts
// added up) and sessions held by topic and mission, under the same
// audience rule: exact for the facilitators and their coordinator,
// suppressed and rounded for a manager. Planned sessions do not count.
func TestReportsCountGroupWork(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		yesterday := time.Now().In(service.Brussels).AddDate(0, 0, -1)
		day := yesterday.Format("2006-01-02")
		at := func(hhmm string) string { return day + "T" + hhmm }
		newGroupSession(t, api, chw, map[string]any{"starts_at_local": at("10:00"), "participants": 12, "participants_by_age": nil})
		newGroupSession(t, api, chw, map[string]any{"starts_at_local": at("14:00"), "participants": 7, "participants_by_age": nil, "missions": []string{"inform", "detect"}})
		newGroupSession(t, api, chw2, map[string]any{"starts_at_local": at("15:00"), "participants": 3, "participants_by_age": nil, "topics": []string{"health_insurance"}})
		newGroupSession(t, api, chwLiege, map[string]any{"starts_at_local": at("11:00"), "participants": 20, "participants_by_age": nil, "location": "Maison de quartier",
			"partner_organisation": "CPAS de Liège"})
		newGroupSession(t, api, chw, map[string]any{"starts_at_local": time.Now().In(service.Brussels).AddDate(0, 0, 2).Format("2006-01-02") + "T10:00",
			"status": "planned", "participants": 0, "participants_by_age": nil})
		q := "/api/v1/reports/activity?group_by=team&from=" + day + "&to=" + time.Now().In(service.Brussels).AddDate(0, 0, 3).Format("2006-01-02")
		for _, c := range []struct {
			as, table, label, col string
			want                  any
		}{
			{coord, "group_participants", "Gent", "participants", float64(22)},
			{coord, "group_sessions_by_mission", "Gent", "inform", float64(3)},
			{coord, "group_sessions_by_mission", "Gent", "detect", float64(1)},
			{chw, "group_participants", "Gent", "participants", float64(19)},
			{chw2, "group_participants", "Gent", "participants", float64(3)},
			{coordLiege, "group_participants", "Liège", "participants", float64(20)},
			{mgr, "group_participants", "Gent", "participants", float64(20)}, // 22, rounded
			{mgr, "group_participants", "Liège", "participants", float64(20)},
			{mgr, "group_sessions_by_mission", "Gent", "detect", "suppressed"},
		} {
			if v := getReport(t, api, c.as, q).cell(c.table, c.label, c.col); v != c.want {
				t.Errorf("%s: %s %s %s = %v, want %v", c.as, c.table, c.label, c.col, v, c.want)
			}
		}
		if got := getReport(t, api, coord, q).table("group_sessions_by_topic").Columns; len(got) != 2 {
			t.Errorf("topics of Gent's sessions: %v", got)
		}
	})
}
