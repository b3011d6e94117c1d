package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/brug-chw/brug/internal/model"
)

// mergedTables are the tables whose rows follow a client into the record
// it is merged into. The rows keep their own team and fund columns, so a
// merge moves no work to another team or fund in the reports.
var mergedTables = []string{"visits", "barriers", "referrals", "appointments", "reminders", "tasks", "consents", "client_events", "contact_requests"}

// mergeMoves is what a merge changed, enough to undo it: the ids of the rows
// that moved, per table, and the assignees open tasks and accompanied
// appointments had before they went to the survivor's CHW.
type mergeMoves struct {
	Rows          map[string][]string `json:"rows"`
	TaskAssignees map[string]*string  `json:"task_assignees"`
	Accompanied   map[string]*string  `json:"accompanied"`
}

// MergeClients moves everything of merged onto survivor, sets the
// survivor's fields in set (those a coordinator took from the merged
// record; their old values are kept), and leaves merged as a tombstone
// pointing to survivor, in one transaction. Both must be visible.
func (s *Store) MergeClients(ctx context.Context, sc Scope, survivorID, mergedID, by string, set map[string]any, taken []string) (model.ClientMerge, error) {
	var m model.ClientMerge
	err := s.Tx(ctx, func(tx *Store) error {
		surv, err := tx.ClientByID(ctx, sc, survivorID)
		if err != nil {
			return err
		}
		merged, err := tx.ClientByID(ctx, sc, mergedID)
		if err != nil {
			return err
		}
		now := tx.Now()
		mv := mergeMoves{Rows: map[string][]string{}, TaskAssignees: map[string]*string{}, Accompanied: map[string]*string{}}
		// Open work of the merged record's CHW goes to the survivor's CHW.
		var tasks []model.Task
		if err := tx.q(ctx).Where("client_id = ? AND done_at IS NULL", mergedID).Find(&tasks).Error; err != nil {
			return mapErr(err, "open tasks of merged")
		}
		for _, t := range tasks {
			mv.TaskAssignees[t.ID] = t.AssigneeID
		}
		var apps []model.Appointment
		if merged.AssignedCHWID != nil {
			if err := tx.q(ctx).Where("client_id = ? AND accompanied_by = ? AND starts_at >= ? AND status = 'planned'", mergedID, *merged.AssignedCHWID, now).
				Find(&apps).Error; err != nil {
				return mapErr(err, "accompanied appointments of merged")
			}
		}
		for _, a := range apps {
			mv.Accompanied[a.ID] = a.AccompaniedBy
		}
		if err := tx.moveOpenWork(ctx, mergedID, merged.AssignedCHWID, surv.AssignedCHWID); err != nil {
			return err
		}
		for _, table := range mergedTables {
			var ids []string
			if err := tx.q(ctx).Table(table).Where("client_id = ?", mergedID).Order("id").Pluck("CAST(id AS text)", &ids).Error; err != nil {
				return mapErr(err, "rows of merged in "+table)
			}
			if len(ids) == 0 {
				continue
			}
			mv.Rows[table] = ids
			if err := tx.q(ctx).Table(table).Where("client_id = ?", mergedID).Update("client_id", survivorID).Error; err != nil {
				return mapErr(err, "move "+table)
			}
		}
		before := map[string]any{}
		cur := clientColumns(surv)
		for k := range set {
			before[k] = cur[k]
		}
		set["updated_at"] = now
		if merged.LastActivityAt.After(surv.LastActivityAt) {
			set["last_activity_at"] = merged.LastActivityAt
		}
		g, f, p := surv.GivenName, surv.FamilyName, surv.Pseudonym
		if v, ok := set["given_name"].(string); ok {
			g = v
		}
		if v, ok := set["family_name"].(string); ok {
			f = v
		}
		if v, ok := set["pseudonym"].(string); ok {
			p = v
		}
		set["search_text"] = SearchText(g, f, p)
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", survivorID).Updates(set).Error; err != nil {
			return mapErr(err, "update survivor")
		}
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", mergedID).
			Updates(map[string]any{"merged_into_id": survivorID, "merged_at": now, "updated_at": now}).Error; err != nil {
			return mapErr(err, "tombstone")
		}
		movedJSON, _ := json.Marshal(mv)
		beforeJSON, _ := json.Marshal(before)
		takenJSON, _ := json.Marshal(append([]string{}, taken...))
		m = model.ClientMerge{ID: NewID(), SurvivorID: survivorID, MergedID: mergedID, MergedBy: by, Moved: string(movedJSON),
			SurvivorBefore: string(beforeJSON), Taken: string(takenJSON), CreatedAt: now}
		if err := tx.q(ctx).Create(&m).Error; err != nil {
			return mapErr(err, "client merge")
		}
		return tx.AddClientEvent(ctx, survivorID, by, "merged", map[string]any{"merge_id": m.ID, "merged_id": mergedID, "taken": taken})
	})
	return m, err
}

// clientColumns maps the columns a merge may set to a client's values.
func clientColumns(c model.Client) map[string]any {
	return map[string]any{
		"given_name": c.GivenName, "family_name": c.FamilyName, "pseudonym": c.Pseudonym, "birth_year": c.BirthYear,
		"phone": c.Phone, "email": c.Email, "language": c.Language, "spoken_languages": c.SpokenLanguages,
		"neighbourhood_id": c.NeighbourhoodID, "care_rights": c.CareRights, "source": c.Source,
		"status": c.Status, "close_reason": c.CloseReason,
	}
}

// ClientMergeByID returns a merge whose survivor the caller may see.
func (s *Store) ClientMergeByID(ctx context.Context, sc Scope, id string) (model.ClientMerge, error) {
	var m model.ClientMerge
	if err := s.q(ctx).Where("id = ?", id).Take(&m).Error; err != nil {
		return m, mapErr(err, "client merge")
	}
	if _, err := s.ClientByID(ctx, sc, m.SurvivorID); err != nil {
		return model.ClientMerge{}, err
	}
	return m, nil
}

// ClientMerges lists the merges into a client, newest first.
func (s *Store) ClientMerges(ctx context.Context, survivorID string) ([]model.ClientMerge, error) {
	var out []model.ClientMerge
	err := s.q(ctx).Where("survivor_id = ?", survivorID).Order("created_at DESC, id DESC").Limit(100).Find(&out).Error
	return out, mapErr(err, "client merges")
}

// MergedRecord returns a tombstone (for the side of an undo).
func (s *Store) MergedRecord(ctx context.Context, id string) (model.Client, error) {
	var c model.Client
	err := s.q(ctx).Where("id = ? AND merged_into_id IS NOT NULL", id).Take(&c).Error
	return c, mapErr(err, "merged record")
}

// UndoMerge moves the rows a merge moved back to the merged record, gives
// the survivor back the fields it took and the open work back its
// assignees, and brings the merged record back, in one transaction. Rows
// written on the survivor after the merge stay with it.
func (s *Store) UndoMerge(ctx context.Context, m model.ClientMerge, by string) error {
	return s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		res := tx.q(ctx).Model(&model.ClientMerge{}).Where("id = ? AND undone_at IS NULL", m.ID).
			Updates(map[string]any{"undone_at": now, "undone_by": by})
		if res.Error != nil {
			return mapErr(res.Error, "undo merge")
		}
		if res.RowsAffected == 0 {
			return ErrConflict
		}
		var mv mergeMoves
		if err := json.Unmarshal([]byte(m.Moved), &mv); err != nil {
			return err
		}
		for _, table := range mergedTables {
			ids := mv.Rows[table]
			for len(ids) > 0 {
				n := min(len(ids), 500)
				if err := tx.q(ctx).Table(table).Where("id IN ? AND client_id = ?", ids[:n], m.SurvivorID).Update("client_id", m.MergedID).Error; err != nil {
					return mapErr(err, "move back "+table)
				}
				ids = ids[n:]
			}
		}
		for id, who := range mv.TaskAssignees {
			if err := tx.q(ctx).Model(&model.Task{}).Where("id = ? AND done_at IS NULL", id).
				Updates(map[string]any{"assignee_id": who, "updated_at": now}).Error; err != nil {
				return mapErr(err, "task assignee back")
			}
		}
		for id, who := range mv.Accompanied {
			if err := tx.q(ctx).Model(&model.Appointment{}).Where("id = ? AND status = 'planned'", id).
				Updates(map[string]any{"accompanied_by": who, "updated_at": now}).Error; err != nil {
				return mapErr(err, "accompanied back")
			}
		}
		before := map[string]any{}
		if err := json.Unmarshal([]byte(m.SurvivorBefore), &before); err != nil {
			return err
		}
		if y, ok := before["birth_year"].(float64); ok {
			before["birth_year"] = int(y)
		}
		if len(before) > 0 {
			var surv model.Client
			if err := tx.q(ctx).Where("id = ?", m.SurvivorID).Take(&surv).Error; err != nil {
				return mapErr(err, "survivor")
			}
			cur := clientColumns(surv)
			for k, v := range before {
				cur[k] = v
			}
			before["search_text"] = SearchText(str(cur["given_name"]), str(cur["family_name"]), str(cur["pseudonym"]))
			before["updated_at"] = now
			if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", m.SurvivorID).Updates(before).Error; err != nil {
				return mapErr(err, "restore survivor")
			}
		}
		if err := tx.q(ctx).Model(&model.Client{}).Where("id = ?", m.MergedID).
			Updates(map[string]any{"merged_into_id": nil, "merged_at": nil, "updated_at": now}).Error; err != nil {
			return mapErr(err, "clear tombstone")
		}
		detail := map[string]any{"merge_id": m.ID, "survivor_id": m.SurvivorID, "merged_id": m.MergedID}
		if err := tx.AddClientEvent(ctx, m.SurvivorID, by, "merge_undone", detail); err != nil {
			return err
		}
		return tx.AddClientEvent(ctx, m.MergedID, by, "merge_undone", detail)
	})
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// MergeUndoWindow is how long a merge can be undone.
const MergeUndoWindow = 30 * 24 * time.Hour
