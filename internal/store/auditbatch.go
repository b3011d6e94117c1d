package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// AuditBatcher writes read events (a client record opened, a list or a
// report read) in batches: one writer goroutine collects them and appends a
// batch to the hash chains in one transaction, when MaxEvents are waiting,
// Every after the first of them, and when Close is called. A request that
// reads does not wait for a commit. Change events never come here: they are
// written by RecordAudit before the request answers.
//
// What a kill -9 can lose: the read events of the last Every (those not yet
// in a committed batch), never more. The buffer is bounded (Buffer events):
// when it is full the caller writes its event itself, as RecordAudit does,
// so a burst slows reads down instead of losing their trail.
type AuditBatcher struct {
	s         *Store
	maxEvents int
	every     time.Duration
	ch        chan *model.AuditEvent
	flushReq  chan chan struct{}
	quit      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	// mu orders Record's send before Close: nothing is queued after it.
	mu     sync.RWMutex
	closed bool
	// OnError is told when a batch could not be written (n events lost).
	OnError func(n int, err error)

	batches, written, overflow, lost, pending atomic.Int64
}

// AuditBatchOptions tune an AuditBatcher; zero values take the defaults.
type AuditBatchOptions struct {
	MaxEvents int           // flush at this many events (default 200)
	Every     time.Duration // flush this long after the first waiting event (default 100 ms)
	Buffer    int           // events waiting at most (default 10 000)
}

// AuditBatchStats counts what a batcher did.
type AuditBatchStats struct {
	// Batches and Written count committed batches and their events;
	// Overflow the events written by their caller because the buffer was
	// full; Lost the events of batches that could not be written.
	Batches, Written, Overflow, Lost int64
	// Pending counts the events queued and not yet written.
	Pending int
}

// NewAuditBatcher starts the writer goroutine; Close stops it.
func (s *Store) NewAuditBatcher(o AuditBatchOptions) *AuditBatcher {
	if o.MaxEvents <= 0 {
		o.MaxEvents = 200
	}
	if o.Every <= 0 {
		o.Every = 100 * time.Millisecond
	}
	if o.Buffer <= 0 {
		o.Buffer = 10000
	}
	if o.Buffer < o.MaxEvents {
		o.Buffer = o.MaxEvents
	}
	b := &AuditBatcher{s: s, maxEvents: o.MaxEvents, every: o.Every,
		ch: make(chan *model.AuditEvent, o.Buffer), flushReq: make(chan chan struct{}),
		quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// Stats returns the counters.
func (b *AuditBatcher) Stats() AuditBatchStats {
	return AuditBatchStats{Batches: b.batches.Load(), Written: b.written.Load(), Overflow: b.overflow.Load(),
		Lost: b.lost.Load(), Pending: int(b.pending.Load())}
}

// Record queues a read event; it stamps the event's id and time now, so
// the chain orders events as they happened. When the buffer is full, or the
// batcher is closed, the event is written at once.
func (b *AuditBatcher) Record(ctx context.Context, e *model.AuditEvent) error {
	b.s.stampAudit(e)
	b.mu.RLock()
	if !b.closed {
		select {
		case b.ch <- e:
			b.pending.Add(1)
			b.mu.RUnlock()
			return nil
		default:
		}
	}
	b.mu.RUnlock()
	b.overflow.Add(1)
	return b.s.RecordAudit(ctx, e)
}

// Flush writes every event queued so far and returns when they are
// committed (or ctx ends).
func (b *AuditBatcher) Flush(ctx context.Context) {
	ack := make(chan struct{})
	select {
	case b.flushReq <- ack:
	case <-b.done:
		return
	case <-ctx.Done():
		return
	}
	select {
	case <-ack:
	case <-ctx.Done():
	}
}

// Close writes what is queued and stops the writer; events recorded after
// it are written by their caller.
func (b *AuditBatcher) Close() {
	b.closeOnce.Do(func() {
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
		close(b.quit)
		<-b.done
	})
}

func (b *AuditBatcher) run() {
	defer close(b.done)
	var (
		batch []*model.AuditEvent
		timer *time.Timer
		tick  <-chan time.Time
	)
	flush := func() {
		if timer != nil {
			timer.Stop()
			timer, tick = nil, nil
		}
		if len(batch) > 0 {
			b.write(batch)
			batch = nil
		}
	}
	for {
		select {
		case e := <-b.ch:
			batch = append(batch, e)
			if len(batch) >= b.maxEvents {
				flush()
			} else if timer == nil {
				timer = time.NewTimer(b.every)
				tick = timer.C
			}
		case <-tick:
			timer, tick = nil, nil
			flush()
		case ack := <-b.flushReq:
			batch = b.drain(batch)
			flush()
			close(ack)
		case <-b.quit:
			batch = b.drain(batch)
			flush()
			return
		}
	}
}

// drain takes every waiting event, writing full batches as it goes, and
// returns the rest.
func (b *AuditBatcher) drain(batch []*model.AuditEvent) []*model.AuditEvent {
	for {
		select {
		case e := <-b.ch:
			batch = append(batch, e)
			if len(batch) >= b.maxEvents {
				b.write(batch)
				batch = nil
			}
			continue
		default:
		}
		break
	}
	return batch
}

// write appends a batch in one transaction (retried on a lost race); if
// that keeps failing, event by event, counting those that cannot be written.
func (b *AuditBatcher) write(batch []*model.AuditEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	defer b.pending.Add(-int64(len(batch)))
	var err error
	for range 3 {
		err = b.s.Tx(ctx, func(tx *Store) error { return tx.appendAuditBatch(ctx, batch) })
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	if err == nil {
		b.batches.Add(1)
		b.written.Add(int64(len(batch)))
		return
	}
	var failed int
	for _, e := range batch {
		if err1 := b.s.RecordAudit(ctx, e); err1 != nil {
			failed++
			err = err1
		} else {
			b.written.Add(1)
		}
	}
	if failed > 0 {
		b.lost.Add(int64(failed))
		if b.OnError != nil {
			b.OnError(failed, err)
		}
	}
}

// stampAudit gives an event its id, time and stream.
func (s *Store) stampAudit(e *model.AuditEvent) {
	if e.ID == "" {
		e.ID = NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.Now()
	}
	// Both engines keep microseconds: the hash covers what is read back.
	e.CreatedAt = e.CreatedAt.UTC().Truncate(time.Microsecond)
	if e.Stream == "" {
		e.Stream = AuditStream(e.CreatedAt)
		if s.auditShards > 1 {
			// Each event joins one of the day's chains at random, so that
			// concurrent writers mostly lock different head rows.
			e.Stream += "/" + strconv.Itoa(rand.IntN(s.auditShards))
		}
	}
}

// appendAuditBatch chains a batch after the heads of its streams, in the
// caller's transaction: per stream one head upsert that takes k seqs at
// once, one multi-row insert and one head update. Streams are taken in
// order, so two batchers (two replicas) lock heads in the same order.
func (s *Store) appendAuditBatch(ctx context.Context, batch []*model.AuditEvent) error {
	byStream := map[string][]*model.AuditEvent{}
	var streams []string
	for _, e := range batch {
		if _, ok := byStream[e.Stream]; !ok {
			streams = append(streams, e.Stream)
		}
		byStream[e.Stream] = append(byStream[e.Stream], e)
	}
	sort.Strings(streams)
	for _, stream := range streams {
		events := byStream[stream]
		k := int64(len(events))
		var head struct {
			Seq  int64
			Hash string
		}
		err := s.q(ctx).Raw(`INSERT INTO audit_heads (stream, seq, hash) VALUES (?, ?, '')
			ON CONFLICT (stream) DO UPDATE SET seq = audit_heads.seq + ?
			RETURNING seq, hash`, stream, k, k).Scan(&head).Error
		if err != nil {
			return mapErr(err, "take audit head")
		}
		prev := head.Hash
		rows := make([]model.AuditEvent, len(events))
		for i, e := range events {
			seq := head.Seq - k + 1 + int64(i)
			e.Seq = &seq
			e.PrevHash = prev
			e.Hash = AuditHash(e)
			prev = e.Hash
			rows[i] = *e
		}
		if err := s.q(ctx).CreateInBatches(rows, 100).Error; err != nil {
			return mapErr(err, "record audit events")
		}
		if err := s.q(ctx).Exec(`UPDATE audit_heads SET hash = ? WHERE stream = ?`, prev, stream).Error; err != nil {
			return mapErr(err, "move audit head")
		}
	}
	return nil
}
