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
	// The outbox of a notice that is also e-mailed (none for the others).
	MailStatus   string // none unless the notice is e-mailed too
	MailAttempts int
	MailNextAt   *time.Time
	// DedupeKey makes a notice made by a rule once (a monthly summary).
	DedupeKey *string
}

// SecondFactor is an account's TOTP: Secret sealed (auth.SecondFactor),
// Pending a secret waiting for its first code, LastStep the step of the last
// code accepted.
type SecondFactor struct {
	UserID    string `gorm:"primaryKey"`
	Secret    string
	Pending   string
	EnabledAt *time.Time
	LastStep  int64
	UpdatedAt time.Time
}

// RecoveryCode is one single-use recovery code, as a hash.
type RecoveryCode struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	CodeHash  string
	CreatedAt time.Time
	UsedAt    *time.Time
}
