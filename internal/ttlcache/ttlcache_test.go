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
