package ratelimit

import (
	"context"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Redis is a GCRA limiter whose buckets live in Redis, shared by every
// process that uses the same server and prefix. Each bucket is one key,
// "rate:" + prefix + key (redis_rate adds "rate:"), that expires by itself
// once the bucket is full again, so Redis memory stays bounded too.
type Redis struct {
	limiter *redis_rate.Limiter
	prefix  string
}

// NewRedis returns a limiter on client. prefix namespaces the keys so
// several deployments (or test runs) can share one Redis database.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{limiter: redis_rate.NewLimiter(client), prefix: prefix}
}

// Allow spends one request from key's bucket if rate still has room. A Redis
// failure is returned as an error, never as a verdict: whether to fail open,
// closed or over to another limiter is the caller's policy (see Fallback).
func (r *Redis) Allow(ctx context.Context, key string, rate Rate) (Result, error) {
	if err := rate.validate(); err != nil {
		return Result{}, err
	}
	res, err := r.limiter.Allow(ctx, r.prefix+key, redis_rate.Limit{
		Rate:   rate.Limit,
		Burst:  rate.Limit,
		Period: rate.Period,
	})
	if err != nil {
		return Result{}, fmt.Errorf("ratelimit: redis check of %q at %s: %w", key, rate, err)
	}
	// redis_rate reports -1 for "not applicable" and computes in float
	// seconds; clamp so the HTTP layer can put the values in headers as is.
	out := Result{
		Allowed:    res.Allowed > 0,
		Limit:      rate.Limit,
		Remaining:  min(max(res.Remaining, 0), rate.Limit),
		ResetAfter: max(res.ResetAfter, 0),
	}
	if !out.Allowed {
		out.Remaining = 0
		out.RetryAfter = max(res.RetryAfter, 1)
	}
	return out, nil
}
