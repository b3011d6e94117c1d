package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
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
	ErrBadParams       = errors.New("auth: unusable password parameters")
)

// MaxPasswordBytes bounds the work one request can ask of the hash (argon2
// reads the whole password) and the size of a request worth accepting.
const MaxPasswordBytes = 1024

// DefaultQueueWait is how long a hash waits for a free slot. Longer than a
// few hashes' worth, so ordinary bursts queue, but short enough that a flood
// is answered with "busy" before clients and proxies time out.
const DefaultQueueWait = 5 * time.Second

// Bounds on parameters, for our own and for parsed hashes: a corrupted or
// hostile stored hash must not cost the server gigabytes or minutes, and a
// hash this package writes must always be one it can read back.
const (
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 128
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxPasses    = 32
)

// Hasher hashes and verifies passwords with argon2id. It is safe for
// concurrent use. Each hash holds Memory KiB for its duration, so a
// semaphore bounds how many run at once: a burst of sign-ins queues (up to
// QueueWait) and then fails with ErrBusy instead of exhausting memory.
type Hasher struct {
	// QueueWait is how long Hash and Verify wait for a slot; <= 0 means
	// DefaultQueueWait. Set it before the hasher is shared.
	QueueWait time.Duration

	params PasswordParams
	slots  chan struct{}
}

// NewHasher builds a hasher; maxConcurrent <= 0 means one slot per CPU,
// since argon2 with one lane is CPU-bound and more would only queue in the
// scheduler while holding memory.
func NewHasher(p PasswordParams, maxConcurrent int) *Hasher {
	if maxConcurrent <= 0 {
		maxConcurrent = runtime.NumCPU()
	}
	return &Hasher{params: p, slots: make(chan struct{}, maxConcurrent), QueueWait: DefaultQueueWait}
}

func (h *Hasher) acquire(ctx context.Context) error {
	// A caller that has already given up must not take a slot, and a free
	// slot must not be lost to a short wait: check both before waiting, as
	// select picks at random among ready cases.
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	wait := h.QueueWait
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	t := time.NewTimer(wait)
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

// Hash returns a PHC-format argon2id hash of password:
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<key>, base64 without
// padding.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordBytes {
		return "", ErrPasswordTooLong
	}
	p := h.params
	if err := checkParams(p); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	return encodeHash(p, salt, key), nil
}

// Verify checks password against an encoded hash, with the parameters
// recorded in the hash. needsRehash is true when the password matched but
// the hash was made with other parameters than the hasher's, so the caller
// can upgrade it while it holds the plain password. A password longer than
// MaxPasswordBytes is a mismatch, not an error: Hash never accepted one, so
// no stored hash can match it, and it must look like any wrong password.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, needsRehash bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	if len(password) > MaxPasswordBytes {
		return false, false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	// Only a match may ask for a rehash: a caller acting on needsRehash
	// after a wrong password would store the attacker's guess.
	return true, p != h.params, nil
}

// DummyVerify costs what Verify of a hash made with the hasher's parameters
// costs, slot included; it is run for unknown accounts so the response time
// does not tell which e-mail addresses exist. It needs no stored hash, so
// there is nothing to prepare and the first call costs no more than later
// ones.
func (h *Hasher) DummyVerify(ctx context.Context, password string) error {
	p := h.params
	if len(password) > MaxPasswordBytes || checkParams(p) != nil {
		return nil // Verify would not hash either.
	}
	salt := make([]byte, p.SaltLen)
	key := make([]byte, p.KeyLen)
	// The same waiting and the same ErrBusy as Verify: under load, an
	// unknown e-mail must get the same answer (503) as a known one.
	if err := h.acquire(ctx); err != nil {
		return err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	_ = subtle.ConstantTimeCompare(got, key)
	return nil
}

func checkParams(p PasswordParams) error {
	switch {
	case p.Parallelism < 1,
		p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemoryKiB,
		p.Iterations < 1 || p.Iterations > maxPasses,
		p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen,
		p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: %+v", ErrBadParams, p)
	}
	return nil
}

func encodeHash(p PasswordParams, salt, key []byte) string {
	b := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		b.EncodeToString(salt), b.EncodeToString(key))
}

// decodeHash parses strictly: every field present, in order, nothing
// trailing, numbers and base64 in their one canonical spelling, so a stored
// string has exactly one meaning.
func decodeHash(s string) (p PasswordParams, salt, key []byte, err error) {
	bad := func(why string) (PasswordParams, []byte, []byte, error) {
		return PasswordParams{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return bad("not argon2id")
	}
	if v, ok := strings.CutPrefix(parts[2], "v="); !ok || v != strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return bad("parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(fields[i], name)
		if !ok || v == "" || v[0] < '1' || v[0] > '9' {
			return bad("parameters")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameters")
		}
		vals[i] = n
	}
	if vals[2] > 255 {
		return bad("parameters")
	}
	p = PasswordParams{Memory: uint32(vals[0]), Iterations: uint32(vals[1]), Parallelism: uint8(vals[2])}
	if salt, err = decodeB64(parts[4]); err != nil {
		return bad("salt encoding")
	}
	if key, err = decodeB64(parts[5]); err != nil {
		return bad("key encoding")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if checkParams(p) != nil {
		return bad("parameters out of range")
	}
	return p, salt, key, nil
}

// decodeB64 decodes unpadded standard base64 in its canonical form only.
// The alphabet is checked first because the decoder, even in strict mode,
// skips CR and LF.
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsFunc(s, func(r rune) bool {
		return (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '+' && r != '/'
	}) {
		return nil, errors.New("not base64")
	}
	return base64.RawStdEncoding.Strict().DecodeString(s)
}
