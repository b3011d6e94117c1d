package service

import (
	"context"
	"slices"
	"strings"

	"github.com/brug-chw/brug/internal/model"
)

// The names a response shows beside ids (the client of a task, the
// provider of a referral, the CHW of an assignment) are the service's to
// look up (issue 18): a handler gets views that already carry them and only
// shapes them. Each lookup is one statement for a list's distinct ids.

// Ref is an id with the name shown beside it.
type Ref struct{ ID, Name string }

// ClientName is how a client is named in lists: given and family name, or
// the pseudonym of a client recorded without one.
func ClientName(c model.Client) string {
	if n := strings.TrimSpace(c.GivenName + " " + c.FamilyName); n != "" {
		return n
	}
	return c.Pseudonym
}

// clientRefs names the clients among ids the caller may see; one outside
// the scope has no entry (its id is shown without a name).
func (s *Service) clientRefs(ctx context.Context, p *Principal, ids []string) (map[string]model.Client, map[string]*Ref, error) {
	clients, err := s.Store.ClientsByID(ctx, p.Scope, distinct(ids))
	if err != nil {
		return nil, nil, err
	}
	refs := make(map[string]*Ref, len(clients))
	for id, c := range clients {
		refs[id] = &Ref{c.ID, ClientName(c)}
	}
	return clients, refs, nil
}

func (s *Service) userNames(ctx context.Context, ids []string) (map[string]string, error) {
	return s.Store.UserNames(ctx, distinct(ids))
}

func (s *Service) providerRefs(ctx context.Context, ids []string) (map[string]*Ref, error) {
	provs, err := s.Store.ProvidersByID(ctx, distinct(ids))
	if err != nil {
		return nil, err
	}
	refs := make(map[string]*Ref, len(provs))
	for id, p := range provs {
		refs[id] = &Ref{id, p.Name}
	}
	return refs, nil
}

// providerRef is the named provider of a record, or nil for none; a
// provider since deleted keeps its id with an empty name.
func providerRef(refs map[string]*Ref, id *string) *Ref {
	if id == nil {
		return nil
	}
	if r := refs[*id]; r != nil {
		return r
	}
	return &Ref{ID: *id}
}

func distinct(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// AppointmentView is an appointment with its client's and provider's names
// and the state of its reminders.
type AppointmentView struct {
	model.Appointment
	Client   *Ref
	Provider *Ref
	Reminder ReminderState
}

// AppointmentViews names appointments: the clients once (for the names
// and the reminder states), the providers once, the reminders once.
func (s *Service) AppointmentViews(ctx context.Context, p *Principal, apps []model.Appointment) ([]AppointmentView, error) {
	var provIDs, clientIDs []string
	for _, a := range apps {
		if a.ProviderID != nil {
			provIDs = append(provIDs, *a.ProviderID)
		}
		clientIDs = append(clientIDs, a.ClientID)
	}
	clients, refs, err := s.clientRefs(ctx, p, clientIDs)
	if err != nil {
		return nil, err
	}
	provs, err := s.providerRefs(ctx, provIDs)
	if err != nil {
		return nil, err
	}
	states, err := s.reminderStates(ctx, p, apps, clients)
	if err != nil {
		return nil, err
	}
	out := make([]AppointmentView, len(apps))
	for i, a := range apps {
		out[i] = AppointmentView{Appointment: a, Client: refs[a.ClientID], Provider: providerRef(provs, a.ProviderID), Reminder: states[a.ID]}
	}
	return out, nil
}

// TaskView is a task with its client's name (none for a coordinator's
// alert about a CHW).
type TaskView struct {
	model.Task
	Client *Ref
}

// TaskViews names the clients of tasks in one statement.
func (s *Service) TaskViews(ctx context.Context, p *Principal, tasks []model.Task) ([]TaskView, error) {
	ids := make([]string, 0, len(tasks))
	for _, t := range tasks {
		ids = append(ids, t.ClientID)
	}
	_, refs, err := s.clientRefs(ctx, p, ids)
	if err != nil {
		return nil, err
	}
	out := make([]TaskView, len(tasks))
	for i, t := range tasks {
		out[i] = TaskView{Task: t, Client: refs[t.ClientID]}
	}
	return out, nil
}

// ReminderView is a queued message with its client's name.
type ReminderView struct {
	model.Reminder
	Client *Ref
}

// NameReferrals adds the clients', providers' and event actors' names to
// referral views, one statement each.
func (s *Service) NameReferrals(ctx context.Context, p *Principal, views []ReferralView) ([]ReferralView, error) {
	var provIDs, userIDs, clientIDs []string
	for _, v := range views {
		if v.ProviderID != nil {
			provIDs = append(provIDs, *v.ProviderID)
		}
		for _, e := range v.Events {
			if e.ActorID != nil {
				userIDs = append(userIDs, *e.ActorID)
			}
		}
		clientIDs = append(clientIDs, v.ClientID)
	}
	_, clients, err := s.clientRefs(ctx, p, clientIDs)
	if err != nil {
		return nil, err
	}
	provs, err := s.providerRefs(ctx, provIDs)
	if err != nil {
		return nil, err
	}
	names, err := s.userNames(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(views)
	for i := range out {
		out[i].Client = clients[out[i].ClientID]
		out[i].Provider = providerRef(provs, out[i].ProviderID)
		out[i].ActorNames = names
	}
	return out, nil
}

// NameGroupSessions adds the facilitators' names to group sessions.
func (s *Service) NameGroupSessions(ctx context.Context, views []GroupSessionView) ([]GroupSessionView, error) {
	var ids []string
	for _, v := range views {
		for _, f := range v.Facilitators {
			ids = append(ids, f.CHWID)
		}
	}
	names, err := s.userNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(views)
	for i := range out {
		out[i].FacilitatorNames = names
	}
	return out, nil
}

// NameContacts adds the name of who handled each contact request.
func (s *Service) NameContacts(ctx context.Context, views []ContactView) ([]ContactView, error) {
	var ids []string
	for _, v := range views {
		if v.HandledBy != nil {
			ids = append(ids, *v.HandledBy)
		}
	}
	names, err := s.userNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(views)
	for i := range out {
		if out[i].HandledBy != nil {
			out[i].HandledByName = names[*out[i].HandledBy]
		}
	}
	return out, nil
}

// AssignmentView is a step of a client's caseload history with the names
// of the CHW and of who assigned.
type AssignmentView struct {
	model.ClientAssignment
	AssignedByName string
	CHWName        string
}
