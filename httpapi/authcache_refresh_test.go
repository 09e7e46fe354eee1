package httpapi

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/igny8-go/internal/ttlcache"
	"github.com/igny8/igny8-go/tenancy"
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

// startRefresh takes the refresh ticket of key (due: half its TTL has
// passed) and runs refreshEntry with load in the background, as cached
// does; the returned channel closes once the refresh has stored or given
// up, so a test can look at the cache after it without guessing.
func startRefresh[K comparable, V any](t *testing.T, c *ttlcache.Cache[K, V], key K, load func(context.Context) (V, error)) <-chan struct{} {
	t.Helper()
	_, ok, ticket := c.Lookup(key)
	if !ok || ticket == nil {
		t.Fatalf("no refresh due for %v", key)
	}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		refreshEntry(slog.Default(), c, key, *ticket, load)
	}()
	return finished
}

// A slow refresh that read before a change made elsewhere, and completes
// after the entry expired and a request loaded the changed value, must not
// put the old value back.
func TestAuthCacheSlowRefreshKeepsTheNewerValue(t *testing.T) {
	const ttl = 2 * time.Second
	clk := &testClock{t: time.Unix(1000, 0)}
	c := ttlcache.New[int, string](ttl, 10, clk.now)
	var mu sync.Mutex
	state := "active"
	read := func(context.Context) (string, error) { mu.Lock(); defer mu.Unlock(); return state, nil }
	ctx, log := context.Background(), slog.Default()

	if v, _ := cached(ctx, log, c, 1, read); v != "active" {
		t.Fatal(v)
	}
	clk.add(ttl / 2)
	release, readDone := make(chan struct{}), make(chan struct{})
	finished := startRefresh(t, c, 1, func(ctx context.Context) (string, error) {
		s, _ := read(ctx)
		close(readDone)
		<-release
		return s, nil
	})
	<-readDone
	mu.Lock()
	state = "suspended" // on another server, right after the refresh read
	mu.Unlock()
	clk.add(ttl/2 + time.Millisecond) // the old entry expires
	if v, _ := cached(ctx, log, c, 1, read); v != "suspended" {
		t.Fatalf("after expiry: %s", v)
	}
	close(release)
	<-finished
	if got, _ := c.Get(1); got != "suspended" {
		t.Fatalf("cached %q after the slow refresh, want suspended", got)
	}
}

// The ordering a write through this server makes: refresh ticket, refresh
// reads, the write commits, forgetAccount, the refresh stores — refused.
// A refresh with no invalidation meanwhile is stored (the control).
func TestAuthCacheRefreshReadBeforeInvalidationRefused(t *testing.T) {
	const ttl = 2 * time.Second
	clk := &testClock{t: time.Unix(1000, 0)}
	a := &api{
		principals:     ttlcache.New[principalKeyID, principalSnapshot](ttl, 10, clk.now),
		moduleSwitches: ttlcache.New[moduleKey, bool](ttl, 10, clk.now),
	}
	k := principalKeyID{user: 1, account: 7}
	as := func(role tenancy.Role) principalSnapshot {
		return principalSnapshot{user: tenancy.User{ID: 1, Role: role}}
	}

	a.principals.Set(k, as(tenancy.RoleEditor))
	clk.add(ttl / 2)
	<-startRefresh(t, a.principals, k, func(context.Context) (principalSnapshot, error) { return as(tenancy.RoleViewer), nil })
	if v, _ := a.principals.Get(k); v.user.Role != tenancy.RoleViewer {
		t.Fatalf("control: refresh not stored, cached role %q", v.user.Role)
	}

	clk.add(ttl / 2)
	release := make(chan struct{})
	finished := startRefresh(t, a.principals, k, func(context.Context) (principalSnapshot, error) {
		<-release
		return as(tenancy.RoleViewer), nil // read before the change committed
	})
	a.forgetAccount(7) // the write through this server
	close(release)
	<-finished
	if v, ok := a.principals.Get(k); ok {
		t.Fatalf("stale value stored after the invalidation: role %q", v.user.Role)
	}
}
