package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/testutil"
)

// BenchmarkFloor is issue 18's comparison, against the running binaries:
// a real `brug serve` (JWT, casbin, scope, audit as configured) and the
// hand-written floor (bench/floor: bare Echo + pgx, one statement, the
// answer compressed as Brug compresses it; a second floor without
// compression is measured for the record) on the
// same database of 100 000 clients over 50 CHWs. Each round measures, for
// every target one after the other (interleaved, so a slow moment of the
// shared machine hits all of them), the maximum throughput of a closed
// loop of 16 callers for 3 s (after 1 s of warm-up) and the latency at a
// fixed 200 requests per second for 3 s; the table gives each round and
// the ratios to the floor's caseload list. Brug on SQLite is measured
// against the same PostgreSQL floor. Needs TEST_DATABASE_URL; run with
// `make bench` or
//
//	go test ./bench -run '^$' -bench Floor -benchtime 1x
//
// After the rounds it takes a CPU profile of each engine's CHW list
// (BRUG_PPROF_ADDR) and prints the share of each part of the work.
// FLOOR_ROUNDS (3), FLOOR_SECONDS (3) and FLOOR_RATE (200) change the run;
// FLOOR_TARGETS (comma-separated parts of target names, "search,Today")
// measures only those targets besides the floor's CHW list, BENCH_ENGINES
// (sqlite,postgres) only those engines, and FLOOR_PROFILE_DIR keeps the
// CPU profiles there (sqlite.pprof, postgres.pprof) for go tool pprof.
// Figures to read, never a test: nothing here fails on a slow machine.
func BenchmarkFloor(b *testing.B) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		b.Fatal("BenchmarkFloor compares with a PostgreSQL floor: set TEST_DATABASE_URL")
	}
	rounds, secs, rate := envInt("FLOOR_ROUNDS", 3), envInt("FLOOR_SECONDS", 3), envInt("FLOOR_RATE", 200)
	bin := b.TempDir()
	for _, pkg := range []string{"cmd/brug", "bench/floor"} {
		out := filepath.Join(bin, filepath.Base(pkg))
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, "github.com/brug-chw/brug/"+pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("build %s: %v\n%s", pkg, err, msg)
		}
	}
	secret := fmt.Sprintf("%064d", 18)
	pg := testutil.NewAPI(b, "postgres")
	seed(b, pg)
	floor := startProc(b, filepath.Join(bin, "floor"), nil, "-addr", "{addr}", "-database-url", pg.Config.DatabaseURL, "-jwt-secret", secret)
	// The same floor without compression, for the record: the ratios are
	// to the floor that sends the same bytes as Brug (gzip level 1).
	rawFloor := startProc(b, filepath.Join(bin, "floor"), nil, "-addr", "{addr}", "-database-url", pg.Config.DatabaseURL, "-jwt-secret", secret, "-gzip=false")
	type engine struct {
		name  string
		base  string
		pid   int
		pprof string
	}
	var servers []engine
	for _, name := range engines() {
		api := pg
		if name != "postgres" {
			api = testutil.NewAPI(b, name)
			seed(b, api)
		}
		pprofAddr := freeAddr(b)
		srv := startProc(b, filepath.Join(bin, "brug"), []string{
			"BRUG_DATABASE_URL=" + api.Config.DatabaseURL, "BRUG_DATA_DIR=" + b.TempDir(), "BRUG_JWT_SECRET=" + secret,
			"BRUG_LOG_LEVEL=error", "BRUG_ADDR={addr}", "BRUG_PPROF_ADDR=" + pprofAddr,
		}, "serve")
		servers = append(servers, engine{name, srv.base, srv.pid, "http://" + pprofAddr})
	}
	for b.Loop() {
		var rows []floorRow
		for round := 1; round <= rounds; round++ {
			for _, eng := range servers {
				chw := signIn(b, eng.base, "chw.gent1@example.org")
				coord := signIn(b, eng.base, "coordinator.gent@example.org")
				ids := firstPage(b, eng.base, chw)
				targets := []floorTarget{
					{name: "floor list, CHW", base: floor.base, pid: floor.pid, token: chw, paths: fixed("/api/v1/clients?limit=50")},
					{name: "floor list, CHW, no gzip", base: rawFloor.base, pid: rawFloor.pid, token: chw, paths: fixed("/api/v1/clients?limit=50")},
					{name: "list, CHW", base: eng.base, pid: eng.pid, token: chw, paths: fixed("/api/v1/clients?limit=50")},
					{name: "floor list, coordinator", base: floor.base, pid: floor.pid, token: coord, paths: fixed("/api/v1/clients?limit=50")},
					{name: "list, coordinator", base: eng.base, pid: eng.pid, token: coord, paths: fixed("/api/v1/clients?limit=50")},
					{name: "client page", base: eng.base, pid: eng.pid, token: chw, paths: func(i int64) []string {
						return []string{"/api/v1/clients/" + ids[int(i)%len(ids)]}
					}},
					{name: "Today (1 request)", base: eng.base, pid: eng.pid, token: chw, paths: fixed("/api/v1/today")},
					{name: "name search, CHW", base: eng.base, pid: eng.pid, token: chw, paths: func(i int64) []string {
						return []string{"/api/v1/clients?limit=50&q=" + strings.ToLower(given[int(i)%len(given)])}
					}},
				}
				if round == 1 {
					// A pass over every target before the first round, not
					// recorded: the first measurement of freshly started
					// servers and a cold cache would otherwise weigh on
					// round 1's base (the floor's list, measured first).
					var failed atomic.Int64
					for _, t := range targets {
						if wanted(t.name) {
							closedLoop(b, t, 16, time.Second, &failed)
						}
					}
				}
				for _, t := range targets {
					if !wanted(t.name) {
						continue
					}
					if strings.HasPrefix(t.name, "floor") && eng.name != servers[0].name {
						// The floor is the same process for both engines: measured once a round.
						continue
					}
					var failed atomic.Int64
					xact0 := pgCommits(b, pg.Config.DatabaseURL)
					rps, cpu, n := closedLoop(b, t, 16, time.Duration(secs)*time.Second, &failed)
					xact := float64(pgCommits(b, pg.Config.DatabaseURL)-xact0) / float64(n)
					shedMax := failed.Load()
					failed.Store(0)
					p50, p99 := fixedRate(b, t, rate, time.Duration(secs)*time.Second, &failed)
					label := t.name
					if !strings.HasPrefix(t.name, "floor") {
						label = eng.name + ": " + t.name
					}
					row := floorRow{round: round, name: label, rps: rps, cpuMs: cpu, p50: p50, p99: p99, notOK: shedMax + failed.Load()}
					if strings.HasPrefix(label, "postgres") || strings.HasPrefix(label, "floor") {
						row.xact = xact
					}
					rows = append(rows, row)
				}
			}
		}
		printFloor(b, rows, rate)
		// After the rounds, so that profiling does not weigh on their
		// figures: where a CHW's caseload list spends its CPU.
		for _, eng := range servers {
			t := floorTarget{name: "list, CHW", base: eng.base, pid: eng.pid, token: signIn(b, eng.base, "chw.gent1@example.org"), paths: fixed("/api/v1/clients?limit=50")}
			printProfile(b, eng.name, filepath.Join(bin, "brug"), eng.pprof, t, secs)
		}
	}
}

// printProfile takes a CPU profile of the server while 16 callers load
// the target for secs seconds, and prints the share of the samples spent
// in each part of the work (a sample counts for every part on its stack,
// so the shares overlap) and the heaviest functions by their own time.
func printProfile(b *testing.B, engine, binary, pprofBase string, t floorTarget, secs int) {
	dir := os.Getenv("FLOOR_PROFILE_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	prof := filepath.Join(dir, engine+".pprof")
	got := make(chan error, 1)
	go func() {
		r, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", pprofBase, secs))
		if err != nil {
			got <- err
			return
		}
		defer r.Body.Close()
		f, err := os.Create(prof)
		if err == nil {
			_, err = io.Copy(f, r.Body)
			f.Close()
		}
		got <- err
	}()
	var failed atomic.Int64
	closedLoop(b, t, 16, time.Duration(secs+1)*time.Second, &failed)
	if err := <-got; err != nil {
		b.Fatalf("profile %s: %v", engine, err)
	}
	parts := []struct{ name, focus string }{
		{"GORM", `gorm\.io/`},
		{"reflection", `^reflect\.`},
		{"JSON encoding", `encoding/json\.|json\.Marshal|jsontext|goccy`},
		{"authentication (JWT, session, casbin)", `internal/auth\.|golang-jwt|casbin|AuthState`},
		{"audit", `(?i)audit`},
		{"database driver (pgx / sqlite)", `jackc/pgx|modernc\.org/sqlite|glebarez`},
		{"database/sql", `^database/sql\.`},
		{"network syscalls", `^syscall\.|internal/poll`},
		{"garbage collector", `runtime\.gcBgMarkWorker|runtime\.gcDrain|runtime\.mallocgc`},
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nCPU profile of %s: caseload list (CHW), 16 callers, %d s, load %s\n", engine, secs, loadAvg())
	for _, p := range parts {
		top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=100000", "-nodefraction=0", "-focus="+p.focus, binary, prof).CombinedOutput()
		if err != nil {
			b.Fatalf("pprof: %v\n%s", err, top)
		}
		share := "0%"
		if m := regexp.MustCompile(`Showing nodes accounting for [^,]+, ([0-9.]+%) of`).FindSubmatch(top); m != nil {
			share = string(m[1])
		}
		// With a focus, "of X total" stays the whole profile: the share
		// is the focused samples' part of it.
		fmt.Fprintf(&out, "  %-40s %7s\n", p.name, share)
	}
	top, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=15", binary, prof).CombinedOutput()
	if err != nil {
		b.Fatalf("pprof: %v\n%s", err, top)
	}
	out.Write(top)
	b.Log(out.String())
	fmt.Println(out.String())
}

// wanted tells whether FLOOR_TARGETS asks for a target (the floor's CHW
// list, the ratios' base, always runs).
func wanted(name string) bool {
	want := os.Getenv("FLOOR_TARGETS")
	if want == "" || name == "floor list, CHW" {
		return true
	}
	for _, part := range strings.Split(want, ",") {
		if part != "" && strings.Contains(name, part) {
			return true
		}
	}
	return false
}

func freeAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type floorTarget struct {
	name  string
	base  string
	pid   int
	token string
	paths func(i int64) []string // the requests of one operation
}

type floorRow struct {
	round    int
	name     string
	rps      float64
	cpuMs    float64
	p50, p99 float64
	xact     float64
	notOK    int64 // answers other than 200 (shed under load)
}

func fixed(paths ...string) func(int64) []string { return func(int64) []string { return paths } }

type proc struct {
	base string
	pid  int
}

// startProc starts a server binary on a free loopback port ({addr} in its
// arguments or environment) and waits for /readyz.
func startProc(b *testing.B, path string, env []string, args ...string) proc {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for i := range args {
		args[i] = strings.ReplaceAll(args[i], "{addr}", addr)
	}
	cmd := exec.Command(path, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "BRUG_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for _, kv := range env {
		cmd.Env = append(cmd.Env, strings.ReplaceAll(kv, "{addr}", addr))
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := "http://" + addr
	for deadline := time.Now().Add(2 * time.Minute); ; {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return proc{base: base, pid: cmd.Process.Pid}
			}
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s did not start: %s", path, errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func signIn(b *testing.B, base, email string) string {
	b.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": demo.Password})
	r, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	defer r.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(r.Body).Decode(&m)
	tok, _ := m["access_token"].(string)
	if r.StatusCode != http.StatusOK || tok == "" {
		b.Fatalf("sign in %s: %d %v", email, r.StatusCode, m)
	}
	return tok
}

func firstPage(b *testing.B, base, token string) []string {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/clients?limit=50", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Body.Close()
	var p struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil || len(p.Items) == 0 {
		b.Fatalf("first page: %d %v", r.StatusCode, err)
	}
	ids := make([]string, len(p.Items))
	for i, it := range p.Items {
		ids[i] = it.ID
	}
	return ids
}

var floorClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}

// one runs one operation (its requests in order). An answer other than
// 200 is counted (a shed 503 under overload, say) and printed beside the
// figures; a transport error fails the benchmark.
func one(b *testing.B, t floorTarget, i int64, failed *atomic.Int64) {
	for _, p := range t.paths(i) {
		req, _ := http.NewRequest(http.MethodGet, t.base+p, nil)
		req.Header.Set("Authorization", "Bearer "+t.token)
		r, err := floorClient.Do(req)
		if err != nil {
			b.Fatalf("%s %s: %v", t.name, p, err)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			failed.Add(1)
		}
	}
}

// closedLoop keeps `workers` callers busy for d (after a second's warm-up)
// and returns operations per second, the server's CPU milliseconds per
// operation (from /proc) and the number of operations.
func closedLoop(b *testing.B, t floorTarget, workers int, d time.Duration, failed *atomic.Int64) (rps, cpuMs float64, n int64) {
	var count atomic.Int64
	run := func(d time.Duration, counting bool) {
		stop := time.Now().Add(d)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(stop) {
					i := count.Add(1)
					one(b, t, i, failed)
				}
			}()
		}
		wg.Wait()
	}
	run(time.Second, false)
	count.Store(0)
	failed.Store(0)
	cpu0 := procCPU(t.pid)
	start := time.Now()
	run(d, true)
	el := time.Since(start)
	n = count.Load()
	return float64(n) / el.Seconds(), (procCPU(t.pid) - cpu0) / float64(n), n
}

// fixedRate sends rate requests a second for d — an operation of k
// requests starts every k/rate s — whatever the answers before (open
// loop), and returns the operations' p50 and p99 in milliseconds.
func fixedRate(b *testing.B, t floorTarget, rate int, d time.Duration, failed *atomic.Int64) (p50, p99 float64) {
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Duration(len(t.paths(0))) * time.Second / time.Duration(rate))
	defer tick.Stop()
	stop := time.Now().Add(d)
	for i := int64(0); time.Now().Before(stop); i++ {
		<-tick.C
		wg.Add(1)
		go func(i int64) {
			defer wg.Done()
			s := time.Now()
			one(b, t, i, failed)
			el := time.Since(s)
			mu.Lock()
			lat = append(lat, el)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return percentile(lat, 0.5), percentile(lat, 0.99)
}

// procCPU is a process's user + system CPU time in milliseconds.
func procCPU(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) * 10 // USER_HZ is 100 on Linux
}

// pgCommits is the database's committed transactions so far (each
// statement outside a transaction is one): per request, how many round
// trips of work the server asked of PostgreSQL.
func pgCommits(b *testing.B, dsn string) int64 {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// The statistics are flushed by each backend at most once a second.
	time.Sleep(1100 * time.Millisecond)
	var n int64
	if err := db.QueryRowContext(context.Background(), "SELECT pg_stat_get_db_xact_commit(oid) FROM pg_database WHERE datname = current_database()").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n - 1 // this statement
}

func printFloor(b *testing.B, rows []floorRow, rate int) {
	floor := map[int]float64{}
	var names []string
	seen := map[string]bool{}
	for _, r := range rows {
		if r.name == "floor list, CHW" {
			floor[r.round] = r.rps
		}
		if !seen[r.name] {
			seen[r.name] = true
			names = append(names, r.name)
		}
	}
	var out strings.Builder
	fmt.Fprintf(&out, "\nload %s; %d rounds, interleaved; ratio = throughput / floor list (CHW) of the same round\n", loadAvg(), len(floor))
	fmt.Fprintf(&out, "%-34s %6s %9s %7s %9s %9s %9s %8s %6s\n", "target", "round", "op/s", "ratio", "CPU ms/op", fmt.Sprintf("p50@%d", rate), fmt.Sprintf("p99@%d", rate), "PG tx/op", "not OK")
	ratios := map[string][]float64{}
	for _, r := range rows {
		ratio := r.rps / floor[r.round]
		ratios[r.name] = append(ratios[r.name], ratio)
		tx := "-"
		if r.xact > 0 {
			tx = fmt.Sprintf("%.1f", r.xact)
		}
		fmt.Fprintf(&out, "%-34s %6d %9.0f %6.2fx %9.2f %9.2f %9.2f %8s %6d\n", r.name, r.round, r.rps, ratio, r.cpuMs, r.p50, r.p99, tx, r.notOK)
	}
	fmt.Fprintf(&out, "\nmedian ratio to the floor's CHW list:\n")
	for _, n := range names {
		v := ratios[n]
		sort.Float64s(v)
		fmt.Fprintf(&out, "  %-34s %.2fx\n", n, v[len(v)/2])
	}
	b.Log(out.String())
	fmt.Println(out.String())
}

func loadAvg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "unknown"
	}
	return "average " + strings.Join(f[:3], " ")
}
