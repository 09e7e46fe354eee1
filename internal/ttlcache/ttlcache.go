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
}

type entry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
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
	el, ok := c.byKey[k]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*entry[K, V])
	if !now.Before(e.expires) {
		c.remove(el)
		var zero V
		return zero, false
	}
	return e.value, true
}

// DeleteFunc removes every entry for which drop returns true.
func (c *Cache[K, V]) DeleteFunc(drop func(K, V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
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
