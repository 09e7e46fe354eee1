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
// refreshed value lives a full TTL again. A value loaded before an
// invalidation is refused, and its refresh may be asked for again.
func TestLookupRefreshAndTickets(t *testing.T) {
	clk := &clock{t: time.Unix(1000, 0)}
	c := New[string, int](time.Second, 10, clk.now)
	c.Set("a", 1)
	if v, ok, refresh := c.Lookup("a"); !ok || v != 1 || refresh {
		t.Fatalf("fresh Lookup = %v, %v, %v", v, ok, refresh)
	}
	clk.t = clk.t.Add(500 * time.Millisecond)
	tk := c.Ticket()
	if _, ok, refresh := c.Lookup("a"); !ok || !refresh {
		t.Fatalf("half-way Lookup = %v, %v; want a refresh", ok, refresh)
	}
	if _, ok, refresh := c.Lookup("a"); !ok || refresh {
		t.Fatalf("second half-way Lookup = %v, %v; want the value and no second refresh", ok, refresh)
	}
	if !c.SetIf("a", 2, tk) {
		t.Fatal("SetIf with a current ticket refused")
	}
	clk.t = clk.t.Add(900 * time.Millisecond) // 1.4 s after the first Set: the refreshed value lives on
	if v, ok, refresh := c.Lookup("a"); !ok || v != 2 || !refresh {
		t.Fatalf("Lookup after refresh = %v, %v, %v", v, ok, refresh)
	}

	stale := c.Ticket()
	c.DeleteFunc(func(k string, _ int) bool { return k == "other" }) // any invalidation
	if c.SetIf("a", 3, stale) {
		t.Fatal("a value loaded before an invalidation was stored")
	}
	if v, _, refresh := c.Lookup("a"); v != 2 || !refresh {
		t.Fatalf("after a refused refresh: %v, refresh %v; want the old value and a new refresh", v, refresh)
	}
	tk = c.Ticket()
	c.Delete("a")
	if c.SetIf("a", 4, tk) {
		t.Fatal("a value loaded before Delete was stored")
	}
	if _, ok, _ := c.Lookup("a"); ok {
		t.Fatal("deleted entry still there")
	}
	clk.t = clk.t.Add(2 * time.Second)
	c.Set("b", 5)
	clk.t = clk.t.Add(time.Second)
	if _, ok, refresh := c.Lookup("b"); ok || refresh {
		t.Fatalf("expired entry: %v, %v", ok, refresh)
	}
}
