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
	c.DeleteFunc(func(k string, v int) bool { return v%2 == 0 })
	if _, ok := c.Get("c"); ok {
		t.Fatal("DeleteFunc kept c")
	}
	if v, ok := c.Get("d"); !ok || v != 5 {
		t.Fatal("DeleteFunc dropped d")
	}
}

// Past half its TTL an entry asks exactly one caller to refresh it; the
// refreshed value lives a full TTL again. A refresh is refused once its
// entry was deleted or replaced, not for deletions of other keys; a load
// after a miss is refused after any deletion.
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
	c.DeleteFunc(func(k string, _ int) bool { return k == "other" }) // another key's invalidation
	if !c.SetIf("a", 2, *tk) {
		t.Fatal("refresh refused although its entry is still there")
	}
	clk.t = clk.t.Add(900 * time.Millisecond) // 1.4 s after the first Set: the refreshed value lives on
	_, _, tk = c.Lookup("a")
	if v, ok := c.Get("a"); !ok || v != 2 || tk == nil {
		t.Fatalf("after refresh: %v, %v, refresh %v", v, ok, tk)
	}
	c.DeleteFunc(func(k string, _ int) bool { return k == "a" }) // a's invalidation
	if c.SetIf("a", 3, *tk) {
		t.Fatal("a refresh of a deleted entry was stored")
	}
	if _, ok, _ := c.Lookup("a"); ok {
		t.Fatal("deleted entry came back")
	}

	c.Set("a", 4)
	clk.t = clk.t.Add(600 * time.Millisecond)
	_, _, tk = c.Lookup("a")
	c.Set("a", 5) // replaced meanwhile (say, by a load after an invalidation)
	if c.SetIf("a", 6, *tk) {
		t.Fatal("a refresh of a replaced entry was stored")
	}
	if v, _ := c.Get("a"); v != 5 {
		t.Fatalf("a = %d, want 5", v)
	}

	miss := c.Ticket()
	c.Delete("zzz")
	if c.SetIf("b", 7, miss) {
		t.Fatal("a load after a miss was stored after a deletion")
	}
	miss = c.Ticket()
	if !c.SetIf("b", 8, miss) {
		t.Fatal("a load after a miss refused with no deletion")
	}
	clk.t = clk.t.Add(2 * time.Second)
	if _, ok, refresh := c.Lookup("b"); ok || refresh != nil {
		t.Fatalf("expired entry: %v, %v", ok, refresh)
	}
}
