package ratelimit

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	_ Limiter = (*Memory)(nil)
	_ Limiter = (*Redis)(nil)
	_ Limiter = (*Fallback)(nil)
)

// fakeClock lets tests move time explicitly, so no assertion depends on how
// fast the machine running them is.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestParseRate(t *testing.T) {
	day := 24 * time.Hour
	good := []struct {
		in   string
		want Rate
	}{
		{"10/min", Rate{10, time.Minute}},
		{"100/minute", Rate{100, time.Minute}},
		{"10/m", Rate{10, time.Minute}},
		{"5/s", Rate{5, time.Second}},
		{"5/sec", Rate{5, time.Second}},
		{"5/second", Rate{5, time.Second}},
		{"1000/hour", Rate{1000, time.Hour}},
		{"3/h", Rate{3, time.Hour}},
		{"20/day", Rate{20, day}},
		{"1/d", Rate{1, day}},
		{" 7 / Min ", Rate{7, time.Minute}},
	}
	for _, tc := range good {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRate(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	bad := []string{
		"", "10", "/min", "10/", "abc/min", "-1/min", "+5/min", "0/min",
		"1.5/min", "10/minute/extra", "10/week", "10/mnute", "10/1m",
		"99999999999999999999/min",
	}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			_, err := ParseRate(in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `"`+in+`"`, "the error names the bad input")
		})
	}
}

func TestRateString(t *testing.T) {
	for _, in := range []string{"10/min", "5/s", "1000/hour", "20/day"} {
		r, err := ParseRate(in)
		require.NoError(t, err)
		assert.Equal(t, in, r.String())
	}
	assert.Equal(t, "3/1m30s", Rate{3, 90 * time.Second}.String())
}
