package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzhttp"
)

// boundedHandler puts the router behind the limits that keep Brug
// answering under more load than it can carry:
//   - at most maxInFlight requests are worked on at once; one more is shed
//     at once with a 503 problem and Retry-After instead of queueing into a
//     timeout (the health check is never shed, so an orchestrator does not
//     kill a busy but healthy process);
//   - every request has a deadline, which the database calls honour;
//   - answers are gzip-compressed by a pooled writer that is only taken when
//     an answer is large enough to be worth it (Echo's middleware allocated a
//     compressor for every request in flight), at level 1: a caseload page of
//     50 clients (33.6 KB) is 4.2 KB in 71 µs against 3.9 KB in 120 µs at
//     level 5, which was a seventh of the list's CPU.
func boundedHandler(next http.Handler, maxInFlight int, timeout time.Duration, shed func()) (http.Handler, error) {
	gz, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(1))
	if err != nil {
		return nil, err
	}
	compressed := gz(next)
	var inFlight atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			if n := inFlight.Add(1); maxInFlight > 0 && n > int64(maxInFlight) {
				inFlight.Add(-1)
				if shed != nil {
					shed()
				}
				writeOverloaded(w, r)
				return
			}
			defer inFlight.Add(-1)
		}
		if timeout > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		// The public pages come compressed from their cache; the wrapper
		// leaves an answer alone once it has a Content-Encoding.
		compressed.ServeHTTP(w, r)
	}), nil
}

// writeOverloaded is the shed answer: written without the router, the
// database or any allocation worth the name, so it stays fast when all else
// is busy.
func writeOverloaded(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Retry-After", "1")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	path := r.URL.Path
	if !strings.HasPrefix(path, "/") {
		path = "/"
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "urn:brug:problem:unavailable", "title": "Service unavailable", "status": http.StatusServiceUnavailable,
		"detail": "Brug is busy right now. Try again in a moment.", "instance": path, "errors": []any{},
	})
}
