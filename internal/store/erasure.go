package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/brug-chw/brug/internal/model"
)

// Erasure.
//
// Erasing a client empties its personal data in every table and keeps
// every column a report reads (team, fund, neighbourhood, source, dates,
// statuses, categories, modes, missions, topics, provider types): the
// rows of work stay, so the programme's counts are what they were. The
// report triggers still stamp the rows touched, so snapshots are
// recomputed — to the same figures.

// ErasedEventKeys are the keys of a client event's detail an erasure
// keeps: ids, statuses and field names, never a value typed about the
// person (a close reason, a note).
var ErasedEventKeys = map[string]bool{"from": true, "to": true, "status": true, "fields": true, "visit_id": true,
	"merge_id": true, "merged_id": true, "survivor_id": true, "taken": true, "group_session_id": true,
	"visited_at": true, "mode": true, "duration_minutes": true}

// ErasureRequest says who erases and why.
type ErasureRequest struct {
	By        *string // nil: the retention rule
	Reference string
	Reason    string
}

// ErrLegalHold is returned when the record is under a legal hold.
var ErrLegalHold = fmt.Errorf("client under legal hold")

// EraseClient erases client id and the tombstones merged into it, in one
// transaction. A client under legal hold is refused (ErrLegalHold); one
// erased already is left as it is (false).
func (s *Store) EraseClient(ctx context.Context, id string, req ErasureRequest) (bool, error) {
	erased := false
	err := s.Tx(ctx, func(tx *Store) error {
		var c model.Client
		if err := tx.q(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
			return mapErr(err, "client")
		}
		if c.LegalHoldAt != nil {
			return ErrLegalHold
		}
		if c.ErasedAt != nil {
			return nil
		}
		var tombstones []string
		if err := tx.q(ctx).Model(&model.Client{}).Where("merged_into_id = ?", id).Pluck("id", &tombstones).Error; err != nil {
			return mapErr(err, "tombstones")
		}
		ids := append([]string{id}, tombstones...)
		if err := tx.eraseRows(ctx, ids, req); err != nil {
			return err
		}
		erased = true
		if req.By != nil {
			return tx.AddClientEvent(ctx, id, *req.By, "erased", map[string]any{})
		}
		// The retention rule acts as nobody: no actor, no fund.
		e := model.ClientEvent{ID: NewID(), ClientID: id, Kind: "erased", Detail: "{}", TeamID: &c.TeamID, CreatedAt: tx.Now()}
		return mapErr(tx.q(ctx).Create(&e).Error, "client event")
	})
	return erased, err
}

func (s *Store) eraseRows(ctx context.Context, ids []string, req ErasureRequest) error {
	now := s.Now()
	steps := []struct {
		what  string
		model any
		where string
		set   map[string]any
	}{
		{"clients", &model.Client{}, "id IN ?", map[string]any{
			"given_name": "", "family_name": "", "pseudonym": "", "search_text": "", "birth_year": nil, "phone": nil, "email": nil,
			"spoken_languages": "[]", "care_rights": "[]", "close_reason": "", "status": "closed",
			"erased_at": now, "erased_by": req.By, "erasure_reference": req.Reference, "erasure_reason": req.Reason, "updated_at": now}},
		{"visits", &model.Visit{}, "client_id IN ?", map[string]any{"note": ""}},
		{"barriers", &model.Barrier{}, "client_id IN ?", map[string]any{"detail": ""}},
		{"referrals", &model.Referral{}, "client_id IN ?", map[string]any{"reason": "", "note": "", "decline_reason": ""}},
		{"referral events", &model.ReferralEvent{}, "referral_id IN (SELECT id FROM referrals WHERE client_id IN ?)", map[string]any{"note": ""}},
		{"appointments", &model.Appointment{}, "client_id IN ?", map[string]any{"location": "", "note": ""}},
		// Messages not yet sent are not sent; the others lose where they
		// went and what went wrong, and their reply links stop working.
		{"queued reminders", &model.Reminder{}, "client_id IN ? AND status = 'queued'", map[string]any{"status": "cancelled"}},
		{"reminders", &model.Reminder{}, "client_id IN ?", map[string]any{"destination": "", "last_error": "", "reply_token_hash": nil}},
		{"open tasks", &model.Task{}, "client_id IN ? AND done_at IS NULL", map[string]any{"done_at": now}},
		{"tasks", &model.Task{}, "client_id IN ?", map[string]any{"note": "", "params": "{}"}},
		// The audit trail is not touched: it is hash-chained (a changed row
		// would read as tampering), and it holds ids, actions and times, never
		// the person's data, which goes with the rows above.
	}
	contact := model.ContactErasure()
	contact["purged_at"], contact["updated_at"] = now, now
	contact["mail_status"] = gorm.Expr("CASE WHEN mail_status IN ('queued', 'sending') THEN 'cancelled' ELSE mail_status END")
	steps = append(steps, struct {
		what  string
		model any
		where string
		set   map[string]any
	}{"contact requests", &model.ContactRequest{}, "client_id IN ?", contact})
	for _, st := range steps {
		args := []any{ids}
		if err := s.q(ctx).Model(st.model).Where(st.where, args...).Updates(st.set).Error; err != nil {
			return mapErr(err, "erase "+st.what)
		}
	}
	// Provider links carry a token to the referral: gone.
	if err := s.q(ctx).Where("referral_id IN (SELECT id FROM referrals WHERE client_id IN ?)", ids).Delete(&model.ReferralLink{}).Error; err != nil {
		return mapErr(err, "erase referral links")
	}
	// What a merge overwrote on the survivor is the person's data too.
	if err := s.q(ctx).Model(&model.ClientMerge{}).Where("survivor_id IN ? OR merged_id IN ?", ids, ids).
		Update("survivor_before", "{}").Error; err != nil {
		return mapErr(err, "erase merges")
	}
	// Stored answers of idempotent writes may hold the record as it was.
	for _, id := range ids {
		if err := s.q(ctx).Where("body LIKE ?", "%"+id+"%").Delete(&model.IdempotencyKey{}).Error; err != nil {
			return mapErr(err, "erase stored answers")
		}
	}
	return s.eraseEventDetails(ctx, ids)
}

// eraseEventDetails keeps only ErasedEventKeys in the client's events.
func (s *Store) eraseEventDetails(ctx context.Context, ids []string) error {
	var events []model.ClientEvent
	if err := s.q(ctx).Where("client_id IN ?", ids).Find(&events).Error; err != nil {
		return mapErr(err, "client events")
	}
	for _, e := range events {
		var d map[string]any
		_ = json.Unmarshal([]byte(e.Detail), &d)
		kept := map[string]any{}
		for k, v := range d {
			if ErasedEventKeys[k] {
				kept[k] = v
			}
		}
		b, _ := json.Marshal(kept)
		if string(b) == e.Detail {
			continue
		}
		if err := s.q(ctx).Model(&model.ClientEvent{}).Where("id = ?", e.ID).Update("detail", string(b)).Error; err != nil {
			return mapErr(err, "erase client event")
		}
	}
	return nil
}

// RetentionDue lists the clients closed before cutoff (by their last
// status change to closed, else their last update), not erased, not
// merged away and not under legal hold.
func (s *Store) RetentionDue(ctx context.Context, cutoff time.Time, limit int) ([]string, error) {
	var ids []string
	err := s.q(ctx).Model(&model.Client{}).
		Where("status = 'closed' AND erased_at IS NULL AND legal_hold_at IS NULL AND merged_into_id IS NULL").
		Where(`COALESCE((SELECT MAX(e.created_at) FROM client_events e WHERE e.client_id = clients.id
		        AND e.kind = 'status_changed' AND e.detail LIKE '%"to":"closed"%'), clients.updated_at) < ?`, cutoff.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, mapErr(err, "clients due for erasure")
}

// SetLegalHold puts a hold on a client (reason non-empty) or lifts it
// (reason ""); false when nothing changed.
func (s *Store) SetLegalHold(ctx context.Context, sc Scope, id, by, reason string) (model.Client, bool, error) {
	changed := false
	err := s.Tx(ctx, func(tx *Store) error {
		c, err := tx.ClientByID(ctx, sc, id)
		if err != nil {
			return err
		}
		set := map[string]any{"legal_hold_at": nil, "legal_hold_by": nil, "legal_hold_reason": ""}
		kind := "legal_hold_lifted"
		if reason != "" {
			set = map[string]any{"legal_hold_at": tx.Now(), "legal_hold_by": by, "legal_hold_reason": reason}
			kind = "legal_hold"
		} else if c.LegalHoldAt == nil {
			return nil
		}
		changed = true
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return mapErr(err, "legal hold")
		}
		return tx.AddClientEvent(ctx, id, by, kind, map[string]any{})
	})
	if err != nil {
		return model.Client{}, false, err
	}
	c, err := s.ClientByID(ctx, sc, id)
	return c, changed, err
}
