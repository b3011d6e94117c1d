package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/demo"
)

// BenchmarkOverload runs `brug serve` (BRUG_BIN) on SQLite with the demo
// programme, measures the caseload route's capacity with 16 callers, then
// offers twice that rate for 15 s (open loop: requests do not wait for each
// other) and reports how fast shed requests got their 503, the p99 of the
// admitted ones against the normal p99, the peak RSS, and how long until
// normal latency is back. A figure for the notes, never a test gate:
//
//	make build && BRUG_BIN=$PWD/bin/brug go test ./bench -run '^$' -bench Overload -benchtime 1x
func BenchmarkOverload(b *testing.B) {
	bin := os.Getenv("BRUG_BIN")
	if bin == "" {
		b.Fatal("set BRUG_BIN to a built brug binary (make build)")
	}
	inFlight := envInt("BENCH_MAX_IN_FLIGHT", 64)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := b.TempDir()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "BRUG_ADDR="+addr, "BRUG_DATABASE_URL=sqlite:"+filepath.Join(dir, "b.db"), "BRUG_DATA_DIR="+dir,
		"BRUG_DEMO=true", "BRUG_LOG_LEVEL=error", "BRUG_MAX_IN_FLIGHT="+strconv.Itoa(inFlight))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	base := "http://" + addr
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4096, MaxConnsPerHost: 0}}
	for deadline := time.Now().Add(5 * time.Minute); ; {
		if r, err := client.Get(base + "/readyz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("brug did not start")
		}
		time.Sleep(200 * time.Millisecond)
	}
	body, _ := json.Marshal(map[string]string{"email": "chw.gent1@example.org", "password": demo.Password})
	lr, err := client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil || lr.StatusCode != 200 {
		b.Fatalf("login: %v %v", lr, err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(lr.Body).Decode(&tok)
	lr.Body.Close()
	get := func() (int, time.Duration) {
		req, _ := http.NewRequest("GET", base+"/api/v1/clients?limit=50", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Accept-Encoding", "gzip")
		start := time.Now()
		r, err := client.Do(req)
		if err != nil {
			return 0, time.Since(start)
		}
		_, _ = bytes.NewBuffer(nil).ReadFrom(r.Body)
		r.Body.Close()
		return r.StatusCode, time.Since(start)
	}
	// Capacity: a closed loop of 16 callers for 5 s.
	var mu sync.Mutex
	var normal []time.Duration
	stop := time.Now().Add(5 * time.Second)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if st, d := get(); st == 200 {
					mu.Lock()
					normal = append(normal, d)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	capacity := float64(len(normal)) / 5
	normalP99 := pct(normal, 99)
	// Overload: twice the capacity, open loop, 15 s.
	rate := 2 * capacity
	type result struct {
		st int
		d  time.Duration
	}
	var results []result
	var peakRSS int64
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if rss := rssOf(cmd.Process.Pid); rss > peakRSS {
				peakRSS = rss
			}
			time.Sleep(200 * time.Millisecond)
		}
	}()
	interval := time.Duration(float64(time.Second) / rate)
	end := time.Now().Add(15 * time.Second)
	var owg sync.WaitGroup
	for next := time.Now(); next.Before(end); next = next.Add(interval) {
		time.Sleep(time.Until(next))
		owg.Add(1)
		go func() {
			defer owg.Done()
			st, d := get()
			mu.Lock()
			results = append(results, result{st, d})
			mu.Unlock()
		}()
	}
	owg.Wait()
	overEnd := time.Now()
	// Recovery: until five requests in a row are within twice the normal p99.
	ok := 0
	for ok < 5 && time.Since(overEnd) < time.Minute {
		if st, d := get(); st == 200 && d <= 2*normalP99 {
			ok++
		} else {
			ok = 0
		}
		time.Sleep(50 * time.Millisecond)
	}
	recovery := time.Since(overEnd)
	cancel()
	var shed, admitted, failed []time.Duration
	for _, r := range results {
		switch r.st {
		case 200:
			admitted = append(admitted, r.d)
		case 503:
			shed = append(shed, r.d)
		default:
			failed = append(failed, r.d)
		}
	}
	b.ReportMetric(capacity, "capacity-req/s")
	b.ReportMetric(float64(len(shed))/float64(len(results))*100, "shed-%")
	b.ReportMetric(float64(pct(shed, 99).Milliseconds()), "shed-p99-ms")
	b.ReportMetric(float64(pct(admitted, 99).Milliseconds()), "admitted-p99-ms")
	b.ReportMetric(float64(normalP99.Milliseconds()), "normal-p99-ms")
	b.ReportMetric(float64(peakRSS>>20), "peak-RSS-MiB")
	b.ReportMetric(recovery.Seconds(), "recovery-s")
	b.Logf("capacity %.0f req/s (16 callers, normal p99 %v); offered %.0f req/s for 15 s: %d requests, %d admitted (p99 %v), %d shed with 503 (p99 %v), %d other (errors or timeouts); peak RSS %d MiB; normal latency back after %v; BRUG_MAX_IN_FLIGHT=%d",
		capacity, normalP99, rate, len(results), len(admitted), pct(admitted, 99), len(shed), pct(shed, 99), len(failed), peakRSS>>20, recovery.Round(10*time.Millisecond), inFlight)
}

func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func rssOf(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
