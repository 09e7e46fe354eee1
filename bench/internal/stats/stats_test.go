package stats

import (
	"math"
	"testing"
)

func TestSummarizeOddEvenAndNaN(t *testing.T) {
	s := Summarize([]float64{5, 1, 3})
	if s.Median != 3 || s.Min != 1 || s.Max != 5 || s.N != 3 {
		t.Fatalf("odd: %+v", s)
	}
	s = Summarize([]float64{4, 1, 3, 2})
	if s.Median != 2.5 || s.Min != 1 || s.Max != 4 {
		t.Fatalf("even: %+v", s)
	}
	s = Summarize([]float64{math.NaN(), 7})
	if s.Median != 7 || s.N != 1 {
		t.Fatalf("NaN must be skipped: %+v", s)
	}
	if s := Summarize(nil); s.N != 0 || !math.IsNaN(s.Median) {
		t.Fatalf("empty: %+v", s)
	}
}

func TestRatiosRoundByRound(t *testing.T) {
	r := Ratios([]float64{100, 90, 120}, []float64{200, 0, 240})
	if r[0] != 0.5 || !math.IsNaN(r[1]) || r[2] != 0.5 {
		t.Fatalf("ratios = %v", r)
	}
	s := Summarize(r)
	if s.Median != 0.5 || s.N != 2 {
		t.Fatalf("summary = %+v", s)
	}
	// The ratio of medians would be 100/200; round-by-round keeps pairs
	// measured side by side together.
	r = Ratios([]float64{1, 2, 3}, []float64{1, 1})
	if len(r) != 3 || !math.IsNaN(r[2]) {
		t.Fatalf("missing round must be NaN: %v", r)
	}
}

func TestFormat(t *testing.T) {
	if got := (Summary{Median: 2, Min: 1, Max: 3, N: 3}).Format("%.1f"); got != "2.0 (1.0–3.0)" {
		t.Fatalf("got %q", got)
	}
	if got := (Summary{Median: 2, Min: 2, Max: 2, N: 1}).Format("%.1f"); got != "2.0" {
		t.Fatalf("got %q", got)
	}
	if got := (Summary{Median: 2, Min: 1.9, Max: 2.2, N: 3}).Format("%.0f"); got != "2" {
		t.Fatalf("equal values: got %q", got)
	}
	if got := Summarize(nil).Format("%.1f"); got != "–" {
		t.Fatalf("got %q", got)
	}
}
