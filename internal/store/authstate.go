package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// AuthState is everything a signed-in request needs to know about its
// caller, read in one statement: the user, whether the session is live,
// the teams and the live emergency grants.
type AuthState struct {
	UserID     string
	Email      string
	Name       string
	Role       string
	FundID     string
	Language   string
	AllReports bool
	IntakeDuty bool
	Disabled   bool
	// SessionLive: the session (refresh-token family) belongs to the user
	// and still has a token that is neither revoked nor expired.
	SessionID   string
	SessionLive bool
	// SessionUntil is when its last token expires (zero when not live).
	SessionUntil time.Time
	TeamIDs      []string
	// EmergencyClientIDs are the clients of live grants, which end at
	// EmergencyUntil at the earliest (zero when there are none).
	EmergencyClientIDs []string
	EmergencyUntil     time.Time
}

type authStateRow struct {
	ID           string
	Email        string
	Name         string
	Role         string
	FundID       sql.NullString
	Language     string
	AllReports   bool
	IntakeDuty   bool
	Disabled     bool
	SessionUntil sql.NullString
	TeamIDs      sql.NullString
	GrantIDs     sql.NullString
	GrantUntil   sql.NullString
}

// AuthState reads the caller of an access token in one statement;
// ErrNotFound when the user does not exist.
func (s *Store) AuthState(ctx context.Context, userID, sessionID string) (AuthState, error) {
	now := s.Now()
	agg, text := "group_concat(%s, ',')", "%s"
	if s.isPG() {
		agg, text = "string_agg(%s, ',')", "%s::text"
	}
	// Times come back as text: SQLite keeps no type for an expression.
	q := `SELECT u.id, u.email, u.name, u.role, ` + fmt.Sprintf(text, "u.fund_id") + ` AS fund_id, u.language,
		u.all_reports, u.intake_duty, u.disabled_at IS NOT NULL AS disabled,
		(SELECT ` + fmt.Sprintf(text, "max(t.expires_at)") + ` FROM refresh_tokens t
			WHERE t.family_id = ? AND t.user_id = u.id AND t.revoked_at IS NULL AND t.expires_at > ?) AS session_until,
		(SELECT ` + fmt.Sprintf(agg, fmt.Sprintf(text, "m.team_id")) + ` FROM team_memberships m WHERE m.user_id = u.id) AS team_ids,
		(SELECT ` + fmt.Sprintf(agg, fmt.Sprintf(text, "e.client_id")) + ` FROM emergency_access e
			WHERE e.user_id = u.id AND e.expires_at > ?) AS grant_ids,
		(SELECT ` + fmt.Sprintf(text, "min(e.expires_at)") + ` FROM emergency_access e
			WHERE e.user_id = u.id AND e.expires_at > ?) AS grant_until
		FROM users u WHERE u.id = ?`
	var rows []authStateRow
	if err := s.q(ctx).Raw(q, sessionID, now, now, now, userID).Scan(&rows).Error; err != nil {
		return AuthState{}, mapErr(err, "auth state")
	}
	if len(rows) == 0 {
		return AuthState{}, fmt.Errorf("auth state: %w", ErrNotFound)
	}
	r := rows[0]
	st := AuthState{
		UserID:     r.ID,
		SessionID:  sessionID,
		Email:      r.Email,
		Name:       r.Name,
		Role:       r.Role,
		FundID:     r.FundID.String,
		Language:   r.Language,
		AllReports: r.AllReports,
		IntakeDuty: r.IntakeDuty,
		Disabled:   r.Disabled,
		TeamIDs:    splitIDs(r.TeamIDs),
	}
	if r.SessionUntil.Valid {
		t, err := parseDBTime(r.SessionUntil.String)
		if err != nil {
			return AuthState{}, fmt.Errorf("auth state: session expiry: %w", err)
		}
		st.SessionLive, st.SessionUntil = true, t
	}
	if ids := splitIDs(r.GrantIDs); len(ids) > 0 {
		t, err := parseDBTime(r.GrantUntil.String)
		if err != nil {
			return AuthState{}, fmt.Errorf("auth state: grant expiry: %w", err)
		}
		st.EmergencyClientIDs, st.EmergencyUntil = ids, t
	}
	return st, nil
}

func splitIDs(v sql.NullString) []string {
	if !v.Valid || v.String == "" {
		return nil
	}
	ids := strings.Split(v.String, ",")
	slices.Sort(ids)
	return ids
}

// parseDBTime reads a timestamp as either engine writes it as text.
func parseDBTime(v string) (time.Time, error) {
	for _, layout := range []string{
		"2006-01-02 15:04:05.999999999-07:00",
		"2006-01-02 15:04:05.999999999-07",
		time.RFC3339Nano,
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999",
	} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", v)
}

// AuthChannel is the PostgreSQL channel on which a change to what
// AuthState reads is announced, in the changing transaction, so every
// replica drops what it cached (payload "u:<user id>" or "s:<session id>").
const AuthChannel = "brug_auth"

// AuthChange names what changed: a user (everything of theirs) or one
// session.
type AuthChange struct {
	UserID    string
	SessionID string
}

// Payload is the NOTIFY payload of the change.
func (c AuthChange) Payload() string {
	if c.UserID != "" {
		return "u:" + c.UserID
	}
	return "s:" + c.SessionID
}

// ParseAuthChange reads a NOTIFY payload; ok is false for anything else.
func ParseAuthChange(p string) (AuthChange, bool) {
	kind, id, found := strings.Cut(p, ":")
	switch {
	case !found || id == "":
		return AuthChange{}, false
	case kind == "u":
		return AuthChange{UserID: id}, true
	case kind == "s":
		return AuthChange{SessionID: id}, true
	}
	return AuthChange{}, false
}

// authHooks is shared by a store and its transactions: who hears of
// changes in this process.
type authHooks struct {
	fn atomic.Pointer[func(AuthChange)]
}

// OnAuthChange sets who hears, in this process and after the change is
// committed, of every change to what AuthState reads.
func (s *Store) OnAuthChange(fn func(AuthChange)) { s.hooks.fn.Store(&fn) }

func (s *Store) tellAuth(changes []AuthChange) {
	if fn := s.hooks.fn.Load(); fn != nil {
		for _, c := range changes {
			(*fn)(c)
		}
	}
}

// authPending collects a transaction's changes until it has committed.
type authPending struct {
	mu      sync.Mutex
	changes []AuthChange
}

func (p *authPending) add(c AuthChange) {
	p.mu.Lock()
	p.changes = append(p.changes, c)
	p.mu.Unlock()
}

func (p *authPending) take() []AuthChange {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.changes
	p.changes = nil
	return out
}

// authPendingKey holds the request transaction's pending changes.
type authPendingKey struct{}

// authChanged announces a change: on PostgreSQL with a NOTIFY in the
// writing transaction (delivered to every replica when it commits), and
// to this process once the transaction has ended. Call it only in a
// transaction (Tx), so the write and the notice commit together.
func (s *Store) authChanged(ctx context.Context, c AuthChange) error {
	if s.isPG() {
		if err := s.q(ctx).Exec("SELECT pg_notify(?, ?)", AuthChannel, c.Payload()).Error; err != nil {
			return mapErr(err, "notify auth change")
		}
	}
	p := s.pending
	if p == nil && !s.bound {
		p, _ = ctx.Value(authPendingKey{}).(*authPending)
	}
	if p != nil {
		p.add(c)
		return nil
	}
	s.tellAuth([]AuthChange{c})
	return nil
}
