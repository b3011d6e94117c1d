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
