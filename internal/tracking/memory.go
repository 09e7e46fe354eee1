package tracking

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"
)

// memoryStoreLimit caps MemoryStore: tracked requests come only from admins
// who ask for it, so ten thousand entries (a few MB) is far more than five
// minutes of legitimate use, and a runaway client cannot grow it further.
const memoryStoreLimit = 10_000

// MemoryStore is an in-process Store for the embedded single-process mode.
// It holds at most 10,000 entries, dropping the oldest when full; expired
// entries are never returned and are swept on Put, so no goroutine is needed
// and there is nothing to close.
type MemoryStore struct {
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	// order lists entries oldest first (*memoryEntry values); byID indexes
	// it. With one TTL for all, insertion order is also expiry order, so both
	// the sweep and the size bound only ever look at the front.
	order *list.List
	byID  map[string]*list.Element
}

type memoryEntry struct {
	m       Metrics
	expires time.Time
}

// NewMemoryStore returns an empty store keeping entries for ttl
// (DefaultTTL when ttl <= 0, since "forever" would defeat the purpose). now
// is the clock, nil meaning time.Now, so tests can move time.
func NewMemoryStore(ttl time.Duration, now func() time.Time) *MemoryStore {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryStore{ttl: ttl, now: now, order: list.New(), byID: make(map[string]*list.Element)}
}

// Put stores m under m.ID, replacing and renewing an entry with the same id.
func (s *MemoryStore) Put(_ context.Context, m Metrics) error {
	if !validID(m.ID) {
		return fmt.Errorf("tracking: invalid metrics id %q", m.ID)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.byID[m.ID]; ok {
		s.order.Remove(el)
		delete(s.byID, m.ID)
	}
	// Sweep from the front while entries are expired. A clock stepping back
	// could leave an expired entry behind a live one; Get still hides it and
	// the size bound still removes it eventually.
	for el := s.order.Front(); el != nil; el = s.order.Front() {
		if now.Before(el.Value.(*memoryEntry).expires) {
			break
		}
		s.remove(el)
	}
	for s.order.Len() >= memoryStoreLimit {
		s.remove(s.order.Front())
	}
	s.byID[m.ID] = s.order.PushBack(&memoryEntry{m: m, expires: now.Add(s.ttl)})
	return nil
}

// Get returns the metrics stored under id if they have not expired.
func (s *MemoryStore) Get(_ context.Context, id string) (Metrics, bool, error) {
	if !validID(id) {
		return Metrics{}, false, nil
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.byID[id]
	if !ok {
		return Metrics{}, false, nil
	}
	e := el.Value.(*memoryEntry)
	if !now.Before(e.expires) {
		s.remove(el)
		return Metrics{}, false, nil
	}
	return e.m, true, nil
}

// Len returns the number of entries held, expired ones not yet swept
// included; it is for tests and diagnostics.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

func (s *MemoryStore) remove(el *list.Element) {
	delete(s.byID, el.Value.(*memoryEntry).m.ID)
	s.order.Remove(el)
}
