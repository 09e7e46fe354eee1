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
	// epoch counts deletions, so that a value loaded after a miss, before
	// one, is not stored after it (see SetIf).
	epoch uint64
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
	return &Cache[K, V]{ttl: ttl, max: max, now: now, order: list.New(), byKey: make(map[K]*list.Element)}
}

// Set stores v under k, replacing and renewing an entry with the same key.
func (c *Cache[K, V]) Set(k K, v V) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(now, k, v)
}

// Ticket is taken before loading a value from its source and handed to
// SetIf with the value.
type Ticket struct {
	epoch uint64
	// el is the entry a refresh renews (Lookup); nil for a load after a
	// miss (Ticket).
	el *list.Element
}

// Ticket returns a ticket for a load, after a miss, that starts now.
func (c *Cache[K, V]) Ticket() Ticket {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Ticket{epoch: c.epoch}
}

// SetIf is Set for a value loaded under ticket t, refusing one that an
// invalidation (Delete, DeleteFunc) may have made stale while it loaded,
// where it would outlive the change for a whole TTL. A refresh (a ticket
// from Lookup) is stored only if the entry it renews is still there, so
// invalidations of other keys do not hold it back; a load after a miss
// only if nothing at all was deleted since its ticket, since a deletion
// cannot tell which absent keys it concerned. It reports whether v was
// stored.
func (c *Cache[K, V]) SetIf(k K, v V, t Ticket) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, present := c.byKey[k]
	if t.el != nil && (!present || el != t.el) || t.el == nil && c.epoch != t.epoch {
		if present {
			el.Value.(*entry[K, V]).refreshing = false
		}
		return false
	}
	c.set(now, k, v)
	return true
}

// Lookup is Get for a cache its callers keep warm: once an entry has lived
// half its TTL, the first Lookup of it also returns a ticket to refresh it
// with, and no other Lookup does until the entry is replaced (Set, SetIf)
// or deleted. That caller reloads the value (typically in the background)
// and stores it with SetIf, so a key in steady use is renewed before it
// expires and its users never wait for the source; values are still never
// older than the TTL.
func (c *Cache[K, V]) Lookup(k K) (v V, ok bool, refresh *Ticket) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.live(now, k)
	if !ok {
		return v, false, nil
	}
	if !e.refreshing && !now.Before(e.expires.Add(-c.ttl/2)) {
		e.refreshing = true
		refresh = &Ticket{epoch: c.epoch, el: c.byKey[k]}
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

// Delete drops k's entry, if any.
func (c *Cache[K, V]) Delete(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if el, ok := c.byKey[k]; ok {
		c.remove(el)
	}
}

// set stores v under k. c.mu is held.
func (c *Cache[K, V]) set(now time.Time, k K, v V) {
	if el, ok := c.byKey[k]; ok {
		c.remove(el)
	}
	// Sweep from the front while entries are expired. A clock stepping back
	// could leave an expired entry behind a live one; Get still hides it and
	// the size bound still removes it eventually.
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if now.Before(el.Value.(*entry[K, V]).expires) {
			break
		}
		c.remove(el)
	}
	for c.order.Len() >= c.max {
		c.remove(c.order.Front())
	}
	c.byKey[k] = c.order.PushBack(&entry[K, V]{key: k, value: v, expires: now.Add(c.ttl)})
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

// DeleteFunc removes every entry for which drop returns true.
func (c *Cache[K, V]) DeleteFunc(drop func(K, V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*entry[K, V]); drop(e.key, e.value) {
			c.remove(el)
		}
		el = next
	}
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
