package auth

import (
	"slices"
	"strings"
	"testing"
)

func TestAuthorizer(t *testing.T) {
	a, err := NewAuthorizer()
	if err != nil {
		t.Fatal(err)
	}
	gent, liege := "team-gent", "team-liege"
	cases := []struct {
		role       string
		allReports bool
		teams      []string
		team, perm string
		want       bool
	}{
		{"chw", false, []string{gent}, "", PermClientsReadOwn, true},
		{"chw", false, []string{gent}, gent, PermClientsReadOwn, true},
		{"chw", false, []string{gent}, liege, PermClientsReadOwn, false}, // other team's domain
		{"chw", false, []string{gent}, gent, PermClientsReadTeam, false},
		{"chw", false, []string{gent}, "", PermUsersManage, false},
		{"coordinator", false, []string{gent}, gent, PermClientsAssign, true},
		{"coordinator", false, []string{gent}, liege, PermClientsAssign, false},
		{"coordinator", false, []string{gent, liege}, liege, PermClientsReadTeam, true},
		{"manager", false, nil, "", PermReportsReadFund, true},
		{"manager", false, nil, "", PermReportsReadAll, false},
		{"manager", true, nil, "", PermReportsReadAll, true},
		{"manager", true, nil, "", PermReportsReadFund, true}, // inherits manager
		{"manager", true, nil, "", PermClientsReadTeam, false},
		{"admin", false, nil, "", PermUsersManage, true},
		{"admin", false, nil, "", PermClientsReadOwn, false}, // no client records by default
		{"admin", false, nil, gent, PermClientsReadTeam, false},
		{"admin", false, nil, "", PermAuditRead, true},
		{"dpo", false, nil, "", PermAuditRead, true},
		{"dpo", false, nil, "", PermClientsReadOwn, false}, // the data protection officer reads no record
		{"dpo", false, nil, gent, PermAuditReadTeam, false},
		{"dpo", false, nil, "", PermUsersManage, false},
		{"dpo", false, nil, "", PermReportsReadAll, false},
		{"coordinator", false, []string{gent}, "", PermAuditRead, false},
		{"chw", true, []string{gent}, "", PermReportsReadAll, false}, // all_reports only lifts managers
		{"chw", false, []string{gent}, gent, PermGroupsWriteTeam, true},
		{"chw", false, []string{gent}, liege, PermGroupsReadTeam, false},
		{"coordinator", false, []string{liege}, liege, PermGroupsWriteTeam, true},
		{"manager", true, nil, "", PermGroupsReadTeam, false}, // aggregates only, in reports
		{"admin", false, nil, "", PermGroupsReadTeam, false},
		{"manager", true, nil, "", PermResearchExtract, true},   // the programme manager only
		{"manager", false, nil, "", PermResearchExtract, false}, // not a fund's manager
		{"admin", false, nil, "", PermResearchExtract, false},
		{"coordinator", false, []string{gent}, "", PermResearchExtract, false},
		{"nobody", false, nil, "", PermMeRead, false},
		{"chw", false, nil, "", "not-a-permission", false},
	}
	for _, c := range cases {
		if got := a.Can(c.role, c.allReports, c.teams, c.team, c.perm); got != c.want {
			t.Errorf("Can(%s, all=%v, %v, %q, %s) = %v, want %v", c.role, c.allReports, c.teams, c.team, c.perm, got, c.want)
		}
	}
	perms := a.Permissions("manager", true)
	if !slices.Contains(perms, PermReportsReadAll) || !slices.Contains(perms, PermReportsReadFund) || slices.Contains(perms, PermUsersManage) {
		t.Fatalf("programme manager permissions: %v", perms)
	}
}

// The remembered answers are the enforcer's: every role × all_reports ×
// permission × domain answers the same on the first call (the enforcer),
// the second (memory) and from the enforcer asked directly.
func TestRememberedDecisionsAreTheEnforcers(t *testing.T) {
	a, err := NewAuthorizer()
	if err != nil {
		t.Fatal(err)
	}
	perms := map[string]bool{"not:a-permission": true}
	roles := []string{"nobody"}
	for role, ps := range Policy {
		roles = append(roles, role)
		for _, p := range ps {
			perms[p] = true
		}
	}
	allowed := 0
	for _, role := range roles {
		for _, all := range []bool{false, true} {
			for perm := range perms {
				for _, team := range []string{"", "team-gent"} {
					first := a.Can(role, all, []string{"team-gent"}, team, perm)
					second := a.Can(role, all, []string{"team-gent"}, team, perm)
					dom := "*"
					if team != "" {
						dom = team
					}
					obj, act, _ := strings.Cut(perm, ":")
					direct, err := a.e.Enforce(Subject(role, all), dom, obj, act)
					if err != nil {
						t.Fatal(err)
					}
					if first != second || first != direct {
						t.Errorf("Can(%s, %v, %q, %s): %v then %v, enforcer %v", role, all, team, perm, first, second, direct)
					}
					if first {
						allowed++
					}
				}
			}
		}
	}
	if allowed == 0 || len(a.decided) == 0 {
		t.Fatalf("nothing allowed (%d) or nothing remembered (%d)", allowed, len(a.decided))
	}
}
