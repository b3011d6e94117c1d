package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id cost parameters.
type PasswordParams struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLen     uint32
	KeyLen      uint32
}

// DefaultPasswordParams is OWASP's minimum recommendation for argon2id
// (19 MiB, 2 passes, 1 lane).
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// Errors of the password hasher.
var (
	ErrBusy            = errors.New("auth: password hashing capacity exhausted")
	ErrPasswordTooLong = errors.New("auth: password too long")
	ErrMalformedHash   = errors.New("auth: malformed password hash")
)

// MaxPasswordBytes bounds the work an attacker can ask for.
const MaxPasswordBytes = 1024

// Hasher hashes and verifies passwords with argon2id. Each hash holds
// Memory KiB, so a semaphore bounds how many run at once: a burst of
// sign-ins waits (up to QueueWait) instead of exhausting memory.
type Hasher struct {
	params    PasswordParams
	slots     chan struct{}
	QueueWait time.Duration
	dummyOnce sync.Once
	dummy     string
}

// NewHasher builds a hasher; maxConcurrent <= 0 means one per CPU.
func NewHasher(p PasswordParams, maxConcurrent int) *Hasher {
	if maxConcurrent <= 0 {
		maxConcurrent = runtime.NumCPU()
	}
	return &Hasher{params: p, slots: make(chan struct{}, maxConcurrent), QueueWait: 5 * time.Second}
}

func (h *Hasher) acquire(ctx context.Context) error {
	t := time.NewTimer(h.QueueWait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return ErrBusy
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns a PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	return encode(p, salt, argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)), nil
}

// Verify checks password against an encoded hash; needsRehash is true when
// the hash was made with other parameters than the hasher's.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	if len(password) > MaxPasswordBytes {
		return false, false, nil
	}
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	needsRehash = p.Memory != h.params.Memory || p.Iterations != h.params.Iterations ||
		p.Parallelism != h.params.Parallelism || uint32(len(key)) != h.params.KeyLen
	return ok, needsRehash, nil
}

// DummyVerify costs as much as a real verification; it is run for unknown
// accounts so response time does not tell which e-mail addresses exist.
func (h *Hasher) DummyVerify(ctx context.Context, password string) {
	_, _, _ = h.Verify(ctx, password, h.dummyHash())
}

// dummyHash is made on first use, not at start, so start-up stays fast.
func (h *Hasher) dummyHash() string {
	h.dummyOnce.Do(func() {
		salt := make([]byte, h.params.SaltLen)
		_, _ = rand.Read(salt)
		p := h.params
		h.dummy = encode(p, salt, argon2.IDKey([]byte("dummy"), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen))
	})
	return h.dummy
}

func encode(p PasswordParams, salt, key []byte) string {
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		b.EncodeToString(salt), b.EncodeToString(key))
}

func decode(s string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism); err != nil {
		return p, nil, nil, ErrMalformedHash
	}
	// Bounds keep a corrupted or hostile stored hash from costing the server
	// gigabytes or minutes.
	if p.Memory < 8 || p.Memory > 1<<21 || p.Iterations < 1 || p.Iterations > 20 || p.Parallelism < 1 {
		return p, nil, nil, ErrMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, ErrMalformedHash
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrMalformedHash
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
