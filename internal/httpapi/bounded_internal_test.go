package httpapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// More requests than the cap are shed at once with a 503 problem and
// Retry-After, never queued; the health check is never shed; the others
// resume as soon as a slot is free.
func TestInFlightCapShedsAtOnce(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var started sync.WaitGroup
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			started.Done()
			<-release
		}
		if _, ok := r.Context().Deadline(); !ok {
			t.Error("a request without a deadline")
		}
		w.WriteHeader(http.StatusOK)
	})
	shed := 0
	h, err := boundedHandler(slow, 2, 5*time.Second, func() { shed++ })
	if err != nil {
		t.Fatal(err)
	}
	started.Add(2)
	var done sync.WaitGroup
	for i := 0; i < 2; i++ {
		done.Add(1)
		go func() {
			defer done.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil))
		}()
	}
	started.Wait()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/clients", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("over the cap: %d %v", rec.Code, rec.Header())
	}
	var p map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p["status"] != float64(503) || p["instance"] != "/api/v1/clients" {
		t.Fatalf("shed problem: %s", rec.Body)
	}
	if shed != 1 {
		t.Fatalf("shed counted %d", shed)
	}
	health := httptest.NewRecorder()
	h.ServeHTTP(health, httptest.NewRequest("GET", "/healthz", nil))
	if health.Code != http.StatusOK {
		t.Fatalf("the health check was shed: %d", health.Code)
	}
	close(release)
	done.Wait()
	again := httptest.NewRecorder()
	h.ServeHTTP(again, httptest.NewRequest("GET", "/api/v1/clients", nil))
	if again.Code != http.StatusOK {
		t.Fatalf("after the burst: %d", again.Code)
	}
}

// Large answers are compressed once, small ones and already-compressed
// ones are left alone.
func TestCompressionIsPooledAndSelective(t *testing.T) {
	t.Parallel()
	big := strings.Repeat(`{"name":"Huisartsenpraktijk"},`, 200)
	var pre bytes.Buffer
	zw := gzip.NewWriter(&pre)
	_, _ = zw.Write([]byte(big))
	_ = zw.Close()
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, big)
		case "/small":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"ok":true}`)
		case "/pre":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(pre.Bytes())
		}
	})
	h, err := boundedHandler(inner, 10, time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/big", "/pre"} {
		rec := get(path)
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: not gzip: %v", path, rec.Header())
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(zr)
		if string(body) != big {
			t.Fatalf("%s: decompressed once, got %.60q (compressed twice?)", path, body)
		}
	}
	if rec := get("/small"); rec.Header().Get("Content-Encoding") != "" || rec.Body.String() != `{"ok":true}` {
		t.Fatalf("a small answer was compressed: %v", rec.Header())
	}
}
