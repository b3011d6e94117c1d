package demo_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// seedAll runs what `brug seed --demo` runs after the demo accounts.
func seedAll(t *testing.T, api *testutil.API) demo.Summary {
	t.Helper()
	ctx := context.Background()
	sum, err := demo.SeedProgramme(ctx, api.Svc, demo.FullScale)
	if err != nil {
		t.Fatalf("seed programme: %v", err)
	}
	if _, err := demo.SeedContacts(ctx, api.Svc); err != nil {
		t.Fatalf("seed contacts: %v", err)
	}
	return sum
}

var countedTables = []string{"users", "team_memberships", "providers", "clients", "client_assignments", "client_events", "consents",
	"visits", "barriers", "referrals", "referral_events", "appointments", "reminders", "tasks", "contact_requests"}

func counts(t *testing.T, api *testutil.API) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range countedTables {
		var n int64
		if err := api.DB.Gorm.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func TestDemoProgramme(t *testing.T) {
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		g := api.DB.Gorm
		now := api.Svc.Store.Now()
		sum := seedAll(t, api)
		first := counts(t, api)
		if again := seedAll(t, api); again.Clients != 0 || again.Visits != 0 {
			t.Fatalf("second seed created %+v", again)
		}
		if second := counts(t, api); fmt.Sprint(second) != fmt.Sprint(first) {
			t.Fatalf("seeding twice changed the counts:\n%v\n%v", first, second)
		}
		t.Logf("%s: %+v", engine, sum)

		t.Run("every team has a coordinator and at least four CHWs with a fund", func(t *testing.T) {
			var rows []struct {
				Slug string
				CHWs int `gorm:"column:chws"`
				Crd  int `gorm:"column:crd"`
			}
			g.Raw(`SELECT t.slug,
			         SUM(CASE WHEN u.role = 'chw' AND u.fund_id IS NOT NULL AND u.disabled_at IS NULL THEN 1 ELSE 0 END) AS chws,
			         SUM(CASE WHEN u.role = 'coordinator' THEN 1 ELSE 0 END) AS crd
			       FROM teams t JOIN team_memberships m ON m.team_id = t.id JOIN users u ON u.id = m.user_id
			       GROUP BY t.slug ORDER BY t.slug`).Scan(&rows)
			var teams int64
			g.Model(&model.Team{}).Count(&teams)
			if int64(len(rows)) != teams || teams < 10 {
				t.Fatalf("%d of %d teams have staff", len(rows), teams)
			}
			for _, r := range rows {
				if r.CHWs < 4 || r.Crd < 1 {
					t.Errorf("team %s: %d CHWs with a fund, %d coordinators", r.Slug, r.CHWs, r.Crd)
				}
			}
			var funds int64
			g.Raw("SELECT COUNT(DISTINCT fund_id) FROM users WHERE role = 'chw'").Scan(&funds)
			if funds < 5 {
				t.Errorf("CHWs are spread over %d funds", funds)
			}
		})

		t.Run("about 2000 clients, each team has some", func(t *testing.T) {
			if n := first["clients"]; n < 1900 || n > 2100 {
				t.Fatalf("%d clients", n)
			}
			var empty int64
			g.Raw("SELECT COUNT(*) FROM teams WHERE id NOT IN (SELECT team_id FROM clients)").Scan(&empty)
			if empty > 0 {
				t.Fatalf("%d teams without clients", empty)
			}
		})

		t.Run("visits are on working days in working hours, attributed", func(t *testing.T) {
			var visits []model.Visit
			g.Find(&visits)
			team := map[string]string{}
			var clients []model.Client
			g.Select("id, team_id").Find(&clients)
			for _, c := range clients {
				team[c.ID] = c.TeamID
			}
			bad := 0
			for _, v := range visits {
				local := v.VisitedAt.In(service.Brussels)
				day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
				start := local.Hour()*60 + local.Minute()
				end := start + v.DurationMinutes
				if !service.WorkingDay(day) || start < 8*60+30 || end > 17*60+30 || v.VisitedAt.After(now) ||
					v.DurationMinutes < 15 || v.DurationMinutes > 90 || v.TeamID == nil || *v.TeamID != team[v.ClientID] || v.FundID == nil {
					if bad++; bad < 5 {
						t.Errorf("visit %s at %s (%d min), team %v, fund %v", v.ID, local.Format(time.RFC3339), v.DurationMinutes, v.TeamID, v.FundID)
					}
				}
			}
			if len(visits) < 8000 || bad > 0 {
				t.Fatalf("%d visits, %d out of hours or unattributed", len(visits), bad)
			}
		})

		t.Run("a referral's provider type fits its reason", func(t *testing.T) {
			fits := demo.ReasonProviderTypes()
			var refs []struct {
				Reason, ProviderType, Status string
				ProvType                     *string
			}
			g.Raw(`SELECT r.reason, r.provider_type, r.status, p.type AS prov_type FROM referrals r LEFT JOIN providers p ON p.id = r.provider_id`).Scan(&refs)
			states := map[string]bool{}
			for _, r := range refs {
				states[r.Status] = true
				types, ok := fits[r.Reason]
				if !ok || !slices.Contains(types, r.ProviderType) || (r.ProvType != nil && *r.ProvType != r.ProviderType) {
					t.Errorf("referral %q to a %s (provider %v)", r.Reason, r.ProviderType, r.ProvType)
				}
			}
			for _, s := range service.ReferralStatuses {
				if !states[s] {
					t.Errorf("no referral is %s", s)
				}
			}
			// Every transition is an event: a referral's events lead from draft to its status.
			var broken int64
			g.Raw(`SELECT COUNT(*) FROM referrals r WHERE r.status <> (SELECT e.to_status FROM referral_events e WHERE e.referral_id = r.id
			         ORDER BY e.created_at DESC, e.id DESC LIMIT 1)
			       OR NOT EXISTS (SELECT 1 FROM referral_events e WHERE e.referral_id = r.id AND e.from_status = '' AND e.to_status = 'draft')`).Scan(&broken)
			if broken > 0 {
				t.Errorf("%d referrals whose events do not lead to their status", broken)
			}
		})

		t.Run("appointments in practice hours; future ones with SMS consent have a queued reminder", func(t *testing.T) {
			var apps []model.Appointment
			g.Find(&apps)
			for _, a := range apps {
				local := a.StartsAt.In(service.Brussels)
				m := local.Hour()*60 + local.Minute()
				day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
				weekday := service.WorkingDay(day) && m >= 8*60 && m+a.DurationMinutes <= 18*60
				saturday := local.Weekday() == time.Saturday && m >= 9*60 && m+a.DurationMinutes <= 12*60
				if !weekday && !saturday {
					t.Errorf("appointment %s at %s", a.ID, local.Format(time.RFC3339))
				}
				if a.Status != "cancelled" && a.StartsAt.After(now) != (a.Status == "planned") {
					t.Errorf("appointment %s at %s is %s", a.ID, local.Format(time.RFC3339), a.Status)
				}
			}
			var missing []string
			g.Raw(`SELECT a.id FROM appointments a JOIN clients c ON c.id = a.client_id
			       WHERE a.status = 'planned' AND a.starts_at > ? AND c.phone IS NOT NULL
			         AND EXISTS (SELECT 1 FROM consents k WHERE k.client_id = c.id AND k.purpose = 'sms_reminders' AND k.withdrawn_at IS NULL)
			         AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.appointment_id = a.id AND r.status = 'queued' AND r.channel = 'sms')`, now).Scan(&missing)
			var queued int64
			g.Model(&model.Reminder{}).Where("status = 'queued'").Count(&queued)
			if len(missing) > 0 || queued < 50 {
				t.Fatalf("%d queued reminders; future appointments without one: %v", queued, missing)
			}
		})

		t.Run("fund changes and transfers keep the past where it was", func(t *testing.T) {
			var u model.User
			g.Where("email = ?", "chw.antwerpen2@example.org").Take(&u)
			var funds []string
			g.Raw("SELECT DISTINCT CAST(fund_id AS text) FROM visits WHERE chw_id = ? ORDER BY 1", u.ID).Scan(&funds)
			if len(funds) != 2 || !slices.Contains(funds, *u.FundID) {
				t.Errorf("visits of a CHW who changed fund count under %v (fund now %s)", funds, *u.FundID)
			}
			var leaver, successor model.User
			g.Where("email = ?", "chw.oostende6@example.org").Take(&leaver)
			g.Where("email = ?", "chw.oostende5@example.org").Take(&successor)
			var moved int64
			g.Raw(`SELECT COUNT(*) FROM clients c WHERE c.assigned_chw_id = ? AND EXISTS
			         (SELECT 1 FROM visits v WHERE v.client_id = c.id AND v.chw_id = ?)`, successor.ID, leaver.ID).Scan(&moved)
			var late int64
			g.Model(&model.Visit{}).Where("chw_id = ? AND visited_at > ?", leaver.ID, leaver.DisabledAt).Count(&late)
			if leaver.DisabledAt == nil || moved == 0 || late > 0 {
				t.Errorf("leaver disabled %v; %d clients moved to the successor; %d visits after leaving", leaver.DisabledAt, moved, late)
			}
			var assigned int64
			g.Model(&model.ClientEvent{}).Where("kind = 'assigned'").Count(&assigned)
			if assigned < moved {
				t.Errorf("%d assignment events for %d moved clients", assigned, moved)
			}
		})

		t.Run("the research extract of the demo is k-anonymous and accounts for everyone eligible", func(t *testing.T) {
			var eligible int64
			g.Raw(`SELECT COUNT(*) FROM clients c WHERE c.merged_into_id IS NULL AND EXISTS
			       (SELECT 1 FROM consents k WHERE k.client_id = c.id AND k.purpose = 'research' AND k.withdrawn_at IS NULL)`).Scan(&eligible)
			r := api.Do("POST", "/api/v1/research/extracts", map[string]any{}, api.Bearer("manager@example.org"))
			if r.Status != 201 {
				t.Fatalf("extract: %d %s", r.Status, r.Body)
			}
			recs, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			rows := recs[1:]
			suppressed, _ := strconv.Atoi(r.Header.Get("Brug-Extract-Suppressed"))
			if int64(len(rows)+suppressed) != eligible || len(rows) < int(eligible)/2 {
				t.Fatalf("%d rows released, %d left out, of %d eligible", len(rows), suppressed, eligible)
			}
			classes := map[string]int{}
			for _, rec := range rows {
				classes[strings.Join(rec[1:6], "|")]++
			}
			for class, n := range classes {
				if n < 5 {
					t.Errorf("class %s has %d rows", class, n)
				}
			}
			t.Logf("%d eligible: %d released (%s generalised), %d left out, %d classes", eligible, len(rows), r.Header.Get("Brug-Extract-Generalised"), suppressed, len(classes))
		})

		t.Run("the demo accounts and the programme's staff sign in", func(t *testing.T) {
			for _, a := range demo.Accounts {
				if r := api.Login(a.Email, demo.Password); r.Status != 200 {
					t.Errorf("%s: %d %s", a.Email, r.Status, r.Body)
				}
			}
			if r := api.Login("chw.antwerpen3@example.org", demo.Password); r.Status != 200 {
				t.Errorf("chw.antwerpen3: %d", r.Status)
			}
			if r := api.Login("chw.oostende6@example.org", demo.Password); r.Status != 401 {
				t.Errorf("the CHW who left signs in: %d", r.Status)
			}
			tok := api.Login("chw.gent1@example.org", demo.Password).JSON(t)["access_token"].(string)
			r := api.Do("GET", "/api/v1/clients?limit=50", nil, map[string]string{"Authorization": "Bearer " + tok})
			if r.Status != 200 || strings.Count(string(r.Body), `"assigned_chw_id"`) < 10 {
				t.Errorf("chw.gent1's caseload: %d %.300s", r.Status, r.Body)
			}
		})
	})
}

// The draw is the same every run relative to the clock.
func TestDemoProgrammeIsDeterministic(t *testing.T) {
	fingerprint := func(api *testutil.API) []string {
		var out []string
		api.DB.Gorm.Raw(`SELECT CAST(v.visited_at AS text) || v.mode || CAST(v.duration_minutes AS text) || v.note || v.missions || u.email
		                 FROM visits v JOIN users u ON u.id = v.chw_id ORDER BY 1`).Scan(&out)
		var refs []string
		api.DB.Gorm.Raw(`SELECT r.status || r.reason || CAST(r.last_event_at AS text) FROM referrals r ORDER BY 1`).Scan(&refs)
		return append(out, refs...)
	}
	a := testutil.NewAPI(t, "sqlite")
	b := testutil.NewAPI(t, "sqlite")
	b.Clock.Set(a.Clock.Now())
	seedAll(t, a)
	seedAll(t, b)
	fa, fb := fingerprint(a), fingerprint(b)
	if len(fa) < 1000 || !slices.Equal(fa, fb) {
		t.Fatalf("two seeds at the same clock differ (%d and %d rows)", len(fa), len(fb))
	}
}
