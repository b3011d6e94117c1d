package reminder

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/mask"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Worker sends due outbox rows. Several workers (in several processes) may
// run against one database: a row is leased by one of them at a time, and a
// row whose worker died is leased again when its lease runs out. A message
// can then reach the gateway twice, always with the same reference, so the
// gateway can drop the repeat; it is never lost.
type Worker struct {
	Store       *store.Store
	Senders     map[string]Sender // by channel; a channel without one stays queued
	Now         func() time.Time
	Lease       time.Duration
	Batch       int
	Concurrency int
	MaxAttempts int
	BaseBackoff time.Duration
	BaseURL     string
	ReplySecret []byte
	Log         *slog.Logger
	Metrics     *Metrics
}

// Metrics counts what the worker does.
type Metrics struct {
	Sent    *prometheus.CounterVec
	Failed  *prometheus.CounterVec
	Retried *prometheus.CounterVec
}

// NewMetrics registers the worker's counters.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Sent:    prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brug_reminders_sent_total", Help: "Messages accepted by a gateway."}, []string{"channel"}),
		Failed:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brug_reminders_failed_total", Help: "Messages given up on."}, []string{"channel"}),
		Retried: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brug_reminders_retried_total", Help: "Send attempts that will be retried."}, []string{"channel"}),
	}
	if reg != nil {
		reg.MustRegister(m.Sent, m.Failed, m.Retried)
	}
	return m
}

func (w *Worker) defaults() {
	if w.Now == nil {
		w.Now = time.Now
	}
	if w.Lease <= 0 {
		w.Lease = 2 * time.Minute
	}
	if w.Concurrency <= 0 {
		w.Concurrency = 128
	}
	if w.Batch <= 0 {
		// Four rounds of sends per claim: fewer claims, and leases stay short.
		w.Batch = 4 * w.Concurrency
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 6
	}
	if w.BaseBackoff <= 0 {
		w.BaseBackoff = 30 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Metrics == nil {
		w.Metrics = NewMetrics(nil)
	}
}

// Channels lists the channels with a sender, sorted.
func (w *Worker) Channels() []string {
	var out []string
	for ch, s := range w.Senders {
		if s != nil {
			out = append(out, ch)
		}
	}
	sort.Strings(out)
	return out
}

// Run sends until ctx ends, polling every interval when the queue is empty.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	w.defaults()
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Warn("reminder worker", "err", err)
		}
		if _, err := w.RunContactMail(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("contact mail", "err", err)
		}
		if _, err := w.RunProviderMail(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("provider mail", "err", err)
		}
		if _, err := w.RunInvitationMail(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("invitation mail", "err", err)
		}
		if _, err := w.RunNoticeMail(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("notice mail", "err", err)
		}
		if n < w.Batch {
			select {
			case <-ctx.Done():
			case <-time.After(interval):
			}
		}
	}
}

// RunOnce claims one batch of due messages and sends them; it returns how
// many it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	channels := w.Channels()
	if len(channels) == 0 {
		return 0, nil
	}
	batch, err := w.Store.ClaimDue(ctx, w.Now(), w.Batch, w.Lease, channels)
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	rc, err := w.Store.LoadReminderContext(ctx, batch)
	if err != nil {
		// The leases run out and the batch is claimed again later.
		return 0, err
	}
	sem := make(chan struct{}, w.Concurrency)
	var wg sync.WaitGroup
	for _, r := range batch {
		wg.Add(1)
		sem <- struct{}{}
		go func(r model.Reminder) {
			defer wg.Done()
			defer func() { <-sem }()
			w.handle(ctx, r, rc)
		}(r)
	}
	wg.Wait()
	return len(batch), nil
}

// ReplyToken is the reply link's token of a message: derived, so every
// attempt of the same message carries the same link.
func ReplyToken(secret []byte, reminderID string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("reply:" + reminderID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (w *Worker) finish(ctx context.Context, r model.Reminder, set map[string]any) {
	if r.Destination != "" {
		set["destination"] = r.Destination
	}
	if err := w.Store.FinishReminder(ctx, r.ID, r.Attempts, set); err != nil && !errors.Is(err, store.ErrConflict) {
		w.Log.Error("finish reminder", "reminder_id", r.ID, "err", err)
	}
}

func (w *Worker) handle(ctx context.Context, r model.Reminder, rc store.ReminderContext) {
	now := w.Now()
	stop := func(reason string) {
		w.finish(ctx, r, map[string]any{"status": "cancelled", "last_error": reason})
	}
	a, okA := rc.Appointments[r.AppointmentID]
	c, okC := rc.Clients[r.ClientID]
	if !okA || !okC {
		stop("the appointment or client is gone")
		return
	}
	if r.Kind == KindReminder && (a.Status != "planned" || !a.StartsAt.After(now)) {
		stop("the appointment is no longer ahead")
		return
	}
	consents := rc.Consents[c.ID]
	var to string
	switch r.Channel {
	case "sms":
		if c.Phone == nil || !slices.Contains(consents, "sms_reminders") {
			stop("no phone or no SMS consent")
			return
		}
		to = *c.Phone
	case "email":
		if c.Email == nil || !slices.Contains(consents, "email_reminders") {
			stop("no e-mail address or no e-mail consent")
			return
		}
		to = *c.Email
	}
	// The outbox shows where this attempt went, masked, even when the
	// client's number changes afterwards.
	r.Destination = mask.Destination(r.Channel, to)
	chw := ""
	if c.AssignedCHWID != nil {
		chw, _, _ = strings.Cut(rc.CHWNames[*c.AssignedCHWID], " ")
	}
	d := Data{When: a.StartsAt, CHWName: chw}
	set := map[string]any{"status": "sent"}
	if r.Kind == KindReminder {
		token := ReplyToken(w.ReplySecret, r.ID)
		d.ReplyURL = strings.TrimRight(w.BaseURL, "/") + "/a/" + token
		set["reply_token_hash"] = auth.HashRefreshToken(token)
	}
	msg, err := Render(r.Language, r.Kind, d)
	if err != nil {
		w.fail(ctx, r, err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	err = w.Senders[r.Channel].Send(sctx, Outgoing{To: to, Reference: r.DedupeKey, Message: msg})
	cancel()
	if err != nil && strings.Contains(err.Error(), to) {
		// Keep addresses out of the stored error and the logs.
		err = scrubbed{err, to}
	}
	switch {
	case err == nil:
		set["sent_at"], set["last_error"] = w.Now().UTC(), ""
		w.finish(ctx, r, set)
		w.Metrics.Sent.WithLabelValues(r.Channel).Inc()
	case IsPermanent(err):
		w.fail(ctx, r, err)
	default:
		w.retry(ctx, r, err)
	}
}

// retry puts a message back with exponential back-off and jitter, or gives
// up after MaxAttempts.
func (w *Worker) retry(ctx context.Context, r model.Reminder, err error) {
	if r.Attempts >= w.MaxAttempts {
		w.fail(ctx, r, err)
		return
	}
	backoff := w.BaseBackoff << (r.Attempts - 1)
	if backoff > time.Hour || backoff <= 0 {
		backoff = time.Hour
	}
	jitter := time.Duration(rand.Int64N(int64(backoff)/5 + 1))
	next := w.Now().Add(backoff - backoff/10 + jitter).UTC()
	w.finish(ctx, r, map[string]any{"status": "queued", "next_attempt_at": next, "last_error": errText(err)})
	w.Metrics.Retried.WithLabelValues(r.Channel).Inc()
}

func (w *Worker) fail(ctx context.Context, r model.Reminder, err error) {
	text := errText(err)
	if IsPermanent(err) && !strings.Contains(text, "refused") {
		text = "refused: " + text // FailureReason reads it
	}
	w.finish(ctx, r, map[string]any{"status": "failed", "last_error": text})
	w.Metrics.Failed.WithLabelValues(r.Channel).Inc()
	w.Log.Warn("reminder failed", "reminder_id", r.ID, "channel", r.Channel, "attempts", r.Attempts)
}

// errText keeps an error short; it never holds the message or the address.
func errText(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

type scrubbed struct {
	err error
	to  string
}

func (s scrubbed) Error() string { return strings.ReplaceAll(s.err.Error(), s.to, "<recipient>") }
func (s scrubbed) Unwrap() error { return s.err }
