// Package model holds the GORM structs that mirror the tables created by
// migrations/. They are storage shapes only: handlers never serialise them.
package model

import "time"

// Roles.
const (
	RoleCHW         = "chw"
	RoleCoordinator = "coordinator"
	RoleManager     = "manager"
	RoleAdmin       = "admin"
)

// Roles lists every role.
var Roles = []string{RoleCHW, RoleCoordinator, RoleManager, RoleAdmin}

// Languages lists the interface and message languages.
var Languages = []string{"nl", "fr", "de", "en"}

type Fund struct {
	ID        string `gorm:"primaryKey"`
	Code      string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type Region struct {
	ID        string `gorm:"primaryKey"`
	Code      string
	NameNL    string `gorm:"column:name_nl"`
	NameFR    string `gorm:"column:name_fr"`
	NameDE    string `gorm:"column:name_de"`
	NameEN    string `gorm:"column:name_en"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

type Team struct {
	ID        string `gorm:"primaryKey"`
	Slug      string
	Name      string
	RegionID  string
	Outreach  *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type Municipality struct {
	ID        string `gorm:"primaryKey"`
	TeamID    string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type Neighbourhood struct {
	ID             string `gorm:"primaryKey"`
	MunicipalityID string
	Name           string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

type TaxonomyTerm struct {
	ID        string `gorm:"primaryKey"`
	Kind      string
	Code      string
	LabelNL   string `gorm:"column:label_nl"`
	LabelFR   string `gorm:"column:label_fr"`
	LabelDE   string `gorm:"column:label_de"`
	LabelEN   string `gorm:"column:label_en"`
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

type User struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	FundID       *string
	Language     string
	AllReports   bool
	PasswordHash string
	DisabledAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

type TeamMembership struct {
	UserID    string `gorm:"primaryKey"`
	TeamID    string `gorm:"primaryKey"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

type RefreshToken struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	FamilyID  string
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

type AuditEvent struct {
	ID        string `gorm:"primaryKey"`
	ActorID   *string
	ActorRole string
	Action    string
	Entity    string
	EntityID  string
	ClientID  *string
	RequestID string
	IP        string `gorm:"column:ip"`
	Detail    string
	CreatedAt time.Time
}
