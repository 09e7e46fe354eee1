// Package testredis connects tests to the shared test Redis
// (IGNY8_TEST_REDIS_URL, default the local server) under a random key
// prefix of their own, and deletes exactly that prefix's keys when the test
// ends: packages test concurrently against one database, so never FLUSHDB.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/redis/go-redis/v9"
)

// DefaultURL is used when IGNY8_TEST_REDIS_URL is not set.
const DefaultURL = "redis://127.0.0.1:6379/0"

// URL is the test Redis.
func URL() string {
	if u := os.Getenv("IGNY8_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Prefix returns a fresh key prefix "igny8test:<label>:<random>:".
func Prefix(label string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "igny8test:" + label + ":" + hex.EncodeToString(b) + ":"
}

// New connects to the test Redis (failing the test when it is down) and
// returns a client and a fresh prefix; every key containing the prefix is
// deleted at cleanup (a library may put its own namespace in front, as
// redis_rate's "rate:").
func New(t testing.TB, label string) (*redis.Client, string) {
	t.Helper()
	opts, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("testredis: IGNY8_TEST_REDIS_URL: %v", err)
	}
	client := redis.NewClient(opts)
	ctx := context.Background()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		t.Fatalf("testredis: Redis at %s: %v (run scripts/test.sh, which starts it)", opts.Addr, err)
	}
	prefix := Prefix(label)
	t.Cleanup(func() {
		defer client.Close()
		Clean(t, client, prefix)
	})
	return client, prefix
}

// Clean deletes every key that contains prefix.
func Clean(t testing.TB, client redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := client.Scan(ctx, 0, "*"+prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Errorf("testredis: scan test keys: %v", err)
		return
	}
	if len(keys) > 0 {
		if err := client.Del(ctx, keys...).Err(); err != nil {
			t.Errorf("testredis: delete test keys: %v", err)
		}
	}
}
