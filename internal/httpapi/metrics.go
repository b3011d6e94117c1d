package httpapi

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/brug-chw/brug/internal/db"
	"github.com/brug-chw/brug/internal/service"
)

// contactCollector reports the contact-form queue at scrape time: new
// requests, and those untouched for service.ContactOverdueDays working days.
type contactCollector struct {
	svc           *service.Service
	open, overdue *prometheus.Desc
}

func newContactCollector(svc *service.Service) *contactCollector {
	return &contactCollector{svc: svc,
		open:    prometheus.NewDesc("brug_contact_requests_open", "Contact-form requests not yet handled.", nil, nil),
		overdue: prometheus.NewDesc("brug_contact_requests_overdue", "Contact-form requests untouched for 3 working days or more.", nil, nil),
	}
}

func (c *contactCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.open; ch <- c.overdue }

func (c *contactCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	open, overdue, err := c.svc.ContactCounts(ctx, nil)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(open))
	ch <- prometheus.MustNewConstMetric(c.overdue, prometheus.GaugeValue, float64(overdue))
}

// registerAuditBatchMetrics reports what the read-event batcher did.
func registerAuditBatchMetrics(reg *prometheus.Registry, b *service.AuditBatcher) {
	counter := func(name, help string, v func(service.AuditBatchStats) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(v(b.Stats())) })
	}
	reg.MustRegister(
		counter("brug_audit_read_batches_total", "Batches of read audit events committed.",
			func(s service.AuditBatchStats) int64 { return s.Batches }),
		counter("brug_audit_read_batch_events_total", "Read audit events written in batches.",
			func(s service.AuditBatchStats) int64 { return s.Written }),
		counter("brug_audit_read_overflow_total", "Read audit events written by their request because the buffer was full.",
			func(s service.AuditBatchStats) int64 { return s.Overflow }),
		counter("brug_audit_read_lost_total", "Read audit events of batches that could not be written.",
			func(s service.AuditBatchStats) int64 { return s.Lost }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "brug_audit_read_pending", Help: "Read audit events waiting for their batch."},
			func() float64 { return float64(b.Stats().Pending) }),
	)
}

type metrics struct {
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	auditFailures prometheus.Counter
	dbUnavailable prometheus.Counter
	shed          prometheus.Counter
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
		shed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "brug_http_shed_total", Help: "Requests answered 503 at once because BRUG_MAX_IN_FLIGHT requests were being worked on.",
		}),
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg.MustRegister(m.requests, m.latency, m.auditFailures, m.dbUnavailable, m.shed)
	if d != nil {
		reg.MustRegister(collectors.NewDBStatsCollector(d.SQL, "brug"))
	}
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}
