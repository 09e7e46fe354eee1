package stats

import (
	"fmt"
	"math"
	"slices"
)

// Summary is the median and range of some measurements.
type Summary struct {
	Median, Min, Max float64
	// N is how many measurements there were (NaNs are left out).
	N int
}

// Summarize returns the median, min and max of xs, ignoring NaNs (a round
// where a ratio could not be formed). An empty input gives N == 0 and NaNs.
func Summarize(xs []float64) Summary {
	vals := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	if len(vals) == 0 {
		return Summary{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	slices.Sort(vals)
	n := len(vals)
	med := vals[n/2]
	if n%2 == 0 {
		med = (vals[n/2-1] + vals[n/2]) / 2
	}
	return Summary{Median: med, Min: vals[0], Max: vals[n-1], N: n}
}

// Ratios divides a by b round by round. A round missing on either side, or
// with a zero divisor, gives NaN so that Summarize skips it.
func Ratios(a, b []float64) []float64 {
	n := max(len(a), len(b))
	out := make([]float64, n)
	for i := range out {
		if i >= len(a) || i >= len(b) || b[i] == 0 || math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			out[i] = math.NaN()
			continue
		}
		out[i] = a[i] / b[i]
	}
	return out
}

// Format renders "median (min–max)" with the given verb for each number
// (just the median when the range prints as one number), or "–" when there
// was nothing to summarise.
func (s Summary) Format(verb string) string {
	if s.N == 0 {
		return "–"
	}
	med, lo, hi := fmt.Sprintf(verb, s.Median), fmt.Sprintf(verb, s.Min), fmt.Sprintf(verb, s.Max)
	if s.N == 1 || lo == hi {
		return med
	}
	return med + " (" + lo + "–" + hi + ")"
}
