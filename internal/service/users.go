package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// UserInput is a user as an admin submits it. For updates, nil means "keep".
type UserInput struct {
	Email      *string
	Name       *string
	Role       *string
	TeamIDs    *[]string
	FundID     **string
	Language   *string
	Password   *string
	AllReports *bool
	Disabled   *bool
}

// UserView is a user with the names the UI shows.
type UserView struct {
	store.UserWithTeams
	Teams []model.Team
	Fund  *model.Fund
	// SecondFactor: the account signs in with a code from an app too.
	SecondFactor bool
}

// MinPasswordLen follows NIST SP 800-63B for passwords chosen by people.
const MinPasswordLen = 12

// passwordMessages word auth.PasswordProblem's reasons for API users.
var passwordMessages = map[string]string{
	auth.PasswordCommon:   "This password is among the most common ones; choose another.",
	auth.PasswordPersonal: "The password must not contain your e-mail address or name.",
	auth.PasswordWeak:     "This password is easy to guess (a repeat, a sequence or a keyboard row); choose a longer or less predictable one.",
}

// checkPassword applies the password rules (NIST SP 800-63B): 12 to 1024
// characters, not a common or personal one, not easy to guess.
func checkPassword(pw string, f *apperr.Fields, personal ...string) {
	if n := len([]rune(pw)); n < MinPasswordLen || len(pw) > auth.MaxPasswordBytes {
		f.AddP("password", apperr.CodeLength, fmt.Sprintf("The password must have %d to %d characters.", MinPasswordLen, auth.MaxPasswordBytes), apperr.Between(MinPasswordLen, auth.MaxPasswordBytes))
		return
	}
	if why := auth.PasswordProblem(pw, personal...); why != "" {
		f.AddP("password", "password_weak", passwordMessages[why], map[string]any{"reason": why})
	}
}

// checkUserName: a name is required and has at most 200 characters.
func checkUserName(n string, fields *apperr.Fields) {
	switch {
	case n == "":
		fields.Add("name", apperr.CodeRequired, "A name is required.")
	case len([]rune(n)) > 200:
		fields.AddP("name", apperr.CodeMax, "The name must have at most 200 characters.", apperr.Max(200))
	}
}

// CreateUser creates an account (admin).
func (s *Service) CreateUser(ctx context.Context, p *Principal, in UserInput) (UserView, error) {
	u := model.User{Language: "nl"}
	if in.Email != nil {
		u.Email = strings.ToLower(strings.TrimSpace(*in.Email))
	}
	var fields apperr.Fields
	adminSetsPassword(p, in, &fields)
	teams, err := s.applyUser(ctx, &u, nil, in, &fields)
	if err != nil {
		return UserView{}, err
	}
	if err := fields.Err(); err != nil {
		return UserView{}, err
	}
	// Without a password (always, for an admin) the account waits for
	// its invitation: an empty hash matches no password.
	if in.Password != nil {
		hash, err := s.Hasher.Hash(ctx, *in.Password)
		if err != nil {
			return UserView{}, err
		}
		u.PasswordHash = hash
	}
	if err := s.Store.CreateUser(ctx, &u, teams); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return UserView{}, &apperr.Error{Kind: apperr.KindConflict, Detail: "An account with this e-mail address exists.",
				Fields: []apperr.FieldError{{Field: "email", Code: "taken", Message: "This e-mail address is already in use."}}}
		}
		return UserView{}, err
	}
	s.audit(ctx, p, "user.create", "user", u.ID, "role="+u.Role)
	if in.Password == nil {
		inv, err := s.issueInvitation(ctx, p, u)
		if err != nil {
			return UserView{}, err
		}
		s.audit(ctx, p, "user.invitation", "user", u.ID, "expires_at="+inv.ExpiresAt.Format(time.RFC3339))
	}
	v, err := s.User(ctx, p, u.ID)
	if err == nil {
		s.recordClientAccess(ctx, p, nil, v.UserWithTeams)
	}
	return v, err
}

// adminSetsPassword refuses a password chosen by an admin account: people
// set their own from an invitation link. The command line (no account) may
// still set the first admin's.
func adminSetsPassword(p *Principal, in UserInput, fields *apperr.Fields) {
	if in.Password != nil && p != nil && p.UserID != "" {
		fields.Add("password", "invitation_only", "Admins do not set passwords: the user sets one from the invitation link. Send a new link with POST /api/v1/users/{id}/invitation.")
	}
}

// UpdateUser changes an account (admin). An admin cannot disable or demote
// themselves, so the programme never loses its last way in by accident.
func (s *Service) UpdateUser(ctx context.Context, p *Principal, id string, in UserInput) (UserView, error) {
	cur, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return UserView{}, storeErr(err)
	}
	if id == p.UserID {
		if in.Disabled != nil && *in.Disabled {
			return UserView{}, apperr.New(apperr.KindConflict, "You cannot disable your own account.")
		}
		if in.Role != nil && *in.Role != model.RoleAdmin {
			return UserView{}, apperr.New(apperr.KindConflict, "You cannot change your own role.")
		}
	}
	if in.Email != nil {
		return UserView{}, apperr.Validation("email", "read_only", "The e-mail address of an account cannot be changed.")
	}
	next := cur.User
	var fields apperr.Fields
	adminSetsPassword(p, in, &fields)
	teams, err := s.applyUser(ctx, &next, cur.TeamIDs, in, &fields)
	if err != nil {
		return UserView{}, err
	}
	if err := fields.Err(); err != nil {
		return UserView{}, err
	}
	ch := store.UserChanges{Name: in.Name, Role: in.Role, Language: in.Language, Disabled: in.Disabled}
	if next.FundID != cur.FundID {
		f := next.FundID
		ch.FundID = &f
	}
	if next.AllReports != cur.AllReports {
		ch.AllReports = &next.AllReports
	}
	if cur.IntakeDuty && next.Role != model.RoleCoordinator {
		// The programme intake is a coordinator's duty: it goes with the role.
		off := false
		ch.IntakeDuty = &off
	}
	if in.TeamIDs != nil || (in.Role != nil && !slices.Equal(teams, cur.TeamIDs)) {
		ch.TeamIDs = &teams
	}
	if in.Password != nil {
		h, err := s.Hasher.Hash(ctx, *in.Password)
		if err != nil {
			return UserView{}, err
		}
		ch.PasswordHash = &h
	}
	if _, err := s.Store.UpdateUser(ctx, id, ch); err != nil {
		return UserView{}, storeErr(err)
	}
	s.audit(ctx, p, "user.update", "user", id, strings.Join(changedFields(in), ","))
	v, err := s.User(ctx, p, id)
	if err == nil {
		s.recordClientAccess(ctx, p, &cur, v.UserWithTeams)
	}
	return v, err
}

// SetIntakeDuty gives a coordinator the programme intake duty, or takes it
// away (admin): they then see the contact requests whose place matches no
// team. Only coordinators triage, so only they can hold it.
func (s *Service) SetIntakeDuty(ctx context.Context, p *Principal, id string, on *bool) (UserView, error) {
	if on == nil {
		return UserView{}, apperr.Validation("intake_duty", "required", "Say whether the coordinator holds the intake duty (true or false).")
	}
	cur, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return UserView{}, storeErr(err)
	}
	if *on && cur.Role != model.RoleCoordinator {
		return UserView{}, apperr.Validation("intake_duty", "role", "Only coordinators can hold the intake duty.")
	}
	if cur.IntakeDuty != *on {
		if _, err := s.Store.UpdateUser(ctx, id, store.UserChanges{IntakeDuty: on}); err != nil {
			return UserView{}, storeErr(err)
		}
		s.audit(ctx, p, "user.intake_duty", "user", id, map[bool]string{true: "on", false: "off"}[*on])
	}
	return s.User(ctx, p, id)
}

func changedFields(in UserInput) []string {
	var f []string
	add := func(set bool, name string) {
		if set {
			f = append(f, name)
		}
	}
	add(in.Name != nil, "name")
	add(in.Role != nil, "role")
	add(in.TeamIDs != nil, "team_ids")
	add(in.FundID != nil, "fund_id")
	add(in.Language != nil, "language")
	add(in.Password != nil, "password")
	add(in.AllReports != nil, "all_reports")
	add(in.Disabled != nil, "disabled")
	return f
}

// applyUser applies input onto u and checks the resulting account is
// coherent: a CHW in exactly one team, a coordinator in at least one, a
// manager tied to a fund or reading the whole programme, an admin in none.
func (s *Service) applyUser(ctx context.Context, u *model.User, curTeams []string, in UserInput, fields *apperr.Fields) ([]string, error) {
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		checkUserName(n, fields)
		u.Name = n
		*in.Name = n
	} else if u.Name == "" {
		fields.Add("name", "required", "A name is required.")
	}
	if u.Email == "" {
		fields.Add("email", "required", "An e-mail address is required.")
	}
	if in.Role != nil {
		if !slices.Contains(model.Roles, *in.Role) {
			fields.OneOf("role", model.Roles)
		}
		u.Role = *in.Role
	} else if u.Role == "" {
		fields.Add("role", "required", "A role is required.")
	}
	if in.Language != nil {
		if !slices.Contains(model.Languages, *in.Language) {
			fields.OneOf("language", model.Languages)
		}
		u.Language = *in.Language
	}
	if in.Password != nil {
		checkPassword(*in.Password, fields, u.Email, u.Name)
	}
	if in.AllReports != nil {
		u.AllReports = *in.AllReports
	}
	if in.FundID != nil {
		u.FundID = *in.FundID
		if u.FundID != nil && *u.FundID == "" {
			u.FundID = nil
		}
		if u.FundID != nil {
			if _, err := s.Store.FundByID(ctx, *u.FundID); errors.Is(err, store.ErrNotFound) {
				fields.Add("fund_id", "unknown", "There is no such fund.")
			} else if err != nil {
				return nil, err
			}
		}
	}
	teams := slices.Clone(curTeams)
	if in.TeamIDs != nil {
		teams = dedupe(*in.TeamIDs)
		if len(teams) > 0 {
			found, err := s.Store.TeamsByID(ctx, teams)
			if err != nil {
				return nil, err
			}
			if len(found) != len(teams) {
				fields.Add("team_ids", "unknown", "One or more teams do not exist.")
			}
		}
	}
	if fields.Has("role") {
		return teams, nil
	}
	switch u.Role {
	case model.RoleCHW:
		if len(teams) != 1 && !fields.Has("team_ids") {
			fields.AddP("team_ids", "count", "A CHW belongs to exactly one team.", apperr.Between(1, 1))
		}
	case model.RoleCoordinator:
		if len(teams) == 0 && !fields.Has("team_ids") {
			fields.AddP("team_ids", "count", "A coordinator leads at least one team.", map[string]any{"min": 1})
		}
	case model.RoleManager, model.RoleAdmin, model.RoleDPO:
		if in.TeamIDs != nil && len(teams) > 0 {
			fields.AddP("team_ids", "count", "Managers, admins and data protection officers do not belong to a team.", map[string]any{"max": 0})
		}
		teams = nil
	}
	if u.Role == model.RoleManager && u.FundID == nil && !u.AllReports && !fields.Has("fund_id") {
		fields.Add("fund_id", "required", "A manager needs a fund, or access to the whole programme (all_reports).")
	}
	if u.Role != model.RoleManager && u.AllReports {
		if in.AllReports != nil {
			fields.Add("all_reports", "role", "Only managers can read the whole programme's reports.")
		}
		u.AllReports = false
	}
	return teams, nil
}

func dedupe(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}

// User returns one account (admin) or the caller themselves.
func (s *Service) User(ctx context.Context, _ *Principal, id string) (UserView, error) {
	u, err := s.Store.UserByID(ctx, id)
	if err != nil {
		return UserView{}, storeErr(err)
	}
	views, err := s.views(ctx, []store.UserWithTeams{u})
	if err != nil {
		return UserView{}, err
	}
	return views[0], nil
}

// ListUsers pages through accounts (admin).
func (s *Service) ListUsers(ctx context.Context, p *Principal, f store.UserFilter) ([]UserView, string, error) {
	page, err := s.Store.ListUsers(ctx, p.Scope, f)
	if err != nil {
		return nil, "", storeErr(err)
	}
	views, err := s.views(ctx, page.Items)
	return views, page.NextCursor, err
}

func (s *Service) views(ctx context.Context, users []store.UserWithTeams) ([]UserView, error) {
	var teamIDs []string
	for _, u := range users {
		teamIDs = append(teamIDs, u.TeamIDs...)
	}
	teams, err := s.Store.TeamsByID(ctx, dedupe(teamIDs))
	if err != nil {
		return nil, err
	}
	funds, err := s.Store.Funds(ctx)
	if err != nil {
		return nil, err
	}
	teamByID := map[string]model.Team{}
	for _, t := range teams {
		teamByID[t.ID] = t
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	second, err := s.Store.SecondFactorUsers(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]UserView, len(users))
	for i, u := range users {
		v := UserView{UserWithTeams: u, SecondFactor: second[u.ID]}
		for _, id := range u.TeamIDs {
			v.Teams = append(v.Teams, teamByID[id])
		}
		for _, f := range funds {
			if u.FundID != nil && f.ID == *u.FundID {
				f := f
				v.Fund = &f
			}
		}
		out[i] = v
	}
	return out, nil
}

// UpdateMe lets a user change their own name and language.
func (s *Service) UpdateMe(ctx context.Context, p *Principal, name, language *string) (UserView, error) {
	var fields apperr.Fields
	if name != nil {
		n := strings.TrimSpace(*name)
		checkUserName(n, &fields)
		name = &n
	}
	if language != nil && !slices.Contains(model.Languages, *language) {
		fields.OneOf("language", model.Languages)
	}
	if err := fields.Err(); err != nil {
		return UserView{}, err
	}
	if _, err := s.Store.UpdateUser(ctx, p.UserID, store.UserChanges{Name: name, Language: language}); err != nil {
		return UserView{}, storeErr(err)
	}
	return s.User(ctx, p, p.UserID)
}

// Permissions lists what the caller may do.
func (s *Service) Permissions(p *Principal) []string {
	return s.Authz.Permissions(p.Role, p.AllReports)
}
