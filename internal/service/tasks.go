package service

import (
	"context"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// dateParams is the params of a "date" error.
func dateParams() map[string]any { return map[string]any{"example": "2026-09-14"} }

// TaskWindow turns due=today|overdue|week into a filter, in Brussels dates.
func TaskWindow(due string, now time.Time) (store.TaskFilter, error) {
	today := BrusselsDate(now)
	f := store.TaskFilter{Open: true}
	switch due {
	case "", "all":
	case "today":
		f.DueTo = today
	case "overdue":
		f.DueTo = BrusselsDate(now.Add(-24 * time.Hour))
	case "week":
		f.DueTo = BrusselsDate(now.Add(7 * 24 * time.Hour))
	default:
		return f, apperr.OneOf("due", []string{"today", "overdue", "week"})
	}
	return f, nil
}

// Tasks lists the caller's tasks (a coordinator: the team's).
func (s *Service) Tasks(ctx context.Context, p *Principal, f store.TaskFilter) ([]TaskView, error) {
	tasks, err := s.Store.Tasks(ctx, p.Scope, f)
	if err != nil {
		return nil, storeErr(err)
	}
	return s.TaskViews(ctx, p, tasks)
}

// CreateTask makes a task by hand for a client the caller may change.
func (s *Service) CreateTask(ctx context.Context, p *Principal, clientID, kind, dueOn, note string) (model.Task, error) {
	c, err := s.writableClient(ctx, p, clientID)
	if err != nil {
		if apperr.IsKind(err, apperr.KindNotFound) {
			return model.Task{}, apperr.Validation("client_id", "unknown", "There is no such client in your caseload.")
		}
		return model.Task{}, err
	}
	var f apperr.Fields
	if kind == "" {
		kind = TaskManual
	}
	if !slices.Contains(TaskKinds, kind) {
		f.OneOf("kind", TaskKinds)
	}
	if _, err := time.Parse("2006-01-02", dueOn); err != nil {
		f.AddP("due_on", "date", "Must be a date, YYYY-MM-DD.", dateParams())
	}
	note = trimmed(&note, 2000, "note", &f)
	if err := f.Err(); err != nil {
		return model.Task{}, err
	}
	assignee := c.AssignedCHWID
	if p.Role == model.RoleCHW {
		assignee = &p.UserID
	}
	by := p.UserID
	t := model.Task{ClientID: c.ID, AssigneeID: assignee, Kind: kind, DueOn: dueOn, Note: note, CreatedBy: &by}
	if _, err := s.Store.CreateTask(ctx, &t); err != nil {
		return t, err
	}
	s.auditClient(ctx, p, "task.create", c.ID, "task="+t.ID)
	return s.Store.TaskByID(ctx, p.Scope, t.ID)
}

// UpdateTask marks a task done or open, changes its note or date, and can
// log the visit that completed it in the same step.
func (s *Service) UpdateTask(ctx context.Context, p *Principal, id string, done *bool, note, dueOn *string, visit *VisitInput) (model.Task, error) {
	t, err := s.Store.TaskByID(ctx, p.Scope, id)
	if err != nil {
		return t, storeErr(err)
	}
	// An alert about a CHW names no client: only its team's coordinators
	// see it (the store's scope), and it takes no visit.
	if t.ClientID != "" {
		if _, err := s.writableClient(ctx, p, t.ClientID); err != nil {
			return t, err
		}
	}
	var f apperr.Fields
	if t.ClientID == "" && visit != nil {
		f.Add("visit", "invalid", "This task names no client to log a visit for.")
	}
	set := map[string]any{}
	if done != nil {
		if *done {
			set["done_at"] = s.Store.Now()
		} else {
			set["done_at"] = nil
		}
	}
	if note != nil {
		set["note"] = trimmed(note, 2000, "note", &f)
	}
	if dueOn != nil {
		if _, err := time.Parse("2006-01-02", *dueOn); err != nil {
			f.AddP("due_on", "date", "Must be a date, YYYY-MM-DD.", dateParams())
		}
		set["due_on"] = *dueOn
	}
	if err := f.Err(); err != nil {
		return t, err
	}
	if visit != nil {
		if _, err := s.LogVisit(ctx, p, t.ClientID, *visit); err != nil {
			return t, prefixFields(err, "visit.")
		}
	}
	if len(set) > 0 {
		if err := s.Store.UpdateTask(ctx, id, set); err != nil {
			return t, err
		}
	}
	// Closing a review task is the review of the grant it names.
	if done != nil && *done && t.Kind == TaskReviewEmergency {
		if grant := DecodeTaskParams(t.Params)["grant"]; grant != "" {
			if err := s.Store.MarkEmergencyAccessReviewed(ctx, grant, p.UserID); err != nil {
				return t, err
			}
		}
	}
	if t.ClientID == "" {
		s.audit(ctx, p, "task.update", "task", id, "")
	} else {
		s.auditClient(ctx, p, "task.update", t.ClientID, "task="+id)
	}
	return s.Store.TaskByID(ctx, p.Scope, id)
}

// prefixFields names nested fields ("visit.mode") in a validation error.
func prefixFields(err error, prefix string) error {
	ae, ok := apperr.As(err)
	if !ok || ae.Kind != apperr.KindValidation {
		return err
	}
	out := *ae
	out.Fields = nil
	for _, fe := range ae.Fields {
		fe.Field = prefix + fe.Field
		out.Fields = append(out.Fields, fe)
	}
	return &out
}
