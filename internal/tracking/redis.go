package tracking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStore keeps Metrics in Redis, so any server of a fleet can answer for
// a request another one tracked. Each entry is one JSON string under
// prefix + "tracking:" + id that Redis expires by itself.
type RedisStore struct {
	client redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedisStore returns a store on client. prefix namespaces the keys so
// several deployments (or test runs) can share one database; ttl is the
// entries' lifetime (DefaultTTL when ttl <= 0: a key without expiry would
// stay forever).
func NewRedisStore(client redis.UniversalClient, prefix string, ttl time.Duration) *RedisStore {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &RedisStore{client: client, prefix: prefix, ttl: ttl}
}

// redisRecord is the stored form. Metrics omits AccountID from its JSON so
// API responses never show it, but the store must keep it for the read
// check; the outer field takes precedence over the promoted one.
type redisRecord struct {
	Metrics
	AccountID int64 `json:"account_id"`
}

// Put stores m under its id with the store's TTL (SET ... EX).
func (s *RedisStore) Put(ctx context.Context, m Metrics) error {
	if !validID(m.ID) {
		return fmt.Errorf("tracking: invalid metrics id %q", m.ID)
	}
	data, err := json.Marshal(redisRecord{Metrics: m, AccountID: m.AccountID})
	if err != nil {
		return fmt.Errorf("tracking: encode metrics %s: %w", m.ID, err)
	}
	if err := s.client.Set(ctx, s.key(m.ID), data, s.ttl).Err(); err != nil {
		return fmt.Errorf("tracking: store metrics %s in redis: %w", m.ID, err)
	}
	return nil
}

// Get returns the metrics stored under id; Redis has already dropped expired
// ones.
func (s *RedisStore) Get(ctx context.Context, id string) (Metrics, bool, error) {
	if !validID(id) {
		return Metrics{}, false, nil
	}
	data, err := s.client.Get(ctx, s.key(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Metrics{}, false, nil
	}
	if err != nil {
		return Metrics{}, false, fmt.Errorf("tracking: read metrics %s from redis: %w", id, err)
	}
	var rec redisRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return Metrics{}, false, fmt.Errorf("tracking: decode metrics %s: %w", id, err)
	}
	m := rec.Metrics
	m.AccountID = rec.AccountID
	return m, true, nil
}

func (s *RedisStore) key(id string) string {
	return s.prefix + "tracking:" + id
}
