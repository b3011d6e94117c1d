// Package config owns the process configuration: every BRUG_* environment
// variable is parsed here once, into a typed Config, and validated before
// anything else starts.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the validated process configuration.
type Config struct {
	Addr           string
	DatabaseURL    string
	Env            string // development | production
	JWTSecret      []byte // empty in development until LoadOrCreateSecret fills it
	Demo           bool
	BaseURL        *url.URL
	DataDir        string
	SMSURL         string
	SMSToken       string
	SMTPURL        string
	LogLevel       string
	LogFormat      string
	AccessTTL      time.Duration
	RefreshTTL     time.Duration
	DBMaxOpenConns int
	// DBMaxIdleConns is how many of those stay open when idle (default
	// all of them: a pool that closes what a burst opened reopens it at
	// the next one); DBConnMaxLifetime is when a connection is replaced.
	DBMaxIdleConns    int
	DBConnMaxLifetime time.Duration
	// SQLiteReaders is how many read-only connections SQLite reads on
	// beside its one writer.
	SQLiteReaders int
	// AuditReadBatch and AuditReadEvery: read events are written in
	// batches of at most this many, at the latest this long after the
	// first (0 events: each written before its request answers);
	// AuditReadBuffer bounds how many wait.
	AuditReadBatch  int
	AuditReadEvery  time.Duration
	AuditReadBuffer int
	HashSlots       int
	TrustedProxies  []netip.Prefix
	// MetricsToken, when set, is the bearer token /metrics asks for on the
	// main listener; MetricsAddr, when set, is a separate listener that serves
	// only /metrics (and the main one then has none). Neither: no metrics.
	MetricsToken string
	MetricsAddr  string
	// PprofAddr, when set, is a loopback-only listener serving Go's
	// profiler (net/http/pprof) for measuring a running server (make
	// bench's CPU profile); unset in production.
	PprofAddr string
	// MaxInFlight caps the requests worked on at once (more are shed with
	// 503); RequestTimeout is every request's deadline; MemoryLimit is the
	// Go runtime's soft memory limit in bytes (0: GOMEMLIMIT or none).
	MaxInFlight    int
	RequestTimeout time.Duration
	MemoryLimit    int64
	// GCPercent is the collector's GOGC (GOGC, when set, wins): how far
	// the heap grows past what is live before a collection.
	GCPercent      int
	ReferralExpiry time.Duration
	// QuietFrom/QuietTo are minutes after midnight, Brussels time; equal
	// values mean no quiet hours.
	QuietFrom, QuietTo   int
	ReminderMaxAttempts  int
	ReminderConcurrency  int
	ReminderPollInterval time.Duration
	ReportThreshold      int
	ReportConcurrency    int
	// ContactPerHour is how many contact-form posts one address may send per hour.
	ContactPerHour int
	// ContactRetention is how long a handled contact request keeps its personal data.
	ContactRetention time.Duration
	// RetentionMonths is how long after closing a client keeps its personal data.
	RetentionMonths int
	// EmergencyAccess is how long a break-the-glass grant opens a client.
	EmergencyAccess time.Duration
	// AuthCacheTTL is how long a signed-in caller's account and session
	// are kept between requests (0: read on every request).
	AuthCacheTTL time.Duration
	// SecondFactorRoles must set up a second factor (TOTP) to sign in.
	SecondFactorRoles []string
	// SecondFactorKey seals the stored TOTP secrets (empty: derived from
	// the JWT secret, which then cannot be rotated without a reset of every
	// second factor).
	SecondFactorKey []byte
}

// secondFactorRoles are the roles BRUG_SECOND_FACTOR_ROLES may name.
var secondFactorRoles = []string{"chw", "coordinator", "manager", "admin", "dpo"}

// Production reports whether the stricter production rules apply.
func (c *Config) Production() bool { return c.Env == "production" }

// SQLite reports whether the database URL selects the embedded engine.
func (c *Config) SQLite() bool { return strings.HasPrefix(c.DatabaseURL, "sqlite:") }

// Error lists every invalid variable, so an operator fixes them in one go.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid configuration: " + strings.Join(e.Problems, "; ")
}

// Load reads the configuration from the environment.
func Load() (*Config, error) { return FromMap(environ()) }

func environ() map[string]string {
	m := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "BRUG_") {
			m[k] = v
		}
	}
	return m
}

// FromMap builds a Config from variables given as a map (tests use it directly).
func FromMap(env map[string]string) (*Config, error) {
	p := &parser{env: env}
	c := &Config{
		Addr:              p.str("BRUG_ADDR", "127.0.0.1:8080"),
		DatabaseURL:       p.str("BRUG_DATABASE_URL", "sqlite:data/brug.db"),
		Env:               p.oneOf("BRUG_ENV", "development", "development", "production"),
		JWTSecret:         []byte(p.str("BRUG_JWT_SECRET", "")),
		Demo:              p.boolean("BRUG_DEMO", false),
		DataDir:           p.str("BRUG_DATA_DIR", "data"),
		SMSURL:            p.str("BRUG_SMS_URL", ""),
		SMSToken:          p.str("BRUG_SMS_TOKEN", ""),
		SMTPURL:           p.str("BRUG_SMTP_URL", ""),
		LogLevel:          p.oneOf("BRUG_LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		AccessTTL:         p.duration("BRUG_ACCESS_TTL", 15*time.Minute, time.Minute, 24*time.Hour),
		RefreshTTL:        p.duration("BRUG_REFRESH_TTL", 14*24*time.Hour, time.Hour, 90*24*time.Hour),
		DBMaxOpenConns:    p.integer("BRUG_DB_MAX_OPEN_CONNS", 20, 1, 500),
		HashSlots:         p.integer("BRUG_HASH_SLOTS", 4, 1, 64),
		DBConnMaxLifetime: p.duration("BRUG_DB_CONN_MAX_LIFETIME", 30*time.Minute, time.Minute, 24*time.Hour),
		ReferralExpiry:    p.duration("BRUG_REFERRAL_EXPIRY", 30*24*time.Hour, 24*time.Hour, 365*24*time.Hour),
	}
	c.SQLiteReaders = p.integer("BRUG_SQLITE_READERS", 4, 1, 64)
	c.AuthCacheTTL = p.duration("BRUG_AUTH_CACHE_TTL", 5*time.Second, 0, time.Minute)
	c.AuditReadBatch = p.integer("BRUG_AUDIT_READ_BATCH", 200, 0, 10000)
	c.AuditReadEvery = p.duration("BRUG_AUDIT_READ_EVERY", 100*time.Millisecond, time.Millisecond, time.Minute)
	c.AuditReadBuffer = p.integer("BRUG_AUDIT_READ_BUFFER", 10000, 1, 1000000)
	c.DBMaxIdleConns = p.integer("BRUG_DB_MAX_IDLE_CONNS", c.DBMaxOpenConns, 1, c.DBMaxOpenConns)
	defFormat := "text"
	if c.Env == "production" {
		defFormat = "json"
	}
	c.LogFormat = p.oneOf("BRUG_LOG_FORMAT", defFormat, "text", "json")
	c.BaseURL = p.url("BRUG_BASE_URL", "http://"+hostForURL(c.Addr))
	c.QuietFrom, c.QuietTo = p.quietHours("BRUG_QUIET_HOURS", "21:00-08:00")
	c.ReminderMaxAttempts = p.integer("BRUG_REMINDER_MAX_ATTEMPTS", 6, 1, 50)
	c.ReminderConcurrency = p.integer("BRUG_REMINDER_CONCURRENCY", 128, 1, 512)
	c.ReminderPollInterval = p.duration("BRUG_REMINDER_POLL", 2*time.Second, 100*time.Millisecond, time.Minute)
	c.ReportThreshold = p.integer("BRUG_REPORT_MIN_COUNT", 5, 3, 100)
	c.ReportConcurrency = p.integer("BRUG_REPORT_CONCURRENCY", 2, 1, 64)
	c.ContactPerHour = p.integer("BRUG_CONTACT_PER_HOUR", 10, 1, 10_000)
	c.ContactRetention = time.Duration(p.integer("BRUG_CONTACT_RETENTION_DAYS", 183, 1, 3650)) * 24 * time.Hour
	c.RetentionMonths = p.integer("BRUG_RETENTION_MONTHS", 24, 1, 600)
	c.EmergencyAccess = time.Duration(p.integer("BRUG_EMERGENCY_ACCESS_HOURS", 4, 1, 24)) * time.Hour
	// Everyone who sees more than their own caseload needs a second factor
	// in production; a programme can add CHWs ("all" or a list with chw).
	defRoles := ""
	if c.Production() {
		defRoles = "coordinator,manager,admin,dpo"
	}
	c.SecondFactorRoles = p.roles("BRUG_SECOND_FACTOR_ROLES", defRoles)
	c.SecondFactorKey = []byte(p.str("BRUG_SECOND_FACTOR_KEY", ""))
	if len(c.SecondFactorKey) > 0 && len(c.SecondFactorKey) < 32 {
		p.fail("BRUG_SECOND_FACTOR_KEY", "must be at least 32 bytes")
	}

	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		p.fail("BRUG_ADDR", "must be host:port, e.g. 127.0.0.1:8080")
	}
	// 16 per core: on two cores the caseload route's admitted p99 stays near
	// twice its normal p99 at twice its capacity (bench/overload_test.go).
	c.MaxInFlight = p.integer("BRUG_MAX_IN_FLIGHT", 16*runtime.GOMAXPROCS(0), 1, 100_000)
	c.RequestTimeout = p.duration("BRUG_REQUEST_TIMEOUT", 30*time.Second, time.Second, 10*time.Minute)
	c.MemoryLimit = int64(p.integer("BRUG_MEMORY_LIMIT_MB", 512, 0, 1<<20)) << 20
	// Go's default (100) spent a quarter of the caseload list's CPU in
	// the collector; the live heap is small (tens of MB) and the soft
	// memory limit above makes it collect harder before that is reached.
	c.GCPercent = p.integer("BRUG_GC_PERCENT", 400, 25, 10_000)
	c.MetricsToken = p.str("BRUG_METRICS_TOKEN", "")
	if c.MetricsToken != "" && len(c.MetricsToken) < 24 {
		p.fail("BRUG_METRICS_TOKEN", "must have at least 24 characters")
	}
	c.MetricsAddr = p.str("BRUG_METRICS_ADDR", "")
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			p.fail("BRUG_METRICS_ADDR", "must be host:port, e.g. 127.0.0.1:9090")
		} else if c.MetricsAddr == c.Addr {
			p.fail("BRUG_METRICS_ADDR", "must differ from BRUG_ADDR")
		}
	}
	c.PprofAddr = p.str("BRUG_PPROF_ADDR", "")
	if c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		ip, ipErr := netip.ParseAddr(host)
		switch {
		case err != nil:
			p.fail("BRUG_PPROF_ADDR", "must be host:port, e.g. 127.0.0.1:6060")
		case host != "localhost" && (ipErr != nil || !ip.IsLoopback()):
			p.fail("BRUG_PPROF_ADDR", "must be a loopback address (127.0.0.1, ::1 or localhost): profiles are for the machine's operator only")
		case c.PprofAddr == c.Addr || c.PprofAddr == c.MetricsAddr:
			p.fail("BRUG_PPROF_ADDR", "must differ from BRUG_ADDR and BRUG_METRICS_ADDR")
		}
	}
	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		if strings.TrimPrefix(c.DatabaseURL, "sqlite:") == "" {
			p.fail("BRUG_DATABASE_URL", "sqlite: needs a file path, e.g. sqlite:data/brug.db")
		}
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		if _, err := url.Parse(c.DatabaseURL); err != nil {
			p.fail("BRUG_DATABASE_URL", "is not a valid postgres:// URL")
		}
	default:
		p.fail("BRUG_DATABASE_URL", "must start with sqlite: or postgres://")
	}
	if s := p.env["BRUG_SMS_URL"]; s != "" {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.fail("BRUG_SMS_URL", "must be an http(s) URL")
		}
	}
	if s := p.env["BRUG_SMTP_URL"]; s != "" {
		if u, err := url.Parse(s); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			p.fail("BRUG_SMTP_URL", "must be smtp://user:pass@host:port or smtps://…")
		}
	}
	if s := strings.TrimSpace(p.env["BRUG_TRUSTED_PROXIES"]); s != "" {
		for _, part := range strings.Split(s, ",") {
			pre, err := netip.ParsePrefix(strings.TrimSpace(part))
			if err != nil {
				p.fail("BRUG_TRUSTED_PROXIES", fmt.Sprintf("%q is not a CIDR such as 10.0.0.0/8", part))
				continue
			}
			c.TrustedProxies = append(c.TrustedProxies, pre)
		}
	}
	if len(c.JWTSecret) > 0 && len(c.JWTSecret) < 32 {
		p.fail("BRUG_JWT_SECRET", "must be at least 32 bytes")
	}
	if c.Production() {
		if len(c.JWTSecret) == 0 {
			p.fail("BRUG_JWT_SECRET", "is required when BRUG_ENV=production (at least 32 bytes)")
		}
		if c.Demo {
			p.fail("BRUG_DEMO", "demo data is refused when BRUG_ENV=production")
		}
	}
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	return c, nil
}

func hostForURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

type parser struct {
	env      map[string]string
	problems []string
}

func (p *parser) fail(name, msg string) { p.problems = append(p.problems, name+" "+msg) }

func (p *parser) str(name, def string) string {
	if v, ok := p.env[name]; ok && v != "" {
		return v
	}
	return def
}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	p.fail(name, fmt.Sprintf("must be one of %s, not %q", strings.Join(allowed, ", "), v))
	return def
}

// roles reads a comma-separated list of roles; "none" is the empty list and
// "all" every role.
func (p *parser) roles(name, def string) []string {
	v := strings.ToLower(strings.TrimSpace(p.str(name, def)))
	switch v {
	case "", "none":
		return nil
	case "all":
		return slices.Clone(secondFactorRoles)
	}
	var out []string
	for _, r := range strings.Split(v, ",") {
		r = strings.TrimSpace(r)
		if !slices.Contains(secondFactorRoles, r) {
			p.fail(name, fmt.Sprintf("%q is not a role (one of %s, or all, or none)", r, strings.Join(secondFactorRoles, ", ")))
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, fmt.Sprintf("must be true or false, not %q", v))
		return def
	}
	return b
}

func (p *parser) integer(name string, def, lo, hi int) int {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, fmt.Sprintf("must be a whole number from %d to %d, not %q", lo, hi, v))
		return def
	}
	return n
}

func (p *parser) duration(name string, def, lo, hi time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		p.fail(name, fmt.Sprintf("must be a duration from %s to %s (e.g. 15m), not %q", lo, hi, v))
		return def
	}
	return d
}

// quietHours reads "21:00-08:00" (or "off") into minutes after midnight.
func (p *parser) quietHours(name, def string) (int, int) {
	v := strings.ToLower(strings.TrimSpace(p.str(name, def)))
	if v == "off" {
		return 0, 0
	}
	from, to, ok := strings.Cut(v, "-")
	f, err1 := time.Parse("15:04", strings.TrimSpace(from))
	t, err2 := time.Parse("15:04", strings.TrimSpace(to))
	if !ok || err1 != nil || err2 != nil {
		p.fail(name, fmt.Sprintf("must be HH:MM-HH:MM (e.g. 21:00-08:00) or off, not %q", v))
		return 21 * 60, 8 * 60
	}
	return f.Hour()*60 + f.Minute(), t.Hour()*60 + t.Minute()
}

func (p *parser) url(name, def string) *url.URL {
	v := strings.TrimRight(p.str(name, def), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, fmt.Sprintf("must be an absolute http(s) URL, not %q", v))
		u, _ = url.Parse(def)
	}
	return u
}

// ErrNoSecret is returned when no secret is configured and none may be generated.
var ErrNoSecret = errors.New("no JWT secret")

// LoadOrCreateSecret fills JWTSecret in development from DataDir/jwt-secret,
// creating the file with a random key on first start so restarts keep sessions.
func (c *Config) LoadOrCreateSecret(random func([]byte) error) error {
	if len(c.JWTSecret) > 0 {
		return nil
	}
	if c.Production() {
		return ErrNoSecret
	}
	path := c.DataDir + string(os.PathSeparator) + "jwt-secret"
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.JWTSecret = []byte(strings.TrimSpace(string(b)))
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	raw := make([]byte, 32)
	if err := random(raw); err != nil {
		return err
	}
	secret := fmt.Sprintf("%x", raw)
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	c.JWTSecret = []byte(secret)
	return nil
}
