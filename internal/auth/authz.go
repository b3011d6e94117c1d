package auth

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	casbinmodel "github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/util"
)

// Permission names come in pairs where scope matters (own / team / fund / all).
const (
	PermMeRead          = "me:read"
	PermMeUpdate        = "me:update"
	PermTeamsRead       = "teams:read"
	PermReferenceRead   = "reference:read"
	PermUsersManage     = "users:manage"
	PermAuditRead       = "audit:read"
	PermClientsReadOwn  = "clients:read_own"
	PermClientsWriteOwn = "clients:write_own"
	PermClientsReadTeam = "clients:read_team"
	PermClientsWriteTm  = "clients:write_team"
	PermClientsAssign   = "clients:assign"
	PermClientsMerge    = "clients:merge"
	// Subject rights: export everything held about a client, erase it,
	// put or lift a legal hold. Coordinators of the client's team only.
	PermClientsExport   = "clients:export"
	PermClientsErase    = "clients:erase"
	PermAuditReadTeam   = "audit:read_team"
	PermProvidersRead   = "providers:read"
	PermProvidersManage = "providers:manage_team"
	PermIntakeTriage    = "intake:triage"
	PermReportsReadOwn  = "reports:read_own"
	PermReportsReadTeam = "reports:read_team"
	PermReportsReadFund = "reports:read_fund"
	PermReportsReadAll  = "reports:read_all"
	PermReportsExport   = "reports:export"
	PermTeamsConfigure  = "teams:configure"
	// Group sessions are team work without personal data: read and write
	// go by team, for CHWs and coordinators alike; managers see them only
	// as report aggregates.
	PermGroupsReadTeam  = "groups:read_team"
	PermGroupsWriteTeam = "groups:write_team"
	// PermResearchExtract releases the pseudonymised, k-anonymous research
	// extract. Least privilege: only the programme manager (reports over
	// the whole programme), not a fund's manager nor the admin.
	PermResearchExtract = "research:extract"
	// Break-the-glass: open one client outside one's scope for a while,
	// with a reason, and find its id by an exact lookup.
	PermClientsEmergency = "clients:emergency_access"
	// The register of who may see what (Belgian law of 30 July 2018).
	PermAccessRegisterRead = "access_register:read"
	// PermTargetsManage reads and sets monthly targets: programme defaults
	// (admin), team targets and CHW overrides (coordinator).
	PermTargetsManage = "targets:manage"
)

// RoleProgrammeManager is the casbin role of a manager who may read the
// whole programme's reports (users.all_reports); it inherits manager.
const RoleProgrammeManager = "manager_all"

var common = []string{PermMeRead, PermMeUpdate, PermTeamsRead, PermReferenceRead}

// Policy is the role → permission table. Least privilege: a permission not
// listed here is denied.
var Policy = map[string][]string{
	"chw": append(slices.Clone(common),
		PermClientsReadOwn, PermClientsWriteOwn, PermProvidersRead, PermReportsReadOwn,
		PermGroupsReadTeam, PermGroupsWriteTeam, PermClientsEmergency),
	"coordinator": append(slices.Clone(common),
		PermClientsReadOwn, PermClientsWriteOwn, PermClientsReadTeam, PermClientsWriteTm, PermClientsAssign, PermClientsMerge,
		PermClientsExport, PermClientsErase,
		PermAuditReadTeam, PermProvidersRead, PermProvidersManage, PermIntakeTriage,
		PermReportsReadOwn, PermReportsReadTeam, PermReportsExport, PermTeamsConfigure,
		PermGroupsReadTeam, PermGroupsWriteTeam, PermClientsEmergency, PermTargetsManage),
	"manager": append(slices.Clone(common),
		PermReportsReadFund, PermReportsExport),
	RoleProgrammeManager: {PermReportsReadAll, PermResearchExtract},
	"admin": append(slices.Clone(common),
		PermUsersManage, PermAuditRead, PermTeamsConfigure, PermAccessRegisterRead, PermTargetsManage),
	// The data protection officer reads the audit log and keeps the access
	// register, nothing of client records and no account.
	"dpo": append(slices.Clone(common), PermAuditRead, PermAccessRegisterRead),
}

// Global roles act programme-wide, not inside a team domain.
var globalRoles = []string{"manager", "admin", "dpo"}

const modelText = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && r.obj == p.obj && r.act == p.act
`

// Authorizer answers role questions with casbin (RBAC with domains: the
// domain is a team id; "*" in a policy means any team).
type Authorizer struct {
	e *casbin.SyncedEnforcer
	// decided remembers the enforcer's answers: the policy is in code and
	// never changes while the process runs, so an answer stays true (the
	// enforcer's expression evaluation was 6% of a caseload list's CPU).
	mu      sync.RWMutex
	decided map[decision]bool
}

type decision struct{ sub, dom, obj, act string }

// maxDecisions bounds the remembered answers (roles × teams × permissions
// is far below it); past it the enforcer answers each time.
const maxDecisions = 1 << 16

func (a *Authorizer) enforce(sub, dom, obj, act string) bool {
	k := decision{sub, dom, obj, act}
	a.mu.RLock()
	allowed, ok := a.decided[k]
	a.mu.RUnlock()
	if ok {
		return allowed
	}
	allowed, err := a.e.Enforce(sub, dom, obj, act)
	if err != nil {
		return false
	}
	a.mu.Lock()
	if a.decided == nil {
		a.decided = map[decision]bool{}
	}
	if len(a.decided) < maxDecisions {
		a.decided[k] = allowed
	}
	a.mu.Unlock()
	return allowed
}

// NewAuthorizer builds the enforcer from the in-code Policy. The policy lives
// in code, reviewed with it, rather than in a table an attacker could edit.
func NewAuthorizer() (*Authorizer, error) {
	m, err := casbinmodel.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("casbin model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("casbin enforcer: %w", err)
	}
	e.AddNamedDomainMatchingFunc("g", "keyMatch", util.KeyMatch)
	roles := make([]string, 0, len(Policy))
	for r := range Policy {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	for _, role := range roles {
		for _, perm := range Policy[role] {
			obj, act, ok := strings.Cut(perm, ":")
			if !ok {
				return nil, fmt.Errorf("permission %q is not object:action", perm)
			}
			if _, err := e.AddPolicy(role, "*", obj, act); err != nil {
				return nil, err
			}
		}
	}
	if _, err := e.AddGroupingPolicy(RoleProgrammeManager, "manager", "*"); err != nil {
		return nil, err
	}
	return &Authorizer{e: e}, nil
}

// Subject is the casbin subject of a caller.
func Subject(role string, allReports bool) string {
	if role == "manager" && allReports {
		return RoleProgrammeManager
	}
	return role
}

// Can reports whether a caller with role may perform perm in team (a team id,
// or "" when the action is not tied to one team). Team roles (chw,
// coordinator) act only inside their own teams.
func (a *Authorizer) Can(role string, allReports bool, teamIDs []string, team, perm string) bool {
	obj, act, ok := strings.Cut(perm, ":")
	if !ok {
		return false
	}
	dom := "*"
	if team != "" {
		if !slices.Contains(globalRoles, role) && !slices.Contains(teamIDs, team) {
			return false
		}
		dom = team
	}
	return a.enforce(Subject(role, allReports), dom, obj, act)
}

// Permissions lists what a caller may do, for /me and the SPA's navigation.
func (a *Authorizer) Permissions(role string, allReports bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, perms := range Policy {
		for _, p := range perms {
			if seen[p] {
				continue
			}
			obj, act, _ := strings.Cut(p, ":")
			if a.enforce(Subject(role, allReports), "*", obj, act) {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}
