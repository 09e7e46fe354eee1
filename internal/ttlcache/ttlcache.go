package ttlcache

import (
	"container/list"
	"sync"
	"time"
)

// Cache maps K to V for TTL after each Set, holding at most Max entries.
// It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	order *list.List // *entry[K, V], oldest first
	byKey map[K]*list.Element
	// loads are the loads after a miss in progress (Ticket), so that a
	// deletion of their key, which finds no entry, still marks them stale.
	loads map[*load[K]]struct{}
}

// load is one load of key in progress; stale once a deletion matched key.
type load[K comparable] struct {
	key   K
	stale bool
}

type entry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
	// refreshing is set once a Lookup has told a caller to reload the
	// entry, so that only one caller does.
	refreshing bool
}

// New returns an empty cache keeping entries for ttl (> 0) and at most max
// (> 0) of them. now is the clock, nil meaning time.Now, so tests can move
// time.
func New[K comparable, V any](ttl time.Duration, max int, now func() time.Time) *Cache[K, V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[K, V]{ttl: ttl, max: max, now: now, order: list.New(), byKey: make(map[K]*list.Element), loads: make(map[*load[K]]struct{})}
}

// Set stores v under k, replacing and renewing an entry with the same key.
func (c *Cache[K, V]) Set(k K, v V) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(now, k, v)
}

// Ticket[K] is taken before loading a value from its source and handed to
// SetIf (or Release) with the value.
type Ticket[K comparable] struct {
	// start is when the load began: the value it reads is no older, and
	// expires a TTL after it.
	start time.Time
	// el is the entry a refresh renews (from Lookup); load the record of
	// a load after a miss (from Ticket).
	el   *list.Element
	load *load[K]
}

// Ticket returns a ticket for loading k after a miss. Hand it to SetIf
// with the value, or to Release if the load failed.
func (c *Cache[K, V]) Ticket(k K) Ticket[K] {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	l := &load[K]{key: k}
	c.loads[l] = struct{}{}
	return Ticket[K]{start: now, load: l}
}

// Release ends a load that will not be stored (it failed).
func (c *Cache[K, V]) Release(t Ticket[K]) {
	if t.load == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.loads, t.load)
}

// SetIf is Set for a value loaded under ticket t, refusing one that a
// deletion of its key (Delete, DeleteKeys: an invalidation) may have made
// stale while it loaded, where it would outlive the change for a whole
// TTL: a refresh (ticket from Lookup) is stored only if the entry it renews
// is still there, a load after a miss (ticket from Ticket) only if no
// deletion matched its key meanwhile. The entry expires a TTL after the
// load began, so no value is ever served longer than the TTL after it was
// read. It reports whether v was stored.
func (c *Cache[K, V]) SetIf(k K, v V, t Ticket[K]) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, present := c.byKey[k]
	refused := false
	switch {
	case t.load != nil:
		delete(c.loads, t.load)
		refused = t.load.stale
	case t.el != nil:
		refused = !present || el != t.el
	}
	if refused || !now.Before(t.start.Add(c.ttl)) {
		if present && el == t.el {
			el.Value.(*entry[K, V]).refreshing = false // a later Lookup may try again
		}
		return false
	}
	c.setUntil(now, t.start.Add(c.ttl), k, v)
	return true
}

// Lookup is Get for a cache its callers keep warm: once an entry has lived
// half its TTL, the first Lookup of it also returns a ticket to refresh it
// with, and no other Lookup does until the entry is replaced (Set, SetIf)
// or deleted. That caller reloads the value (typically in the background)
// and stores it with SetIf, so a key in steady use is renewed before it
// expires and its users never wait for the source.
func (c *Cache[K, V]) Lookup(k K) (v V, ok bool, refresh *Ticket[K]) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.live(now, k)
	if !ok {
		return v, false, nil
	}
	if !e.refreshing && !now.Before(e.expires.Add(-c.ttl/2)) {
		e.refreshing = true
		refresh = &Ticket[K]{start: now, el: c.byKey[k]}
	}
	return e.value, true, refresh
}

// live returns k's unexpired entry, dropping an expired one. c.mu is held.
func (c *Cache[K, V]) live(now time.Time, k K) (*entry[K, V], bool) {
	el, ok := c.byKey[k]
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry[K, V])
	if !now.Before(e.expires) {
		c.remove(el)
		return nil, false
	}
	return e, true
}

// Delete drops k's entry, if any, and makes loads of k in progress stale.
func (c *Cache[K, V]) Delete(k K) {
	c.DeleteKeys(func(key K) bool { return key == k })
}

// DeleteKeys drops every entry whose key drop accepts, and makes loads of
// such keys in progress stale (SetIf refuses them).
func (c *Cache[K, V]) DeleteKeys(drop func(K) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if drop(el.Value.(*entry[K, V]).key) {
			c.remove(el)
		}
		el = next
	}
	for l := range c.loads {
		if drop(l.key) {
			l.stale = true
		}
	}
}

// set stores v under k for a TTL from now. c.mu is held.
func (c *Cache[K, V]) set(now time.Time, k K, v V) {
	c.setUntil(now, now.Add(c.ttl), k, v)
}

// setUntil stores v under k until expires. c.mu is held.
func (c *Cache[K, V]) setUntil(now, expires time.Time, k K, v V) {
	if el, ok := c.byKey[k]; ok {
		c.remove(el)
	}
	// Sweep from the front while entries are expired. A clock stepping back,
	// or a value stored by SetIf (which expires a TTL after its load began,
	// a little before one stored by Set at the same moment), can leave an
	// expired entry behind a live one; Get still hides it and the size
	// bound still removes it eventually.
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if now.Before(el.Value.(*entry[K, V]).expires) {
			break
		}
		c.remove(el)
	}
	for c.order.Len() >= c.max {
		c.remove(c.order.Front())
	}
	c.byKey[k] = c.order.PushBack(&entry[K, V]{key: k, value: v, expires: expires})
}

// Get returns the value stored under k if it has not expired.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.live(now, k)
	if !ok {
		var zero V
		return zero, false
	}
	return e.value, true
}

// Len returns the number of entries held, expired ones not yet swept
// included; it is for tests and diagnostics.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *Cache[K, V]) remove(el *list.Element) {
	delete(c.byKey, el.Value.(*entry[K, V]).key)
	c.order.Remove(el)
}
