package httpapi

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/igny8-go/internal/ttlcache"
)

// One busy key under a steady stream of writes by other accounts (each
// forgets its own account's entries): its loads must stay about what they
// are without the writes. A cache-wide "something was deleted" check once
// refused every load in flight, so the key was reloaded back to back.
func TestAuthCacheRefreshUnderOtherAccountsWrites(t *testing.T) {
	run := func(writes bool) int64 {
		c := ttlcache.New[int, int](200*time.Millisecond, 1000, nil)
		var loads atomic.Int64
		load := func(context.Context) (int, error) {
			loads.Add(1)
			time.Sleep(2 * time.Millisecond) // the queries
			return 1, nil
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		loop := func(step func()) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
						step()
					}
				}
			}()
		}
		for range 8 { // requests of one busy account
			loop(func() {
				_, _ = cached(context.Background(), slog.Default(), c, 1, load)
				time.Sleep(200 * time.Microsecond)
			})
		}
		if writes { // ≈ 1000 writes/s through this server by other accounts
			loop(func() {
				c.DeleteKeys(func(k int) bool { return k == 999 })
				time.Sleep(time.Millisecond)
			})
		}
		time.Sleep(time.Second)
		close(stop)
		wg.Wait()
		return loads.Load()
	}
	quiet, busy := run(false), run(true)
	t.Logf("loads of one key in 1 s (TTL 200 ms): %d without other writes, %d with", quiet, busy)
	if busy > 3*quiet+5 {
		t.Errorf("other accounts' invalidations multiply one key's loads: %d vs %d", busy, quiet)
	}
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// A slow refresh that read before a change made elsewhere, and completes
// after the entry expired and a request loaded the changed value, must not
// put the old value back.
func TestAuthCacheSlowRefreshKeepsTheNewerValue(t *testing.T) {
	const ttl = 2 * time.Second
	clk := &testClock{t: time.Unix(1000, 0)}
	c := ttlcache.New[int, string](ttl, 10, clk.now)
	var mu sync.Mutex
	state := "active"
	read := func() string { mu.Lock(); defer mu.Unlock(); return state }
	ctx, log := context.Background(), slog.Default()

	v, _ := cached(ctx, log, c, 1, func(context.Context) (string, error) { return read(), nil })
	if v != "active" {
		t.Fatal(v)
	}
	clk.add(ttl / 2)
	release, read1, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	cached(ctx, log, c, 1, func(context.Context) (string, error) { // starts the refresh
		s := read()
		close(read1)
		<-release
		defer close(done)
		return s, nil
	})
	<-read1
	mu.Lock()
	state = "suspended" // on another server, right after the refresh read
	mu.Unlock()
	clk.add(ttl/2 + time.Millisecond) // the old entry expires
	if v, _ := cached(ctx, log, c, 1, func(context.Context) (string, error) { return read(), nil }); v != "suspended" {
		t.Fatalf("after expiry: %s", v)
	}
	close(release)
	<-done
	for range 100 { // the refresh's SetIf runs after load returns
		time.Sleep(time.Millisecond)
	}
	if got, _ := c.Get(1); got != "suspended" {
		t.Fatalf("cached %q after the slow refresh, want suspended", got)
	}
}

// The ordering a write through this server makes: refresh ticket, refresh
// reads, the write commits, forgetAccount, the refresh stores — refused.
func TestAuthCacheRefreshReadBeforeInvalidationRefused(t *testing.T) {
	const ttl = 2 * time.Second
	clk := &testClock{t: time.Unix(1000, 0)}
	c := ttlcache.New[principalKeyID, string](ttl, 10, clk.now)
	k := principalKeyID{1, 7}
	ctx, log := context.Background(), slog.Default()
	cached(ctx, log, c, k, func(context.Context) (string, error) { return "editor", nil })
	clk.add(ttl / 2)
	release, done := make(chan struct{}), make(chan struct{})
	cached(ctx, log, c, k, func(context.Context) (string, error) {
		<-release
		defer close(done)
		return "editor", nil // read before the change committed
	})
	c.DeleteKeys(func(key principalKeyID) bool { return key.account == 7 }) // what forgetAccount(7) does
	close(release)
	<-done
	for range 100 {
		time.Sleep(time.Millisecond)
	}
	if v, ok := c.Get(k); ok {
		t.Fatalf("stale value stored after the invalidation: %q", v)
	}
}
