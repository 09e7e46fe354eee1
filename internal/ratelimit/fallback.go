package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// fallbackLogEvery spaces the outage log lines: during a Redis outage every
// request fails over, and one line per request would bury everything else.
const fallbackLogEvery = 10 * time.Second

// Fallback asks a primary limiter (Redis) and, when it fails, answers from a
// fallback limiter (Memory) instead. Failing closed would turn a Redis outage
// into an API outage, and failing open would drop throttling exactly when the
// system is degraded, so the request is still limited, only per process.
type Fallback struct {
	primary  Limiter
	fallback Limiter
	log      *slog.Logger
	now      func() time.Time
	start    time.Time

	failures   atomic.Int64
	lastLog    atomic.Int64 // time.Duration since start of the last outage line
	suppressed atomic.Int64 // failures not logged since that line
}

// NewFallback returns a limiter that uses primary and falls back to fallback
// on error. A nil log means slog.Default().
func NewFallback(primary Limiter, fallback Limiter, log *slog.Logger) *Fallback {
	if log == nil {
		log = slog.Default()
	}
	f := &Fallback{primary: primary, fallback: fallback, log: log, now: time.Now}
	f.start = f.now()
	f.lastLog.Store(int64(-fallbackLogEvery))
	return f
}

// Allow answers from the primary limiter, or from the fallback when the
// primary fails.
func (f *Fallback) Allow(ctx context.Context, key string, rate Rate) (Result, error) {
	// A bad rate is the caller's bug, not a primary outage: report it
	// without counting a failure or logging one.
	if err := rate.validate(); err != nil {
		return Result{}, err
	}
	res, err := f.primary.Allow(ctx, key, rate)
	if err == nil {
		return res, nil
	}
	n := f.failures.Add(1)
	f.report(ctx, err, n)
	res, ferr := f.fallback.Allow(ctx, key, rate)
	if ferr != nil {
		return Result{}, fmt.Errorf("ratelimit: primary and fallback limiters failed: %w", errors.Join(err, ferr))
	}
	return res, nil
}

// Failures counts primary errors since construction, for metrics and health
// checks that need to see an outage the rate-limited log may understate.
func (f *Fallback) Failures() int64 { return f.failures.Load() }

// report logs at most one line per fallbackLogEvery; the line carries how
// many failures were swallowed since the previous one so none go unseen.
func (f *Fallback) report(ctx context.Context, err error, total int64) {
	now := int64(f.now().Sub(f.start))
	last := f.lastLog.Load()
	if now-last < int64(fallbackLogEvery) || !f.lastLog.CompareAndSwap(last, now) {
		f.suppressed.Add(1)
		return
	}
	f.log.LogAttrs(ctx, slog.LevelWarn, "rate limiter primary failed; throttling per process from the fallback",
		slog.Any("err", err),
		slog.Int64("failures_total", total),
		slog.Int64("suppressed_since_last_log", f.suppressed.Swap(0)),
	)
}
