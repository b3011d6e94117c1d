package store

import (
	"context"
	"strings"

	"github.com/brug-chw/brug/internal/model"
)

// UserWithTeams is a user and the ids of their teams.
type UserWithTeams struct {
	model.User
	TeamIDs []string
}

// CreateUser inserts a user and their team memberships in one transaction.
// A taken e-mail returns ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *model.User, teamIDs []string) error {
	if u.ID == "" {
		u.ID = NewID()
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Create(u).Error; err != nil {
			return mapErr(err, "create user")
		}
		return tx.setMemberships(ctx, u.ID, teamIDs)
	})
}

func (s *Store) setMemberships(ctx context.Context, userID string, teamIDs []string) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&model.TeamMembership{}).Error; err != nil {
		return mapErr(err, "clear memberships")
	}
	now := s.Now()
	for _, t := range teamIDs {
		m := model.TeamMembership{UserID: userID, TeamID: t, CreatedAt: now, UpdatedAt: now}
		if err := s.q(ctx).Create(&m).Error; err != nil {
			return mapErr(err, "add membership")
		}
	}
	return nil
}

// UserChanges are the columns an update may set; nil leaves a field alone.
type UserChanges struct {
	Name         *string
	Role         *string
	FundID       **string
	Language     *string
	AllReports   *bool
	IntakeDuty   *bool
	PasswordHash *string
	Disabled     *bool
	TeamIDs      *[]string
}

// UpdateUser applies changes and returns the stored user. Disabling a user
// also revokes every refresh token, so no session outlives the decision.
func (s *Store) UpdateUser(ctx context.Context, id string, c UserChanges) (UserWithTeams, error) {
	err := s.Tx(ctx, func(tx *Store) error {
		var u model.User
		if err := tx.q(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
			return mapErr(err, "load user")
		}
		set := map[string]any{"updated_at": tx.Now()}
		if c.Name != nil {
			set["name"] = *c.Name
		}
		if c.Role != nil {
			set["role"] = *c.Role
		}
		if c.FundID != nil {
			set["fund_id"] = *c.FundID
		}
		if c.Language != nil {
			set["language"] = *c.Language
		}
		if c.AllReports != nil {
			set["all_reports"] = *c.AllReports
		}
		if c.IntakeDuty != nil {
			set["intake_duty"] = *c.IntakeDuty
		}
		if c.PasswordHash != nil {
			set["password_hash"] = *c.PasswordHash
		}
		if c.Disabled != nil {
			if *c.Disabled && u.DisabledAt == nil {
				set["disabled_at"] = tx.Now()
			} else if !*c.Disabled {
				set["disabled_at"] = nil
			}
		}
		if err := tx.q(ctx).Model(&model.User{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return mapErr(err, "update user")
		}
		if c.TeamIDs != nil {
			if err := tx.setMemberships(ctx, id, *c.TeamIDs); err != nil {
				return err
			}
		}
		if (c.Disabled != nil && *c.Disabled) || c.PasswordHash != nil || c.Role != nil {
			if err := tx.RevokeUserTokens(ctx, id); err != nil {
				return err
			}
		}
		// Role, teams, fund, duties, name and language are all in what a
		// request's caller carries (AuthState).
		return tx.authChanged(ctx, AuthChange{UserID: id})
	})
	if err != nil {
		return UserWithTeams{}, err
	}
	return s.UserByID(ctx, id)
}

// UserByID returns a user with teams, disabled or not.
func (s *Store) UserByID(ctx context.Context, id string) (UserWithTeams, error) {
	var u model.User
	if err := s.q(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return UserWithTeams{}, mapErr(err, "user")
	}
	teams, err := s.teamIDsOf(ctx, []string{u.ID})
	if err != nil {
		return UserWithTeams{}, err
	}
	return UserWithTeams{User: u, TeamIDs: teams[u.ID]}, nil
}

// UserByEmail finds a user by e-mail, case-insensitively.
func (s *Store) UserByEmail(ctx context.Context, email string) (UserWithTeams, error) {
	var u model.User
	if err := s.q(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error; err != nil {
		return UserWithTeams{}, mapErr(err, "user by email")
	}
	teams, err := s.teamIDsOf(ctx, []string{u.ID})
	if err != nil {
		return UserWithTeams{}, err
	}
	return UserWithTeams{User: u, TeamIDs: teams[u.ID]}, nil
}

func (s *Store) teamIDsOf(ctx context.Context, userIDs []string) (map[string][]string, error) {
	var ms []model.TeamMembership
	if err := s.q(ctx).Where("user_id IN ?", userIDs).Order("team_id").Find(&ms).Error; err != nil {
		return nil, mapErr(err, "memberships")
	}
	out := map[string][]string{}
	for _, m := range ms {
		out[m.UserID] = append(out[m.UserID], m.TeamID)
	}
	return out, nil
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Q               string
	Role            string
	TeamID          string
	IncludeDisabled bool
	Limit           int
	Cursor          string
}

// ListUsers pages through users ordered by name. Only admins reach it; the
// scope is still taken so a future team-scoped listing has one place to go.
func (s *Store) ListUsers(ctx context.Context, _ Scope, f UserFilter) (Page[UserWithTeams], error) {
	q := s.q(ctx).Model(&model.User{})
	if f.Q != "" {
		p := likePattern(f.Q)
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", p, p)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	if f.TeamID != "" {
		q = q.Where("id IN (?)", s.q(ctx).Model(&model.TeamMembership{}).Select("user_id").Where("team_id = ?", f.TeamID))
	}
	if !f.IncludeDisabled {
		q = q.Where("disabled_at IS NULL")
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return Page[UserWithTeams]{}, err
		}
		q = q.Where("(name > ? OR (name = ? AND id > ?))", c.K, c.K, c.ID)
	}
	var users []model.User
	if err := q.Order("name, id").Limit(f.Limit + 1).Find(&users).Error; err != nil {
		return Page[UserWithTeams]{}, mapErr(err, "list users")
	}
	page := Page[UserWithTeams]{}
	if len(users) > f.Limit {
		users = users[:f.Limit]
		last := users[len(users)-1]
		page.NextCursor = encodeCursor(last.Name, last.ID)
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	teams := map[string][]string{}
	if len(ids) > 0 {
		var err error
		if teams, err = s.teamIDsOf(ctx, ids); err != nil {
			return page, err
		}
	}
	page.Items = make([]UserWithTeams, len(users))
	for i, u := range users {
		page.Items[i] = UserWithTeams{User: u, TeamIDs: teams[u.ID]}
	}
	return page, nil
}

// CountActiveAdmins counts enabled admins (the last one may not be removed).
func (s *Store) CountActiveAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&model.User{}).Where("role = ? AND disabled_at IS NULL", model.RoleAdmin).Count(&n).Error
	return n, mapErr(err, "count admins")
}
