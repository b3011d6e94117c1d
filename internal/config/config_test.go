package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c, err := FromMap(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "sqlite:data/brug.db" || c.Env != "development" ||
		c.Demo || c.LogLevel != "info" || c.LogFormat != "text" || c.BaseURL.String() != "http://127.0.0.1:8080" ||
		c.AccessTTL != 15*time.Minute || !c.SQLite() || c.RetentionMonths != 24 || c.EmergencyAccess != 4*time.Hour ||
		c.DBMaxOpenConns != 20 || c.DBMaxIdleConns != 20 || c.DBConnMaxLifetime != 30*time.Minute || c.SQLiteReaders != 4 || c.AuthCacheTTL != 5*time.Second ||
		c.GCPercent != 400 || c.MemoryLimit != 512<<20 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"BRUG_ADDR": "nonsense"}, "BRUG_ADDR"},
		{map[string]string{"BRUG_DATABASE_URL": "mysql://x"}, "BRUG_DATABASE_URL"},
		{map[string]string{"BRUG_DATABASE_URL": "sqlite:"}, "BRUG_DATABASE_URL"},
		{map[string]string{"BRUG_ENV": "staging"}, "BRUG_ENV"},
		{map[string]string{"BRUG_DEMO": "yes please"}, "BRUG_DEMO"},
		{map[string]string{"BRUG_BASE_URL": "ftp://x"}, "BRUG_BASE_URL"},
		{map[string]string{"BRUG_LOG_LEVEL": "loud"}, "BRUG_LOG_LEVEL"},
		{map[string]string{"BRUG_LOG_FORMAT": "xml"}, "BRUG_LOG_FORMAT"},
		{map[string]string{"BRUG_SMS_URL": "not a url"}, "BRUG_SMS_URL"},
		{map[string]string{"BRUG_SMTP_URL": "http://mail"}, "BRUG_SMTP_URL"},
		{map[string]string{"BRUG_ACCESS_TTL": "5s"}, "BRUG_ACCESS_TTL"},
		{map[string]string{"BRUG_AUTH_CACHE_TTL": "2m"}, "BRUG_AUTH_CACHE_TTL"},
		{map[string]string{"BRUG_AUTH_CACHE_TTL": "-1s"}, "BRUG_AUTH_CACHE_TTL"},
		{map[string]string{"BRUG_DB_MAX_OPEN_CONNS": "0"}, "BRUG_DB_MAX_OPEN_CONNS"},
		{map[string]string{"BRUG_DB_MAX_OPEN_CONNS": "8", "BRUG_DB_MAX_IDLE_CONNS": "9"}, "BRUG_DB_MAX_IDLE_CONNS"},
		{map[string]string{"BRUG_DB_CONN_MAX_LIFETIME": "10s"}, "BRUG_DB_CONN_MAX_LIFETIME"},
		{map[string]string{"BRUG_SQLITE_READERS": "0"}, "BRUG_SQLITE_READERS"},
		{map[string]string{"BRUG_GC_PERCENT": "10"}, "BRUG_GC_PERCENT"},
		{map[string]string{"BRUG_GC_PERCENT": "off"}, "BRUG_GC_PERCENT"},
		{map[string]string{"BRUG_TRUSTED_PROXIES": "10.0.0.0"}, "BRUG_TRUSTED_PROXIES"},
		{map[string]string{"BRUG_METRICS_TOKEN": "too-short"}, "BRUG_METRICS_TOKEN"},
		{map[string]string{"BRUG_METRICS_ADDR": "9090"}, "BRUG_METRICS_ADDR"},
		{map[string]string{"BRUG_METRICS_ADDR": "127.0.0.1:8080"}, "BRUG_METRICS_ADDR"},
		{map[string]string{"BRUG_PPROF_ADDR": "6060"}, "BRUG_PPROF_ADDR"},
		{map[string]string{"BRUG_PPROF_ADDR": "0.0.0.0:6060"}, "BRUG_PPROF_ADDR"},
		{map[string]string{"BRUG_PPROF_ADDR": "10.0.0.5:6060"}, "BRUG_PPROF_ADDR"},
		{map[string]string{"BRUG_PPROF_ADDR": "127.0.0.1:8080"}, "BRUG_PPROF_ADDR"},
		{map[string]string{"BRUG_JWT_SECRET": "short"}, "BRUG_JWT_SECRET"},
		{map[string]string{"BRUG_QUIET_HOURS": "night"}, "BRUG_QUIET_HOURS"},
		{map[string]string{"BRUG_REMINDER_MAX_ATTEMPTS": "0"}, "BRUG_REMINDER_MAX_ATTEMPTS"},
		{map[string]string{"BRUG_RETENTION_MONTHS": "0"}, "BRUG_RETENTION_MONTHS"},
		{map[string]string{"BRUG_RETENTION_MONTHS": "two years"}, "BRUG_RETENTION_MONTHS"},
		{map[string]string{"BRUG_EMERGENCY_ACCESS_HOURS": "0"}, "BRUG_EMERGENCY_ACCESS_HOURS"},
		{map[string]string{"BRUG_EMERGENCY_ACCESS_HOURS": "4h"}, "BRUG_EMERGENCY_ACCESS_HOURS"},
		{map[string]string{"BRUG_ENV": "production"}, "BRUG_JWT_SECRET"},
		{map[string]string{"BRUG_SECOND_FACTOR_ROLES": "coordinator,boss"}, "BRUG_SECOND_FACTOR_ROLES"},
		{map[string]string{"BRUG_SECOND_FACTOR_KEY": "short"}, "BRUG_SECOND_FACTOR_KEY"},
		{map[string]string{"BRUG_ENV": "production", "BRUG_JWT_SECRET": strings.Repeat("x", 32), "BRUG_DEMO": "true"}, "BRUG_DEMO"},
	}
	for _, tc := range cases {
		_, err := FromMap(tc.env)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("%v: want a config error, got %v", tc.env, err)
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %q does not name %s", tc.env, err, tc.want)
		}
	}
}

func TestSecondFactorRoles(t *testing.T) {
	prod := map[string]string{"BRUG_ENV": "production", "BRUG_JWT_SECRET": strings.Repeat("s", 32)}
	with := func(m map[string]string, k, v string) map[string]string {
		out := map[string]string{k: v}
		for a, b := range m {
			out[a] = b
		}
		return out
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{prod, "coordinator,manager,admin,dpo"},
		{with(prod, "BRUG_SECOND_FACTOR_ROLES", "all"), "chw,coordinator,manager,admin,dpo"},
		{with(prod, "BRUG_SECOND_FACTOR_ROLES", "none"), ""},
		{with(prod, "BRUG_SECOND_FACTOR_ROLES", " Coordinator , chw,chw"), "coordinator,chw"},
		{map[string]string{"BRUG_SECOND_FACTOR_ROLES": "admin"}, "admin"},
	} {
		c, err := FromMap(tc.env)
		if err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
		if got := strings.Join(c.SecondFactorRoles, ","); got != tc.want {
			t.Errorf("%v: roles %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestRetentionMonths(t *testing.T) {
	c, err := FromMap(map[string]string{"BRUG_RETENTION_MONTHS": "60"})
	if err != nil || c.RetentionMonths != 60 {
		t.Fatalf("BRUG_RETENTION_MONTHS=60: %v %+v", err, c)
	}
}

func TestAllProblemsReportedAtOnce(t *testing.T) {
	_, err := FromMap(map[string]string{"BRUG_ADDR": "x", "BRUG_LOG_LEVEL": "loud"})
	if err == nil || !strings.Contains(err.Error(), "BRUG_ADDR") || !strings.Contains(err.Error(), "BRUG_LOG_LEVEL") {
		t.Fatalf("want both variables named, got %v", err)
	}
}

func TestProductionDefaultsToJSONLogs(t *testing.T) {
	c, err := FromMap(map[string]string{"BRUG_ENV": "production", "BRUG_JWT_SECRET": strings.Repeat("s", 32),
		"BRUG_DATABASE_URL": "postgres://u@h/db"})
	if err != nil {
		t.Fatal(err)
	}
	if c.LogFormat != "json" || !c.Production() || c.SQLite() {
		t.Fatalf("got %+v", c)
	}
}

func TestSecretIsGeneratedOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	c, _ := FromMap(map[string]string{"BRUG_DATA_DIR": dir})
	calls := 0
	rnd := func(b []byte) error {
		calls++
		for i := range b {
			b[i] = byte(i)
		}
		return nil
	}
	if err := c.LoadOrCreateSecret(rnd); err != nil {
		t.Fatal(err)
	}
	if len(c.JWTSecret) < 32 {
		t.Fatalf("secret too short: %d", len(c.JWTSecret))
	}
	st, err := os.Stat(filepath.Join(dir, "jwt-secret"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", st, err)
	}
	c2, _ := FromMap(map[string]string{"BRUG_DATA_DIR": dir})
	if err := c2.LoadOrCreateSecret(rnd); err != nil {
		t.Fatal(err)
	}
	if string(c2.JWTSecret) != string(c.JWTSecret) || calls != 1 {
		t.Fatalf("second start must reuse the stored secret (calls=%d)", calls)
	}
}

func TestQuietHours(t *testing.T) {
	c, _ := FromMap(map[string]string{})
	if c.QuietFrom != 21*60 || c.QuietTo != 8*60 {
		t.Fatalf("default quiet hours %d-%d", c.QuietFrom, c.QuietTo)
	}
	c, _ = FromMap(map[string]string{"BRUG_QUIET_HOURS": "off"})
	if c.QuietFrom != c.QuietTo {
		t.Fatalf("off: %d-%d", c.QuietFrom, c.QuietTo)
	}
	c, _ = FromMap(map[string]string{"BRUG_QUIET_HOURS": "22:30-07:15"})
	if c.QuietFrom != 22*60+30 || c.QuietTo != 7*60+15 {
		t.Fatalf("custom: %d-%d", c.QuietFrom, c.QuietTo)
	}
}
