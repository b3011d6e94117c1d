package store

import "slices"

// Scope is who is asking: every scoped query filters rows by it.
type Scope struct {
	UserID     string
	Role       string
	TeamIDs    []string
	FundID     string
	AllReports bool
	IntakeDuty bool // sees the programme intake: contact requests no team covers
	// EmergencyClientIDs are clients outside the usual scope that the caller
	// opened with a live break-the-glass grant (loaded per request, so an
	// expired grant stops counting at once).
	EmergencyClientIDs []string
}

// InTeam reports whether the caller belongs to team id.
func (s Scope) InTeam(id string) bool { return slices.Contains(s.TeamIDs, id) }
