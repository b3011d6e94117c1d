package service

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/brug-chw/brug/internal/store"
)

// AuthCache keeps signed-in callers' account and session state (store.
// AuthState) for a few seconds, so a burst of requests reads it once.
// Every change to it is told to the cache before the writer answers
// (store.OnAuthChange) and, on PostgreSQL, to the other replicas by a
// NOTIFY in the writing transaction. The cache is used only while it is
// live: while those notices can reach it (always on SQLite; on PostgreSQL
// while the LISTEN connection is up). Until then every request reads the
// database.
type AuthCache struct {
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	// gen counts invalidations: a state read before one is not kept.
	gen     uint64
	live    bool
	entries map[authKey]authEntry

	hits, misses, heard atomic.Uint64
}

type authKey struct{ user, session string }

type authEntry struct {
	state store.AuthState
	until time.Time
}

// authCacheMax bounds the entries; past it the expired ones go, and if
// that is not enough, all.
const authCacheMax = 10_000

// NewAuthCache keeps states for ttl by the clock now; live says whether
// changes reach it from the start (SQLite) or only once a listener says so
// (PostgreSQL, SetLive). A ttl of zero keeps nothing.
func NewAuthCache(ttl time.Duration, now func() time.Time, live bool) *AuthCache {
	return &AuthCache{ttl: ttl, now: now, live: live, entries: map[authKey]authEntry{}}
}

// TTL is how long a state is kept (0: never).
func (c *AuthCache) TTL() time.Duration {
	if c == nil {
		return 0
	}
	return c.ttl
}

// begin starts a read of the database: the generation to hand to put, and
// whether the cache may be used at all.
func (c *AuthCache) begin() (uint64, bool) {
	if c == nil || c.ttl <= 0 {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.live
}

func (c *AuthCache) get(userID, sessionID string) (store.AuthState, bool) {
	if c == nil || c.ttl <= 0 {
		return store.AuthState{}, false
	}
	c.mu.Lock()
	e, ok := c.entries[authKey{userID, sessionID}]
	ok = ok && c.live && c.now().Before(e.until)
	c.mu.Unlock()
	if !ok {
		c.misses.Add(1)
		return store.AuthState{}, false
	}
	c.hits.Add(1)
	return e.state, true
}

// put keeps a live state read at generation gen, until the TTL, the
// session's end or its first emergency grant's end, whichever is first.
// Nothing is kept when anything was invalidated since the read began.
func (c *AuthCache) put(gen uint64, st store.AuthState) {
	if c == nil || c.ttl <= 0 || !st.SessionLive || st.Disabled {
		return
	}
	until := c.now().Add(c.ttl)
	if st.SessionUntil.Before(until) {
		until = st.SessionUntil
	}
	if !st.EmergencyUntil.IsZero() && st.EmergencyUntil.Before(until) {
		until = st.EmergencyUntil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live || gen != c.gen {
		return
	}
	if len(c.entries) >= authCacheMax {
		now := c.now()
		for k, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= authCacheMax {
			clear(c.entries)
		}
	}
	c.entries[authKey{st.UserID, st.SessionID}] = authEntry{state: st, until: until}
}

// Invalidate drops what a change touches.
func (c *AuthCache) Invalidate(ch store.AuthChange) {
	if c == nil {
		return
	}
	c.heard.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k := range c.entries {
		if (ch.UserID != "" && k.user == ch.UserID) || (ch.SessionID != "" && k.session == ch.SessionID) {
			delete(c.entries, k)
		}
	}
}

// SetLive turns the cache on (changes reach it again) or off (they may
// not); either way what it held is dropped, since changes may have been
// missed.
func (c *AuthCache) SetLive(live bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.live = live
	clear(c.entries)
}

// Live reports whether the cache is in use.
func (c *AuthCache) Live() bool {
	if c == nil || c.ttl <= 0 {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.live
}

// AuthCacheStats counts the cache's answers and the changes it heard of.
type AuthCacheStats struct {
	Hits, Misses, Heard uint64
}

// Stats reports the counts so far.
func (c *AuthCache) Stats() AuthCacheStats {
	if c == nil {
		return AuthCacheStats{}
	}
	return AuthCacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Heard: c.heard.Load()}
}
