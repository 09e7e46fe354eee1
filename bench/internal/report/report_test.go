package report

import (
	"strings"
	"testing"
	"time"
)

func sample() Report {
	mk := func(round int, target string, rps float64, p99ms int, rssMiB int64) Round {
		return Round{Round: round, Target: target, RPS: rps, P50: time.Millisecond, P90: 2 * time.Millisecond,
			P99: time.Duration(p99ms) * time.Millisecond, OK: int64(rps * 10), PeakRSS: rssMiB << 20, Load1: 1.5}
	}
	return Report{
		Title: "test",
		Targets: []Target{
			{Name: "igny8", Description: "the API"}, {Name: "ceiling", Description: "bare"},
			{Name: "drf", Description: "the original", Skipped: "packages | missing"},
		},
		Rounds: []Round{
			mk(1, "igny8", 1000, 20, 40), mk(1, "ceiling", 2000, 10, 20),
			mk(2, "igny8", 1200, 30, 42), mk(2, "ceiling", 2000, 10, 21),
			mk(3, "igny8", 900, 40, 41), mk(3, "ceiling", 1000, 20, 20),
		},
		Ratios: []Ratio{{"igny8", "ceiling", RPS}, {"igny8", "ceiling", P99}, {"igny8", "drf", RPS}, {"igny8-sqlite", "igny8", RPS}},
		ColdStarts: []ColdStart{
			{Label: "SQLite, fresh data dir", Runs: []time.Duration{300 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}},
			{Label: "broken", Err: "no binary"},
		},
	}
}

func TestRatiosAreTakenRoundByRound(t *testing.T) {
	r := sample()
	s := r.RatioSummary(Ratio{"igny8", "ceiling", RPS})
	// Rounds: 0.5, 0.6, 0.9 → median 0.6 (the ratio of medians would be 0.5).
	if s.N != 3 || s.Median != 0.6 || s.Min != 0.5 || s.Max != 0.9 {
		t.Fatalf("rps ratio %+v", s)
	}
	s = r.RatioSummary(Ratio{"igny8", "ceiling", P99})
	if s.Median != 2 || s.Min != 2 || s.Max != 3 {
		t.Fatalf("p99 ratio %+v", s)
	}
	if s := r.RatioSummary(Ratio{"igny8", "drf", RPS}); s.N != 0 {
		t.Fatalf("ratio with an unmeasured target %+v", s)
	}
}

func TestMarkdown(t *testing.T) {
	md := sample().Markdown()
	if strings.Contains(md, "igny8-sqlite") {
		t.Errorf("a ratio with a target the run did not include must be left out:\n%s", md)
	}
	for _, want := range []string{
		"| igny8 | 1000 (900–1200) | 1.0 | 2.0 | 30.0 (20.0–40.0) | 0 | 42 |",
		"| igny8 / ceiling req/s | 0.60× (0.50×–0.90×) | 3 |",
		"| igny8 / drf req/s | not measured | 0 |",
		"| drf | not measured |",
		`not measured: packages \| missing`,
		"| 2 | igny8 | 1200 | 1.0 | 2.0 | 30.0 | 12000 | 0 | 42 | 1.50 |",
		"| SQLite, fresh data dir | 200 (100–300) | 3 |",
		"| broken | not measured: no binary | 0 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in:\n%s", want, md)
		}
	}
}
