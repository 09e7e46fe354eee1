package ratelimit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer lets the test read what the logger wrote without racing it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSpace(b.buf.String()), "\n")
}

func newTestFallback(primary Limiter, clock *fakeClock) (*Fallback, *syncBuffer) {
	logs := &syncBuffer{}
	f := NewFallback(primary, NewMemory(clock.Now), slog.New(slog.NewTextHandler(logs, nil)))
	f.now = clock.Now
	f.start = clock.Now()
	return f, logs
}

func TestFallbackWhenRedisIsUnreachable(t *testing.T) {
	ctx := context.Background()
	// Port 1 refuses connections at once; without go-redis retrying the
	// command and the dial, each failure takes microseconds, not 400 ms.
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = client.Close() })
	clock := newFakeClock()
	f, logs := newTestFallback(NewRedis(client, "t:"), clock)
	rate := Rate{Limit: 3, Period: time.Minute}

	for i := range rate.Limit {
		res, err := f.Allow(ctx, "user:1", rate)
		require.NoError(t, err)
		assert.True(t, res.Allowed, "request %d", i+1)
		assert.Equal(t, rate.Limit-1-i, res.Remaining)
	}
	res, err := f.Allow(ctx, "user:1", rate)
	require.NoError(t, err)
	assert.False(t, res.Allowed, "an outage must not lift the limit")
	assert.Positive(t, res.RetryAfter)

	assert.Equal(t, int64(4), f.Failures())
	lines := logs.lines()
	require.Len(t, lines, 1, "failures within 10 s share one log line")
	assert.Contains(t, lines[0], "level=WARN")
	assert.Contains(t, lines[0], "rate limiter primary failed")
	assert.Contains(t, lines[0], "127.0.0.1:1")

	clock.Advance(fallbackLogEvery)
	_, err = f.Allow(ctx, "user:2", rate)
	require.NoError(t, err)
	lines = logs.lines()
	require.Len(t, lines, 2, "the outage is logged again after the quiet period")
	assert.Contains(t, lines[1], "suppressed_since_last_log=3")
	assert.Contains(t, lines[1], "failures_total=5")
}

func TestFallbackWhenRedisGoesAway(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { _ = client.Close() })
	clock := newFakeClock()
	f, logs := newTestFallback(NewRedis(client, "t:"), clock)
	rate := Rate{Limit: 2, Period: time.Hour}

	res, err := f.Allow(ctx, "k", rate)
	require.NoError(t, err)
	require.True(t, res.Allowed)
	assert.Zero(t, f.Failures(), "a healthy primary answers")
	assert.Equal(t, "", strings.Join(logs.lines(), ""))

	mr.Close()
	allowed := 0
	for range 5 {
		res, err := f.Allow(ctx, "k", rate)
		require.NoError(t, err)
		if res.Allowed {
			allowed++
		}
	}
	// The fallback starts empty, so it grants its own Limit: per-process
	// throttling, not none.
	assert.Equal(t, rate.Limit, allowed)
	assert.Equal(t, int64(5), f.Failures())
	assert.Len(t, logs.lines(), 1)
}

type stubLimiter struct {
	res Result
	err error
}

func (s stubLimiter) Allow(context.Context, string, Rate) (Result, error) { return s.res, s.err }

func TestFallbackUsesPrimaryAnswer(t *testing.T) {
	want := Result{Allowed: false, Limit: 9, RetryAfter: time.Second, ResetAfter: time.Minute}
	f, _ := newTestFallback(stubLimiter{res: want}, newFakeClock())
	got, err := f.Allow(context.Background(), "k", Rate{Limit: 9, Period: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Zero(t, f.Failures())
}

func TestFallbackBothFail(t *testing.T) {
	primaryErr := errors.New("primary down")
	fallbackErr := errors.New("fallback down")
	f := NewFallback(stubLimiter{err: primaryErr}, stubLimiter{err: fallbackErr}, slog.New(slog.DiscardHandler))
	_, err := f.Allow(context.Background(), "k", Rate{Limit: 1, Period: time.Minute})
	require.Error(t, err)
	assert.ErrorIs(t, err, primaryErr)
	assert.ErrorIs(t, err, fallbackErr)
}

func TestFallbackInvalidRateIsNotAnOutage(t *testing.T) {
	f, logs := newTestFallback(stubLimiter{err: errors.New("unused")}, newFakeClock())
	_, err := f.Allow(context.Background(), "k", Rate{})
	require.Error(t, err)
	assert.Zero(t, f.Failures())
	assert.Equal(t, "", strings.Join(logs.lines(), ""))
}

func TestFallbackConcurrentOutage(t *testing.T) {
	clock := newFakeClock()
	f, logs := newTestFallback(stubLimiter{err: errors.New("down")}, clock)
	rate := Rate{Limit: 10, Period: time.Minute}
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 32 {
		wg.Go(func() {
			for range 10 {
				res, err := f.Allow(context.Background(), "k", rate)
				if err != nil {
					t.Error(err)
					return
				}
				if res.Allowed {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 10, allowed)
	assert.Equal(t, int64(320), f.Failures())
	assert.Len(t, logs.lines(), 1, "a burst of failures logs once")
}
