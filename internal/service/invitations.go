package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/brug-chw/brug/internal/apperr"
	"github.com/brug-chw/brug/internal/auth"
	"github.com/brug-chw/brug/internal/model"
	"github.com/brug-chw/brug/internal/store"
)

// Admins never set a password: a new account gets an invitation link, and
// an admin can send a reset link; either works once, for 72 hours, and goes
// out through the worker's outbox in the user's language. Only the first
// admin is made with a password, by a CLI operator (brug user create).

// InvitationTTL is how long an invitation or reset link works.
const InvitationTTL = 72 * time.Hour

// InvitationToken derives a link's token from its id, so the worker can
// e-mail the same link later while only its hash is stored.
func InvitationToken(secret []byte, id string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("invitation:" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:24])
}

// issueInvitation queues a new link for u, revoking earlier ones.
func (s *Service) issueInvitation(ctx context.Context, p *Principal, u model.User) (model.UserInvitation, error) {
	now := s.Store.Now()
	inv := model.UserInvitation{ID: store.NewID(), UserID: u.ID, ExpiresAt: now.Add(InvitationTTL), CreatedAt: now,
		MailStatus: "queued", MailLanguage: u.Language}
	if p != nil && p.UserID != "" {
		by := p.UserID
		inv.CreatedBy = &by
	}
	inv.TokenHash = auth.HashRefreshToken(InvitationToken(s.contactSecret(), inv.ID))
	if err := s.Store.CreateInvitation(ctx, &inv); err != nil {
		return inv, err
	}
	return inv, nil
}

// SendInvitation sends a new single-use link to set the password (admin);
// the earlier links stop working. The current password stays valid until
// the link is used.
func (s *Service) SendInvitation(ctx context.Context, p *Principal, userID string) (model.UserInvitation, error) {
	u, err := s.Store.UserByID(ctx, userID)
	if err != nil {
		return model.UserInvitation{}, storeErr(err)
	}
	if u.DisabledAt != nil {
		return model.UserInvitation{}, apperr.New(apperr.KindConflict, "This account is disabled; enable it before sending a link.")
	}
	inv, err := s.issueInvitation(ctx, p, u.User)
	if err != nil {
		return inv, err
	}
	s.audit(ctx, p, "user.invitation", "user", u.ID, "expires_at="+inv.ExpiresAt.Format(time.RFC3339))
	return inv, nil
}

var errLinkGone = apperr.New(apperr.KindGone, "This link was used already, replaced by a newer one, or has expired. Ask your administrator for a new one.")

// AcceptInvitation sets the password of the link's account, once. An
// unknown token is 404; a used, replaced or expired one 410.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) error {
	inv, err := s.Store.InvitationByTokenHash(ctx, auth.HashRefreshToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return apperr.NotFound()
	}
	if err != nil {
		return err
	}
	if inv.UsedAt != nil || inv.RevokedAt != nil || !s.Store.Now().Before(inv.ExpiresAt) {
		return errLinkGone
	}
	u, err := s.Store.UserByID(ctx, inv.UserID)
	if err != nil {
		return storeErr(err)
	}
	if u.DisabledAt != nil {
		return errLinkGone
	}

	var f apperr.Fields
	if checkPassword(password, &f, u.Email, u.Name); f.Err() != nil {
		return f.Err()
	}
	hash, err := s.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.Store.UseInvitation(ctx, inv.ID, u.ID, hash, s.Store.Now()); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return errLinkGone
		}
		return err
	}
	s.audit(ctx, principalOf(u), "user.password_set", "user", u.ID, "invitation="+inv.ID)
	return nil
}

// Notice kinds.
const NoticeClientAccessGranted = "client_access_granted"

// recordClientAccess is called after an account was created or changed:
// when it can now read client records in teams where it could not before,
// the event is audited prominently (user.client_access_granted) and those
// teams' coordinators are told, naming the account.
func (s *Service) recordClientAccess(ctx context.Context, p *Principal, before *store.UserWithTeams, after store.UserWithTeams) {
	if after.DisabledAt != nil || !ReadsClientRecords(after.Role) {
		return
	}
	var had []string
	if before != nil && before.DisabledAt == nil && ReadsClientRecords(before.Role) {
		had = before.TeamIDs
	}
	var teamIDs []string
	for _, id := range after.TeamIDs {
		if !slices.Contains(had, id) {
			teamIDs = append(teamIDs, id)
		}
	}
	if before != nil && before.DisabledAt == nil && before.Role == model.RoleCHW && after.Role == model.RoleCoordinator {
		// chw -> coordinator in the same team widens access from a caseload
		// to the whole team.
		teamIDs = after.TeamIDs
	}
	if len(teamIDs) == 0 {
		return
	}
	teams, err := s.Store.TeamsByID(ctx, teamIDs)
	if err != nil {
		s.Log.Error("client access notice: teams", "err", err)
		return
	}
	var names []string
	for _, t := range teams {
		names = append(names, t.Name)
	}
	self := p != nil && p.UserID == after.ID
	detail, _ := json.Marshal(map[string]any{
		"account": after.Email,
		"name":    after.Name,
		"role":    after.Role,
		"teams":   names,
		"self":    self,
	})
	s.audit(ctx, p, "user.client_access_granted", "user", after.ID, string(detail))

	var notices []model.StaffNotice
	now := s.Store.Now()
	for _, t := range teams {
		coords, err := s.Store.ListUsers(ctx, store.Scope{}, store.UserFilter{Role: model.RoleCoordinator, TeamID: t.ID, Limit: 100})
		if err != nil {
			s.Log.Error("client access notice: coordinators", "err", err)
			return
		}
		for _, c := range coords.Items {
			if c.ID == after.ID {
				continue
			}
			notices = append(notices, model.StaffNotice{UserID: c.ID, Kind: NoticeClientAccessGranted, CreatedAt: now,
				Params: TaskParams(map[string]string{"name": after.Name, "email": after.Email, "role": after.Role, "team": t.Name})})
		}
	}
	if err := s.Store.CreateNotices(ctx, notices); err != nil {
		s.Log.Error("client access notice", "err", err)
	}
}

// Notices lists the caller's unread notices.
func (s *Service) Notices(ctx context.Context, p *Principal) ([]model.StaffNotice, error) {
	return s.Store.UnreadNotices(ctx, p.UserID)
}

// ReadNotice marks one of the caller's notices read.
func (s *Service) ReadNotice(ctx context.Context, p *Principal, id string) error {
	return storeErr(s.Store.MarkNoticeRead(ctx, p.UserID, id))
}
