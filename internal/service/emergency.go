package service

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Break-the-glass: a CHW or coordinator who must act for a client outside
// their scope (a colleague is ill, the client turns up at another team's
// office) opens that one record for a limited time, giving a reason. The
// grant is audited, widens the caller's scope only while it lives (the
// scope is loaded per request), and the client's own team coordinators get
// a task to review it.

// DefaultEmergencyAccess is how long a grant lives unless configured.
const DefaultEmergencyAccess = 4 * time.Hour

// TaskReviewEmergency asks a coordinator to review a break-the-glass grant.
const TaskReviewEmergency = "review_emergency_access"

// Reason length bounds, in characters.
const (
	emergencyReasonMin = 10
	emergencyReasonMax = 500
)

func (s *Service) emergencyTTL() time.Duration {
	if s.EmergencyAccessTTL > 0 {
		return s.EmergencyAccessTTL
	}
	return DefaultEmergencyAccess
}

// EmergencyAccessHours is how many hours a new grant lasts.
func (s *Service) EmergencyAccessHours() int { return int(s.emergencyTTL() / time.Hour) }

// GrantEmergencyAccess opens a client outside the caller's scope until the
// grant expires. A client already in scope (or already opened) is a 409.
func (s *Service) GrantEmergencyAccess(ctx context.Context, p *Principal, clientID, reason string) (model.EmergencyAccess, error) {
	c, err := s.Store.ClientByIDUnscoped(ctx, clientID)
	if err != nil {
		return model.EmergencyAccess{}, storeErr(err)
	}
	if c.MergedIntoID != nil {
		return model.EmergencyAccess{}, apperr.NotFound()
	}

	reason = strings.TrimSpace(reason)
	if reason == "" {
		return model.EmergencyAccess{}, apperr.Validation("reason", "required", "Say why you must open this record.")
	}
	if n := utf8.RuneCountInString(reason); n < emergencyReasonMin || n > emergencyReasonMax {
		return model.EmergencyAccess{}, apperr.Validation("reason", "length", "Say why you must open this record, in 10 to 500 characters.")
	}

	if slices.Contains(p.EmergencyClientIDs, c.ID) {
		return model.EmergencyAccess{}, apperr.New(apperr.KindConflict, "You have already opened this record; the access is still running.")
	}
	usual := p.Scope
	usual.EmergencyClientIDs = nil
	if _, err := s.Store.ClientByID(ctx, usual, c.ID); err == nil {
		return model.EmergencyAccess{}, &apperr.Error{Kind: apperr.KindConflict, Detail: "This client is already among the clients you may open; no emergency access is needed.",
			Extra: map[string]any{"code": "in_scope"}}
	}

	coordinators, err := s.Store.ListUsers(ctx, store.Scope{}, store.UserFilter{Role: model.RoleCoordinator, TeamID: c.TeamID, Limit: 100})
	if err != nil {
		return model.EmergencyAccess{}, err
	}
	now := s.Store.Now()
	g := model.EmergencyAccess{ID: store.NewID(), ClientID: c.ID, UserID: p.UserID, Reason: reason, GrantedAt: now, ExpiresAt: now.Add(s.emergencyTTL())}
	err = s.Store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateEmergencyAccess(ctx, &g); err != nil {
			return err
		}
		// On the timeline, so the client's own CHW sees who opened the record and why.
		if err := tx.AddClientEvent(ctx, c.ID, p.UserID, "emergency_access", map[string]any{"reason": reason, "expires_at": g.ExpiresAt}); err != nil {
			return err
		}
		params := TaskParams(map[string]string{
			"name":   p.Name,
			"reason": reason,
			"until":  g.ExpiresAt.In(Brussels).Format("2006-01-02 15:04"),
			"grant":  g.ID,
		})
		for _, u := range coordinators.Items {
			if u.ID == p.UserID {
				continue
			}
			assignee := u.ID
			t := ruleTask(c.ID, &assignee, TaskReviewEmergency, BrusselsDate(now), "emergency:"+g.ID+":"+u.ID)
			t.Params = params
			if _, err := tx.CreateTask(ctx, t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return model.EmergencyAccess{}, storeErr(err)
	}

	detail, _ := json.Marshal(map[string]string{"reason": reason, "expires_at": g.ExpiresAt.Format(time.RFC3339)})
	s.auditClient(ctx, p, "client.emergency_access", c.ID, string(detail))
	return g, nil
}

// EmergencyAccess lists the caller's live grants.
func (s *Service) EmergencyAccess(ctx context.Context, p *Principal) ([]model.EmergencyAccess, error) {
	return s.Store.LiveEmergencyAccess(ctx, p.UserID, s.Store.Now())
}

// LookupsPerHour bounds how many lookups one account makes in an hour.
const LookupsPerHour = 20

// LookupInput is the narrow lookup: a whole phone number, or a full name
// with birth year.
type LookupInput struct {
	Phone      string
	GivenName  string
	FamilyName string
	BirthYear  *int
}

// LookupMatch is what the lookup tells: an opaque id, the team, and
// whether the caller may already open the record.
type LookupMatch struct {
	store.LookupMatch
	InScope bool
}

// LookupClients finds a client anywhere in the programme by exact phone or
// exact name and birth year, disclosing only the id and team. It exists so
// a caller can ask for emergency access; it is audited without the terms.
func (s *Service) LookupClients(ctx context.Context, p *Principal, in LookupInput) ([]LookupMatch, error) {
	var f apperr.Fields
	phone, name := strings.TrimSpace(in.Phone), strings.TrimSpace(in.GivenName) != "" || strings.TrimSpace(in.FamilyName) != "" || in.BirthYear != nil
	switch {
	case phone != "" && name:
		f.Add("phone", "exclusive", "Look up by phone number or by name and birth year, not both.")
	case phone != "":
		e164, ok := NormalisePhone(phone)
		if !ok {
			f.Add("phone", "phone", "Must be a whole phone number.")
		}
		phone = e164
	case name:
		if strings.TrimSpace(in.GivenName) == "" {
			f.Add("given_name", "required", "Give the full given name.")
		}
		if strings.TrimSpace(in.FamilyName) == "" {
			f.Add("family_name", "required", "Give the full family name.")
		}
		if in.BirthYear == nil {
			f.Add("birth_year", "required", "Give the birth year.")
		}
	default:
		f.Add("phone", "required", "Give a whole phone number, or a full name and birth year.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	// The lookup is for the odd emergency, not for mapping the programme.
	n, err := s.Store.CountActions(ctx, p.UserID, "client.lookup", s.Store.Now().Add(-time.Hour))
	if err != nil {
		return nil, err
	}
	if n >= LookupsPerHour {
		return nil, &apperr.Error{Kind: apperr.KindRateLimited, Detail: "Too many client lookups in the last hour; ask your coordinator.", RetryAfter: 15 * time.Minute}
	}

	text := ""
	if phone == "" {
		text = store.SearchText(in.GivenName, in.FamilyName, "")
	}
	found, err := s.Store.LookupClients(ctx, phone, text, in.BirthYear)
	if err != nil {
		return nil, err
	}
	out := make([]LookupMatch, 0, len(found))
	for _, m := range found {
		_, err := s.Store.ClientByID(ctx, p.Scope, m.ID)
		out = append(out, LookupMatch{LookupMatch: m, InScope: err == nil})
	}

	by := "name"
	if phone != "" {
		by = "phone"
	}
	detail, _ := json.Marshal(map[string]any{"by": by, "matches": len(out)})
	s.audit(ctx, p, "client.lookup", "client", "", string(detail))
	return out, nil
}
