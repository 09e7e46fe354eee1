package loadgen

import (
	"math"
	"math/bits"
	"time"
)

// The histogram keeps values (nanoseconds) below 2*subCount exactly and
// larger ones in buckets subCount wide per power of two: every bucket spans
// less than 1/subCount of its values, so a percentile is off by < 0.8%.
const (
	subBits  = 7
	subCount = 1 << subBits // 128
	exact    = 2 * subCount // values below this have their own bucket
	// buckets covers every non-negative int64: shifts 1..55.
	buckets = exact + (63-subBits-1)*subCount
)

// Histogram counts durations. The zero value is not ready; use
// NewHistogram.
type Histogram struct {
	counts   []uint64
	total    uint64
	min, max int64
	sum      float64
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{counts: make([]uint64, buckets), min: math.MaxInt64}
}

// bucketOf maps a value to its bucket.
func bucketOf(v int64) int {
	if v < exact {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - (subBits + 1) // ≥ 1
	mant := int(v >> shift)                        // in [subCount, 2*subCount)
	return exact + (shift-1)*subCount + mant - subCount
}

// bucketRange is the lowest value of bucket i and its width.
func bucketRange(i int) (low, width int64) {
	if i < exact {
		return int64(i), 1
	}
	k := i - exact
	shift := k/subCount + 1
	mant := int64(k%subCount + subCount)
	return mant << shift, int64(1) << shift
}

// Record adds one duration (negative ones count as zero).
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	h.counts[bucketOf(v)]++
	h.total++
	h.sum += float64(v)
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.total += o.total
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Count is the number of recorded values.
func (h *Histogram) Count() uint64 { return h.total }

// Min and Max are exact.
func (h *Histogram) Min() time.Duration {
	if h.total == 0 {
		return 0
	}
	return time.Duration(h.min)
}

// Max is the largest recorded value.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max) }

// Mean is exact (kept as a running sum).
func (h *Histogram) Mean() time.Duration {
	if h.total == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.total))
}

// Percentile returns the value below which a fraction q (0..1) of the
// recorded values fall: the nearest-rank definition (rank ⌈q·n⌉), read as
// the middle of the rank's bucket and clamped to the exact min and max.
func (h *Histogram) Percentile(q float64) time.Duration {
	if h.total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.total)))
	rank = min(max(rank, 1), h.total)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, width := bucketRange(i)
			v := low + (width-1)/2
			return time.Duration(min(max(v, h.min), h.max))
		}
	}
	return time.Duration(h.max)
}
