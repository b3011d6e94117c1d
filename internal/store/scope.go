package store

import "slices"

// Scope is who is asking: every scoped query filters rows by it.
type Scope struct {
	UserID     string
	Role       string
	TeamIDs    []string
	FundID     string
	AllReports bool
}

// InTeam reports whether the caller belongs to team id.
func (s Scope) InTeam(id string) bool { return slices.Contains(s.TeamIDs, id) }
