package ttlcache

import (
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestExpiryRenewalAndBound(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[string, int](time.Second, 3, clk.now)
	c.Set("a", 1)
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %v, %v", v, ok)
	}
	clk.t = clk.t.Add(999 * time.Millisecond)
	c.Set("b", 2) // a is still live
	if _, ok := c.Get("a"); !ok {
		t.Fatal("a expired early")
	}
	clk.t = clk.t.Add(time.Millisecond)
	if _, ok := c.Get("a"); ok {
		t.Fatal("a outlived its TTL")
	}
	c.Set("b", 3) // renews b
	clk.t = clk.t.Add(500 * time.Millisecond)
	if v, ok := c.Get("b"); !ok || v != 3 {
		t.Fatalf("renewed b = %v, %v", v, ok)
	}
	c.Set("c", 4)
	c.Set("d", 5)
	c.Set("e", 6) // over the bound of 3: the oldest (b) goes
	if _, ok := c.Get("b"); ok {
		t.Fatal("the bound did not drop the oldest entry")
	}
	if c.Len() != 3 {
		t.Fatalf("Len = %d", c.Len())
	}
	c.DeleteKeys(func(k string) bool { return k == "c" })
	if _, ok := c.Get("c"); ok {
		t.Fatal("DeleteKeys kept c")
	}
	if v, ok := c.Get("d"); !ok || v != 5 {
		t.Fatal("DeleteKeys dropped d")
	}
}

// Past half its TTL an entry asks exactly one caller to refresh it; the
// refreshed value lives a TTL from when its load began. A refresh is
// refused once its entry was deleted or replaced, a load after a miss once
// a deletion matched its key — deletions of other keys hold neither back.
func TestLookupRefreshAndTickets(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[string, int](time.Second, 10, clk.now)
	c.Set("a", 1)
	if v, ok, refresh := c.Lookup("a"); !ok || v != 1 || refresh != nil {
		t.Fatalf("fresh Lookup = %v, %v, %v", v, ok, refresh)
	}
	clk.t = clk.t.Add(500 * time.Millisecond)
	_, ok, tk := c.Lookup("a")
	if !ok || tk == nil {
		t.Fatalf("half-way Lookup = %v, %v; want a refresh", ok, tk)
	}
	if _, ok, again := c.Lookup("a"); !ok || again != nil {
		t.Fatalf("second half-way Lookup = %v, %v; want the value and no second refresh", ok, again)
	}
	c.DeleteKeys(func(k string) bool { return k == "other" }) // another key's invalidation
	clk.t = clk.t.Add(100 * time.Millisecond)                 // the load took 100 ms
	if !c.SetIf("a", 2, *tk) {
		t.Fatal("refresh refused although its entry is still there")
	}
	clk.t = clk.t.Add(850 * time.Millisecond) // 1.45 s after the first Set, 0.95 s after the load began
	if v, ok := c.Get("a"); !ok || v != 2 {
		t.Fatalf("after refresh: %v, %v", v, ok)
	}
	clk.t = clk.t.Add(50 * time.Millisecond) // a TTL after the load began, not after SetIf
	if _, ok := c.Get("a"); ok {
		t.Fatal("a refreshed value outlived a TTL from its read")
	}

	c.Set("a", 3)
	clk.t = clk.t.Add(600 * time.Millisecond)
	_, _, tk = c.Lookup("a")
	c.DeleteKeys(func(k string) bool { return k == "a" }) // a's invalidation
	if c.SetIf("a", 4, *tk) {
		t.Fatal("a refresh of a deleted entry was stored")
	}
	if _, ok, _ := c.Lookup("a"); ok {
		t.Fatal("deleted entry came back")
	}

	c.Set("a", 5)
	clk.t = clk.t.Add(600 * time.Millisecond)
	_, _, tk = c.Lookup("a")
	c.Set("a", 6) // replaced meanwhile (say, by a load after an invalidation)
	if c.SetIf("a", 7, *tk) {
		t.Fatal("a refresh of a replaced entry was stored")
	}
	if v, _ := c.Get("a"); v != 6 {
		t.Fatalf("a = %d, want 6", v)
	}

	miss := c.Ticket("b")
	c.Delete("zzz")
	if !c.SetIf("b", 8, miss) {
		t.Fatal("a load after a miss refused for another key's deletion")
	}
	miss = c.Ticket("c")
	other := c.Ticket("c")
	c.Delete("c") // no entry yet: the loads in progress are what it concerns
	if c.SetIf("c", 9, miss) {
		t.Fatal("a load after a miss was stored after its key's deletion")
	}
	c.Release(other)
	if len(c.loads) != 0 {
		t.Fatalf("%d loads still recorded", len(c.loads))
	}
	slow := c.Ticket("d")
	clk.t = clk.t.Add(time.Second)
	if c.SetIf("d", 10, slow) {
		t.Fatal("a value read a whole TTL ago was stored")
	}
}
