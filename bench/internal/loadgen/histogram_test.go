package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketsCoverEveryValueOnce(t *testing.T) {
	// Each bucket's range must contain the values mapped to it, and the
	// buckets must tile the line without gaps.
	next := int64(0)
	for i := range buckets {
		low, width := bucketRange(i)
		if low != next {
			t.Fatalf("bucket %d starts at %d, want %d", i, low, next)
		}
		if bucketOf(low) != i || bucketOf(low+width-1) != i {
			t.Fatalf("bucket %d [%d,%d) does not map back", i, low, low+width)
		}
		if i >= exact && float64(width)/float64(low) > 1.0/subCount+1e-12 {
			t.Fatalf("bucket %d too wide: %d at %d", i, width, low)
		}
		next = low + width
		if next < 0 { // wrapped: the last bucket reaches MaxInt64
			break
		}
	}
	if got := bucketOf(math.MaxInt64); got != buckets-1 {
		t.Fatalf("MaxInt64 in bucket %d, want %d", got, buckets-1)
	}
}

func TestPercentilesOfUniformValues(t *testing.T) {
	h := NewHistogram()
	for ms := 1; ms <= 1000; ms++ {
		h.Record(time.Duration(ms) * time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.9, 900 * time.Millisecond}, {0.99, 990 * time.Millisecond}, {1, time.Second}} {
		got := h.Percentile(c.q)
		if rel := math.Abs(float64(got-c.want)) / float64(c.want); rel > 0.008 {
			t.Errorf("p%v = %v, want %v (±0.8%%)", c.q*100, got, c.want)
		}
	}
	if h.Min() != time.Millisecond || h.Max() != time.Second {
		t.Fatalf("min/max = %v/%v", h.Min(), h.Max())
	}
	if h.Mean() != 500500*time.Microsecond {
		t.Fatalf("mean = %v", h.Mean())
	}
}

func TestPercentilesMatchSortedSampleAfterMerge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a, b := NewHistogram(), NewHistogram()
	var all []time.Duration
	for i := range 20000 {
		// Log-normal-ish latencies from 50µs to seconds.
		d := time.Duration(math.Exp(rng.NormFloat64()*1.2+math.Log(3e6))) + 50*time.Microsecond
		all = append(all, d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(b)
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := all[int(math.Ceil(q*float64(len(all))))-1]
		got := a.Percentile(q)
		if rel := math.Abs(float64(got-want)) / float64(want); rel > 0.008 {
			t.Errorf("p%v = %v, exact %v", q*100, got, want)
		}
	}
	if a.Count() != 20000 {
		t.Fatalf("count = %d", a.Count())
	}
}

func TestSmallValuesAreExactAndEmptyIsZero(t *testing.T) {
	h := NewHistogram()
	if h.Percentile(0.5) != 0 || h.Min() != 0 || h.Mean() != 0 {
		t.Fatal("empty histogram must report zeros")
	}
	for _, v := range []time.Duration{3, 3, 7, 200} {
		h.Record(v)
	}
	if h.Percentile(0.5) != 3 || h.Percentile(0.75) != 7 || h.Percentile(1) != 200 {
		t.Fatalf("p50/p75/p100 = %v/%v/%v", h.Percentile(0.5), h.Percentile(0.75), h.Percentile(1))
	}
}
