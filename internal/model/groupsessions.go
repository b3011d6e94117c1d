package model

import "time"

// Group session vocabularies. Topics and languages are fixed code lists
// (the SPA labels them) so that reports can count them.
var (
	GroupPlaceKinds = []string{"partner", "neighbourhood"}
	GroupStatuses   = []string{"planned", "held", "cancelled"}
	GroupAgeBands   = []string{"0-17", "18-29", "30-49", "50-64", "65+"}
	GroupTopics     = []string{"health_insurance", "gp_gmd", "dental_care", "mental_health", "medication",
		"child_family", "vaccination", "healthy_living", "care_costs", "digital_health", "patient_rights", "other"}
	// GroupLanguages are ISO 639 codes of the languages a session is held in.
	GroupLanguages = []string{"nl", "fr", "de", "en", "ar", "tr", "ro", "bg", "pl", "es", "pt", "it", "ru", "uk",
		"so", "ti", "ps", "fa", "ku", "ber", "am", "sq", "sr", "zh", "other"}
)

// GroupSession is one group activity of a team. FundID is the creator's
// fund when it was recorded.
type GroupSession struct {
	ID                  string `gorm:"primaryKey"`
	TeamID              string
	StartsAt            time.Time
	DurationMinutes     int
	PlaceKind           string
	NeighbourhoodID     *string
	Location            string
	PartnerOrganisation string
	Title               string
	Missions            string // JSON array of chw_missions codes
	Topics              string // JSON array of GroupTopics
	Languages           string // JSON array of GroupLanguages
	Interpreter         bool
	Participants        int
	ParticipantsByAge   *string // JSON object band -> count, or NULL
	Status              string
	Note                string
	CreatedBy           string
	FundID              *string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// GroupSessionFacilitator is a CHW who led a session, with the team and
// fund they worked for when it was recorded.
type GroupSessionFacilitator struct {
	SessionID string `gorm:"primaryKey"`
	CHWID     string `gorm:"primaryKey;column:chw_id"`
	TeamID    string
	FundID    *string
	CreatedAt time.Time
}

// IdempotencyKey is the stored outcome of a write sent with an
// Idempotency-Key header, per caller ("user:<id>", or "anon:<ip>" on public
// writes). It is committed in the same transaction as the write itself, so
// State is "done" whenever another request can see it.
type IdempotencyKey struct {
	Caller      string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	RequestHash string
	State       string
	Status      int
	ContentType string
	Body        string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}
