package igny8test

import (
	"context"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/igny8/igny8-go"
)

// DefaultRedisURL is used when IGNY8_TEST_REDIS_URL is not set.
const DefaultRedisURL = "redis://127.0.0.1:6379/0"

// RedisURL is the test Redis (IGNY8_TEST_REDIS_URL or the local default).
func RedisURL() string {
	if u := os.Getenv("IGNY8_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultRedisURL
}

// WithRedis points the App at the test Redis under a key prefix of its own
// (several Apps given the same prefix share counters, like replicas) and
// deletes that prefix's keys when the test ends — never FLUSHDB.
func WithRedis(t testing.TB, prefix string) Option {
	if prefix == "" {
		prefix = "igny8test:" + randomHex(6) + ":"
	}
	opts, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("igny8test: redis url: %v", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(context.Background()).Err(); err != nil {
		_ = client.Close()
		t.Fatalf("igny8test: Redis at %s: %v (run scripts/test.sh, which starts it)", RedisURL(), err)
	}
	t.Cleanup(func() {
		defer client.Close()
		ctx := context.Background()
		iter := client.Scan(ctx, 0, "*"+prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
	})
	return func(c *igny8.Config) {
		c.RedisURL = RedisURL()
		c.RedisKeyPrefix = prefix
	}
}
