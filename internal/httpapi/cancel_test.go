package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/brug-chw/brug/internal/testutil"
)

// A query stopped by its request's context is not a bug: the deadline
// passing answers 503 with Retry-After, the client going away 499, both
// problem+json, never 500. The slow query is a recursive count through a
// route only this test adds (on SQLite the pure-Go driver may finish the
// count before it notices; the answer is the same).
func TestCancelledQueryIsNot500(t *testing.T) {
	t.Parallel()
	testutil.ForEachEngine(t, func(t *testing.T, engine string) {
		api := testutil.NewAPI(t, engine)
		started := make(chan struct{}, 1)
		api.Server.E.GET("/test/slow-query", func(c echo.Context) error {
			started <- struct{}{}
			var n int64
			return api.DB.Gorm.WithContext(c.Request().Context()).Raw(`WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000000)
				SELECT count(*) FROM r`).Scan(&n).Error
		})
		run := func(ctx context.Context) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			api.Server.E.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test/slow-query", nil).WithContext(ctx))
			return rec
		}
		contract, err := testutil.SpecContract()
		if err != nil {
			t.Fatal(err)
		}
		check := func(rec *httptest.ResponseRecorder, status int) {
			t.Helper()
			var p map[string]any
			if rec.Code != status || rec.Header().Get("Content-Type") != "application/problem+json" ||
				json.Unmarshal(rec.Body.Bytes(), &p) != nil || p["status"] != float64(status) {
				t.Fatalf("want %d problem+json, got %d %s %s", status, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			// The answer is the one the spec declares for the caseload list,
			// whose query a phone walking out of signal stops every day.
			if err := contract.Check(httptest.NewRequest(http.MethodGet, "/api/v1/clients", nil), rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
				t.Fatal(err)
			}
		}

		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		rec := run(ctx)
		cancel()
		<-started
		check(rec, http.StatusServiceUnavailable)
		if rec.Header().Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}

		ctx, cancel = context.WithCancel(context.Background())
		go func() { <-started; time.Sleep(30 * time.Millisecond); cancel() }()
		check(run(ctx), 499)
	})
}
