package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
	"github.com/brug-chw/brug/internal/textpolicy"
)

// Session is what a successful login or refresh hands out.
type Session struct {
	AccessToken  string
	ExpiresIn    time.Duration
	RefreshToken string
	RefreshUntil time.Time
	User         store.UserWithTeams
	// DeviceToken, after a password sign-in, vouches for this browser at
	// its next sign-ins (the device cookie; see auth.DeviceSigner).
	DeviceToken string
	// Challenge, when set, means the password was right but a second
	// factor is still due: there is no session yet, only the challenge.
	Challenge *Challenge
}

var errBadCredentials = apperr.New(apperr.KindUnauthorized, "E-mail address or password is wrong.")

// Login checks a password and opens a session. Unknown e-mail, wrong
// password and disabled account all get the same answer, after the same
// amount of hashing work, so the answer reveals nothing about accounts.
func (s *Service) Login(ctx context.Context, email, password, deviceToken string) (Session, error) {
	ip := MetaFrom(ctx).IP
	// A browser that got in before is throttled on its own bucket, so
	// guesses from unknown devices never lock its owner out.
	device, known := "", false
	if s.Devices != nil && deviceToken != "" {
		device, known = s.Devices.Verify(deviceToken, email)
	}
	allow, failure, success := s.Limiter.Allow, s.Limiter.Failure, s.Limiter.Success
	if known {
		allow = func(ip, a string) (bool, time.Duration) { return s.Limiter.AllowDevice(ip, a, device) }
		failure = func(ip, a string) { s.Limiter.FailureDevice(ip, a, device) }
		success = func(ip, a string) { s.Limiter.SuccessDevice(ip, a, device) }
	}
	if ok, wait := allow(ip, email); !ok {
		return Session{}, &apperr.Error{Kind: apperr.KindRateLimited, Detail: "Too many sign-in attempts. Try again later.", RetryAfter: wait}
	}
	// Over every replica on PostgreSQL as well.
	if err := s.sharedLoginCheck(ctx, ip, email, device); err != nil {
		failure(ip, email) // end this process's reservation; the attempt was not made
		return Session{}, err
	}
	wrong := func() {
		failure(ip, email)
		s.sharedLoginFailure(ctx, email, device)
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		if err := s.Hasher.DummyVerify(ctx, password); err != nil {
			return Session{}, busyOr(err)
		}
		wrong()
		s.audit(ctx, nil, "auth.login_failed", "user", "", "")
		return Session{}, errBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	var (
		ok, rehash bool
	)
	if u.PasswordHash == "" {
		// An account still waiting for its invitation has no password yet;
		// answer as slowly as a wrong one.
		err = s.Hasher.DummyVerify(ctx, password)
	} else {
		ok, rehash, err = s.Hasher.Verify(ctx, password, u.PasswordHash)
	}
	if err != nil {
		if errors.Is(err, auth.ErrBusy) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Session{}, busyOr(err)
		}
		// A malformed stored hash must not be an open door: treat as wrong.
		s.Log.Error("password hash unreadable", "user_id", u.ID, "err", err)
		ok = false
	}
	if !ok || u.DisabledAt != nil {
		wrong()
		s.audit(ctx, principalOf(u), "auth.login_failed", "user", u.ID, "")
		return Session{}, errBadCredentials
	}
	success(ip, email)
	if rehash {
		if h, err := s.Hasher.Hash(ctx, password); err == nil {
			_, _ = s.Store.UpdateUser(ctx, u.ID, store.UserChanges{PasswordHash: &h})
		}
	}
	ch, err := s.secondFactorStep(ctx, u)
	if err != nil {
		return Session{}, err
	}
	if ch != nil {
		return Session{Challenge: ch}, nil
	}
	return s.completeSignIn(ctx, u, "none")
}

func (s *Service) openSession(ctx context.Context, u store.UserWithTeams, family string) (Session, error) {
	token, hash := auth.NewRefreshToken()
	until := s.Store.Now().Add(s.RefreshTTL)
	if err := s.Store.CreateRefreshToken(ctx, u.ID, family, hash, deviceName(MetaFrom(ctx).UserAgent), until); err != nil {
		return Session{}, err
	}
	return s.issue(u, family, token, until)
}

func (s *Service) issue(u store.UserWithTeams, family, refresh string, until time.Time) (Session, error) {
	access, exp, err := s.Tokens.Issue(u.ID, u.Role, family)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, ExpiresIn: time.Until(exp).Round(time.Second), RefreshToken: refresh, RefreshUntil: until, User: u}, nil
}

// busyOr answers 503 when password hashing is saturated, for known and
// unknown e-mail addresses alike.
func busyOr(err error) error {
	if errors.Is(err, auth.ErrBusy) {
		return &apperr.Error{Kind: apperr.KindUnavailable, Detail: "The server is busy. Try again in a moment.", RetryAfter: 2 * time.Second, Cause: err}
	}
	return err
}

var errSessionEnded = apperr.New(apperr.KindUnauthorized, "Your session has ended. Sign in again.")

// Refresh rotates a refresh token. A used token presented again revokes
// the family (see store.RotateRefreshToken).
func (s *Service) Refresh(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errSessionEnded
	}
	next, nextHash := auth.NewRefreshToken()
	until := s.Store.Now().Add(s.RefreshTTL)
	row, err := s.Store.RotateRefreshToken(ctx, auth.HashRefreshToken(token), nextHash, until)
	switch {
	case errors.Is(err, store.ErrTokenReused):
		s.audit(ctx, nil, "auth.refresh_reused", "session", "", "")
		return Session{}, errSessionEnded
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrTokenExpired):
		return Session{}, errSessionEnded
	case err != nil:
		return Session{}, err
	}
	u, err := s.Store.UserByID(ctx, row.UserID)
	if err != nil {
		return Session{}, storeErr(err)
	}
	if u.DisabledAt != nil {
		_ = s.Store.RevokeUserTokens(ctx, u.ID)
		return Session{}, errSessionEnded
	}
	return s.issue(u, row.FamilyID, next, until)
}

// Logout revokes the session the refresh token belongs to. Unknown tokens
// are ignored: logging out must always succeed from the client's view.
func (s *Service) Logout(ctx context.Context, refreshToken, sessionID string) error {
	family := sessionID
	if refreshToken != "" {
		if f, err := s.Store.FamilyOf(ctx, auth.HashRefreshToken(refreshToken)); err == nil {
			family = f
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	if family == "" {
		return nil
	}
	return s.Store.RevokeFamily(ctx, family)
}

// Authenticate turns an access token into a Principal. The caller's
// account, session, teams and grants are read in one statement, or taken
// from the AuthCache, which every change to them invalidates before it is
// answered: a disabled account, a changed role or an ended session is
// refused at once, also with tokens issued before.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	claims, err := s.Tokens.Verify(token)
	if err != nil {
		detail := "The access token is invalid."
		if errors.Is(err, auth.ErrTokenExpired) {
			detail = "The access token has expired."
		}
		return nil, apperr.Wrap(apperr.KindUnauthorized, detail, err)
	}
	st, err := s.authState(ctx, claims.UserID, claims.SessionID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.New(apperr.KindUnauthorized, "The access token is invalid.")
	}
	if err != nil {
		return nil, err
	}
	if st.Disabled {
		return nil, apperr.New(apperr.KindUnauthorized, "This account is disabled.")
	}
	if st.Role != claims.Role || !st.SessionLive {
		return nil, errSessionEnded
	}
	sc := store.Scope{
		UserID:     st.UserID,
		Role:       st.Role,
		TeamIDs:    slices.Clone(st.TeamIDs),
		FundID:     st.FundID,
		AllReports: st.AllReports,
		IntakeDuty: st.IntakeDuty,
	}
	// Only the roles that work with client records can hold a grant.
	if st.Role == model.RoleCHW || st.Role == model.RoleCoordinator {
		sc.EmergencyClientIDs = slices.Clone(st.EmergencyClientIDs)
	}
	return &Principal{
		Scope:     sc,
		Email:     st.Email,
		Name:      st.Name,
		Language:  st.Language,
		SessionID: claims.SessionID,
	}, nil
}

// authState reads the caller from the cache, or from the database and
// keeps it when nothing changed meanwhile.
func (s *Service) authState(ctx context.Context, userID, sessionID string) (store.AuthState, error) {
	if st, ok := s.AuthCache.get(userID, sessionID); ok {
		return st, nil
	}
	gen, use := s.AuthCache.begin()
	st, err := s.Store.AuthState(ctx, userID, sessionID)
	if err == nil && use {
		s.AuthCache.put(gen, st)
	}
	return st, err
}

// deviceName keeps what a person needs to recognise a session: the
// User-Agent, as printable text of at most 200 characters.
func deviceName(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || !utf8.ValidRune(r) || textpolicy.Bidi(r) || textpolicy.Invisible(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(ua, ""))
	if r := []rune(ua); len(r) > 200 {
		ua = string(r[:200])
	}
	return strings.TrimSpace(ua)
}

// SessionView is one of the caller's sessions.
type SessionView struct {
	store.LiveSession
	Current bool
}

// Sessions lists the caller's live sessions (device, start, last use).
func (s *Service) Sessions(ctx context.Context, p *Principal) ([]SessionView, error) {
	rows, err := s.Store.LiveSessions(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]SessionView, len(rows))
	for i, r := range rows {
		out[i] = SessionView{LiveSession: r, Current: r.ID == p.SessionID}
	}
	return out, nil
}

// EndSession ends one of the caller's sessions at once: its refresh tokens
// are revoked, and its access tokens stop working with them. Another
// person's session, or an ended one, is 404.
func (s *Service) EndSession(ctx context.Context, p *Principal, id string) error {
	if err := s.Store.EndUserSession(ctx, p.UserID, id); err != nil {
		return storeErr(err)
	}
	s.audit(ctx, p, "session.end", "session", id, "")
	return nil
}
