package report

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/procmem"
	"github.com/igny8/igny8-go/bench/internal/stats"
)

// Round is one target's measurement in one round.
type Round struct {
	Round         int
	Target        string
	RPS           float64
	P50, P90, P99 time.Duration
	OK, Errors    int64
	// Load1 is the 1-minute load average when the round started
	// (negative: unknown).
	Load1 float64
	// PeakRSS and PeakPSS are the largest sums over the server's process
	// tree sampled during the round (0: not sampled).
	PeakRSS, PeakPSS int64
	AvgBytes         float64
}

// Target is one server under test.
type Target struct {
	Name, Description string
	// Skipped says why the target was not measured (empty: measured).
	Skipped string
	// HWM is the summed VmHWM of its process tree after the last round;
	// Procs the number of processes.
	HWM   int64
	Procs int
}

// Metric names what a ratio compares.
type Metric string

const (
	RPS Metric = "req/s"
	P99 Metric = "p99"
	RSS Metric = "peak RSS"
)

// Ratio is Num ÷ Den on Metric, per round.
type Ratio struct {
	Num, Den string
	Metric   Metric
}

// ColdStart is the time from exec to the first 200 of the status endpoint.
type ColdStart struct {
	Label string
	Runs  []time.Duration
	// Err is why it could not be measured.
	Err string
}

// Report is one run.
type Report struct {
	Title      string
	Setup      []string
	Targets    []Target
	Rounds     []Round
	Ratios     []Ratio
	ColdStarts []ColdStart
	// Login is the login phase (nil: not run).
	Login *LoginPhase
	Notes []string
}

// series is target's metric by round (index round-1), NaN where missing.
func (r Report) series(target string, m Metric) []float64 {
	n := 0
	for _, rd := range r.Rounds {
		n = max(n, rd.Round)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	for _, rd := range r.Rounds {
		if rd.Target != target || rd.Round < 1 {
			continue
		}
		switch m {
		case RPS:
			out[rd.Round-1] = rd.RPS
		case P99:
			out[rd.Round-1] = ms(rd.P99)
		case RSS:
			if rd.PeakRSS > 0 {
				out[rd.Round-1] = procmem.MiB(rd.PeakRSS)
			}
		}
	}
	return out
}

// column is one per-round value of a target, for the summary.
func (r Report) column(target string, get func(Round) float64) []float64 {
	var out []float64
	for _, rd := range r.Rounds {
		if rd.Target == target {
			out = append(out, get(rd))
		}
	}
	return out
}

// has reports whether the run included target name (measured or not).
func (r Report) has(name string) bool {
	return slices.ContainsFunc(r.Targets, func(t Target) bool { return t.Name == name })
}

// RatioSummary is Num/Den over the rounds where both were measured.
func (r Report) RatioSummary(q Ratio) stats.Summary {
	return stats.Summarize(stats.Ratios(r.series(q.Num, q.Metric), r.series(q.Den, q.Metric)))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Markdown renders the whole report.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", r.Title)
	for _, s := range r.Setup {
		fmt.Fprintf(&b, "- %s\n", s)
	}
	b.WriteString("\n### Targets\n\n| target | what it is |\n|---|---|\n")
	for _, t := range r.Targets {
		desc := t.Description
		if t.Skipped != "" {
			desc += " — **not measured: " + t.Skipped + "**"
		}
		fmt.Fprintf(&b, "| %s | %s |\n", t.Name, escape(desc))
	}
	r.writeSummary(&b)
	r.writeRatios(&b)
	r.writeRounds(&b)
	r.Login.write(&b)
	r.writeColdStarts(&b)
	if len(r.Notes) > 0 {
		b.WriteString("\n### Notes\n\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	return b.String()
}

func (r Report) writeSummary(b *strings.Builder) {
	b.WriteString("\n### Summary (medians over rounds, min–max in parentheses)\n\n")
	b.WriteString("| target | req/s | p50 ms | p90 ms | p99 ms | errors | peak RSS MiB (sampled Σ RSS) | peak PSS MiB | Σ VmHWM MiB (procs) | bytes/answer |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range r.Targets {
		if t.Skipped != "" {
			fmt.Fprintf(b, "| %s | not measured | | | | | | | | |\n", t.Name)
			continue
		}
		col := func(get func(Round) float64) stats.Summary { return stats.Summarize(r.column(t.Name, get)) }
		var errors int64
		for _, rd := range r.Rounds {
			if rd.Target == t.Name {
				errors += rd.Errors
			}
		}
		peak := func(get func(Round) int64) string {
			best := int64(0)
			for _, rd := range r.Rounds {
				if rd.Target == t.Name {
					best = max(best, get(rd))
				}
			}
			if best == 0 {
				return "–"
			}
			return fmt.Sprintf("%.0f", procmem.MiB(best))
		}
		hwm := "–"
		if t.HWM > 0 {
			hwm = fmt.Sprintf("%.0f (%d)", procmem.MiB(t.HWM), t.Procs)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", t.Name,
			col(func(rd Round) float64 { return rd.RPS }).Format("%.0f"),
			col(func(rd Round) float64 { return ms(rd.P50) }).Format("%.1f"),
			col(func(rd Round) float64 { return ms(rd.P90) }).Format("%.1f"),
			col(func(rd Round) float64 { return ms(rd.P99) }).Format("%.1f"),
			errors,
			peak(func(rd Round) int64 { return rd.PeakRSS }),
			peak(func(rd Round) int64 { return rd.PeakPSS }),
			hwm,
			col(func(rd Round) float64 { return rd.AvgBytes }).Format("%.0f"))
	}
}

func (r Report) writeRatios(b *strings.Builder) {
	if len(r.Ratios) == 0 {
		return
	}
	b.WriteString("\n### Ratios (per round, then median; min–max in parentheses)\n\n| ratio | value | rounds |\n|---|---:|---:|\n")
	for _, q := range r.Ratios {
		if !r.has(q.Num) || !r.has(q.Den) {
			continue // a target this run did not include at all
		}
		s := r.RatioSummary(q)
		value := s.Format("%.2f×")
		if s.N == 0 {
			value = "not measured"
		}
		fmt.Fprintf(b, "| %s / %s %s | %s | %d |\n", q.Num, q.Den, q.Metric, value, s.N)
	}
}

func (r Report) writeRounds(b *strings.Builder) {
	b.WriteString("\n### Rounds as measured\n\n| round | target | req/s | p50 ms | p90 ms | p99 ms | 2xx | errors | peak RSS MiB | load avg 1m |\n")
	b.WriteString("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	rounds := slices.Clone(r.Rounds)
	slices.SortStableFunc(rounds, func(a, c Round) int { return a.Round - c.Round })
	for _, rd := range rounds {
		rss := "–"
		if rd.PeakRSS > 0 {
			rss = fmt.Sprintf("%.0f", procmem.MiB(rd.PeakRSS))
		}
		load := "–"
		if rd.Load1 >= 0 {
			load = fmt.Sprintf("%.2f", rd.Load1)
		}
		fmt.Fprintf(b, "| %d | %s | %.0f | %.1f | %.1f | %.1f | %d | %d | %s | %s |\n", rd.Round, rd.Target, rd.RPS,
			ms(rd.P50), ms(rd.P90), ms(rd.P99), rd.OK, rd.Errors, rss, load)
	}
}

func (r Report) writeColdStarts(b *strings.Builder) {
	if len(r.ColdStarts) == 0 {
		return
	}
	b.WriteString("\n### Start-up (exec → first 200 of /api/v1/system/status/)\n\n| profile | ms | runs |\n|---|---:|---:|\n")
	for _, c := range r.ColdStarts {
		if c.Err != "" {
			fmt.Fprintf(b, "| %s | not measured: %s | 0 |\n", c.Label, escape(c.Err))
			continue
		}
		xs := make([]float64, len(c.Runs))
		for i, d := range c.Runs {
			xs[i] = ms(d)
		}
		fmt.Fprintf(b, "| %s | %s | %d |\n", c.Label, stats.Summarize(xs).Format("%.0f"), len(c.Runs))
	}
}

// escape keeps a cell on one line and its pipes from splitting it.
func escape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
