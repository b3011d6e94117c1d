package service

import (
	"testing"
	"time"

	"github.com/brug-chw/brug/internal/store"
)

func TestAuthCache(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	live := store.AuthState{UserID: "u1", SessionID: "s1", SessionLive: true, SessionUntil: now.Add(time.Hour)}
	read := func(c *AuthCache, st store.AuthState) { gen, _ := c.begin(); c.put(gen, st) }

	c := NewAuthCache(5*time.Second, clock, true)
	read(c, live)
	if _, ok := c.get("u1", "s1"); !ok {
		t.Fatal("a live state is not kept")
	}
	if _, ok := c.get("u1", "s2"); ok {
		t.Fatal("another session of the user is answered from the cache")
	}
	now = now.Add(5 * time.Second)
	if _, ok := c.get("u1", "s1"); ok {
		t.Fatal("kept past its TTL")
	}

	// A read that began before a change is not kept after it.
	gen, _ := c.begin()
	c.Invalidate(store.AuthChange{UserID: "someone else"})
	c.put(gen, live)
	if _, ok := c.get("u1", "s1"); ok {
		t.Fatal("a state read before a change was kept")
	}

	for name, ch := range map[string]store.AuthChange{"user": {UserID: "u1"}, "session": {SessionID: "s1"}} {
		read(c, live)
		c.Invalidate(ch)
		if _, ok := c.get("u1", "s1"); ok {
			t.Fatalf("still cached after a change of its %s", name)
		}
	}

	// Refusals, and states past a session's or a grant's end, are not kept.
	for name, st := range map[string]store.AuthState{
		"disabled":      {UserID: "u1", SessionID: "s1", SessionLive: true, Disabled: true, SessionUntil: now.Add(time.Hour)},
		"ended session": {UserID: "u1", SessionID: "s1"},
		"grant ends":    {UserID: "u1", SessionID: "s1", SessionLive: true, SessionUntil: now.Add(time.Hour), EmergencyClientIDs: []string{"c"}, EmergencyUntil: now.Add(time.Second)},
	} {
		c.SetLive(true)
		read(c, st)
		now = now.Add(time.Second)
		if _, ok := c.get("u1", "s1"); ok {
			t.Fatalf("%s: answered from the cache", name)
		}
	}

	// Not live (the listener is down): nothing is kept or answered, and
	// what was kept is gone when it is up again.
	read(c, live)
	c.SetLive(false)
	read(c, live)
	if _, ok := c.get("u1", "s1"); ok {
		t.Fatal("answered from the cache while not live")
	}
	c.SetLive(true)
	if _, ok := c.get("u1", "s1"); ok {
		t.Fatal("a state kept before the listener dropped survived")
	}

	off := NewAuthCache(0, clock, true)
	read(off, live)
	if _, ok := off.get("u1", "s1"); ok || off.Live() {
		t.Fatal("a TTL of 0 still caches")
	}
}
