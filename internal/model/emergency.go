package model

import "time"

// EmergencyAccess is a break-the-glass grant: one user may act for one
// client outside their scope until ExpiresAt, for the reason given.
type EmergencyAccess struct {
	ID         string `gorm:"primaryKey"`
	ClientID   string
	UserID     string
	Reason     string
	GrantedAt  time.Time
	ExpiresAt  time.Time
	ReviewedAt *time.Time
	ReviewedBy *string
}

// TableName is the migration's (singular) name.
func (EmergencyAccess) TableName() string { return "emergency_access" }

// UserInvitation is a single-use link with which a person sets the
// password of their account (a first invitation or a reset).
type UserInvitation struct {
	ID           string `gorm:"primaryKey"`
	UserID       string
	TokenHash    string
	ExpiresAt    time.Time
	UsedAt       *time.Time
	RevokedAt    *time.Time
	CreatedBy    *string
	CreatedAt    time.Time
	MailStatus   string
	MailLanguage string
	MailAttempts int
	MailNextAt   *time.Time
}

// StaffNotice tells a staff member something that concerns no client.
type StaffNotice struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	Kind      string
	Params    string // JSON object, rendered in the reader's language
	CreatedAt time.Time
	ReadAt    *time.Time
}
