package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token errors. Every failure wraps ErrInvalidToken.
var (
	ErrInvalidToken = errors.New("auth: invalid token")
	ErrTokenExpired = fmt.Errorf("%w: expired", ErrInvalidToken)
)

// AccessClaims are what an access token asserts.
type AccessClaims struct {
	UserID    string
	Role      string
	SessionID string
	ID        string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

type accessJWT struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
	SID  string `json:"sid"`
	Typ  string `json:"typ"`
}

// TokenIssuer signs and verifies short-lived HS256 access tokens.
type TokenIssuer struct {
	secret   []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser
}

// NewTokenIssuer needs a secret of at least 32 bytes.
func NewTokenIssuer(secret []byte, issuer, audience string, ttl time.Duration, now func() time.Time) (*TokenIssuer, error) {
	if len(secret) < 32 {
		return nil, errors.New("auth: JWT secret must be at least 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	t := &TokenIssuer{secret: secret, issuer: issuer, audience: audience, ttl: ttl, now: now}
	// The algorithm is pinned: alg=none, RS/ES and every other header value
	// are refused before the signature is even looked at.
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(30*time.Second),
		jwt.WithTimeFunc(func() time.Time { return t.now() }),
	)
	return t, nil
}

// TTL is the lifetime of an access token.
func (t *TokenIssuer) TTL() time.Duration { return t.ttl }

// Issue signs an access token for a user's session.
func (t *TokenIssuer) Issue(userID, role, sessionID string) (string, time.Time, error) {
	now := t.now().UTC()
	exp := now.Add(t.ttl)
	claims := accessJWT{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   userID,
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.Must(uuid.NewV7()).String(),
		},
		Role: role, SID: sessionID, Typ: "access",
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	return s, exp, err
}

// Verify checks signature, algorithm, issuer, audience, expiry and type.
func (t *TokenIssuer) Verify(token string) (*AccessClaims, error) {
	var c accessJWT
	_, err := t.parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil })
	if err != nil {
		if errors.Is(err, jwt.ErrTokenExpired) {
			return nil, ErrTokenExpired
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	if c.Typ != "access" || c.Subject == "" || c.SID == "" {
		return nil, fmt.Errorf("%w: not an access token", ErrInvalidToken)
	}
	out := &AccessClaims{UserID: c.Subject, Role: c.Role, SessionID: c.SID, ID: c.ID}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.Time
	}
	if c.ExpiresAt != nil {
		out.ExpiresAt = c.ExpiresAt.Time
	}
	return out, nil
}
