package auth

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
)

// Token errors. Every failure wraps ErrInvalidToken, so callers that only
// need "refuse" test one error; ErrTokenExpired lets them say why.
var (
	ErrInvalidToken = errors.New("auth: invalid token")
	ErrTokenExpired = fmt.Errorf("%w: expired", ErrInvalidToken)
)

const (
	tokenTypeAccess = "access"
	// jwtLeeway absorbs clock skew between the servers that issue and check.
	jwtLeeway = 30 * time.Second
	// maxTokenLen stops a huge header value from being base64- and
	// JSON-decoded at all; our tokens are a few hundred bytes.
	maxTokenLen = 4096
	// minSecretLen is HS256's output size; a shorter key weakens the MAC.
	minSecretLen = 32
)

// AccessClaims are what an access token asserts.
type AccessClaims struct {
	UserID    string
	Role      string
	SessionID string // refresh-token family, so ending a session ends its access
	IssuedAt  time.Time
	ExpiresAt time.Time
	ID        string // jti
}

// accessJWT is the parsed form. Its audience is ClaimStrings, which accepts
// both the single string we write and an array, as RFC 7519 allows.
type accessJWT struct {
	jwt.RegisteredClaims
	Role string `json:"role"`
	SID  string `json:"sid"`
	Typ  string `json:"typ"`
}

// TokenIssuer signs and verifies short-lived HS256 access tokens. It is safe
// for concurrent use.
type TokenIssuer struct {
	secret   []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser
	verified verifiedTokens
}

// verifiedTokens remembers the tokens that passed Verify (keyed by the
// whole token, so only the same bytes hit), with the times their validity
// hangs on: a hit skips the HMAC, the base64 and the JSON (the caseload
// list spent 6% of its CPU verifying the same token again). It holds at
// most maxVerified tokens and starts afresh when full.
type verifiedTokens struct {
	m atomic.Pointer[sync.Map]
	n atomic.Int64
}

const maxVerified = 8192

type verifiedToken struct {
	claims AccessClaims
	nbf    time.Time // not before (iat and nbf, the later)
}

func (v *verifiedTokens) get(token string, now time.Time) (*AccessClaims, bool) {
	m := v.m.Load()
	if m == nil {
		return nil, false
	}
	e, ok := m.Load(token)
	if !ok {
		return nil, false
	}
	vt := e.(*verifiedToken)
	// The parser's own bounds: valid from nbf - leeway until exp + leeway.
	if now.Before(vt.nbf.Add(-jwtLeeway)) || !now.Before(vt.claims.ExpiresAt.Add(jwtLeeway)) {
		return nil, false
	}
	c := vt.claims
	return &c, true
}

func (v *verifiedTokens) put(token string, c *AccessClaims, nbf time.Time) {
	m := v.m.Load()
	if m == nil || v.n.Load() >= maxVerified {
		m = &sync.Map{}
		v.m.Store(m)
		v.n.Store(0)
	}
	if _, loaded := m.LoadOrStore(token, &verifiedToken{claims: *c, nbf: nbf}); !loaded {
		v.n.Add(1)
	}
}

// NewTokenIssuer needs a secret of at least 32 bytes, a non-empty issuer
// and audience (jwt switches a check off when its expected value is empty)
// and a positive ttl. now may be nil for the wall clock.
func NewTokenIssuer(secret []byte, issuer, audience string, ttl time.Duration, now func() time.Time) (*TokenIssuer, error) {
	switch {
	case len(secret) < minSecretLen:
		return nil, fmt.Errorf("auth: JWT secret must be at least %d bytes", minSecretLen)
	case issuer == "" || audience == "":
		return nil, errors.New("auth: JWT issuer and audience must be set")
	case ttl <= 0:
		return nil, errors.New("auth: access token lifetime must be positive")
	}
	if now == nil {
		now = time.Now
	}
	t := &TokenIssuer{
		secret:   append([]byte(nil), secret...), // the caller may reuse or wipe its slice
		issuer:   issuer,
		audience: audience,
		ttl:      ttl,
		now:      now,
	}
	t.parser = jwt.NewParser(
		// Pinning the algorithm refuses alg=none, RS/ES (whose public key an
		// attacker would have us take for our HMAC secret) and other HMAC
		// sizes before any key is used.
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(jwtLeeway),
		jwt.WithTimeFunc(now),
		// Strict base64 refuses spare trailing bits, so one token has one
		// spelling and a flipped last character cannot still verify.
		jwt.WithStrictDecoding(),
	)
	return t, nil
}

// TTL is the lifetime of an access token.
func (t *TokenIssuer) TTL() time.Duration { return t.ttl }

// Issue signs an access token for a user's session. expiresAt is the exp
// claim exactly, so a client told when the token expires is told the truth.
func (t *TokenIssuer) Issue(userID, role, sessionID string) (token string, expiresAt time.Time, err error) {
	if userID == "" || sessionID == "" {
		return "", time.Time{}, errors.New("auth: access token needs a user and a session")
	}
	// NumericDate has whole seconds; truncating first keeps the returned
	// expiry equal to the one in the token.
	now := t.now().UTC().Truncate(time.Second)
	exp := now.Add(t.ttl)
	jti, err := uuid.NewV7()
	if err != nil {
		return "", time.Time{}, err
	}
	// MapClaims rather than RegisteredClaims: jwt's ClaimStrings writes a
	// single audience as an array by default, and "aud" is one string here.
	claims := jwt.MapClaims{
		"iss":  t.issuer,
		"aud":  t.audience,
		"sub":  userID,
		"exp":  exp.Unix(),
		"iat":  now.Unix(),
		"nbf":  now.Unix(),
		"jti":  jti.String(),
		"role": role,
		"sid":  sessionID,
		"typ":  tokenTypeAccess,
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", time.Time{}, err
	}
	return token, exp, nil
}

// Verify checks algorithm, signature, issuer, audience, expiry, not-before,
// issued-at and token type, and that the token names a user and a session.
// Every error wraps ErrInvalidToken; a token whose only fault is its age
// gives ErrTokenExpired.
func (t *TokenIssuer) Verify(token string) (*AccessClaims, error) {
	if token == "" || len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: empty or oversized", ErrInvalidToken)
	}
	now := t.now()
	if c, ok := t.verified.get(token, now); ok {
		return c, nil
	}
	var c accessJWT
	_, err := t.parser.ParseWithClaims(token, &c, func(tok *jwt.Token) (any, error) {
		// WithValidMethods already refused other algorithms; this keeps the
		// secret from ever reaching a non-HMAC method should that option be
		// lost in a refactor.
		if tok.Method != jwt.SigningMethodHS256 {
			return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
		}
		return t.secret, nil
	})
	expired := err != nil && errors.Is(err, jwt.ErrTokenExpired) && onlyExpired(err)
	if err != nil && !expired {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	switch {
	case c.Typ != tokenTypeAccess:
		return nil, fmt.Errorf("%w: token type %q is not %q", ErrInvalidToken, c.Typ, tokenTypeAccess)
	case strings.TrimSpace(c.Subject) == "":
		return nil, fmt.Errorf("%w: no subject", ErrInvalidToken)
	case c.SID == "":
		return nil, fmt.Errorf("%w: no session", ErrInvalidToken)
	case expired:
		// jwt checks the signature before the claims, so "expired" is only
		// ever said of a well-formed token we issued.
		return nil, ErrTokenExpired
	}
	out := &AccessClaims{UserID: c.Subject, Role: c.Role, SessionID: c.SID, ID: c.ID}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.Time
	}
	out.ExpiresAt = c.ExpiresAt.Time // present: the parser requires it
	nbf := out.IssuedAt
	if c.NotBefore != nil && c.NotBefore.After(nbf) {
		nbf = c.NotBefore.Time
	}
	t.verified.put(token, out, nbf)
	return out, nil
}

// onlyExpired reports whether age is the token's only fault: one that is
// also for another issuer or audience is plainly invalid, and telling the
// client "expired" would send it to refresh against the wrong service.
func onlyExpired(err error) bool {
	for _, other := range []error{
		jwt.ErrTokenInvalidIssuer, jwt.ErrTokenInvalidAudience, jwt.ErrTokenNotValidYet,
		jwt.ErrTokenUsedBeforeIssued, jwt.ErrTokenRequiredClaimMissing, jwt.ErrTokenInvalidSubject,
		jwt.ErrTokenSignatureInvalid, jwt.ErrTokenMalformed, jwt.ErrTokenUnverifiable,
	} {
		if errors.Is(err, other) {
			return false
		}
	}
	return true
}
