package report

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Load is one measured load of the login phase.
type Load struct {
	Connections int
	RPS         float64
	P50, P99    time.Duration
	OK, Errors  int64
}

// LoginPhase is sign-ins at the production hash cost, alone and beside the
// list load, with the list alone measured right before as the reference.
type LoginPhase struct {
	Target string
	// Setup describes the conditions (hash cost found, concurrency, …).
	Setup []string
	// Skipped says why the phase was not measured (empty: measured).
	Skipped string
	// Measured is the window of each load; Warmup precedes it unmeasured.
	Measured, Warmup time.Duration

	ListAlone, LoginsAlone Load
	// ListMixed and LoginsMixed ran at the same time.
	ListMixed, LoginsMixed Load
}

// ratio is a/b, NaN when it cannot be formed.
func ratio(a, b float64) float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	return a / b
}

// ListP99Ratio is the list's p99 beside the logins over its p99 alone.
func (p LoginPhase) ListP99Ratio() float64 {
	if p.ListMixed.OK == 0 || p.ListAlone.OK == 0 {
		return math.NaN()
	}
	return ratio(ms(p.ListMixed.P99), ms(p.ListAlone.P99))
}

func (p *LoginPhase) write(b *strings.Builder) {
	if p == nil {
		return
	}
	fmt.Fprintf(b, "\n### Login at the production password-hash cost, beside the list (%s)\n\n", p.Target)
	for _, s := range p.Setup {
		fmt.Fprintf(b, "- %s\n", s)
	}
	if p.Skipped != "" {
		fmt.Fprintf(b, "\nNot measured: %s\n", escape(p.Skipped))
		return
	}
	fmt.Fprintf(b, "\nOne measurement each, in this order, %s warm-up then %s measured:\n\n", p.Warmup, p.Measured)
	b.WriteString("| load | connections | req/s | p50 ms | p99 ms | 2xx | errors |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for _, row := range []struct {
		label string
		load  Load
	}{
		{"(a) list alone", p.ListAlone},
		{"(b) logins alone", p.LoginsAlone},
		{"(c) mixed: logins", p.LoginsMixed},
		{"(c) mixed: list", p.ListMixed},
	} {
		l := row.load
		fmt.Fprintf(b, "| %s | %d | %.1f | %s | %s | %d | %d |\n", row.label, l.Connections, l.RPS,
			latency(l, l.P50), latency(l, l.P99), l.OK, l.Errors)
	}
	fmt.Fprintf(b, "\n| ratio | value |\n|---|---:|\n")
	fmt.Fprintf(b, "| list p99 mixed / alone | %s |\n", times(p.ListP99Ratio()))
	fmt.Fprintf(b, "| list req/s mixed / alone | %s |\n", times(ratio(p.ListMixed.RPS, p.ListAlone.RPS)))
	fmt.Fprintf(b, "| logins/s mixed / alone | %s |\n", times(ratio(p.LoginsMixed.RPS, p.LoginsAlone.RPS)))
}

// latency prints a percentile, or "–" when no answer succeeded.
func latency(l Load, d time.Duration) string {
	if l.OK == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", ms(d))
}

func times(x float64) string {
	if math.IsNaN(x) {
		return "not measured"
	}
	return fmt.Sprintf("%.2f×", x)
}
