package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// AuditStream is the day an event made at t belongs to: its UTC day. A
// stream is that day, or the day and a shard ("2026-12-02/3") where a day is
// spread over several chains (PostgreSQL).
func AuditStream(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// streamRange narrows q to the streams of the UTC days from..to: "~" sorts
// after "/" and every digit, so "2026-12-02/7" is before "2026-12-02~".
func streamRange(q *gorm.DB, from, to string) *gorm.DB {
	if from != "" {
		q = q.Where("stream >= ?", from)
	}
	if to != "" {
		q = q.Where("stream < ?", to+"~")
	}
	return q
}

// AuditHash is the SHA-256, in hex, of a canonical encoding of an event and
// its place in the chain: every field as a netstring (length:bytes,), a
// missing actor or client as "~,", the time in UTC RFC 3339 with
// nanoseconds. Changing any field, the position or the link changes it.
func AuditHash(e *model.AuditEvent) string {
	b := make([]byte, 0, 512)
	str := func(s string) {
		b = strconv.AppendInt(b, int64(len(s)), 10)
		b = append(b, ':')
		b = append(b, s...)
		b = append(b, ',')
	}
	opt := func(p *string) {
		if p == nil {
			b = append(b, '~', ',')
			return
		}
		str(*p)
	}
	str("brug-audit-v1")
	str(e.Stream)
	if e.Seq == nil {
		b = append(b, '~', ',')
	} else {
		str(strconv.FormatInt(*e.Seq, 10))
	}
	str(e.PrevHash)
	str(e.ID)
	opt(e.ActorID)
	str(e.ActorRole)
	str(e.Action)
	str(e.Entity)
	str(e.EntityID)
	opt(e.ClientID)
	str(e.RequestID)
	str(e.IP)
	str(e.Detail)
	str(e.CreatedAt.UTC().Format(time.RFC3339Nano))
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendAudit chains e after its stream's head and writes it, inside the
// caller's transaction. The upsert takes the head row's lock (on
// PostgreSQL, until the transaction ends; SQLite has one writer anyway),
// so writers of one stream append one after the other across processes.
func (s *Store) appendAudit(ctx context.Context, e *model.AuditEvent) error {
	var head struct {
		Seq  int64
		Hash string
	}
	// The upsert moves the head to the new seq and returns the hash it had:
	// the previous event's.
	err := s.q(ctx).Raw(`INSERT INTO audit_heads (stream, seq, hash) VALUES (?, 1, '')
		ON CONFLICT (stream) DO UPDATE SET seq = audit_heads.seq + 1
		RETURNING seq, hash`, e.Stream).Scan(&head).Error
	if err != nil {
		return mapErr(err, "take audit head")
	}
	seq := head.Seq
	e.Seq = &seq
	e.PrevHash = head.Hash
	e.Hash = AuditHash(e)
	if err := s.q(ctx).Create(e).Error; err != nil {
		return mapErr(err, "record audit event")
	}
	err = s.q(ctx).Exec(`UPDATE audit_heads SET hash = ? WHERE stream = ?`, e.Hash, e.Stream).Error
	return mapErr(err, "move audit head")
}

// AuditHeads lists the head of every chained stream from..to (UTC days,
// inclusive; "" leaves that end open), oldest first.
func (s *Store) AuditHeads(ctx context.Context, from, to string) ([]model.AuditHead, error) {
	q := streamRange(s.q(ctx).Where("stream <> ''"), from, to)
	var out []model.AuditHead
	err := q.Order("stream").Find(&out).Error
	return out, mapErr(err, "list audit heads")
}

// AnchorClosedStreams marks the heads of streams before `before` (a UTC
// day) that were not anchored yet and returns them. Each head is returned
// once, to one caller, however many processes run housekeeping.
func (s *Store) AnchorClosedStreams(ctx context.Context, before string) ([]model.AuditHead, error) {
	var out []model.AuditHead
	err := s.q(ctx).Raw(`UPDATE audit_heads SET anchored_at = ?
		WHERE stream <> '' AND stream < ? AND anchored_at IS NULL
		RETURNING stream, seq, hash, anchored_at`, s.Now(), before).Scan(&out).Error
	sort.Slice(out, func(i, j int) bool { return out[i].Stream < out[j].Stream })
	return out, mapErr(err, "anchor audit streams")
}

// Kinds of break in the audit chain.
const (
	AuditAltered  = "altered"
	AuditRemoved  = "removed"
	AuditInserted = "inserted"
)

// AuditBreak names the first event where the chain does not hold.
type AuditBreak struct {
	Stream string
	Seq    int64
	// ID is the event's id; for a removed event, the id of the event
	// found in its place (or "" when the stream ends there).
	ID     string
	Kind   string
	Reason string
}

func (b *AuditBreak) Error() string {
	id := b.ID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("stream %s seq %d id %s: %s (%s)", b.Stream, b.Seq, id, b.Kind, b.Reason)
}

// AuditCheck is what VerifyAudit read.
type AuditCheck struct {
	Streams int
	Events  int64
	Break   *AuditBreak
}

// VerifyAudit recomputes the chains of the streams from..to (UTC days,
// inclusive; "" leaves that end open) against their heads and stops at the
// first event that was altered, removed or inserted.
func (s *Store) VerifyAudit(ctx context.Context, from, to string) (AuditCheck, error) {
	var res AuditCheck
	heads, err := s.AuditHeads(ctx, from, to)
	if err != nil {
		return res, err
	}
	headOf := make(map[string]model.AuditHead, len(heads))
	for _, h := range heads {
		headOf[h.Stream] = h
	}
	if b, err := s.checkLegacyAudit(ctx); err != nil || b != nil {
		res.Break = b
		return res, err
	}

	q := streamRange(s.q(ctx).Model(&model.AuditEvent{}).Where("stream <> ''"), from, to)
	rows, err := q.Select("stream, seq, prev_hash, hash, id, actor_id, actor_role, action, entity, entity_id, client_id, request_id, ip, detail, created_at").
		Order("stream, seq").Rows()
	if err != nil {
		return res, mapErr(err, "read audit events")
	}
	defer rows.Close()

	next := 0 // index in heads of the next stream not yet reached
	var (
		cur    string
		head   model.AuditHead
		expect int64
		prev   string
		lastID string
	)
	// endStream checks that the stream just read ended at its head.
	endStream := func() *AuditBreak {
		if cur == "" {
			return nil
		}
		switch {
		case expect-1 < head.Seq:
			return &AuditBreak{Stream: cur, Seq: expect, Kind: AuditRemoved,
				Reason: fmt.Sprintf("the stream ends at seq %d but its head says %d: the last events are missing", expect-1, head.Seq)}
		case prev != head.Hash:
			return &AuditBreak{Stream: cur, Seq: expect - 1, ID: lastID, Kind: AuditAltered,
				Reason: "the last event's hash is not the one its head recorded: the event was rewritten"}
		}
		return nil
	}
	// skipTo reports a stream with a head but no events before stream.
	skipTo := func(stream string) *AuditBreak {
		for next < len(heads) && (stream == "" || heads[next].Stream < stream) {
			h := heads[next]
			next++
			if h.Stream != cur {
				return &AuditBreak{Stream: h.Stream, Seq: 1, Kind: AuditRemoved,
					Reason: fmt.Sprintf("the head records %d event(s) but none is left", h.Seq)}
			}
		}
		if next < len(heads) && heads[next].Stream == stream {
			next++
		}
		return nil
	}

	var (
		e               model.AuditEvent
		seq             sql.NullInt64
		actor, clientID sql.NullString
	)
	for rows.Next() {
		e = model.AuditEvent{}
		// Plain Scan: a million events take a second, not GORM's reflection.
		if err := rows.Scan(&e.Stream, &seq, &e.PrevHash, &e.Hash, &e.ID, &actor, &e.ActorRole, &e.Action, &e.Entity,
			&e.EntityID, &clientID, &e.RequestID, &e.IP, &e.Detail, &e.CreatedAt); err != nil {
			return res, mapErr(err, "read audit event")
		}
		if seq.Valid {
			e.Seq = &seq.Int64
		}
		if actor.Valid {
			e.ActorID = &actor.String
		}
		if clientID.Valid {
			e.ClientID = &clientID.String
		}
		res.Events++
		if e.Stream != cur {
			if b := endStream(); b != nil {
				res.Break = b
				return res, nil
			}
			if b := skipTo(e.Stream); b != nil {
				res.Break = b
				return res, nil
			}
			var ok bool
			cur, expect, prev, lastID = e.Stream, 1, "", ""
			res.Streams++
			if head, ok = headOf[cur]; !ok {
				res.Break = &AuditBreak{Stream: cur, Seq: seqOf(e), ID: e.ID, Kind: AuditInserted,
					Reason: "the stream has no head: its events were written around the chain"}
				return res, nil
			}
		}
		if b := checkAuditEvent(&e, head, expect, prev, lastID); b != nil {
			res.Break = b
			return res, nil
		}
		prev, lastID = e.Hash, e.ID
		expect++
	}
	if err := rows.Err(); err != nil {
		return res, mapErr(err, "read audit events")
	}
	if b := endStream(); b != nil {
		res.Break = b
		return res, nil
	}
	res.Break = skipTo("")
	return res, nil
}

func seqOf(e model.AuditEvent) int64 {
	if e.Seq == nil {
		return 0
	}
	return *e.Seq
}

// checkAuditEvent checks one event read in (stream, seq) order, where
// expect is the seq it should have and prev the hash of the one before.
func checkAuditEvent(e *model.AuditEvent, head model.AuditHead, expect int64, prev, prevID string) *AuditBreak {
	seq := seqOf(*e)
	switch {
	case e.Seq == nil:
		return &AuditBreak{Stream: e.Stream, ID: e.ID, Kind: AuditInserted, Reason: "the event has no position in the chain"}
	case seq > head.Seq:
		return &AuditBreak{Stream: e.Stream, Seq: seq, ID: e.ID, Kind: AuditInserted,
			Reason: fmt.Sprintf("seq %d is past the stream's head (%d)", seq, head.Seq)}
	case seq < expect:
		return &AuditBreak{Stream: e.Stream, Seq: seq, ID: e.ID, Kind: AuditInserted, Reason: "a second event with the same seq"}
	case seq > expect:
		return &AuditBreak{Stream: e.Stream, Seq: expect, ID: e.ID, Kind: AuditRemoved,
			Reason: fmt.Sprintf("seq %d to %d missing before this event", expect, seq-1)}
	case AuditHash(e) != e.Hash:
		return &AuditBreak{Stream: e.Stream, Seq: seq, ID: e.ID, Kind: AuditAltered, Reason: "hash mismatch: the event's content changed"}
	case e.PrevHash != prev:
		// The event is whole but does not follow the one before it: that
		// one was rewritten with a recomputed hash.
		return &AuditBreak{Stream: e.Stream, Seq: seq - 1, ID: prevID, Kind: AuditAltered,
			Reason: "the next event's prev_hash does not match this event: it was rewritten"}
	}
	return nil
}

// checkLegacyAudit compares the events from before the chain (stream "")
// with the count the migration recorded.
func (s *Store) checkLegacyAudit(ctx context.Context) (*AuditBreak, error) {
	var h model.AuditHead
	err := s.q(ctx).Where("stream = ''").Take(&h).Error
	if err != nil && !errors.Is(mapErr(err, ""), ErrNotFound) {
		return nil, mapErr(err, "read legacy audit head")
	}
	var n int64
	if err := s.q(ctx).Model(&model.AuditEvent{}).Where("stream = ''").Count(&n).Error; err != nil {
		return nil, mapErr(err, "count legacy audit events")
	}
	switch {
	case n > h.Seq:
		return &AuditBreak{Kind: AuditInserted, Reason: fmt.Sprintf("%d unchained event(s), %d when the chain began", n, h.Seq)}, nil
	case n < h.Seq:
		return &AuditBreak{Kind: AuditRemoved, Reason: fmt.Sprintf("%d unchained event(s), %d when the chain began", n, h.Seq)}, nil
	}
	return nil, nil
}
