package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

var cheap = PasswordParams{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

func TestPasswordRoundTrip(t *testing.T) {
	h := NewHasher(cheap, 2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("not a PHC argon2id string: %s", enc)
	}
	if ok, re, err := h.Verify(ctx, "correct horse battery", enc); !ok || re || err != nil {
		t.Fatalf("verify: %v %v %v", ok, re, err)
	}
	if ok, _, _ := h.Verify(ctx, "correct horse batterz", enc); ok {
		t.Fatal("wrong password accepted")
	}
	enc2, _ := h.Hash(ctx, "correct horse battery")
	if enc == enc2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	stronger := NewHasher(PasswordParams{Memory: 2048, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}, 1)
	if ok, re, _ := stronger.Verify(ctx, "correct horse battery", enc); !ok || !re {
		t.Fatalf("old parameters must verify and ask for a rehash: %v %v", ok, re)
	}
	if _, err := h.Hash(ctx, strings.Repeat("x", MaxPasswordBytes+1)); !errors.Is(err, ErrPasswordTooLong) {
		t.Fatalf("long password: %v", err)
	}
	h.DummyVerify(ctx, "anything")
}

func TestMalformedHashes(t *testing.T) {
	h := NewHasher(cheap, 1)
	for _, enc := range []string{
		"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!!$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$",
	} {
		if ok, _, err := h.Verify(context.Background(), "x", enc); ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%q: ok=%v err=%v", enc, ok, err)
		}
	}
}

// A burst beyond the slots waits, and gives up with ErrBusy rather than
// piling up memory.
func TestHashingConcurrencyIsBounded(t *testing.T) {
	h := NewHasher(cheap, 1)
	h.QueueWait = 20 * time.Millisecond
	h.slots <- struct{}{} // one hash in progress holds the only slot
	if _, err := h.Hash(context.Background(), "pw"); !errors.Is(err, ErrBusy) {
		t.Fatalf("want ErrBusy, got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.QueueWait = time.Second
	if _, _, err := h.Verify(ctx, "pw", h.dummyHash()); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	<-h.slots
	if _, err := h.Hash(context.Background(), "pw"); err != nil {
		t.Fatalf("slot free again: %v", err)
	}
}

func BenchmarkHashDefault(b *testing.B) {
	h := NewHasher(DefaultPasswordParams, 1)
	for i := 0; i < b.N; i++ {
		if _, err := h.Hash(context.Background(), "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
