package store

import (
	"context"
	"encoding/json"

	"github.com/brug-chw/brug/internal/model"
)

// AddClientEvent appends to a client's history.
func (s *Store) AddClientEvent(ctx context.Context, clientID, actorID, kind string, detail map[string]any) error {
	b, _ := json.Marshal(detail)
	if detail == nil {
		b = []byte("{}")
	}
	e := model.ClientEvent{ID: NewID(), ClientID: clientID, Kind: kind, Detail: string(b), CreatedAt: s.Now()}
	if actorID != "" {
		e.ActorID = &actorID
	}
	if err := s.stamp(ctx, &e.TeamID, &e.FundID, clientID, actorID); err != nil {
		return err
	}
	return mapErr(s.q(ctx).Create(&e).Error, "client event")
}

// ClientEvents lists a client's events, oldest first.
func (s *Store) ClientEvents(ctx context.Context, clientID string) ([]model.ClientEvent, error) {
	var out []model.ClientEvent
	err := s.q(ctx).Where("client_id = ?", clientID).Order("created_at, id").Limit(1000).Find(&out).Error
	return out, mapErr(err, "client events")
}

// CreateVisit stores a visit and the barriers detected during it, and moves
// the client's last activity forward, in one transaction.
func (s *Store) CreateVisit(ctx context.Context, v *model.Visit, barriers []model.Barrier) error {
	if v.ID == "" {
		v.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.stamp(ctx, &v.TeamID, &v.FundID, v.ClientID, v.CHWID); err != nil {
			return err
		}
		if err := tx.q(ctx).Create(v).Error; err != nil {
			return mapErr(err, "create visit")
		}
		for i := range barriers {
			b := &barriers[i]
			b.ID, b.VisitID, b.ClientID = NewID(), &v.ID, v.ClientID
			if b.TeamID == nil {
				b.TeamID, b.FundID = v.TeamID, v.FundID
			}
			if err := tx.q(ctx).Create(b).Error; err != nil {
				return mapErr(err, "create barrier")
			}
		}
		// Activity is when the visit happened, so a visit logged late
		// does not make the client look more recently seen than they are.
		return tx.TouchClient(ctx, v.ClientID, v.VisitedAt)
	})
}

// Visits lists a client's visits, newest first.
func (s *Store) Visits(ctx context.Context, clientID string) ([]model.Visit, error) {
	var out []model.Visit
	err := s.q(ctx).Where("client_id = ?", clientID).Order("visited_at DESC, id DESC").Limit(1000).Find(&out).Error
	return out, mapErr(err, "visits")
}

// VisitOf returns one visit of a client.
func (s *Store) VisitOf(ctx context.Context, clientID, id string) (model.Visit, error) {
	var v model.Visit
	err := s.q(ctx).Where("client_id = ? AND id = ?", clientID, id).Take(&v).Error
	return v, mapErr(err, "visit")
}

// UpdateVisit changes a visit and notes the change on the client's
// timeline (which fields changed, by whom), in one transaction.
func (s *Store) UpdateVisit(ctx context.Context, clientID, id string, set map[string]any, by string, changed []string) (model.Visit, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		set["updated_at"] = tx.Now()
		if err := tx.q(ctx).Model(&model.Visit{}).Where("client_id = ? AND id = ?", clientID, id).Updates(set).Error; err != nil {
			return mapErr(err, "update visit")
		}
		return tx.AddClientEvent(ctx, clientID, by, "visit_updated", map[string]any{"visit_id": id, "fields": changed})
	})
	if err != nil {
		return model.Visit{}, err
	}
	return s.VisitOf(ctx, clientID, id)
}

// DeleteVisit removes a visit logged by mistake (a second tap on Save)
// with the barriers recorded during it, and notes on the client's
// timeline what was removed, in one transaction.
func (s *Store) DeleteVisit(ctx context.Context, clientID, id, by string, detail map[string]any) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Where("client_id = ? AND visit_id = ?", clientID, id).Delete(&model.Barrier{}).Error; err != nil {
			return mapErr(err, "delete barriers of visit")
		}
		res := tx.q(ctx).Where("client_id = ? AND id = ?", clientID, id).Delete(&model.Visit{})
		if res.Error != nil {
			return mapErr(res.Error, "delete visit")
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.AddClientEvent(ctx, clientID, by, "visit_deleted", detail)
	})
}

// CreateBarrier stores a barrier outside a visit.
func (s *Store) CreateBarrier(ctx context.Context, b *model.Barrier) error {
	if b.ID == "" {
		b.ID = NewID()
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.stamp(ctx, &b.TeamID, &b.FundID, b.ClientID, b.CreatedBy); err != nil {
			return err
		}
		if err := tx.q(ctx).Create(b).Error; err != nil {
			return mapErr(err, "create barrier")
		}
		return tx.TouchClient(ctx, b.ClientID, tx.Now())
	})
}

// Barriers lists a client's barriers, newest first.
func (s *Store) Barriers(ctx context.Context, clientID string) ([]model.Barrier, error) {
	var out []model.Barrier
	err := s.q(ctx).Where("client_id = ?", clientID).Order("detected_at DESC, id DESC").Limit(1000).Find(&out).Error
	return out, mapErr(err, "barriers")
}

// BarriersOfVisits groups barriers by visit.
func (s *Store) BarriersOfVisits(ctx context.Context, visitIDs []string) (map[string][]model.Barrier, error) {
	out := map[string][]model.Barrier{}
	if len(visitIDs) == 0 {
		return out, nil
	}
	var rows []model.Barrier
	if err := s.q(ctx).Where("visit_id IN ?", visitIDs).Order("detected_at, id").Find(&rows).Error; err != nil {
		return nil, mapErr(err, "barriers of visits")
	}
	for _, b := range rows {
		out[*b.VisitID] = append(out[*b.VisitID], b)
	}
	return out, nil
}

// BarrierOf returns one barrier of a client.
func (s *Store) BarrierOf(ctx context.Context, clientID, id string) (model.Barrier, error) {
	var b model.Barrier
	err := s.q(ctx).Where("client_id = ? AND id = ?", clientID, id).Take(&b).Error
	return b, mapErr(err, "barrier")
}

// UpdateBarrier changes a barrier, guarded by its current status so two
// concurrent transitions cannot both apply.
func (s *Store) UpdateBarrier(ctx context.Context, clientID, id, fromStatus string, set map[string]any) (model.Barrier, error) {
	set["updated_at"] = s.Now()
	res := s.q(ctx).Model(&model.Barrier{}).Where("client_id = ? AND id = ? AND status = ?", clientID, id, fromStatus).Updates(set)
	if res.Error != nil {
		return model.Barrier{}, mapErr(res.Error, "update barrier")
	}
	if res.RowsAffected == 0 {
		return model.Barrier{}, ErrConflict
	}
	_ = s.TouchClient(ctx, clientID, s.Now())
	return s.BarrierOf(ctx, clientID, id)
}

// Consents lists every consent row of a client, oldest first (the history).
func (s *Store) Consents(ctx context.Context, clientID string) ([]model.Consent, error) {
	var out []model.Consent
	err := s.q(ctx).Where("client_id = ?", clientID).Order("given_at, id").Find(&out).Error
	return out, mapErr(err, "consents")
}

// GiveConsent records a consent unless one for the purpose is live; it
// reports whether a row was added.
func (s *Store) GiveConsent(ctx context.Context, clientID, purpose, by string) (bool, error) {
	return s.AddConsent(ctx, model.Consent{ClientID: clientID, Purpose: purpose, GivenBy: by})
}

// AddConsent records c unless a consent for its purpose is live; a zero
// GivenAt is now. It reports whether a row was added.
func (s *Store) AddConsent(ctx context.Context, c model.Consent) (bool, error) {
	added := false
	err := s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.q(ctx).Model(&model.Consent{}).Where("client_id = ? AND purpose = ? AND withdrawn_at IS NULL", c.ClientID, c.Purpose).
			Count(&n).Error; err != nil {
			return mapErr(err, "live consent")
		}
		if n > 0 {
			return nil
		}
		now := tx.Now()
		c.ID, c.CreatedAt, c.UpdatedAt = NewID(), now, now
		if c.GivenAt.IsZero() {
			c.GivenAt = now
		}
		c.GivenAt = c.GivenAt.UTC()
		if err := tx.q(ctx).Create(&c).Error; err != nil {
			return mapErr(err, "give consent")
		}
		added = true
		return tx.TouchClient(ctx, c.ClientID, now)
	})
	return added, err
}

// WithdrawConsent ends the live consent of a purpose; it reports whether
// one was live.
func (s *Store) WithdrawConsent(ctx context.Context, clientID, purpose, by string) (bool, error) {
	now := s.Now()
	res := s.q(ctx).Model(&model.Consent{}).Where("client_id = ? AND purpose = ? AND withdrawn_at IS NULL", clientID, purpose).
		Updates(map[string]any{"withdrawn_at": now, "withdrawn_by": by, "updated_at": now})
	if res.Error != nil {
		return false, mapErr(res.Error, "withdraw consent")
	}
	if res.RowsAffected > 0 {
		_ = s.TouchClient(ctx, clientID, now)
	}
	return res.RowsAffected > 0, nil
}

// ClientAudit lists the audit events of one client, newest first.
func (s *Store) ClientAudit(ctx context.Context, clientID string, limit int) ([]model.AuditEvent, error) {
	var out []model.AuditEvent
	err := s.q(ctx).Where("client_id = ?", clientID).Order("created_at DESC, id DESC").Limit(limit).Find(&out).Error
	return out, mapErr(err, "client audit")
}
