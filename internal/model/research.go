package model

import "time"

// ResearchExtract is the metadata of one research extract. The rows and
// the pseudonymisation key are never stored; KeyFingerprint is the hex
// SHA-256 of the key.
type ResearchExtract struct {
	ID             string `gorm:"primaryKey"`
	RequestedBy    string
	RequestedAt    time.Time
	KeyFingerprint string
	Eligible       int
	Rows           int
	Generalised    int
	Suppressed     int
	Params         string // JSON object: k, quasi-identifiers, version
}
