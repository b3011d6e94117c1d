package store

import (
	"context"
	"errors"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// RecordAudit appends an audit event to its stream's hash chain, in a
// short transaction of its own. Audit rows are never updated.
func (s *Store) RecordAudit(ctx context.Context, e *model.AuditEvent) error {
	s.stampAudit(e)
	var err error
	for range 3 {
		// The head lock makes a lost race impossible; the unique
		// (stream, seq) index would turn one into a conflict, retried.
		err = s.Tx(ctx, func(tx *Store) error { return tx.appendAudit(ctx, e) })
		if !errors.Is(err, ErrConflict) {
			break
		}
	}
	return err
}

// AuditFilter narrows AuditEvents.
type AuditFilter struct {
	Entity   string
	EntityID string
	ActorID  string
	Limit    int
}

// AuditEvents lists audit events, newest first.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]model.AuditEvent, error) {
	q := s.q(ctx).Model(&model.AuditEvent{})
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var out []model.AuditEvent
	err := q.Order("created_at DESC, id DESC").Limit(f.Limit).Find(&out).Error
	return out, mapErr(err, "list audit events")
}

// AuditSearch is what the audit reader filters on. From is inclusive, To
// exclusive; zero times leave that end open.
type AuditSearch struct {
	ActorID  string
	ClientID string
	Action   string
	Entity   string
	From     time.Time
	To       time.Time
	Cursor   string
	Limit    int
}

// SearchAudit lists audit events, newest first, a page at a time.
func (s *Store) SearchAudit(ctx context.Context, f AuditSearch) (Page[model.AuditEvent], error) {
	q := s.q(ctx).Model(&model.AuditEvent{})
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.ClientID != "" {
		q = q.Where("client_id = ?", f.ClientID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To.UTC())
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page[model.AuditEvent]{}, err
		}
		at, err := time.Parse(time.RFC3339Nano, c.K)
		if err != nil {
			return Page[model.AuditEvent]{}, ErrBadCursor
		}
		q = q.Where("(created_at < ? OR (created_at = ? AND id < ?))", at, at, c.ID)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var rows []model.AuditEvent
	if err := q.Order("created_at DESC, id DESC").Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return Page[model.AuditEvent]{}, mapErr(err, "search audit events")
	}
	page := Page[model.AuditEvent]{Items: rows}
	if len(rows) > f.Limit {
		page.Items = rows[:f.Limit]
		last := page.Items[len(page.Items)-1]
		page.NextCursor = encodeCursor(last.CreatedAt.UTC().Format(time.RFC3339Nano), last.ID)
	}
	return page, nil
}

// UsualAccess tells, for each event about a client with an actor, whether
// the actor was then the client's assigned CHW (by the assignment history)
// or a coordinator in the client's team (memberships keep no history: one
// that began before the event counts). Keyed by event id; events without a
// client or an actor are absent.
func (s *Store) UsualAccess(ctx context.Context, events []model.AuditEvent) (map[string]bool, error) {
	var clientIDs, actorIDs []string
	for _, e := range events {
		if e.ClientID != nil && e.ActorID != nil {
			clientIDs = append(clientIDs, *e.ClientID)
			actorIDs = append(actorIDs, *e.ActorID)
		}
	}
	out := map[string]bool{}
	if len(clientIDs) == 0 {
		return out, nil
	}
	var assignments []model.ClientAssignment
	err := s.q(ctx).Where("client_id IN ? AND chw_id IN ?", uniq(clientIDs), uniq(actorIDs)).Find(&assignments).Error
	if err != nil {
		return nil, mapErr(err, "load assignments")
	}
	var clients []struct {
		ID     string
		TeamID string
	}
	if err := s.q(ctx).Model(&model.Client{}).Select("id, team_id").Where("id IN ?", uniq(clientIDs)).Scan(&clients).Error; err != nil {
		return nil, mapErr(err, "load client teams")
	}
	teamOf := map[string]string{}
	for _, c := range clients {
		teamOf[c.ID] = c.TeamID
	}
	var members []model.TeamMembership
	if err := s.q(ctx).Where("user_id IN ?", uniq(actorIDs)).Find(&members).Error; err != nil {
		return nil, mapErr(err, "load memberships")
	}
	for _, e := range events {
		if e.ClientID == nil || e.ActorID == nil {
			continue
		}
		usual := false
		for _, a := range assignments {
			if a.ClientID == *e.ClientID && a.CHWID != nil && *a.CHWID == *e.ActorID &&
				!a.StartedAt.After(e.CreatedAt) && (a.EndedAt == nil || a.EndedAt.After(e.CreatedAt)) {
				usual = true
				break
			}
		}
		if !usual && e.ActorRole == model.RoleCoordinator {
			for _, m := range members {
				if m.UserID == *e.ActorID && m.TeamID == teamOf[*e.ClientID] && !m.CreatedAt.After(e.CreatedAt) {
					usual = true
					break
				}
			}
		}
		out[e.ID] = usual
	}
	return out, nil
}

func uniq(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
