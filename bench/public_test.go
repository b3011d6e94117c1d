package bench

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/testutil"
)

const queuedContacts = 20_000

// seedContacts fills the contact queue: open requests spread over the teams
// (a tenth with an unknown area) and as many handled ones.
func seedContacts(b *testing.B, api *testutil.API) {
	b.Helper()
	trees, err := api.Svc.Store.Teams(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	batch := make([]model.ContactRequest, 0, 1000)
	for i := 0; i < 2*queuedContacts; i++ {
		r := model.ContactRequest{ID: store.NewID(), Kind: "want_chw", Status: "new", Name: fmt.Sprintf("Person %d", i), Language: "nl",
			Message: "Ik zoek een huisarts.", ConsentVersion: service.ConsentVersion, ConsentLanguage: "nl", ConsentAt: now,
			WithdrawTokenHash: fmt.Sprintf("bench-%d", i), MailStatus: "none", CreatedAt: now.Add(-time.Duration(i) * time.Minute), UpdatedAt: now}
		if i%10 != 0 {
			team := trees[i%len(trees)].Team.ID
			r.TeamID = &team
		}
		if i >= queuedContacts {
			r.Status, r.CloseReason, r.HandledAt = "closed", "answered", &now
		}
		batch = append(batch, r)
		if len(batch) == cap(batch) {
			if err := api.DB.Gorm.CreateInBatches(batch, 200).Error; err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkPublic measures the public pages, the contact form's JSON
// endpoint and the coordinators' queue (with 20 000 open and 20 000 handled
// requests) through the real router; p50/p99 in milliseconds.
func BenchmarkPublic(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			api := testutil.NewAPI(b, engine)
			seedContacts(b, api)
			coord := api.Bearer("coordinator.gent@example.org")
			n := 0
			cases := []struct {
				name, method, path string
				body               func() any
				h                  func() map[string]string
				want               int
			}{
				{name: "home", method: "GET", path: "/nl/", want: 200},
				{name: "where", method: "GET", path: "/nl/where", want: 200},
				{name: "where-search", method: "GET", path: "/nl/where?q=" + url.QueryEscape("outremeuse"), want: 200},
				{name: "contact-form", method: "GET", path: "/nl/contact", want: 200},
				{name: "contact-post", method: "POST", path: "/api/v1/public/contact", want: 202,
					body: func() any {
						return map[string]any{"kind": "want_chw", "name": "Bench Person", "phone": "0470 12 34 56", "municipality": "Gent",
							"language": "nl", "message": "Hulp gevraagd", "consent": true, "consent_version": service.ConsentVersion}
					},
					// A fresh address each time: this measures the work, not the per-address limit.
					h: func() map[string]string {
						n++
						return map[string]string{testutil.RemoteAddrHeader: fmt.Sprintf("10.%d.%d.%d:1", n>>16&255, n>>8&255, n&255)}
					}},
				{name: "queue-open", method: "GET", path: "/api/v1/contact-requests", want: 200, h: func() map[string]string { return coord }},
				{name: "queue-handled", method: "GET", path: "/api/v1/contact-requests?status=handled", want: 200, h: func() map[string]string { return coord }},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					var d []time.Duration
					for b.Loop() {
						var body any
						if c.body != nil {
							body = c.body()
						}
						var h map[string]string
						if c.h != nil {
							h = c.h()
						}
						t0 := time.Now()
						r := api.Do(c.method, c.path, body, h)
						d = append(d, time.Since(t0))
						if r.Status != c.want {
							b.Fatalf("%d %s", r.Status, r.Body)
						}
					}
					b.ReportMetric(percentile(d, 0.50), "p50-ms")
					b.ReportMetric(percentile(d, 0.99), "p99-ms")
				})
			}
		})
	}
}
