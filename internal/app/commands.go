package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/brug-chw/brug/internal/config"
	"github.com/brug-chw/brug/internal/demo"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/service"
	"github.com/brug-chw/brug/internal/store"
)

const usage = `brug — case management for Community Health Workers

Usage:
  brug serve                 start the HTTP server (applies migrations first)
  brug migrate               apply database migrations and load reference data
  brug seed --demo           load reference data and the demo accounts (idempotent)
  brug user create --email E --name N --role R [--team SLUG] [--fund CODE]
                   [--language nl|fr|de|en] [--all-reports] [--password-stdin]
  brug audit verify [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                             recompute the audit hash chain; exit 1 naming the first bad event
  brug audit anchors [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                             print each day's last seq and hash (keep them elsewhere)
  brug access-register       print who may read or change which data, and the accounts per team

Configuration comes from BRUG_* environment variables; see README.md.
`

// Main runs a subcommand and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(stderr, "brug:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		err = Serve(ctx, cfg, stdout, stderr, nil)
	case "migrate":
		err = migrate(ctx, cfg, stdout)
	case "seed":
		err = seed(ctx, cfg, args[1:], stdout, stderr)
	case "access-register":
		err = accessRegister(ctx, cfg, stdout, stderr)
	case "user":
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, usage)
			return 2
		}
		err = userCreate(ctx, cfg, args[2:], stdin, stdout, stderr)
	case "audit":
		err = auditCommand(ctx, cfg, args[1:], stdout, stderr)
	default:
		fmt.Fprintf(stderr, "brug: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "brug:", err)
			return 2
		}
		fmt.Fprintln(stderr, "brug:", err)
		return 1
	}
	return 0
}

type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Serve runs the server until ctx ends, then shuts down gracefully. ready,
// when given, receives the bound address.
func Serve(ctx context.Context, cfg *config.Config, stdout, stderr io.Writer, ready chan<- string) error {
	start := time.Now()
	log := NewLogger(cfg, stderr)
	d, err := Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	svc, err := NewService(cfg, d, log, Options{})
	if err != nil {
		return err
	}
	if cfg.AuditReadBatch > 0 {
		// Read events wait at most AuditReadEvery; the shutdown below
		// writes what is queued once the last request has answered.
		svc.AuditReads = svc.Store.NewAuditBatcher(store.AuditBatchOptions{MaxEvents: cfg.AuditReadBatch,
			Every: cfg.AuditReadEvery, Buffer: cfg.AuditReadBuffer})
		svc.AuditReads.OnError = func(n int, err error) {
			log.Error("audit read events lost", "events", n, "err", err)
		}
		defer svc.AuditReads.Close()
	}
	if cfg.Demo {
		n, clients, contacts, err := seedDemo(ctx, svc)
		if err != nil {
			return err
		}
		if n > 0 || clients > 0 || contacts > 0 {
			log.Info("demo data loaded", "accounts", n, "clients", clients, "contact_requests", contacts)
		}
	}
	// A soft memory limit makes the collector work harder before the heap
	// outgrows the machine (GOMEMLIMIT, when set, wins).
	if cfg.MemoryLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	if cfg.GCPercent > 0 && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(cfg.GCPercent)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	stopListen := ListenAuthChanges(cfg.DatabaseURL, d, svc, log)
	defer stopListen()
	srv := NewServer(cfg, d, svc, log, reg)
	worker, err := NewWorker(cfg, svc, reg)
	if err != nil {
		return err
	}
	if len(worker.Channels()) == 0 {
		log.Warn("no SMS gateway or SMTP server configured: reminders stay queued (BRUG_SMS_URL, BRUG_SMTP_URL)")
	}
	workerDone := make(chan struct{})
	wctx, stopWorker := context.WithCancel(context.Background())
	go func() { worker.Run(wctx, cfg.ReminderPollInterval); close(workerDone) }()
	defer func() { stopWorker(); <-workerDone }()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (BRUG_ADDR): %w", cfg.Addr, err)
	}
	hs := srv.HTTPServer(cfg.Addr)
	errc := make(chan error, 3)
	go func() { errc <- hs.Serve(ln) }()
	// The metrics listener, when configured, serves only /metrics: bind it
	// where only the monitoring system reaches.
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = hs.Close()
			return fmt.Errorf("listen on %s (BRUG_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
		go func() { errc <- ms.Serve(mln) }()
		defer ms.Close()
		log.Info("metrics are listening", "addr", mln.Addr().String())
	}
	if cfg.PprofAddr != "" {
		pln, err := net.Listen("tcp", cfg.PprofAddr)
		if err != nil {
			_ = hs.Close()
			return fmt.Errorf("listen on %s (BRUG_PPROF_ADDR): %w", cfg.PprofAddr, err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		ps := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- ps.Serve(pln) }()
		defer ps.Close()
		log.Warn("the profiler is listening (BRUG_PPROF_ADDR): for measuring, not for production", "addr", pln.Addr().String())
	}
	go housekeeping(ctx, svc)
	go refreshSnapshots(ctx, svc)

	url := cfg.BaseURL.String()
	log.Info("brug is listening", "addr", ln.Addr().String(), "engine", d.Engine, "startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "\nBrug is running at %s (public site); staff sign in at %s/login\n", url, strings.TrimSuffix(url, "/"))
	if cfg.Demo {
		fmt.Fprintf(stdout, "Sign in with a demo account, e.g. chw.gent1@example.org / %s\n", demo.Password)
		fmt.Fprintf(stdout, "(also coordinator.gent@, manager@, admin@example.org — same password)\n")
	}
	fmt.Fprintln(stdout, "Press Ctrl+C to stop.")
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	if svc.AuditReads != nil {
		svc.AuditReads.Close()
	}
	return err
}

// housekeeping runs the time-based rules (chase tasks, referral expiry,
// the coordinators' alerts),
// removes refresh tokens that expired a day ago and old Idempotency-Key
// answers, folds the report change
// rows, applies the retention rules and logs the anchors of closed audit
// streams, every ten minutes. Several
// processes may run it at once: the rules never duplicate their work.
func housekeeping(ctx context.Context, svc *service.Service) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := svc.Store.DeleteExpiredTokens(ctx, svc.Store.Now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			svc.Log.Warn("housekeeping failed", "err", err)
		} else if n > 0 {
			svc.Log.Info("expired refresh tokens removed", "count", n)
		}
		if tasks, expired, err := svc.RunRules(ctx, svc.Store.Now()); err != nil && ctx.Err() == nil {
			svc.Log.Warn("task rules failed", "err", err)
		} else if tasks+expired > 0 {
			svc.Log.Info("task rules ran", "tasks_created", tasks, "referrals_expired", expired)
		}
		if raised, closed, err := svc.RunAlerts(ctx, svc.Store.Now()); err != nil && ctx.Err() == nil {
			svc.Log.Warn("coordinator alerts failed", "err", err)
		} else if raised+closed > 0 {
			svc.Log.Info("coordinator alerts ran", "raised", raised, "closed", closed)
		}
		// Report snapshots not computed for 30 days are dropped; their
		// change rows are folded, which keeps every stamp as it was.
		if _, err := svc.Store.CompactReportChanges(ctx, 30*24*time.Hour); err != nil && ctx.Err() == nil {
			svc.Log.Warn("report snapshot housekeeping failed", "err", err)
		}
		anchorAudit(ctx, svc)
		// Idempotency-Key answers older than their 24 hours and a day of
		// grace (a late retry is told the key expired) are deleted.
		if _, err := svc.Store.DeleteExpiredIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
			svc.Log.Warn("idempotency key housekeeping failed", "err", err)
		}
		if err := svc.ForgetSharedCounters(ctx); err != nil && ctx.Err() == nil {
			svc.Log.Warn("rate counter housekeeping failed", "err", err)
		}
		if n, err := svc.PurgeContacts(ctx); err != nil && ctx.Err() == nil {
			svc.Log.Warn("contact retention failed", "err", err)
		} else if n > 0 {
			svc.Log.Info("personal data of handled contact requests deleted", "count", n)
		}
		// Retention: clients closed longer than BRUG_RETENTION_MONTHS ago
		// and not under legal hold lose their personal data.
		if n, err := svc.EraseExpired(ctx); err != nil && ctx.Err() == nil {
			svc.Log.Warn("client retention failed", "err", err)
		} else if n > 0 {
			svc.Log.Info("personal data of closed clients erased", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// refreshSnapshots keeps the report snapshots people asked for lately up
// to date after writes into closed periods, every minute, so the next
// reader of a closed month is served from its snapshot (issue 12).
func refreshSnapshots(ctx context.Context, svc *service.Service) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := svc.RefreshReportSnapshots(ctx, 50); err != nil && ctx.Err() == nil {
			svc.Log.Warn("report snapshot refresh failed", "err", err)
		} else if n > 0 {
			svc.Log.Debug("report snapshots computed again", "count", n)
		}
	}
}

func migrate(ctx context.Context, cfg *config.Config, stdout io.Writer) error {
	d, err := Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	v, err := d.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database (%s) is at migration version %d; reference data loaded\n", d.Engine, v)
	return nil
}

func seed(ctx context.Context, cfg *config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	withDemo := fs.Bool("demo", false, "also create the demo accounts")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if cfg.Production() && *withDemo {
		return usageError{"demo data is refused when BRUG_ENV=production"}
	}
	d, err := Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintln(stdout, "reference data loaded")
	if !*withDemo {
		return nil
	}
	svc, err := NewService(cfg, d, NewLogger(cfg, stderr), Options{})
	if err != nil {
		return err
	}
	n, clients, contacts, err := seedDemo(ctx, svc)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data: %d account(s) created, %d already present; %d client(s), %d contact request(s) created\n", n, len(demo.Accounts)-n, clients, contacts)
	return nil
}

// seedDemo loads the demo accounts, the programme (staff, directories and a
// year of work in every team), contact requests and group sessions; each
// part only fills what is empty.
func seedDemo(ctx context.Context, svc *service.Service) (accounts, clients, contacts int, err error) {
	if accounts, err = demo.Seed(ctx, svc.Store, svc.Hasher); err != nil {
		return 0, 0, 0, fmt.Errorf("demo accounts: %w", err)
	}
	sum, err := demo.SeedProgramme(ctx, svc, demo.FullScale)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("demo programme: %w", err)
	}
	clients = sum.Clients
	if contacts, err = demo.SeedContacts(ctx, svc); err != nil {
		return 0, 0, 0, fmt.Errorf("demo contact requests: %w", err)
	}
	if _, err = demo.SeedGroupSessions(ctx, svc.Store); err != nil {
		return 0, 0, 0, fmt.Errorf("demo group sessions: %w", err)
	}
	if _, err = demo.SeedTargets(ctx, svc.Store); err != nil {
		return 0, 0, 0, fmt.Errorf("demo targets: %w", err)
	}
	return accounts, clients, contacts, nil
}

func userCreate(ctx context.Context, cfg *config.Config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "", "chw, coordinator, manager, admin or dpo (required)")
	team := fs.String("team", "", "team slug or id (chw, coordinator); several separated by commas")
	fund := fs.String("fund", "", "fund code (manager)")
	lang := fs.String("language", "nl", "nl, fr, de or en")
	allReports := fs.Bool("all-reports", false, "manager reads the whole programme's reports")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	d, err := Prepare(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	svc, err := NewService(cfg, d, NewLogger(cfg, stderr), Options{})
	if err != nil {
		return err
	}
	var password string
	generated := false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		password = base64.RawURLEncoding.EncodeToString(b)
		generated = true
	}
	var teamIDs []string
	for _, t := range strings.Split(*team, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		if uuid.Validate(t) == nil {
			teamIDs = append(teamIDs, t)
			continue
		}
		row, err := svc.Store.TeamBySlug(ctx, t)
		if err != nil {
			return usageError{fmt.Sprintf("--team: no team %q", t)}
		}
		teamIDs = append(teamIDs, row.ID)
	}
	var fundID *string
	if *fund != "" {
		f, err := svc.Store.FundByCode(ctx, *fund)
		if err != nil {
			return usageError{fmt.Sprintf("--fund: no fund %q", *fund)}
		}
		fundID = &f.ID
	}
	in := service.UserInput{Email: email, Name: name, Role: role, TeamIDs: &teamIDs, FundID: &fundID,
		Language: lang, Password: &password, AllReports: allReports}
	system := &service.Principal{Scope: store.Scope{Role: model.RoleAdmin}}
	v, err := svc.CreateUser(ctx, system, in)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created %s (%s) with id %s\n", v.Email, v.Role, v.ID)
	if generated {
		fmt.Fprintf(stdout, "generated password (shown once): %s\n", password)
	}
	return nil
}
