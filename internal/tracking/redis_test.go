package tracking

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

// realRedis connects to the shared test Redis under a prefix of its own.
func realRedis(t *testing.T) (redis.UniversalClient, string) {
	return testredis.New(t, "tracking")
}

func TestRedisStoreRoundTripAndTTL(t *testing.T) {
	ctx := context.Background()
	client, prefix := realRedis(t)
	const ttl = 2 * time.Minute
	s := NewRedisStore(client, prefix, ttl)

	m := sampleMetrics(Start().ID())
	require.NoError(t, s.Put(ctx, m))

	got, ok, err := s.Get(ctx, m.ID)
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, m.StartedAt.Equal(got.StartedAt))
	got.StartedAt = m.StartedAt
	assert.Equal(t, m, got, "every field survives, AccountID included")

	left, err := client.TTL(ctx, prefix+"tracking:"+m.ID).Result()
	require.NoError(t, err)
	assert.Positive(t, left, "the key expires")
	assert.LessOrEqual(t, left, ttl)

	_, ok, err = s.Get(ctx, Start().ID())
	require.NoError(t, err)
	assert.False(t, ok, "unknown id")
}

func TestRedisStoreExpiry(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = client.Close() })
	s := NewRedisStore(client, "p:", 0) // 0 means DefaultTTL

	m := sampleMetrics(testID(1))
	require.NoError(t, s.Put(ctx, m))
	key := "p:tracking:" + m.ID
	require.True(t, mr.Exists(key))
	assert.Equal(t, DefaultTTL, mr.TTL(key))

	mr.FastForward(DefaultTTL - time.Second)
	_, ok, err := s.Get(ctx, m.ID)
	require.NoError(t, err)
	assert.True(t, ok)

	mr.FastForward(time.Second)
	_, ok, err = s.Get(ctx, m.ID)
	require.NoError(t, err)
	assert.False(t, ok, "expired after the TTL")
}

func TestRedisStoreErrors(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	// No command or dial retries: the server is closed on purpose below.
	client := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = client.Close() })
	s := NewRedisStore(client, "p:", time.Minute)

	assert.Error(t, s.Put(ctx, sampleMetrics("bad id")))
	_, ok, err := s.Get(ctx, "p:*")
	require.NoError(t, err, "a malformed id is simply not found")
	assert.False(t, ok)

	require.NoError(t, mr.Set("p:tracking:"+testID(1), "{not json"))
	_, ok, err = s.Get(ctx, testID(1))
	assert.Error(t, err, "a corrupt value is a store failure, not a miss")
	assert.False(t, ok)

	mr.Close()
	assert.Error(t, s.Put(ctx, sampleMetrics(testID(2))))
	_, _, err = s.Get(ctx, testID(2))
	assert.Error(t, err)
}
