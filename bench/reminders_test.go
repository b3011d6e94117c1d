package bench

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/reminder"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkReminderThroughput sends BENCH_REMINDERS (default 100 000) due
// reminders through a fake gateway that takes 20 ms per request, and
// reports the time against the floor (n × 20 ms ÷ concurrency), duplicates
// and lost messages. Run with -benchtime 1x.
func BenchmarkReminderThroughput(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("BENCH_REMINDERS")); err == nil && v > 0 {
		n = v
	}
	concurrencies := []int{32, 64, 128}
	for _, engine := range engines() {
		for _, conc := range concurrencies {
			b.Run(fmt.Sprintf("%s/concurrency-%d", engine, conc), func(b *testing.B) {
				for b.Loop() {
					runReminders(b, engine, n, conc)
				}
			})
		}
	}
}

func runReminders(b *testing.B, engine string, n, conc int) {
	api := testutil.NewAPI(b, engine)
	ctx := context.Background()
	st := api.Svc.Store
	chw, _ := st.UserByEmail(ctx, "chw.gent1@example.org")
	phone := "+32470000001"
	c := model.Client{TeamID: chw.TeamIDs[0], AssignedCHWID: &chw.ID, GivenName: "Bench", Phone: &phone, Language: "nl",
		Source: "outreach", Status: "active", SpokenLanguages: "[]", CareRights: "[]"}
	if err := st.CreateClient(ctx, &c, chw.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := st.GiveConsent(ctx, c.ID, "sms_reminders", chw.ID); err != nil {
		b.Fatal(err)
	}
	now := st.Now()
	apps := make([]model.Appointment, 0, n/100+1)
	for i := 0; i <= n/100; i++ {
		apps = append(apps, model.Appointment{ID: store.NewID(), ClientID: c.ID, StartsAt: now.Add(48 * time.Hour), DurationMinutes: 30,
			Status: "planned", CreatedBy: chw.ID, CreatedAt: now, UpdatedAt: now})
	}
	if err := api.DB.Gorm.CreateInBatches(apps, 500).Error; err != nil {
		b.Fatal(err)
	}
	rows := make([]model.Reminder, 0, 1000)
	for i := 0; i < n; i++ {
		rows = append(rows, model.Reminder{ID: store.NewID(), AppointmentID: apps[i/100].ID, ClientID: c.ID, Kind: "reminder", Channel: "sms",
			Language: "nl", ScheduledAt: now, DueAt: now, Status: "queued", DedupeKey: fmt.Sprintf("bench:%d", i), CreatedAt: now, UpdatedAt: now})
		if len(rows) == cap(rows) || i == n-1 {
			if err := api.DB.Gorm.CreateInBatches(rows, 250).Error; err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		var body struct{ Reference string }
		_ = jsonDecode(r, &body)
		mu.Lock()
		seen[body.Reference]++
		mu.Unlock()
		w.WriteHeader(202)
	}))
	defer gw.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}, Timeout: 10 * time.Second}
	w := &reminder.Worker{Store: st, Senders: map[string]reminder.Sender{"sms": reminder.SMSGateway{URL: gw.URL, Client: client}},
		Concurrency: conc, Batch: conc * 4, BaseURL: "https://brug.example.be", ReplySecret: []byte("0123456789abcdef0123456789abcdef")}
	// Two workers, as two processes would run.
	start := time.Now()
	var wg sync.WaitGroup
	for k := 0; k < 2; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := w.RunOnce(ctx)
				if err != nil {
					b.Error(err)
					return
				}
				if got == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	counts, _ := st.CountRemindersByStatus(ctx)
	dups := 0
	for _, v := range seen {
		if v > 1 {
			dups += v - 1
		}
	}
	lost := n - len(seen)
	floor := time.Duration(n) * 20 * time.Millisecond / time.Duration(2*conc)
	b.ReportMetric(elapsed.Seconds(), "s-total")
	b.ReportMetric(floor.Seconds(), "s-floor")
	b.ReportMetric(elapsed.Seconds()/floor.Seconds(), "x-floor")
	b.ReportMetric(float64(dups), "duplicates")
	b.ReportMetric(float64(lost), "lost")
	if counts["sent"] != int64(n) || dups != 0 || lost != 0 {
		b.Fatalf("sent %d of %d, duplicates %d, lost %d (statuses %v)", counts["sent"], n, dups, lost, counts)
	}
}
