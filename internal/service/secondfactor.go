package service

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// A second factor (TOTP with recovery codes, auth.SecondFactor). When the
// password is right and the account has one, or must set one up (its role is
// in SecondFactorRoles), the sign-in answers a challenge instead of a
// session; the session comes with the code. The challenge is signed and
// lives auth.ChallengeTTL; codes are limited per account like passwords.

// Challenge is what a right password gets when a code is still due.
type Challenge struct {
	Token     string
	Purpose   string // auth.ChallengeVerify or auth.ChallengeEnrol
	ExpiresIn time.Duration
}

// SecondFactorRequired reports whether the role must use a second factor.
func (s *Service) SecondFactorRequired(role string) bool { return s.SecondFactorRoles[role] }

var (
	errChallengeEnded = apperr.New(apperr.KindUnauthorized, "The sign-in took too long or is not valid any more. Sign in again.")
	errCodeWrong      = apperr.Validation("code", "second_factor_code", "The code is wrong or has already been used.")
	errNoSecondFactor = apperr.New(apperr.KindConflict, "No second factor is set up for this account.")
)

// secondFactorStep decides what follows a right password: a session (nil
// challenge) or a challenge.
func (s *Service) secondFactorStep(ctx context.Context, u store.UserWithTeams) (*Challenge, error) {
	if s.SecondFactor == nil {
		return nil, nil
	}
	f, err := s.Store.SecondFactorOf(ctx, u.ID)
	switch {
	case err == nil && f.EnabledAt != nil:
		return s.challenge(u.ID, auth.ChallengeVerify), nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return nil, err
	case s.SecondFactorRequired(u.Role):
		return s.challenge(u.ID, auth.ChallengeEnrol), nil
	}
	return nil, nil
}

func (s *Service) challenge(userID, purpose string) *Challenge {
	return &Challenge{Token: s.SecondFactor.IssueChallenge(userID, purpose), Purpose: purpose, ExpiresIn: auth.ChallengeTTL}
}

// challengeUser opens a challenge and loads its account, refusing a
// disabled one.
func (s *Service) challengeUser(ctx context.Context, token, purpose string) (store.UserWithTeams, error) {
	if s.SecondFactor == nil {
		return store.UserWithTeams{}, errChallengeEnded
	}
	id, ok := s.SecondFactor.VerifyChallenge(token, purpose)
	if !ok {
		return store.UserWithTeams{}, errChallengeEnded
	}
	u, err := s.Store.UserByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return store.UserWithTeams{}, errChallengeEnded
	}
	return u, err
}

// withCodeLimit runs check under the account's code throttle, counted like
// passwords (per account and address, and over every replica): six digits
// must not be guessable by trying. A wrong code (a validation error) counts
// as a failure, a right one ends the streak; other errors count as neither.
func (s *Service) withCodeLimit(ctx context.Context, userID string, check func() error) error {
	ip, key := MetaFrom(ctx).IP, "second-factor:"+userID
	if ok, wait := s.Limiter.Allow(ip, key); !ok {
		return &apperr.Error{Kind: apperr.KindRateLimited, Detail: "Too many codes tried. Try again later.", RetryAfter: wait}
	}
	if err := s.sharedLoginCheck(ctx, ip, key, ""); err != nil {
		s.Limiter.Failure(ip, key)
		return err
	}
	err := check()
	switch {
	case err == nil:
		s.Limiter.Success(ip, key)
	case apperr.IsKind(err, apperr.KindValidation):
		s.Limiter.Failure(ip, key)
		s.sharedLoginFailure(ctx, key, "")
	}
	return err
}

// VerifySecondFactor completes a sign-in with a code from the app or a
// recovery code, and opens the session.
func (s *Service) VerifySecondFactor(ctx context.Context, token, code string) (Session, error) {
	u, err := s.challengeUser(ctx, token, auth.ChallengeVerify)
	if err != nil {
		return Session{}, err
	}
	var method string
	err = s.withCodeLimit(ctx, u.ID, func() (err error) {
		method, err = s.checkSecondFactor(ctx, u.ID, code)
		return err
	})
	if apperr.IsKind(err, apperr.KindValidation) {
		s.audit(ctx, principalOf(u), "auth.second_factor_failed", "user", u.ID, "")
	}
	if err != nil {
		return Session{}, err
	}
	return s.completeSignIn(ctx, u, method)
}

// checkSecondFactor spends a TOTP code or a recovery code of the user and
// tells which it was.
func (s *Service) checkSecondFactor(ctx context.Context, userID, code string) (string, error) {
	switch {
	case auth.IsTOTPCode(code):
		f, err := s.Store.SecondFactorOf(ctx, userID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && f.EnabledAt == nil) {
			return "", errNoSecondFactor
		}
		if err != nil {
			return "", err
		}
		secret, err := s.SecondFactor.Open(userID, f.Secret)
		if err != nil {
			return "", err
		}
		step, ok := s.SecondFactor.CheckCode(secret, code, f.LastStep)
		if !ok {
			return "", errCodeWrong
		}
		if err := s.Store.UseTOTPStep(ctx, userID, step); errors.Is(err, store.ErrConflict) {
			return "", errCodeWrong // the same code twice, also at once
		} else if err != nil {
			return "", err
		}
		return "totp", nil
	case auth.IsRecoveryCode(code):
		err := s.Store.UseRecoveryCode(ctx, userID, auth.HashRecoveryCode(code))
		if errors.Is(err, store.ErrNotFound) {
			return "", errCodeWrong
		}
		if err != nil {
			return "", err
		}
		return "recovery_code", nil
	}
	return "", apperr.Validation("code", "second_factor_format", "Type the six digits from the app, or a recovery code (ten letters and digits).")
}

// principalOf is a user as the actor of an audit event outside a signed-in
// request (a sign-in, an invitation used).
func principalOf(u store.UserWithTeams) *Principal {
	return &Principal{Scope: store.Scope{UserID: u.ID, Role: u.Role}}
}

// completeSignIn opens the session after every factor, audited with how
// the person got in.
func (s *Service) completeSignIn(ctx context.Context, u store.UserWithTeams, method string) (Session, error) {
	sess, err := s.openSession(ctx, u, store.NewID())
	if err != nil {
		return Session{}, err
	}
	detail := ""
	if method != "none" {
		b, _ := json.Marshal(map[string]string{"second_factor": method})
		detail = string(b)
	}
	s.audit(ctx, principalOf(u), "auth.login", "user", u.ID, detail)
	if s.Devices != nil {
		sess.DeviceToken = s.Devices.Issue(u.Email)
	}
	return sess, nil
}

// EnrolmentView is a new secret to scan or type.
type EnrolmentView struct {
	Secret string
	URI    string
	QRPNG  []byte
}

// StartEnrolment makes a new secret for a signed-in person; it replaces the
// one in use only when its first code is confirmed.
func (s *Service) StartEnrolment(ctx context.Context, p *Principal) (EnrolmentView, error) {
	return s.startEnrolment(ctx, p.UserID, p.Email)
}

// StartEnrolmentWithChallenge does the same during a sign-in that must set
// up a second factor before it can go on.
func (s *Service) StartEnrolmentWithChallenge(ctx context.Context, token string) (EnrolmentView, error) {
	u, err := s.challengeUser(ctx, token, auth.ChallengeEnrol)
	if err != nil {
		return EnrolmentView{}, err
	}
	return s.startEnrolment(ctx, u.ID, u.Email)
}

func (s *Service) startEnrolment(ctx context.Context, userID, email string) (EnrolmentView, error) {
	if s.SecondFactor == nil {
		return EnrolmentView{}, errNoSecondFactor
	}
	e, err := s.SecondFactor.NewEnrolment(userID, email)
	if err != nil {
		return EnrolmentView{}, err
	}
	if err := s.Store.SetPendingSecondFactor(ctx, userID, e.Sealed); err != nil {
		return EnrolmentView{}, err
	}
	return EnrolmentView{Secret: e.Secret, URI: e.URI, QRPNG: e.QRPNG}, nil
}

// ConfirmEnrolment turns the pending secret on with its first code and
// returns the recovery codes, shown this once.
func (s *Service) ConfirmEnrolment(ctx context.Context, p *Principal, code string) ([]string, error) {
	return s.confirmEnrolment(ctx, p, code)
}

// ConfirmEnrolmentWithChallenge turns the second factor on during a sign-in
// and opens the session.
func (s *Service) ConfirmEnrolmentWithChallenge(ctx context.Context, token, code string) (Session, []string, error) {
	u, err := s.challengeUser(ctx, token, auth.ChallengeEnrol)
	if err != nil {
		return Session{}, nil, err
	}
	codes, err := s.confirmEnrolment(ctx, principalOf(u), code)
	if err != nil {
		return Session{}, nil, err
	}
	sess, err := s.completeSignIn(ctx, u, "totp")
	return sess, codes, err
}

func (s *Service) confirmEnrolment(ctx context.Context, p *Principal, code string) ([]string, error) {
	if !auth.IsTOTPCode(code) {
		return nil, apperr.Validation("code", "second_factor_format", "Type the six digits the app shows.")
	}
	var (
		pending string
		step    int64
	)
	err := s.withCodeLimit(ctx, p.UserID, func() error {
		f, err := s.Store.SecondFactorOf(ctx, p.UserID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && f.Pending == "") {
			return apperr.New(apperr.KindConflict, "Start the set-up again: no new secret is waiting for its first code.")
		}
		if err != nil {
			return err
		}
		secret, err := s.SecondFactor.Open(p.UserID, f.Pending)
		if err != nil {
			return err
		}
		var ok bool
		if step, ok = s.SecondFactor.CheckCode(secret, code, 0); !ok {
			return errCodeWrong
		}
		pending = f.Pending
		return nil
	})
	if err != nil {
		return nil, err
	}
	codes, hashes := auth.NewRecoveryCodes()
	if err := s.Store.EnableSecondFactor(ctx, p.UserID, pending, step, hashes); errors.Is(err, store.ErrConflict) {
		return nil, apperr.New(apperr.KindConflict, "The set-up was started again elsewhere. Use the newest QR code.")
	} else if err != nil {
		return nil, err
	}
	s.audit(ctx, p, "auth.second_factor_enabled", "user", p.UserID, "")
	return codes, nil
}

// SecondFactorStatus is what a person sees of their second factor.
type SecondFactorStatus struct {
	Enabled       bool
	EnabledAt     *time.Time
	Required      bool
	RecoveryCodes int
}

// MySecondFactor returns the caller's second factor status.
func (s *Service) MySecondFactor(ctx context.Context, p *Principal) (SecondFactorStatus, error) {
	st := SecondFactorStatus{Required: s.SecondFactorRequired(p.Role)}
	f, err := s.Store.SecondFactorOf(ctx, p.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Enabled, st.EnabledAt = f.EnabledAt != nil, f.EnabledAt
	if st.Enabled {
		st.RecoveryCodes, err = s.Store.RecoveryCodesLeft(ctx, p.UserID)
	}
	return st, err
}

// NewRecoveryCodes replaces the caller's recovery codes, after a current
// code from the app: someone at an unlocked screen cannot take them.
func (s *Service) NewRecoveryCodes(ctx context.Context, p *Principal, code string) ([]string, error) {
	if !auth.IsTOTPCode(code) {
		return nil, apperr.Validation("code", "second_factor_format", "Type the six digits the app shows.")
	}
	if err := s.withCodeLimit(ctx, p.UserID, func() error {
		_, err := s.checkSecondFactor(ctx, p.UserID, code)
		return err
	}); err != nil {
		return nil, err
	}
	codes, hashes := auth.NewRecoveryCodes()
	if err := s.Store.ReplaceRecoveryCodes(ctx, p.UserID, hashes); err != nil {
		return nil, err
	}
	s.audit(ctx, p, "auth.recovery_codes_replaced", "user", p.UserID, "")
	return codes, nil
}

// NoticeSecondFactorReset is the kind of the notice a person gets when an
// admin reset their second factor.
const NoticeSecondFactorReset = "second_factor_reset"

// ResetSecondFactor removes a person's second factor after a lost phone
// (admin): their sessions end, the next sign-in sets up a new one, and they
// are told in the app and by e-mail, so a reset they did not ask for is
// noticed.
func (s *Service) ResetSecondFactor(ctx context.Context, p *Principal, userID string) error {
	u, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return storeErr(err)
	}
	params, _ := json.Marshal(map[string]string{"by": p.Name, "at": s.Store.Now().UTC().Format(time.RFC3339)})
	notice := model.StaffNotice{UserID: u.ID, Kind: NoticeSecondFactorReset, Params: string(params), CreatedAt: s.Store.Now(), MailStatus: "queued"}
	if err := s.Store.ResetSecondFactor(ctx, u.ID, notice); errors.Is(err, store.ErrNotFound) {
		return apperr.New(apperr.KindConflict, "This account has no second factor to reset.")
	} else if err != nil {
		return err
	}
	s.audit(ctx, p, "user.second_factor_reset", "user", u.ID, "")
	return nil
}
