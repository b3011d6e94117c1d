package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// The access register is what a data protection officer keeps under the
// Belgian law of 30 July 2018: which role may read or change which kind of
// data, within which scope, and which accounts hold each role per team. It
// is built from the casbin policy (auth.Policy) and the scoping rules of the
// store, so it cannot drift from what the code enforces.

// AccessRule says what one permission lets a role do.
type AccessRule struct {
	Permission string
	Data       string // the kind of data
	Access     string // read, change or read_change
	Scope      string // which rows
	// ClientData is true where the permission reaches client records.
	ClientData bool
}

// permissionRules describes every permission of auth.Policy; a test fails
// when one is missing, so a new permission cannot skip the register.
var permissionRules = map[string]AccessRule{
	auth.PermMeRead:             {Data: "own account", Access: "read", Scope: "the account itself"},
	auth.PermMeUpdate:           {Data: "own account (name, language, password)", Access: "change", Scope: "the account itself"},
	auth.PermTeamsRead:          {Data: "teams, regions, municipalities, neighbourhoods", Access: "read", Scope: "the whole programme"},
	auth.PermReferenceRead:      {Data: "reference data (funds, taxonomies)", Access: "read", Scope: "the whole programme"},
	auth.PermUsersManage:        {Data: "staff accounts and their roles and teams", Access: "read_change", Scope: "the whole programme; never client records"},
	auth.PermAuditRead:          {Data: "audit log", Access: "read", Scope: "the whole programme"},
	auth.PermClientsReadOwn:     {Data: "client records (identity, contact, visits, barriers, consents, referrals, appointments, tasks)", Access: "read", Scope: "clients assigned to the account, in its teams", ClientData: true},
	auth.PermClientsWriteOwn:    {Data: "client records and the work on them", Access: "change", Scope: "clients assigned to the account, in its teams", ClientData: true},
	auth.PermClientsReadTeam:    {Data: "client records", Access: "read", Scope: "every client of the account's teams", ClientData: true},
	auth.PermClientsWriteTm:     {Data: "client records and the work on them", Access: "change", Scope: "every client of the account's teams", ClientData: true},
	auth.PermClientsAssign:      {Data: "caseload assignment", Access: "change", Scope: "clients of the account's teams", ClientData: true},
	auth.PermClientsMerge:       {Data: "duplicate client records (merge, undo)", Access: "read_change", Scope: "clients of the account's teams", ClientData: true},
	auth.PermClientsEmergency:   {Data: "one client record outside the usual scope (break-the-glass)", Access: "read_change", Scope: "with a written reason, for a limited time, audited and reviewed by the client's team coordinators", ClientData: true},
	auth.PermAuditReadTeam:      {Data: "audit trail of client records", Access: "read", Scope: "clients of the account's teams", ClientData: true},
	auth.PermProvidersRead:      {Data: "provider directory", Access: "read", Scope: "the whole programme"},
	auth.PermProvidersManage:    {Data: "provider directory", Access: "change", Scope: "providers of the account's teams"},
	auth.PermIntakeTriage:       {Data: "contact requests from the public form (name, phone, e-mail, message)", Access: "read_change", Scope: "requests of the account's teams' areas; the programme intake with the intake duty", ClientData: true},
	auth.PermReportsReadOwn:     {Data: "activity and barrier reports", Access: "read", Scope: "the account's own work, exact"},
	auth.PermReportsReadTeam:    {Data: "activity and barrier reports", Access: "read", Scope: "the account's teams, exact"},
	auth.PermReportsReadFund:    {Data: "activity and barrier reports (aggregates, small counts suppressed)", Access: "read", Scope: "the account's fund"},
	auth.PermReportsReadAll:     {Data: "activity and barrier reports (aggregates, small counts suppressed)", Access: "read", Scope: "the whole programme"},
	auth.PermReportsExport:      {Data: "report downloads (small counts suppressed)", Access: "read", Scope: "as the reports the account may read"},
	auth.PermTeamsConfigure:     {Data: "team settings (reminder timing)", Access: "change", Scope: "the account's teams (coordinators), every team (admins)"},
	auth.PermGroupsReadTeam:     {Data: "group sessions (anonymous counts)", Access: "read", Scope: "the account's teams"},
	auth.PermGroupsWriteTeam:    {Data: "group sessions (anonymous counts)", Access: "change", Scope: "the account's teams"},
	auth.PermAccessRegisterRead: {Data: "this access register", Access: "read", Scope: "the whole programme"},
	auth.PermClientsExport:      {Data: "everything held about one client (subject access export, JSON and PDF)", Access: "read", Scope: "clients of the account's teams", ClientData: true},
	auth.PermClientsErase:       {Data: "a client's personal data (erasure on request, legal hold)", Access: "change", Scope: "clients of the account's teams", ClientData: true},
	auth.PermTargetsManage:      {Data: "monthly targets (programme defaults, team targets, CHW overrides)", Access: "read_change", Scope: "the programme's defaults (admins); the account's teams and their CHWs (coordinators)"},
	auth.PermResearchExtract:    {Data: "research extract (clients with a research consent, pseudonymised, k-anonymous, no free text)", Access: "read", Scope: "the whole programme"},
}

// RuleOf describes a permission (ok false for one the register lacks).
func RuleOf(perm string) (AccessRule, bool) {
	r, ok := permissionRules[perm]
	r.Permission = perm
	return r, ok
}

// RoleAccess is what one role may do.
type RoleAccess struct {
	Role        string
	ClientData  bool
	Rules       []AccessRule
	Description string
}

// AccessHolder is one enabled account in the register.
type AccessHolder struct {
	ID    string
	Name  string
	Email string
	Role  string
}

// TeamAccess lists the accounts of one team.
type TeamAccess struct {
	ID       string
	Name     string
	Accounts []AccessHolder
}

// AccessRegister is the whole register.
type AccessRegister struct {
	GeneratedAt time.Time
	Roles       []RoleAccess
	Teams       []TeamAccess
	// Programme lists accounts that act programme-wide (managers,
	// admins) or have no team.
	Programme []AccessHolder
	// Emergency lists the live break-the-glass grants.
	Emergency []store.LiveGrant
}

var roleDescriptions = map[string]string{
	model.RoleCHW:             "fieldworker: own caseload only",
	model.RoleCoordinator:     "leads one or more teams: every client of those teams",
	model.RoleManager:         "fund or programme manager: aggregates only, never a client's identity",
	model.RoleAdmin:           "system administrator: accounts, teams, reference data, audit log; never client records",
	auth.RoleProgrammeManager: "a manager with reports:read_all (users.all_reports): also the whole programme's aggregates and the research extract",
	model.RoleDPO:             "data protection officer: the audit log and this register; never client records",
}

// registerRoles is the order the register lists roles in.
var registerRoles = []string{model.RoleCHW, model.RoleCoordinator, model.RoleManager, auth.RoleProgrammeManager, model.RoleAdmin, model.RoleDPO}

// RoleAccessTable derives each role's rules from the casbin policy.
func RoleAccessTable() ([]RoleAccess, error) {
	out := make([]RoleAccess, 0, len(registerRoles))
	for _, role := range registerRoles {
		perms, ok := auth.Policy[role]
		if !ok {
			return nil, fmt.Errorf("access register: role %q is not in the policy", role)
		}
		ra := RoleAccess{Role: role, Description: roleDescriptions[role]}
		for _, p := range perms {
			r, ok := RuleOf(p)
			if !ok {
				return nil, fmt.Errorf("access register: permission %q has no description", p)
			}
			ra.ClientData = ra.ClientData || r.ClientData
			ra.Rules = append(ra.Rules, r)
		}
		out = append(out, ra)
	}
	return out, nil
}

// ReadsClientRecords tells whether a role's permissions reach client records.
func ReadsClientRecords(role string) bool {
	for _, p := range auth.Policy[role] {
		if r, _ := RuleOf(p); r.ClientData {
			return true
		}
	}
	return false
}

// BuildAccessRegister assembles the register: roles from the policy, and
// every enabled account per team. The caller is audited when given (the
// command line passes nil).
func (s *Service) BuildAccessRegister(ctx context.Context, p *Principal) (AccessRegister, error) {
	roles, err := RoleAccessTable()
	if err != nil {
		return AccessRegister{}, err
	}
	reg := AccessRegister{GeneratedAt: s.Store.Now(), Roles: roles, Programme: []AccessHolder{}}

	teams, err := s.Store.Teams(ctx)
	if err != nil {
		return AccessRegister{}, err
	}
	byTeam := map[string]*TeamAccess{}
	for _, t := range teams {
		reg.Teams = append(reg.Teams, TeamAccess{ID: t.Team.ID, Name: t.Team.Name, Accounts: []AccessHolder{}})
	}
	for i := range reg.Teams {
		byTeam[reg.Teams[i].ID] = &reg.Teams[i]
	}

	cursor := ""
	for {
		page, err := s.Store.ListUsers(ctx, store.Scope{}, store.UserFilter{Limit: 500, Cursor: cursor})
		if err != nil {
			return AccessRegister{}, err
		}
		for _, u := range page.Items {
			h := AccessHolder{ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role}
			if u.Role == model.RoleManager && u.AllReports {
				h.Role = auth.RoleProgrammeManager
			}
			placed := false
			if u.Role == model.RoleCHW || u.Role == model.RoleCoordinator {
				for _, id := range u.TeamIDs {
					if t := byTeam[id]; t != nil {
						t.Accounts = append(t.Accounts, h)
						placed = true
					}
				}
			}
			if !placed {
				reg.Programme = append(reg.Programme, h)
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	for i := range reg.Teams {
		sort.SliceStable(reg.Teams[i].Accounts, func(a, b int) bool {
			x, y := reg.Teams[i].Accounts[a], reg.Teams[i].Accounts[b]
			return slices.Index(registerRoles, x.Role) > slices.Index(registerRoles, y.Role) ||
				x.Role == y.Role && x.Name < y.Name
		})
	}
	if reg.Emergency, err = s.Store.LiveGrants(ctx, s.Store.Now()); err != nil {
		return AccessRegister{}, err
	}
	if p != nil {
		s.audit(ctx, p, "access_register.read", "access_register", "", "")
	}
	return reg, nil
}
