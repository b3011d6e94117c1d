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
	// RoleDPO is the data protection officer: reads the audit log, never a
	// client record.
	RoleDPO = "dpo"
)

// Roles lists every role.
var Roles = []string{RoleCHW, RoleCoordinator, RoleManager, RoleAdmin, RoleDPO}

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
	ID              string `gorm:"primaryKey"`
	Slug            string
	Name            string
	RegionID        string
	Outreach        *string
	ReminderOffsets string // JSON array of Go durations
	CreatedAt       time.Time
	UpdatedAt       time.Time
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
	IntakeDuty   bool // a coordinator who triages the programme intake (requests no team covers)
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
	UserAgent string
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
	// The event's place in its stream's hash chain (migration 00014);
	// events from before it have stream "" and no seq.
	Stream   string
	Seq      *int64
	PrevHash string
	Hash     string
}

// AuditHead is the last position and hash of one audit stream.
type AuditHead struct {
	Stream     string `gorm:"primaryKey"`
	Seq        int64
	Hash       string
	AnchoredAt *time.Time
}

// Client statuses, sources, consent purposes, visit modes, barrier statuses.
var (
	ClientStatuses  = []string{"active", "paused", "closed"}
	ClientSources   = []string{"outreach", "intake_form", "partner", "group_session"}
	ConsentPurposes = []string{"care_coordination", "sms_reminders", "email_reminders", "provider_sharing", "research"}
	VisitModes      = []string{"home", "street", "office", "phone", "partner"}
	BarrierStatuses = []string{"open", "addressed", "resolved", "signalled"}
)

type Client struct {
	ID              string `gorm:"primaryKey"`
	TeamID          string
	NeighbourhoodID *string
	AssignedCHWID   *string `gorm:"column:assigned_chw_id"`
	GivenName       string
	FamilyName      string
	Pseudonym       string
	SearchText      string
	BirthYear       *int
	Phone           *string
	Email           *string
	Language        string
	SpokenLanguages string // JSON array
	CareRights      string // JSON array of taxonomy codes
	Source          string
	Status          string
	CloseReason     string
	LastActivityAt  time.Time
	CreatedBy       string
	// OriginTeamID and OriginFundID: where the client was taken on, and
	// the fund of who took them on, for "new clients" figures.
	OriginTeamID *string
	OriginFundID *string
	// MergedIntoID makes the row a tombstone: the client was merged into
	// that record, which old links and ids resolve to.
	MergedIntoID *string
	MergedAt     *time.Time
	// ErasedAt marks a record whose personal data was erased (on request
	// or by the retention rule); ErasureReference and ErasureReason say why.
	ErasedAt         *time.Time
	ErasedBy         *string
	ErasureReference string
	ErasureReason    string
	// LegalHoldAt set: neither a coordinator nor the retention rule may
	// erase the record.
	LegalHoldAt     *time.Time
	LegalHoldBy     *string
	LegalHoldReason string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// Version is raised by every update (a trigger); see If-Match.
	Version int `gorm:"default:1"`
}

// ClientMerge is one merge of two client records, kept so it can be undone.
type ClientMerge struct {
	ID             string `gorm:"primaryKey"`
	SurvivorID     string
	MergedID       string
	MergedBy       string
	Moved          string // JSON: table -> ids of the rows that moved, and earlier values
	SurvivorBefore string // JSON: the survivor's fields the merge overwrote
	Taken          string // JSON array of fields taken from the merged record
	UndoneAt       *time.Time
	UndoneBy       *string
	CreatedAt      time.Time
}

type ClientAssignment struct {
	ID         string `gorm:"primaryKey"`
	ClientID   string
	CHWID      *string `gorm:"column:chw_id"`
	AssignedBy string
	StartedAt  time.Time
	EndedAt    *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

type Consent struct {
	ID          string `gorm:"primaryKey"`
	ClientID    string
	Purpose     string
	GivenAt     time.Time
	GivenBy     string
	TextVersion string // the privacy text's version when given on the contact form
	WithdrawnAt *time.Time
	WithdrawnBy *string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type Visit struct {
	ID              string `gorm:"primaryKey"`
	ClientID        string
	CHWID           string `gorm:"column:chw_id"`
	VisitedAt       time.Time
	Mode            string
	DurationMinutes int
	Missions        string // JSON array
	Topics          string // JSON array
	// TeamID and FundID are the team and fund the work was done for on
	// that day, written with the row (see migration 00006).
	TeamID    *string
	FundID    *string
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

type Barrier struct {
	ID          string `gorm:"primaryKey"`
	ClientID    string
	VisitID     *string
	Category    string
	Detail      string
	Status      string
	DetectedAt  time.Time
	AddressedAt *time.Time
	ResolvedAt  *time.Time
	SignalledAt *time.Time
	// TeamID and FundID are the team and fund the work was done for on
	// that day, written with the row (see migration 00006).
	TeamID    *string
	FundID    *string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is raised by every update (a trigger); see If-Match.
	Version int `gorm:"default:1"`
}

// SetStatus moves a barrier to status and stamps when it happened.
func (b *Barrier) SetStatus(status string, at time.Time) {
	b.Status = status
	switch status {
	case "addressed":
		b.AddressedAt = &at
	case "resolved":
		b.ResolvedAt = &at
	case "signalled":
		b.SignalledAt = &at
	}
}

type ClientEvent struct {
	ID        string `gorm:"primaryKey"`
	ClientID  string
	ActorID   *string
	Kind      string
	Detail    string // JSON object
	TeamID    *string
	FundID    *string
	CreatedAt time.Time
}

// Referral, appointment and task vocabularies.
var (
	ReferralUrgencies   = []string{"routine", "soon", "urgent"}
	ReferralOutcomes    = []string{"seen", "treatment_started", "no_show", "other"}
	AppointmentStatuses = []string{"planned", "attended", "missed", "cancelled", "rescheduled"}
)

type Provider struct {
	ID                string `gorm:"primaryKey"`
	TeamID            string
	Name              string
	Type              string
	Address           string
	Municipality      string
	Phone             *string
	Email             *string
	Website           string
	Languages         string // JSON array
	SearchText        string
	AcceptsNew        bool
	ThirdPartyPayment bool
	Conventioned      bool
	Notes             string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

type Referral struct {
	ID            string `gorm:"primaryKey"`
	ClientID      string
	ProviderID    *string
	ProviderType  string
	Reason        string
	Urgency       string
	BarrierIDs    string // JSON array
	Note          string
	Status        string
	Outcome       string
	DeclineReason string
	// TeamID and FundID are the team and fund the work was done for on
	// that day, written with the row (see migration 00006).
	TeamID      *string
	FundID      *string
	CreatedBy   string
	LastEventAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Version is raised by every update (a trigger); see If-Match.
	Version int `gorm:"default:1"`
}

type ReferralEvent struct {
	ID         string `gorm:"primaryKey"`
	ReferralID string
	ActorID    *string
	ActorLabel string
	FromStatus string
	ToStatus   string
	Note       string
	CreatedAt  time.Time
}

type ReferralLink struct {
	ID         string `gorm:"primaryKey"`
	ReferralID string
	TokenHash  string
	CreatedBy  string
	ExpiresAt  time.Time
	UsedAt     *time.Time
	UsedAction string
	// RevokedAt ends a link before its expiry: RevokedReason is "replaced"
	// (a newer link) or the status the referral moved to.
	RevokedAt     *time.Time
	RevokedReason string
	MailStatus    string // none | queued | sending | sent | failed | cancelled
	MailLanguage  string
	MailAttempts  int
	MailNextAt    *time.Time
	CreatedAt     time.Time
}

type Appointment struct {
	ID              string `gorm:"primaryKey"`
	ClientID        string
	ProviderID      *string
	ReferralID      *string
	StartsAt        time.Time
	DurationMinutes int
	Location        string
	AccompaniedBy   *string
	Status          string
	Note            string
	// TeamID and FundID are the team and fund the work was done for on
	// that day, written with the row (see migration 00006).
	TeamID    *string
	FundID    *string
	Reply     string // "", confirmed, reschedule_requested
	ReplyAt   *time.Time
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is raised by every update (a trigger); see If-Match.
	Version int `gorm:"default:1"`
}

type Reminder struct {
	ID             string `gorm:"primaryKey"`
	AppointmentID  string
	ClientID       string
	Kind           string
	Channel        string
	Language       string
	ScheduledAt    time.Time
	DueAt          time.Time
	Status         string
	Attempts       int
	NextAttemptAt  *time.Time
	LeaseUntil     *time.Time
	LastError      string
	Destination    string // masked: +32 4•• •• •1 23
	DedupeKey      string
	ReplyTokenHash *string
	SentAt         *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

type Task struct {
	ID string `gorm:"primaryKey"`
	// ClientID is empty for an alert about a CHW, which names no client:
	// such a task belongs to its team (TeamID) and its coordinators.
	ClientID   string `gorm:"default:null"`
	AssigneeID *string
	Kind       string
	DueOn      string // YYYY-MM-DD in Europe/Brussels
	DoneAt     *time.Time
	Note       string
	Params     string // JSON object: what a rule's note says, rendered in the reader's language
	DedupeKey  *string
	CreatedBy  *string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Version is raised by every update (a trigger); see If-Match.
	Version int `gorm:"default:1"`
	// TeamID and AlertKey are set on a coordinator's alert task: the team
	// whose coordinators see it and the condition it stands for.
	TeamID   *string
	AlertKey *string
}

// TeamAlertSettings are a team's alert thresholds; a team without a row
// has the defaults.
type TeamAlertSettings struct {
	TeamID       string `gorm:"primaryKey"`
	NoVisitDays  int
	OverdueTasks int
	UpdatedBy    string
	UpdatedAt    time.Time
}

type CalendarToken struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	TokenHash string
	RevokedAt *time.Time
	CreatedAt time.Time
}

// Contact request kinds, statuses and close reasons.
var (
	ContactKinds        = []string{"want_chw", "collaboration", "question"}
	ContactCloseReasons = []string{"answered", "no_response", "out_of_area", "not_eligible", "duplicate", "spam", "other"}
)

// ContactRequest is a request sent through the public contact form.
type ContactRequest struct {
	ID                string `gorm:"primaryKey"`
	Kind              string
	Status            string // new, converted, partnered, closed, withdrawn
	Name              string
	Organisation      string
	Phone             *string
	Email             *string
	AreaText          string
	MunicipalityID    *string
	NeighbourhoodID   *string
	TeamID            *string
	Language          string
	Message           string
	ConsentVersion    string
	ConsentLanguage   string
	ConsentAt         time.Time
	WithdrawTokenHash string
	WithdrawnAt       *time.Time
	CloseReason       string
	CloseNote         string
	HandledBy         *string
	HandledAt         *time.Time
	ClientID          *string
	ProviderID        *string
	PurgedAt          *time.Time
	MailStatus        string
	MailAttempts      int
	MailNextAt        *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ContactErasure is the update that empties a contact request's
// personal data.
func ContactErasure() map[string]any {
	return map[string]any{"name": "", "organisation": "", "phone": nil, "email": nil, "area_text": "", "message": "", "close_note": ""}
}

// TableName names the table of TeamAlertSettings.
func (TeamAlertSettings) TableName() string { return "team_alert_settings" }
