package tracking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const defaultTestRedisURL = "redis://127.0.0.1:6379/0"

// realRedis connects to the shared test Redis and returns a client and a
// random prefix. Cleanup deletes only that prefix's keys: other packages'
// tests use the same database concurrently.
func realRedis(t *testing.T) (redis.UniversalClient, string) {
	t.Helper()
	url := os.Getenv("IGNY8_TEST_REDIS_URL")
	if url == "" {
		url = defaultTestRedisURL
	}
	opts, err := redis.ParseURL(url)
	require.NoError(t, err, "IGNY8_TEST_REDIS_URL")
	client := redis.NewClient(opts)
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		t.Fatalf("tracking: Redis at %s: %v (run scripts/test.sh, which starts it)", opts.Addr, err)
	}

	buf := make([]byte, 8)
	_, _ = rand.Read(buf)
	prefix := "igny8test:tracking:" + hex.EncodeToString(buf) + ":"
	t.Cleanup(func() {
		defer client.Close()
		iter := client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		var keys []string
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("scan test keys: %v", err)
			return
		}
		if len(keys) > 0 {
			if err := client.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("delete test keys: %v", err)
			}
		}
	})
	return client, prefix
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
