package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// MaxGroupParticipants is the largest headcount a session may report; a
// bigger number is a typing error, not a session.
const MaxGroupParticipants = 500

// GroupSessionInput is a group session as submitted; nil leaves a field as
// it is (on create, nil takes the default).
type GroupSessionInput struct {
	TeamID              *string
	StartsAt            *time.Time
	StartsAtLocal       *string
	DurationMinutes     *int
	PlaceKind           *string
	NeighbourhoodID     **string
	Location            *string
	PartnerOrganisation *string
	Title               *string
	Missions            *[]string
	Topics              *[]string
	Languages           *[]string
	Interpreter         *bool
	Participants        *int
	ParticipantsByAge   **map[string]int
	Status              *string
	Note                *string
	FacilitatorIDs      *[]string
	// Invalid holds what was found wrong while reading the request (a
	// malformed id), reported together with every other bad field.
	Invalid apperr.Fields
}

// GroupSessionView is a session with its JSON lists decoded and its
// facilitators.
type GroupSessionView struct {
	model.GroupSession
	Missions          []string
	Topics            []string
	Languages         []string
	ParticipantsByAge map[string]int
	Facilitators      []model.GroupSessionFacilitator
	// FacilitatorNames: by NameGroupSessions (a list is named as it is read).
	FacilitatorNames map[string]string
}

func groupSessionView(g model.GroupSession, fac []model.GroupSessionFacilitator) GroupSessionView {
	v := GroupSessionView{GroupSession: g, Missions: []string{}, Topics: []string{}, Languages: []string{}, Facilitators: fac}
	_ = json.Unmarshal([]byte(g.Missions), &v.Missions)
	_ = json.Unmarshal([]byte(g.Topics), &v.Topics)
	_ = json.Unmarshal([]byte(g.Languages), &v.Languages)
	if g.ParticipantsByAge != nil {
		_ = json.Unmarshal([]byte(*g.ParticipantsByAge), &v.ParticipantsByAge)
	}
	if v.Facilitators == nil {
		v.Facilitators = []model.GroupSessionFacilitator{}
	}
	return v
}

// viewsOf loads the facilitators of sessions in one query.
func (s *Service) groupSessionViews(ctx context.Context, rows []model.GroupSession) ([]GroupSessionView, error) {
	ids := make([]string, len(rows))
	for i, g := range rows {
		ids[i] = g.ID
	}
	fac, err := s.Store.GroupSessionFacilitators(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]GroupSessionView, len(rows))
	for i, g := range rows {
		out[i] = groupSessionView(g, fac[g.ID])
	}
	return s.NameGroupSessions(ctx, out)
}

// codeList checks a list of codes and returns it without repeats.
func codeList(list []string, valid []string, field string, f *apperr.Fields) string {
	checkCodes(list, valid, field, f)
	if len(list) > 20 {
		f.AddP(field, apperr.CodeMax, "At most 20 items.", apperr.Max(20))
	}
	return jsonList(dedupe(list))
}

// applyGroupSession validates in onto g, naming every bad field. The team
// must be settled first: the neighbourhood and facilitators depend on it.
func (s *Service) applyGroupSession(ctx context.Context, g *model.GroupSession, in GroupSessionInput, f *apperr.Fields) error {
	if t := s.startsAt(AppointmentInput{StartsAt: in.StartsAt, StartsAtLocal: in.StartsAtLocal}, f); t != nil {
		g.StartsAt = *t
	}
	if in.DurationMinutes != nil {
		if *in.DurationMinutes < 1 || *in.DurationMinutes > 720 {
			f.AddP("duration_minutes", apperr.CodeRange, "Must be from 1 to 720 minutes.", apperr.Between(1, 720))
		}
		g.DurationMinutes = *in.DurationMinutes
	}
	if in.PlaceKind != nil {
		if !slices.Contains(model.GroupPlaceKinds, *in.PlaceKind) {
			f.OneOf("place_kind", model.GroupPlaceKinds)
		}
		g.PlaceKind = *in.PlaceKind
	}
	if in.Location != nil {
		g.Location = trimmed(in.Location, 200, "location", f)
	}
	if in.PartnerOrganisation != nil {
		g.PartnerOrganisation = trimmed(in.PartnerOrganisation, 200, "partner_organisation", f)
	}
	if in.Title != nil {
		g.Title = trimmed(in.Title, 200, "title", f)
	}
	if in.Note != nil {
		g.Note = trimmed(in.Note, 2000, "note", f)
	}
	if in.NeighbourhoodID != nil {
		g.NeighbourhoodID = *in.NeighbourhoodID
		if g.NeighbourhoodID != nil {
			team, err := s.Store.NeighbourhoodTeam(ctx, *g.NeighbourhoodID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && team != g.TeamID) {
				f.Add("neighbourhood_id", "team", "Must be a neighbourhood of the session's team.")
			} else if err != nil {
				return err
			}
		}
	}
	switch g.PlaceKind {
	case "partner":
		if g.Location == "" && !f.Has("location") {
			f.Add("location", "required", "Name the partner's location.")
		}
	case "neighbourhood":
		if g.NeighbourhoodID == nil && !f.Has("neighbourhood_id") {
			f.Add("neighbourhood_id", "required", "Choose the neighbourhood.")
		}
	}
	if in.Missions != nil {
		valid, err := s.codes(ctx, "chw_missions")
		if err != nil {
			return err
		}
		g.Missions = codeList(*in.Missions, valid, "missions", f)
	}
	if in.Topics != nil {
		g.Topics = codeList(*in.Topics, model.GroupTopics, "topics", f)
	}
	if in.Languages != nil {
		g.Languages = codeList(*in.Languages, model.GroupLanguages, "languages", f)
	}
	if in.Interpreter != nil {
		g.Interpreter = *in.Interpreter
	}
	if in.Participants != nil {
		if *in.Participants < 0 || *in.Participants > MaxGroupParticipants {
			f.AddP("participants", apperr.CodeRange, fmt.Sprintf("Must be from 0 to %d people.", MaxGroupParticipants), apperr.Between(0, MaxGroupParticipants))
		}
		g.Participants = *in.Participants
	}
	if in.ParticipantsByAge != nil {
		g.ParticipantsByAge = nil
		if bands := *in.ParticipantsByAge; bands != nil {
			b, _ := json.Marshal(*bands)
			str := string(b)
			g.ParticipantsByAge = &str
		}
	}
	checkAgeBands(g, f)
	if in.Status != nil {
		if !slices.Contains(model.GroupStatuses, *in.Status) {
			f.OneOf("status", model.GroupStatuses)
		}
		g.Status = *in.Status
	}
	if g.Status == "held" && !g.StartsAt.IsZero() && g.StartsAt.After(s.Store.Now()) {
		f.Add("status", "future", "A session that has not started yet cannot be marked held.")
	}
	return nil
}

// checkAgeBands: the optional split by age uses known bands, no negative
// counts, and adds up to the headcount.
func checkAgeBands(g *model.GroupSession, f *apperr.Fields) {
	if g.ParticipantsByAge == nil {
		return
	}
	var bands map[string]int
	_ = json.Unmarshal([]byte(*g.ParticipantsByAge), &bands)
	sum := 0
	keys := make([]string, 0, len(bands))
	for k := range bands {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := bands[k]
		if !slices.Contains(model.GroupAgeBands, k) {
			f.AddP("participants_by_age."+k, apperr.CodeOneOf, "Age bands are: "+strings.Join(model.GroupAgeBands, ", ")+".", apperr.Options(model.GroupAgeBands...))
		}
		if n < 0 || n > MaxGroupParticipants {
			f.AddP("participants_by_age."+k, apperr.CodeRange, fmt.Sprintf("Must be from 0 to %d people.", MaxGroupParticipants), apperr.Between(0, MaxGroupParticipants))
		}
		sum += n
	}
	if sum != g.Participants && !f.Has("participants") {
		f.AddP("participants_by_age", "sum", fmt.Sprintf("The age bands add up to %d, not to the %d participants.", sum, g.Participants), map[string]any{"sum": sum, "participants": g.Participants})
	}
}

// facilitatorRows checks that every id is an active CHW or coordinator of
// the team and returns their rows with the fund each works for now, which
// is then kept with the session.
func (s *Service) facilitatorRows(ctx context.Context, teamID string, ids []string, f *apperr.Fields) ([]model.GroupSessionFacilitator, error) {
	if len(ids) == 0 {
		f.Add("facilitator_ids", "required", "At least one facilitator.")
	}
	if len(ids) > 10 {
		f.AddP("facilitator_ids", apperr.CodeMax, "At most 10 facilitators.", apperr.Max(10))
	}
	var out []model.GroupSessionFacilitator
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := s.Store.UserByID(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		if err != nil || u.DisabledAt != nil || (u.Role != model.RoleCHW && u.Role != model.RoleCoordinator) || !slices.Contains(u.TeamIDs, teamID) {
			f.Add(fmt.Sprintf("facilitator_ids[%d]", i), "team", "Must be a CHW or coordinator of the session's team.")
			continue
		}
		out = append(out, model.GroupSessionFacilitator{CHWID: u.ID, TeamID: teamID, FundID: u.FundID})
	}
	return out, nil
}

// canWriteGroups: the caller may record group work in team.
func (s *Service) canWriteGroups(p *Principal, team string) bool {
	return s.Authz.Can(p.Role, p.AllReports, p.TeamIDs, team, auth.PermGroupsWriteTeam)
}

// CreateGroupSession records a session of one of the caller's teams. The
// caller facilitates it unless facilitator_ids says who did.
func (s *Service) CreateGroupSession(ctx context.Context, p *Principal, in GroupSessionInput) (GroupSessionView, error) {
	f := slices.Clone(in.Invalid)
	g := model.GroupSession{Status: "planned", Missions: "[]", Topics: "[]", Languages: "[]", CreatedBy: p.UserID}
	switch {
	case in.TeamID != nil:
		g.TeamID = *in.TeamID
		if !p.InTeam(g.TeamID) {
			f.Add("team_id", "team", "Must be one of your teams.")
		}
	case len(p.TeamIDs) == 1:
		g.TeamID = p.TeamIDs[0]
	default:
		f.Add("team_id", "required", "Choose the team that held the session.")
	}
	if p.InTeam(g.TeamID) && !s.canWriteGroups(p, g.TeamID) {
		return GroupSessionView{}, apperr.Forbidden()
	}
	if in.StartsAt == nil && in.StartsAtLocal == nil {
		f.Add("starts_at_local", "required", "Say when the session starts.")
	}
	if in.DurationMinutes == nil {
		f.Add("duration_minutes", "required", "Say how long the session lasts.")
	}
	if in.PlaceKind == nil {
		f.Add("place_kind", "required", "Say where the session is: partner or neighbourhood.")
	}
	if err := s.applyGroupSession(ctx, &g, in, &f); err != nil {
		return GroupSessionView{}, err
	}
	ids := []string{p.UserID}
	if in.FacilitatorIDs != nil {
		ids = *in.FacilitatorIDs
	}
	fac, err := s.facilitatorRows(ctx, g.TeamID, ids, &f)
	if err != nil {
		return GroupSessionView{}, err
	}
	if err := f.Err(); err != nil {
		return GroupSessionView{}, err
	}
	// The creator's fund now, so that the record keeps who paid for the
	// work even after the creator changes fund.
	me, err := s.Store.UserByID(ctx, p.UserID)
	if err != nil {
		return GroupSessionView{}, err
	}
	g.FundID = me.FundID
	if err := s.Store.CreateGroupSession(ctx, &g, fac); err != nil {
		return GroupSessionView{}, storeErr(err)
	}
	s.audit(ctx, p, "group_session.create", "group_session", g.ID, "")
	return s.GroupSession(ctx, p, g.ID)
}

// GroupSession returns one session of the caller's teams.
func (s *Service) GroupSession(ctx context.Context, p *Principal, id string) (GroupSessionView, error) {
	g, err := s.Store.GroupSessionByID(ctx, p.Scope, id)
	if err != nil {
		return GroupSessionView{}, storeErr(err)
	}
	views, err := s.groupSessionViews(ctx, []model.GroupSession{g})
	if err != nil {
		return GroupSessionView{}, err
	}
	return views[0], nil
}

// ListGroupSessions lists sessions of the caller's teams.
func (s *Service) ListGroupSessions(ctx context.Context, p *Principal, f store.GroupSessionFilter) ([]GroupSessionView, error) {
	rows, err := s.Store.ListGroupSessions(ctx, p.Scope, f)
	if err != nil {
		return nil, storeErr(err)
	}
	return s.groupSessionViews(ctx, rows)
}

// UpdateGroupSession edits a session, including marking it held or
// cancelled and changing who facilitated it.
func (s *Service) UpdateGroupSession(ctx context.Context, p *Principal, id string, in GroupSessionInput) (GroupSessionView, error) {
	cur, err := s.Store.GroupSessionByID(ctx, p.Scope, id)
	if err != nil {
		return GroupSessionView{}, storeErr(err)
	}
	if !s.canWriteGroups(p, cur.TeamID) {
		return GroupSessionView{}, apperr.Forbidden()
	}
	f := slices.Clone(in.Invalid)
	if in.TeamID != nil && *in.TeamID != cur.TeamID {
		f.Add("team_id", "read_only", "A session stays with the team that held it.")
	}
	next := cur
	if err := s.applyGroupSession(ctx, &next, in, &f); err != nil {
		return GroupSessionView{}, err
	}
	var fac []model.GroupSessionFacilitator
	if in.FacilitatorIDs != nil {
		if fac, err = s.facilitatorRows(ctx, cur.TeamID, *in.FacilitatorIDs, &f); err != nil {
			return GroupSessionView{}, err
		}
	}
	if err := f.Err(); err != nil {
		return GroupSessionView{}, err
	}
	set := map[string]any{
		"starts_at":            next.StartsAt,
		"duration_minutes":     next.DurationMinutes,
		"place_kind":           next.PlaceKind,
		"neighbourhood_id":     next.NeighbourhoodID,
		"location":             next.Location,
		"partner_organisation": next.PartnerOrganisation,
		"title":                next.Title,
		"missions":             next.Missions,
		"topics":               next.Topics,
		"languages":            next.Languages,
		"interpreter":          next.Interpreter,
		"participants":         next.Participants,
		"participants_by_age":  next.ParticipantsByAge,
		"status":               next.Status,
		"note":                 next.Note,
	}
	if _, err := s.Store.UpdateGroupSession(ctx, p.Scope, id, set, fac); err != nil {
		return GroupSessionView{}, storeErr(err)
	}
	s.audit(ctx, p, "group_session.update", "group_session", id, "")
	return s.GroupSession(ctx, p, id)
}

// AddGroupParticipant turns a participant who wants individual help into a
// client of the session's team, in one step: the client (through the usual
// creation rules, duplicate check included) and its link to the session
// are written in one transaction.
func (s *Service) AddGroupParticipant(ctx context.Context, p *Principal, sessionID string, in ClientInput, invalid apperr.Fields, confirmDuplicate bool) (ClientView, error) {
	g, err := s.Store.GroupSessionByID(ctx, p.Scope, sessionID)
	if err != nil {
		return ClientView{}, storeErr(err)
	}
	if !s.canWriteGroups(p, g.TeamID) || !s.canWriteClients(p) {
		return ClientView{}, apperr.Forbidden()
	}
	if g.Status == "cancelled" {
		return ClientView{}, apperr.New(apperr.KindConflict, "The session was cancelled: it had no participants.")
	}
	f := slices.Clone(invalid)
	if in.TeamID != nil && *in.TeamID != g.TeamID {
		f.Add("team_id", "read_only", "The client joins the team of the session.")
	}
	if in.Source != nil && *in.Source != "group_session" {
		f.Add("source", "read_only", "A participant's source is group_session.")
	}
	team, source := g.TeamID, "group_session"
	in.TeamID, in.Source = &team, &source
	link := func(tx *store.Store, c *model.Client) error {
		return tx.AddClientEvent(ctx, c.ID, p.UserID, "group_session", map[string]any{"group_session_id": g.ID})
	}
	return s.createClient(ctx, p, in, confirmDuplicate, "group_session="+g.ID, f, link)
}
