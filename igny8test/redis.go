package igny8test

import (
	"testing"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/internal/testredis"
)

// RedisURL is the test Redis (IGNY8_TEST_REDIS_URL or the local default).
func RedisURL() string { return testredis.URL() }

// WithRedis points the App at the test Redis under a key prefix of its own
// (several Apps given the same prefix share counters, like replicas) and
// deletes that prefix's keys when the test ends — never FLUSHDB.
func WithRedis(t testing.TB, prefix string) Option {
	client, own := testredis.New(t, "app")
	if prefix == "" {
		prefix = own
	} else {
		t.Cleanup(func() { testredis.Clean(t, client, prefix) })
	}
	return func(c *igny8.Config) {
		c.RedisURL = RedisURL()
		c.RedisKeyPrefix = prefix
	}
}
