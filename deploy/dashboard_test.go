package deploy_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.yaml.in/yaml/v3"

	"github.com/brug-chw/brug/internal/app"
	"github.com/brug-chw/brug/internal/testutil"
)

// exported lists the metric names a `brug serve` exposes on /metrics, built
// as Serve builds its registry, with every labelled series touched once (a
// vector shows only after its first use).
func exported(t *testing.T) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cfg := testutil.Config(t, testutil.DatabaseURL(t, "sqlite"))
	d, err := app.Prepare(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	svc, err := app.NewService(cfg, d, testutil.DiscardLogger(), app.Options{PasswordParams: &testutil.FastPasswords})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	srv := app.NewServer(cfg, d, svc, testutil.DiscardLogger(), reg)
	w, err := app.NewWorker(cfg, svc, reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []*prometheus.CounterVec{w.Metrics.Sent, w.Metrics.Failed, w.Metrics.Retried} {
		v.WithLabelValues("sms")
	}
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		n := f.GetName()
		names[n] = true
		if ms := f.GetMetric(); len(ms) > 0 && (ms[0].GetHistogram() != nil || ms[0].GetSummary() != nil) {
			names[n+"_bucket"], names[n+"_sum"], names[n+"_count"] = true, true, true
		}
	}
	return names
}

// metricName finds the series names in a PromQL expression: words before a
// selector or a range, less functions, keywords and label names.
var metricName = regexp.MustCompile(`\b((?:brug|go|process)_[a-zA-Z0-9_]+)\b`)

// Every metric the Grafana dashboard and the alerting rules query is one
// Brug exports, and every alert has its section in the runbook.
func TestDashboardAndAlertsUseExportedMetrics(t *testing.T) {
	have := exported(t)
	var exprs []string
	raw, err := os.ReadFile("grafana/brug-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("grafana/brug-dashboard.json: %v", err)
	}
	if len(dash.Panels) == 0 {
		t.Fatal("the dashboard has no panels")
	}
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q queries nothing", p.Title)
		}
		for _, q := range p.Targets {
			exprs = append(exprs, q.Expr)
		}
	}
	raw, err = os.ReadFile("prometheus/alerts.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("prometheus/alerts.yaml: %v", err)
	}
	runbook, err := os.ReadFile("RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	alerts := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			alerts++
			exprs = append(exprs, r.Expr)
			if !strings.Contains(string(runbook), "### "+r.Alert+"\n") {
				t.Errorf("alert %s has no section \"### %s\" in RUNBOOK.md", r.Alert, r.Alert)
			}
		}
	}
	if alerts == 0 {
		t.Fatal("no alerting rules")
	}
	used := map[string]bool{}
	for _, e := range exprs {
		for _, m := range metricName.FindAllStringSubmatch(e, -1) {
			used[m[1]] = true
		}
	}
	var missing []string
	for n := range used {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("queried but not exported: %v", missing)
	}
	if len(used) < 10 {
		t.Fatalf("only %d metrics found in the queries: %v", len(used), used)
	}
}
