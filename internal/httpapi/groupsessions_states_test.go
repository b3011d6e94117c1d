package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/testutil"
)

// Every pair of session states, for a past and for a future session: any
// move is allowed except marking a session held before it started, which
// is 422 and changes nothing.
func TestGroupSessionStatePairs(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		states := []string{"planned", "held", "cancelled"}
		for _, when := range []string{"past", "future"} {
			at := time.Now().In(service.Brussels).AddDate(0, 0, -1)
			if when == "future" {
				at = time.Now().In(service.Brussels).AddDate(0, 0, 2)
			}
			for _, from := range states {
				if when == "future" && from == "held" {
					continue // cannot exist
				}
				for _, to := range states {
					id := newGroupSession(t, api, chw, map[string]any{"starts_at_local": at.Format("2006-01-02") + "T10:00", "status": from})
					r := api.Do(http.MethodPatch, "/api/v1/group-sessions/"+id, map[string]any{"status": to}, api.Bearer(chw))
					want := http.StatusOK
					if when == "future" && to == "held" {
						want = http.StatusUnprocessableEntity
					}
					if r.Status != want {
						t.Errorf("%s session %s → %s: %d, want %d: %s", when, from, to, r.Status, want, r.Body)
						continue
					}
					got := api.Do(http.MethodGet, "/api/v1/group-sessions/"+id, nil, api.Bearer(chw)).JSON(t)["status"]
					if wantStatus := map[bool]string{true: to, false: from}[want == http.StatusOK]; got != wantStatus {
						t.Errorf("%s session %s → %s: status %v, want %s", when, from, to, got, wantStatus)
					}
				}
			}
		}
	})
}
