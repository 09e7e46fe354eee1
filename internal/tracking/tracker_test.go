package tracking

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrackerDurationAndNonNegativeDeltas(t *testing.T) {
	tr := Start()
	require.True(t, validID(tr.ID()), "id %q", tr.ID())
	const pause = 20 * time.Millisecond
	time.Sleep(pause)
	m := tr.Finish("GET", "/api/v1/planner/keywords/", 200, 7)

	assert.Equal(t, tr.ID(), m.ID)
	assert.Equal(t, int64(7), m.AccountID)
	assert.Equal(t, "GET", m.Method)
	assert.Equal(t, "/api/v1/planner/keywords/", m.Path)
	assert.Equal(t, 200, m.Status)
	assert.GreaterOrEqual(t, m.DurationMS, float64(pause)/float64(time.Millisecond))
	assert.GreaterOrEqual(t, m.CPUTimeMS, 0.0)
	assert.Zero(t, m.DBQueries)
	assert.Zero(t, m.DBTimeMS)
	assert.False(t, m.StartedAt.IsZero())
	assert.Equal(t, time.UTC, m.StartedAt.Location())
	assert.WithinDuration(t, time.Now(), m.StartedAt, time.Minute)
}

func TestTrackerIDsAreDistinct(t *testing.T) {
	seen := make(map[string]bool)
	for range 100 {
		id := Start().ID()
		require.False(t, seen[id], "duplicate id %s", id)
		seen[id] = true
	}
	var nilTracker *Tracker
	assert.Empty(t, nilTracker.ID(), "a nil Tracker (untracked request) has no id")
}

func TestTrackerCountsAllocations(t *testing.T) {
	// A size the compiler cannot see keeps the slice off the stack; above
	// 32 KiB it is a large allocation, which the runtime counts at once.
	size := 8 << 20
	tr := Start()
	buf := make([]byte, size)
	buf[size-1] = 1
	runtime.KeepAlive(buf)
	m := tr.Finish("POST", "/x", 201, 1)

	assert.GreaterOrEqual(t, m.AllocBytes, uint64(size))
	assert.GreaterOrEqual(t, m.Allocs, uint64(1))
}

func TestTrackerMeasuresCPU(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no getrusage: CPU time is always 0 here")
	}
	tr := Start()
	// Spin rather than sleep: only running code consumes CPU time.
	deadline := time.Now().Add(50 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	m := tr.Finish("GET", "/spin", 200, 1)
	assert.Positive(t, x)
	assert.Positive(t, m.CPUTimeMS)
}

func TestContextRoundTrip(t *testing.T) {
	ctx := context.Background()
	assert.Nil(t, FromContext(ctx))
	assert.Equal(t, ctx, WithTracker(ctx, nil), "no tracker, no new context")

	tr := Start()
	tracked := WithTracker(ctx, tr)
	assert.Same(t, tr, FromContext(tracked))
	child, cancel := context.WithCancel(tracked)
	defer cancel()
	assert.Same(t, tr, FromContext(child), "derived contexts keep the tracker")
	assert.Nil(t, FromContext(ctx), "the parent is unchanged")
}

func TestMetricsJSON(t *testing.T) {
	m := Metrics{
		ID: "0123456789abcdef0123456789abcdef", AccountID: 42, Method: "GET", Path: "/p", Status: 200,
		DurationMS: 1.5, CPUTimeMS: 0.5, AllocBytes: 10, Allocs: 2, DBQueries: 3, DBTimeMS: 0.25,
		StartedAt: time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC),
	}
	data, err := json.Marshal(m)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(data, &got))
	for _, k := range []string{"id", "method", "path", "status", "duration_ms", "cpu_time_ms",
		"alloc_bytes", "allocs", "db_queries", "db_time_ms", "started_at"} {
		assert.Contains(t, got, k)
	}
	assert.Len(t, got, 11)
	assert.NotContains(t, string(data), "account", "the account is for the read check only")
}

func TestValidID(t *testing.T) {
	assert.True(t, validID("0123456789abcdef0123456789abcdef"))
	for _, id := range []string{"", "0123456789abcdef", "0123456789ABCDEF0123456789abcdef",
		"0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcdef0", "*", "../../etc"} {
		assert.False(t, validID(id), id)
	}
}
