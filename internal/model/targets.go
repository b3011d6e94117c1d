package model

import "time"

// Target scopes: a programme default (set by an admin), a team's target and
// a CHW's own override (set by the team's coordinator).
const (
	TargetProgramme = "programme"
	TargetTeam      = "team"
	TargetCHW       = "chw"
)

// TargetScopes lists the scope kinds.
var TargetScopes = []string{TargetProgramme, TargetTeam, TargetCHW}

// Target is one declared monthly goal of an indicator. It applies from
// Month (YYYY-MM, Europe/Brussels) until a later row of the same scope and
// indicator; rows are never rewritten. Goal nil clears the scope's goal
// from Month on (the next scope up applies).
type Target struct {
	ID        string `gorm:"primaryKey"`
	ScopeKind string
	TeamID    *string
	UserID    *string
	Indicator string
	Month     string
	Goal      *int
	SetBy     string
	SetAt     time.Time
}
