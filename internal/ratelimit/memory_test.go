package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemoryLimitThenDeny(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	rate := Rate{Limit: 5, Period: time.Minute}
	interval := rate.Period / time.Duration(rate.Limit)

	for i := range rate.Limit {
		res, err := m.Allow(ctx, "user:1", rate)
		require.NoError(t, err)
		assert.Equal(t, Result{
			Allowed:    true,
			Limit:      5,
			Remaining:  rate.Limit - 1 - i,
			RetryAfter: 0,
			ResetAfter: time.Duration(i+1) * interval,
		}, res, "request %d", i+1)
	}

	res, err := m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.Equal(t, Result{
		Allowed:    false,
		Limit:      5,
		Remaining:  0,
		RetryAfter: interval,
		ResetAfter: rate.Period,
	}, res)

	// A denied request must not spend anything, or a client hammering the
	// limit would push its own retry time ever further out.
	res, err = m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed)
	assert.Equal(t, interval, res.RetryAfter)

	clock.Advance(interval / 2)
	res, err = m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed)
	assert.Equal(t, interval/2, res.RetryAfter)

	clock.Advance(interval / 2)
	res, err = m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed, "one request is earned back after Period/Limit")
	assert.Equal(t, 0, res.Remaining)
	assert.Equal(t, rate.Period, res.ResetAfter)

	res, err = m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed, "and only one")

	clock.Advance(rate.Period)
	res, err = m.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed)
	assert.Equal(t, rate.Limit-1, res.Remaining, "a full Period refills the whole bucket")
}

func TestMemoryUnevenPeriod(t *testing.T) {
	// 7/min does not divide into whole nanoseconds; the bucket must still
	// hold exactly 7.
	m := NewMemory(newFakeClock().Now)
	rate := Rate{Limit: 7, Period: time.Minute}
	allowed := 0
	for range 20 {
		res, err := m.Allow(context.Background(), "k", rate)
		require.NoError(t, err)
		if res.Allowed {
			allowed++
		}
	}
	assert.Equal(t, 7, allowed)
}

func TestMemoryKeysAreIndependent(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(newFakeClock().Now)
	rate := Rate{Limit: 2, Period: time.Hour}

	for range 2 {
		res, err := m.Allow(ctx, "anon:10.0.0.1", rate)
		require.NoError(t, err)
		require.True(t, res.Allowed)
	}
	res, err := m.Allow(ctx, "anon:10.0.0.1", rate)
	require.NoError(t, err)
	require.False(t, res.Allowed)

	res, err = m.Allow(ctx, "anon:10.0.0.2", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed, "another key has its own bucket")
	assert.Equal(t, 1, res.Remaining)
}

func TestMemoryConcurrentNeverExceedsLimit(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(newFakeClock().Now)
	rate := Rate{Limit: 50, Period: time.Minute}

	var allowed, denied atomic.Int64
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			for range 20 {
				res, err := m.Allow(ctx, "shared", rate)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Allowed {
					allowed.Add(1)
				} else {
					denied.Add(1)
				}
				// Other keys on other shards contend at the same time.
				_, _ = m.Allow(ctx, fmt.Sprintf("other:%d", g), rate)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(50), allowed.Load())
	assert.Equal(t, int64(64*20-50), denied.Load())
}

func TestMemoryRealClock(t *testing.T) {
	// nil means time.Now; an hour-long period keeps this free of timing.
	m := NewMemory(nil)
	rate := Rate{Limit: 1, Period: time.Hour}
	res, err := m.Allow(context.Background(), "k", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed)
	res, err = m.Allow(context.Background(), "k", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed)
	assert.Positive(t, res.RetryAfter)
}

func TestMemoryRejectsInvalidRate(t *testing.T) {
	m := NewMemory(nil)
	for _, r := range []Rate{{}, {Limit: 0, Period: time.Minute}, {Limit: 5, Period: 0}, {Limit: -1, Period: time.Second}} {
		_, err := m.Allow(context.Background(), "k", r)
		assert.Error(t, err, "%+v", r)
	}
}

func memorySize(m *Memory) int {
	n := 0
	for i := range m.shards {
		m.shards[i].mu.Lock()
		n += len(m.shards[i].tats)
		m.shards[i].mu.Unlock()
	}
	return n
}

func TestMemoryEvictsFullBuckets(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	rate := Rate{Limit: 3, Period: time.Second}

	// Far more keys than the size trigger: without sweeping they would all
	// stay. The clock is frozen, so every bucket is still partly used and
	// none may be dropped yet.
	const keys = 100 * minSweepSize
	for i := range keys {
		_, err := m.Allow(ctx, fmt.Sprintf("scan:%d", i), rate)
		require.NoError(t, err)
	}
	require.Equal(t, keys, memorySize(m), "buckets still in use are kept")

	// Once every bucket has refilled, the next request on each shard sweeps
	// it (sweepEvery has passed). Enough new keys to touch every shard
	// (missing one has odds of about 32·e⁻³²); only they may remain.
	clock.Advance(sweepEvery)
	const later = memoryShards * 32
	for i := range later {
		_, err := m.Allow(ctx, fmt.Sprintf("later:%d", i), rate)
		require.NoError(t, err)
	}
	assert.Equal(t, later, memorySize(m), "refilled buckets are evicted")

	// An evicted bucket behaves exactly like a fresh one.
	res, err := m.Allow(ctx, "scan:1", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed)
	assert.Equal(t, 2, res.Remaining)
}

func TestMemorySizeTriggerKeepsGrowthBounded(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	m := NewMemory(clock.Now)
	rate := Rate{Limit: 1, Period: time.Millisecond}

	// Each bucket refills a millisecond after use, and 50k keys take 50 s of
	// fake time, under sweepEvery: only the size trigger can keep every
	// shard at minSweepSize, well below the 50k keys seen.
	for i := range 50_000 {
		_, err := m.Allow(ctx, fmt.Sprintf("k:%d", i), rate)
		require.NoError(t, err)
		clock.Advance(time.Millisecond)
	}
	assert.LessOrEqual(t, memorySize(m), memoryShards*minSweepSize)
}
