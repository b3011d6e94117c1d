package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// cheap keeps the tests fast; the format and logic do not depend on cost.
var cheap = PasswordParams{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestPasswordRoundTrip(t *testing.T) {
	h := NewHasher(cheap, 2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !phc.MatchString(enc) {
		t.Fatalf("not a PHC argon2id string: %s", enc)
	}
	if ok, re, err := h.Verify(ctx, "correct horse battery", enc); !ok || re || err != nil {
		t.Fatalf("right password: ok=%v rehash=%v err=%v", ok, re, err)
	}
	for _, wrong := range []string{"correct horse batterz", "", "Correct horse battery", "correct horse battery "} {
		if ok, re, err := h.Verify(ctx, wrong, enc); ok || re || err != nil {
			t.Errorf("wrong password %q: ok=%v rehash=%v err=%v", wrong, ok, re, err)
		}
	}
	if enc2, _ := h.Hash(ctx, "correct horse battery"); enc == enc2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

func TestPasswordLength(t *testing.T) {
	h := NewHasher(cheap, 1)
	ctx := context.Background()
	longest := strings.Repeat("x", MaxPasswordBytes)
	enc, err := h.Hash(ctx, longest)
	if err != nil {
		t.Fatalf("a password of exactly the limit: %v", err)
	}
	if ok, _, err := h.Verify(ctx, longest, enc); !ok || err != nil {
		t.Fatalf("verify at the limit: %v %v", ok, err)
	}
	if _, err := h.Hash(ctx, longest+"x"); !errors.Is(err, ErrPasswordTooLong) {
		t.Fatalf("over the limit: %v", err)
	}
	// Too long to have been stored, so simply wrong.
	if ok, _, err := h.Verify(ctx, longest+"x", enc); ok || err != nil {
		t.Fatalf("verify over the limit: %v %v", ok, err)
	}
}

func TestPasswordNeedsRehash(t *testing.T) {
	ctx := context.Background()
	enc, err := NewHasher(cheap, 1).Hash(ctx, "pw")
	if err != nil {
		t.Fatal(err)
	}
	with := func(f func(*PasswordParams)) PasswordParams { p := cheap; f(&p); return p }
	cases := map[string]struct {
		p    PasswordParams
		want bool
	}{
		"same":        {cheap, false},
		"memory":      {with(func(p *PasswordParams) { p.Memory = 2048 }), true},
		"iterations":  {with(func(p *PasswordParams) { p.Iterations = 2 }), true},
		"parallelism": {with(func(p *PasswordParams) { p.Parallelism = 2 }), true},
		"salt length": {with(func(p *PasswordParams) { p.SaltLen = 32 }), true},
		"key length":  {with(func(p *PasswordParams) { p.KeyLen = 64 }), true},
		"default":     {DefaultPasswordParams, true},
	}
	for name, c := range cases {
		h := NewHasher(c.p, 1)
		// The hash's own parameters verify it, whatever the hasher's are.
		if ok, re, err := h.Verify(ctx, "pw", enc); !ok || re != c.want || err != nil {
			t.Errorf("%s: ok=%v rehash=%v err=%v, want rehash=%v", name, ok, re, err, c.want)
		}
		// A wrong password never asks for a rehash, or a careless caller
		// would store the guess.
		if ok, re, _ := h.Verify(ctx, "guess", enc); ok || re {
			t.Errorf("%s, wrong password: ok=%v rehash=%v", name, ok, re)
		}
	}
}

func TestMalformedHashes(t *testing.T) {
	const salt, key = "c2FsdHNhbHRzYWx0c2FsdA", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	good := "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + key
	h := NewHasher(cheap, 1)
	if _, _, err := h.Verify(context.Background(), "x", good); err != nil {
		t.Fatalf("the well-formed base case must parse, or the cases below prove nothing: %v", err)
	}
	for name, enc := range map[string]string{
		"empty":             "",
		"plain text":        "hunter2",
		"bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":           "$argon2i$v=19$m=1024,t=1,p=1$" + salt + "$" + key,
		"argon2d":           "$argon2d$v=19$m=1024,t=1,p=1$" + salt + "$" + key,
		"no leading $":      "argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + key,
		"old version":       "$argon2id$v=16$m=1024,t=1,p=1$" + salt + "$" + key,
		"version junk":      "$argon2id$v=19x$m=1024,t=1,p=1$" + salt + "$" + key,
		"no version":        "$argon2id$m=1024,t=1,p=1$" + salt + "$" + key,
		"memory not number": "$argon2id$v=19$m=x,t=1,p=1$" + salt + "$" + key,
		"memory huge":       "$argon2id$v=19$m=99999999,t=1,p=1$" + salt + "$" + key,
		"memory overflow":   "$argon2id$v=19$m=99999999999,t=1,p=1$" + salt + "$" + key,
		"memory tiny":       "$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + key,
		"memory signed":     "$argon2id$v=19$m=+1024,t=1,p=1$" + salt + "$" + key,
		"memory negative":   "$argon2id$v=19$m=-1024,t=1,p=1$" + salt + "$" + key,
		"leading zero":      "$argon2id$v=19$m=01024,t=1,p=1$" + salt + "$" + key,
		"zero passes":       "$argon2id$v=19$m=1024,t=0,p=1$" + salt + "$" + key,
		"many passes":       "$argon2id$v=19$m=1024,t=1000,p=1$" + salt + "$" + key,
		"zero lanes":        "$argon2id$v=19$m=1024,t=1,p=0$" + salt + "$" + key,
		"lanes overflow":    "$argon2id$v=19$m=1024,t=1,p=256$" + salt + "$" + key,
		"params reordered":  "$argon2id$v=19$t=1,m=1024,p=1$" + salt + "$" + key,
		"params trailing":   "$argon2id$v=19$m=1024,t=1,p=1x$" + salt + "$" + key,
		"extra param":       "$argon2id$v=19$m=1024,t=1,p=1,k=2$" + salt + "$" + key,
		"missing param":     "$argon2id$v=19$m=1024,t=1$" + salt + "$" + key,
		"salt not base64":   "$argon2id$v=19$m=1024,t=1,p=1$!!!$" + key,
		"salt padded":       "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "==$" + key,
		"salt too short":    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$" + key,
		"salt empty":        "$argon2id$v=19$m=1024,t=1,p=1$$" + key,
		"salt base64url":    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2Fs_-$" + key,
		"key empty":         "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$",
		"key too short":     "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$a2V5a2V5",
		"key spare bits":    "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + key[:len(key)-1] + "V",
		"key with CR":       "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + key[:20] + "\r" + key[20:],
		"salt with LF":      "$argon2id$v=19$m=1024,t=1,p=1$" + salt[:10] + "\n" + salt[10:] + "$" + key,
		"extra field":       good + "$extra",
		"trailing $":        good + "$",
		"missing field":     "$argon2id$v=19$m=1024,t=1,p=1$" + salt,
		"spaces":            " " + good,
	} {
		ok, re, err := h.Verify(context.Background(), "x", enc)
		if ok || re || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s (%q): ok=%v rehash=%v err=%v", name, enc, ok, re, err)
		}
	}
}

// FuzzDecodeHash: no input panics, and whatever parses is the one canonical
// spelling of its parameters, salt and key.
func FuzzDecodeHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$$")
	f.Add("$$$$$")
	f.Add("$argon2id$v=19$m=10,t=1,p=1$00000000000$000000\r00000000000000000")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := decodeHash(s)
		if err != nil {
			return
		}
		if got := encodeHash(p, salt, key); got != s {
			t.Fatalf("parsed %q, which re-encodes as %q", s, got)
		}
	})
}

func TestHashRefusesUnusableParams(t *testing.T) {
	for name, p := range map[string]PasswordParams{
		"zero":         {},
		"no passes":    {Memory: 1024, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		"no lanes":     {Memory: 1024, Iterations: 1, SaltLen: 16, KeyLen: 32},
		"short salt":   {Memory: 1024, Iterations: 1, Parallelism: 1, SaltLen: 4, KeyLen: 32},
		"short key":    {Memory: 1024, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 4},
		"memory lanes": {Memory: 8, Iterations: 1, Parallelism: 4, SaltLen: 16, KeyLen: 32},
	} {
		h := NewHasher(p, 1)
		if _, err := h.Hash(context.Background(), "pw"); !errors.Is(err, ErrBadParams) {
			t.Errorf("%s: %v", name, err)
		}
		h.DummyVerify(context.Background(), "pw") // must not panic either
	}
}

// holdSlot takes one of h's slots as a hash in progress would, so tests
// can fill the semaphore without racing real hashes.
func holdSlot(h *Hasher) (release func()) {
	h.slots <- struct{}{}
	return func() { <-h.slots }
}

// A burst beyond the slots waits, and gives up with ErrBusy or the caller's
// context error rather than piling up memory.
func TestHashingConcurrencyIsBounded(t *testing.T) {
	h := NewHasher(cheap, 1)
	enc, err := h.Hash(context.Background(), "pw")
	if err != nil {
		t.Fatal(err)
	}
	h.QueueWait = 20 * time.Millisecond
	release := holdSlot(h)

	if _, err := h.Hash(context.Background(), "pw"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Hash with no free slot: want ErrBusy, got %v", err)
	}
	if ok, _, err := h.Verify(context.Background(), "pw", enc); ok || !errors.Is(err, ErrBusy) {
		t.Fatalf("Verify with no free slot: want ErrBusy, got %v %v", ok, err)
	}

	h.QueueWait = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := h.Verify(ctx, "pw", enc); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("caller's deadline before the queue limit: got %v", err)
	}

	// DummyVerify queues like Verify and fails the same way, so an unknown
	// account under load is answered neither faster nor differently.
	h.QueueWait = 20 * time.Millisecond
	start := time.Now()
	if err := h.DummyVerify(context.Background(), "pw"); !errors.Is(err, ErrBusy) {
		t.Fatalf("DummyVerify with no free slot: %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Fatalf("DummyVerify did not wait for a slot (%v)", waited)
	}

	release()
	if ok, _, err := h.Verify(context.Background(), "pw", enc); !ok || err != nil {
		t.Fatalf("slot free again: %v %v", ok, err)
	}

	// A caller that has given up never takes a slot, even a free one.
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	for range 20 {
		if _, err := h.Hash(cancelled, "pw"); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled context with a free slot: %v", err)
		}
	}
	if len(h.slots) != 0 {
		t.Fatal("a slot leaked")
	}
}

// Hashes queue for a slot rather than fail while the wait is reasonable.
func TestHashingQueues(t *testing.T) {
	h := NewHasher(cheap, 2)
	errs := make(chan error)
	for range 8 {
		go func() {
			_, err := h.Hash(context.Background(), "pw")
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if len(h.slots) != 0 {
		t.Fatal("a slot leaked")
	}
}

func TestDummyVerify(t *testing.T) {
	h := NewHasher(cheap, 1)
	for _, pw := range []string{"anything", "", strings.Repeat("x", 10*MaxPasswordBytes)} {
		if err := h.DummyVerify(context.Background(), pw); err != nil {
			t.Fatalf("DummyVerify(%d bytes): %v", len(pw), err)
		}
	}
	if len(h.slots) != 0 {
		t.Fatal("a slot leaked")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	h := NewHasher(DefaultPasswordParams, 1)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.Hash(ctx, "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	h := NewHasher(DefaultPasswordParams, 1)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := h.Verify(ctx, "correct horse battery", enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDummyVerifyDefault(b *testing.B) {
	h := NewHasher(DefaultPasswordParams, 1)
	ctx := context.Background()
	for b.Loop() {
		h.DummyVerify(ctx, "correct horse battery")
	}
}
