package auth

import (
	"strings"
	"testing"
	"time"
)

func TestDeviceTokens(t *testing.T) {
	clock := &fakeClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := NewDeviceSigner([]byte("0123456789abcdef0123456789abcdef"), clock.now)
	tok := d.Issue("Ann@Example.org ")
	id, ok := d.Verify(tok, "ann@example.org")
	if !ok || len(id) != 32 {
		t.Fatalf("own token: %q %v", id, ok)
	}
	if id2, _ := d.Verify(d.Issue("ann@example.org"), "ann@example.org"); id2 == id {
		t.Fatal("two sign-ins got the same device id")
	}
	if _, ok := d.Verify(tok, "bob@example.org"); ok {
		t.Fatal("a token of Ann's vouches for Bob")
	}
	other := NewDeviceSigner([]byte("another secret, another server.."), clock.now)
	if _, ok := other.Verify(tok, "ann@example.org"); ok {
		t.Fatal("a token signed with another secret passed")
	}
	forged := strings.Replace(tok, tok[:4], "AAAA", 1)
	for _, bad := range []string{"", ".", "x.y", forged, tok + "x", strings.Repeat("a", 200)} {
		if _, ok := d.Verify(bad, "ann@example.org"); ok {
			t.Errorf("forged token %q passed", bad)
		}
	}
	clock.t = clock.t.Add(DeviceTTL)
	if _, ok := d.Verify(tok, "ann@example.org"); ok {
		t.Fatal("an expired token passed")
	}
}
