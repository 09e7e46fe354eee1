package tracking

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock; the mutex lets concurrent tests read it
// while the test goroutine advances it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testID returns a valid tracking id derived from n, so tests can name many
// distinct entries.
func testID(n int) string { return fmt.Sprintf("%032x", n) }

func sampleMetrics(id string) Metrics {
	return Metrics{
		ID: id, AccountID: 42, Method: "GET", Path: "/api/v1/x/", Status: 200,
		DurationMS: 12.5, CPUTimeMS: 3.25, AllocBytes: 4096, Allocs: 17, DBQueries: 3, DBTimeMS: 1.75,
		StartedAt: time.Date(2025, 6, 1, 11, 59, 59, 123456789, time.UTC),
	}
}

func TestMemoryStoreRoundTripAndExpiry(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	s := NewMemoryStore(time.Minute, clock.Now)

	m := sampleMetrics(testID(1))
	require.NoError(t, s.Put(ctx, m))
	got, ok, err := s.Get(ctx, m.ID)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, m, got)

	_, ok, err = s.Get(ctx, testID(2))
	require.NoError(t, err)
	assert.False(t, ok, "unknown id")

	clock.Advance(time.Minute - time.Nanosecond)
	_, ok, _ = s.Get(ctx, m.ID)
	assert.True(t, ok, "still inside the TTL")

	clock.Advance(time.Nanosecond)
	_, ok, err = s.Get(ctx, m.ID)
	require.NoError(t, err)
	assert.False(t, ok, "expired at exactly the TTL")
}

func TestMemoryStoreSweepsExpiredOnPut(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	s := NewMemoryStore(time.Minute, clock.Now)
	for i := range 5 {
		require.NoError(t, s.Put(ctx, sampleMetrics(testID(i))))
	}
	clock.Advance(30 * time.Second)
	require.NoError(t, s.Put(ctx, sampleMetrics(testID(5))))
	require.Equal(t, 6, s.Len())

	clock.Advance(31 * time.Second) // the first five have expired, not the sixth
	require.NoError(t, s.Put(ctx, sampleMetrics(testID(6))))
	assert.Equal(t, 2, s.Len(), "expired entries are dropped without being read")
	_, ok, _ := s.Get(ctx, testID(5))
	assert.True(t, ok)
}

func TestMemoryStorePutRenews(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	s := NewMemoryStore(time.Minute, clock.Now)
	m := sampleMetrics(testID(1))
	require.NoError(t, s.Put(ctx, m))
	clock.Advance(40 * time.Second)
	m.Status = 500
	require.NoError(t, s.Put(ctx, m))
	clock.Advance(40 * time.Second)

	got, ok, _ := s.Get(ctx, m.ID)
	require.True(t, ok, "the second Put restarted the TTL")
	assert.Equal(t, 500, got.Status)
	assert.Equal(t, 1, s.Len())
}

func TestMemoryStoreSizeBound(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(time.Hour, newFakeClock().Now)
	for i := range memoryStoreLimit + 10 {
		require.NoError(t, s.Put(ctx, sampleMetrics(testID(i))))
	}
	assert.Equal(t, memoryStoreLimit, s.Len())
	for i := range 10 {
		_, ok, _ := s.Get(ctx, testID(i))
		assert.False(t, ok, "oldest entry %d dropped", i)
	}
	for _, i := range []int{10, memoryStoreLimit + 9} {
		_, ok, _ := s.Get(ctx, testID(i))
		assert.True(t, ok, "entry %d kept", i)
	}
}

func TestMemoryStoreRejectsBadIDs(t *testing.T) {
	ctx := context.Background()
	s := NewMemoryStore(0, nil) // defaults: DefaultTTL, time.Now
	assert.Error(t, s.Put(ctx, sampleMetrics("")))
	assert.Error(t, s.Put(ctx, sampleMetrics("not-a-tracking-id")))
	_, ok, err := s.Get(ctx, "*")
	require.NoError(t, err)
	assert.False(t, ok)

	// Defaults in effect: a fresh entry is readable.
	require.NoError(t, s.Put(ctx, sampleMetrics(testID(1))))
	_, ok, _ = s.Get(ctx, testID(1))
	assert.True(t, ok)
}

func TestMemoryStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	s := NewMemoryStore(time.Minute, clock.Now)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 200 {
				id := testID(w*1000 + i)
				assert.NoError(t, s.Put(ctx, sampleMetrics(id)))
				_, _, err := s.Get(ctx, id)
				assert.NoError(t, err)
				if i%50 == 0 {
					clock.Advance(time.Second)
				}
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, s.Len(), 8*200)
}
