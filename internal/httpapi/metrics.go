package httpapi

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/brug-chw/brug/internal/db"
)

type metrics struct {
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	auditFailures prometheus.Counter
	dbUnavailable prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, d *db.DB) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "brug_http_requests_total", Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "brug_http_request_duration_seconds", Help: "HTTP request latency by method and route pattern.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		auditFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "brug_audit_write_failures_total", Help: "Audit events that could not be written.",
		}),
		dbUnavailable: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "brug_db_unavailable_responses_total", Help: "Requests answered 503 because the database did not answer.",
		}),
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg.MustRegister(m.requests, m.latency, m.auditFailures, m.dbUnavailable)
	if d != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(d.SQL, "brug"))
	}
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}
