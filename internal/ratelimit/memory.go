package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

const (
	// memoryShards spreads keys over independent locks so unrelated clients
	// do not queue behind one mutex on a busy server.
	memoryShards = 32
	// sweepEvery bounds how long buckets that have filled up again linger
	// when traffic is steady and the size trigger never fires.
	sweepEvery = time.Minute
	// minSweepSize keeps small maps from being swept on nearly every insert.
	minSweepSize = 1024
)

// Memory is an in-process GCRA limiter. It is exact for one process and is
// what the embedded mode and the Redis fallback use.
//
// Memory is bounded by the keys that are actually throttled: a bucket that
// has refilled completely is indistinguishable from a missing one, so each
// shard drops such buckets when it has grown to twice its size after the
// previous sweep (amortised O(1) per request) and at least once a minute.
// No goroutine is involved, so there is nothing to close.
type Memory struct {
	now    func() time.Time
	start  time.Time
	seed   maphash.Seed
	shards [memoryShards]memoryShard
}

type memoryShard struct {
	mu sync.Mutex
	// tats holds each key's theoretical arrival time as nanoseconds since
	// Memory.start: an offset from a monotonic reading, so a wall-clock step
	// cannot lock clients out or hand them a fresh burst.
	tats      map[string]time.Duration
	lastSweep time.Duration
	sweepAt   int
}

// NewMemory returns an empty in-process limiter; now is the clock (nil means
// time.Now) so tests can move time instead of sleeping.
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	m := &Memory{now: now, start: now(), seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].tats = make(map[string]time.Duration)
		m.shards[i].sweepAt = minSweepSize
	}
	return m
}

// Allow spends one request from key's bucket if rate still has room.
func (m *Memory) Allow(ctx context.Context, key string, rate Rate) (Result, error) {
	if err := rate.validate(); err != nil {
		return Result{}, err
	}
	interval, burst := gcra(rate)

	sh := &m.shards[maphash.String(m.seed, key)%memoryShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	// Reading the clock under the lock keeps "now" non-decreasing within a
	// shard, so two racing requests cannot both see the older instant.
	now := m.now().Sub(m.start)
	sh.maybeSweep(now)

	tat, ok := sh.tats[key]
	if !ok || tat < now {
		tat = now
	}
	newTAT := tat + interval
	allowAt := newTAT - burst
	if now < allowAt {
		return Result{
			Allowed:    false,
			Limit:      rate.Limit,
			RetryAfter: allowAt - now,
			ResetAfter: tat - now,
		}, nil
	}
	sh.tats[key] = newTAT
	return Result{
		Allowed:    true,
		Limit:      rate.Limit,
		Remaining:  int((now - allowAt) / interval),
		ResetAfter: newTAT - now,
	}, nil
}

// gcra returns the emission interval (time to earn one request back) and the
// burst tolerance. The tolerance is derived from the rounded interval rather
// than taken as Period, so a full bucket holds exactly Limit requests even
// when Period does not divide evenly.
func gcra(rate Rate) (interval, burst time.Duration) {
	interval = max(rate.Period/time.Duration(rate.Limit), 1)
	return interval, interval * time.Duration(rate.Limit)
}

// maybeSweep drops buckets that are full again. Sweeping on size doubling
// keeps the cost amortised; the periodic sweep catches shards that stopped
// growing. Go maps never give memory back, so after a spike (say a scan
// from many addresses) a mostly empty map is copied into a right-sized one.
func (s *memoryShard) maybeSweep(now time.Duration) {
	if len(s.tats) < s.sweepAt && now-s.lastSweep < sweepEvery {
		return
	}
	peak := len(s.tats)
	for k, tat := range s.tats {
		if tat <= now {
			delete(s.tats, k)
		}
	}
	if peak > minSweepSize && len(s.tats) < peak/4 {
		fresh := make(map[string]time.Duration, len(s.tats))
		for k, v := range s.tats {
			fresh[k] = v
		}
		s.tats = fresh
	}
	s.lastSweep = now
	s.sweepAt = max(2*len(s.tats), minSweepSize)
}
