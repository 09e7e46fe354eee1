package tracking

import (
	"context"
	"fmt"
	"time"

	"github.com/igny8/igny8-go/internal/ttlcache"
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
	cache *ttlcache.Cache[string, Metrics]
}

// NewMemoryStore returns an empty store keeping entries for ttl
// (DefaultTTL when ttl <= 0, since "forever" would defeat the purpose). now
// is the clock, nil meaning time.Now, so tests can move time.
func NewMemoryStore(ttl time.Duration, now func() time.Time) *MemoryStore {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &MemoryStore{cache: ttlcache.New[string, Metrics](ttl, memoryStoreLimit, now)}
}

// Put stores m under m.ID, replacing and renewing an entry with the same id.
func (s *MemoryStore) Put(_ context.Context, m Metrics) error {
	if !validID(m.ID) {
		return fmt.Errorf("tracking: invalid metrics id %q", m.ID)
	}
	s.cache.Set(m.ID, m)
	return nil
}

// Get returns the metrics stored under id if they have not expired.
func (s *MemoryStore) Get(_ context.Context, id string) (Metrics, bool, error) {
	if !validID(id) {
		return Metrics{}, false, nil
	}
	m, ok := s.cache.Get(id)
	return m, ok, nil
}

// Len returns the number of entries held, expired ones not yet swept
// included; it is for tests and diagnostics.
func (s *MemoryStore) Len() int { return s.cache.Len() }
