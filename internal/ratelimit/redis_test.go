package ratelimit

import (
	"context"
	"github.com/igny8/igny8-go/internal/testredis"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realRedis returns a limiter on the shared test Redis under a prefix of
// its own; the prefix's keys (stored by redis_rate as "rate:"+key) are
// deleted when the test ends.
func realRedis(t *testing.T) (*Redis, redis.UniversalClient, string) {
	client, prefix := testredis.New(t, "ratelimit")
	return NewRedis(client, prefix), client, prefix
}

func TestRedisLimitThenDeny(t *testing.T) {
	ctx := context.Background()
	r, client, prefix := realRedis(t)
	// An hour-long period makes the refill during the test (microseconds
	// against 12 minutes per request) invisible to every assertion.
	rate := Rate{Limit: 5, Period: time.Hour}
	interval := rate.Period / time.Duration(rate.Limit)

	for i := range rate.Limit {
		res, err := r.Allow(ctx, "user:1", rate)
		require.NoError(t, err)
		assert.True(t, res.Allowed, "request %d", i+1)
		assert.Equal(t, 5, res.Limit)
		assert.Equal(t, rate.Limit-1-i, res.Remaining, "request %d", i+1)
		assert.Zero(t, res.RetryAfter)
		assert.Positive(t, res.ResetAfter)
		assert.LessOrEqual(t, res.ResetAfter, time.Duration(i+1)*interval)
	}

	res, err := r.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed)
	assert.Equal(t, 0, res.Remaining)
	assert.Positive(t, res.RetryAfter)
	assert.LessOrEqual(t, res.RetryAfter, interval)
	assert.Greater(t, res.RetryAfter, interval-time.Minute, "the next request is about one interval away")
	assert.LessOrEqual(t, res.ResetAfter, rate.Period)

	// The bucket is where the docs say, and it expires on its own.
	ttl, err := client.TTL(ctx, "rate:"+prefix+"user:1").Result()
	require.NoError(t, err)
	assert.Positive(t, ttl)
}

func TestRedisKeysAreIndependent(t *testing.T) {
	ctx := context.Background()
	r, _, _ := realRedis(t)
	rate := Rate{Limit: 2, Period: time.Hour}

	for range 2 {
		res, err := r.Allow(ctx, "anon:10.0.0.1", rate)
		require.NoError(t, err)
		require.True(t, res.Allowed)
	}
	res, err := r.Allow(ctx, "anon:10.0.0.1", rate)
	require.NoError(t, err)
	require.False(t, res.Allowed)

	res, err = r.Allow(ctx, "anon:10.0.0.2", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed, "another key has its own bucket")
	assert.Equal(t, 1, res.Remaining)
}

func TestRedisPrefixesAreIndependent(t *testing.T) {
	ctx := context.Background()
	a, _, _ := realRedis(t)
	b, _, _ := realRedis(t)
	rate := Rate{Limit: 1, Period: time.Hour}

	res, err := a.Allow(ctx, "k", rate)
	require.NoError(t, err)
	require.True(t, res.Allowed)
	res, err = b.Allow(ctx, "k", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed, "the same key under another prefix is another bucket")
}

func TestRedisRejectsInvalidRate(t *testing.T) {
	r, _, _ := realRedis(t)
	_, err := r.Allow(context.Background(), "k", Rate{})
	assert.Error(t, err)
}

// miniredis answers TIME from a settable clock, which is the only way to
// check the refill through the real Lua script without sleeping.
func TestRedisRefillOnControlledClock(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	mr.SetTime(now)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = client.Close() })
	r := NewRedis(client, "t:")
	rate := Rate{Limit: 4, Period: time.Minute}
	interval := rate.Period / time.Duration(rate.Limit)

	for i := range rate.Limit {
		res, err := r.Allow(ctx, "k", rate)
		require.NoError(t, err)
		require.True(t, res.Allowed)
		assert.Equal(t, rate.Limit-1-i, res.Remaining)
	}
	res, err := r.Allow(ctx, "k", rate)
	require.NoError(t, err)
	require.False(t, res.Allowed)
	assert.InDelta(t, interval.Seconds(), res.RetryAfter.Seconds(), 0.001)
	assert.InDelta(t, rate.Period.Seconds(), res.ResetAfter.Seconds(), 0.001)

	mr.SetTime(now.Add(interval))
	res, err = r.Allow(ctx, "k", rate)
	require.NoError(t, err)
	assert.True(t, res.Allowed, "one request is earned back after Period/Limit")
	assert.Equal(t, 0, res.Remaining)
	res, err = r.Allow(ctx, "k", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed, "and only one")
}

func TestRedisErrorIsWrapped(t *testing.T) {
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = client.Close() })
	mr.Close()

	_, err := NewRedis(client, "t:").Allow(context.Background(), "user:7", Rate{Limit: 1, Period: time.Minute})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ratelimit: redis")
	assert.Contains(t, err.Error(), "user:7")
}
