package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/procmem"
	"github.com/igny8/igny8-go/bench/internal/report"
)

// preflightPages is how many request variants are compared across targets
// before the load (the first ones: different tenants).
const preflightPages = 8

// page is the part of a list answer the preflight compares.
type page struct {
	Count   *int `json:"count"`
	Results []struct {
		ID      int64  `json:"id"`
		Keyword string `json:"keyword"`
		Volume  int    `json:"volume"`
	} `json:"results"`
}

// preflight fetches the first pages from every target, skips targets that
// do not answer them with a list, and compares the answers: same count,
// same keywords in the same order (and the same ids between targets on the
// PostgreSQL database). It returns notes for the report.
func preflight(ctx context.Context, ts []*benchTarget, log io.Writer) []string {
	pages := map[string][]page{}
	for _, t := range ts {
		if t.skipped != "" {
			continue
		}
		ps, err := fetchPages(ctx, t)
		if err != nil {
			t.skipped = "preflight: " + err.Error()
			fmt.Fprintf(log, "target %s not measured: %s\n", t.name, t.skipped)
			continue
		}
		pages[t.name] = ps
	}
	var ref *benchTarget
	for _, t := range ts {
		if t.skipped == "" && (ref == nil || t.name == "ceiling") {
			ref = t
		}
	}
	if ref == nil {
		return nil
	}
	var notes, same []string
	for _, t := range ts {
		if t.skipped != "" {
			continue
		}
		if diff := comparePages(pages[ref.name], pages[t.name], ref.pg && t.pg); diff != "" {
			notes = append(notes, fmt.Sprintf("**Answers differ**: %s vs %s: %s", t.name, ref.name, diff))
			continue
		}
		same = append(same, t.name)
	}
	notes = append(notes, fmt.Sprintf("Preflight: the first %d request variants give the same count and the same keywords in the same order on %s (ids compared between PostgreSQL targets).",
		min(preflightPages, len(ref.reqs)), strings.Join(same, ", ")))
	return notes
}

// fetchPages reads the first request variants' pages from t (starting
// and stopping it if it runs only for its measurements).
func fetchPages(ctx context.Context, t *benchTarget) ([]page, error) {
	stop, err := t.up(ctx, "preflight")
	if err != nil {
		return nil, err
	}
	defer stop()
	var ps []page
	for i := range min(preflightPages, len(t.reqs)) {
		p, err := fetchPage(ctx, t.client, t.reqs[i])
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

func fetchPage(ctx context.Context, client *http.Client, r loadgen.Request) (page, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return page{}, err
	}
	req.Header = r.Header
	resp, err := client.Do(req)
	if err != nil {
		return page{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return page{}, fmt.Errorf("read %s: %w", pathOf(r.URL), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return page{}, fmt.Errorf("GET %s answered %d %s", pathOf(r.URL), resp.StatusCode, snippet(raw))
	}
	var p page
	if err := json.Unmarshal(raw, &p); err != nil || p.Count == nil {
		return page{}, fmt.Errorf("GET %s: not a list answer: %s", pathOf(r.URL), snippet(raw))
	}
	return p, nil
}

func comparePages(want, got []page, ids bool) string {
	for i := range min(len(want), len(got)) {
		w, g := want[i], got[i]
		if *w.Count != *g.Count || len(w.Results) != len(g.Results) {
			return fmt.Sprintf("variant %d: count %d/%d, %d/%d rows", i, *g.Count, *w.Count, len(g.Results), len(w.Results))
		}
		for j := range w.Results {
			a, b := w.Results[j], g.Results[j]
			if a.Keyword != b.Keyword || a.Volume != b.Volume || (ids && a.ID != b.ID) {
				return fmt.Sprintf("variant %d row %d: %q/%d (id %d) vs %q/%d (id %d)", i, j, b.Keyword, b.Volume, b.ID, a.Keyword, a.Volume, a.ID)
			}
		}
	}
	return ""
}

// measureRounds loads each active target in turn, round after round.
func measureRounds(ctx context.Context, ts []*benchTarget, o loadOptions, log io.Writer) ([]report.Round, error) {
	var rounds []report.Round
	for r := 1; r <= o.rounds; r++ {
		for _, t := range ts {
			if t.skipped != "" {
				continue
			}
			stop, err := t.up(ctx, fmt.Sprintf("round%d", r))
			if err != nil {
				t.skipped = fmt.Sprintf("round %d: %s", r, firstLine(err))
				fmt.Fprintf(log, "target %s not measured from round %d on: %v\n", t.name, r, err)
				continue
			}
			rd, err := measureOne(ctx, t, o, r)
			stop()
			if err != nil {
				return rounds, err
			}
			rounds = append(rounds, rd)
			rss := "–"
			if rd.PeakRSS > 0 {
				rss = fmt.Sprintf("%.0f MiB", procmem.MiB(rd.PeakRSS))
			}
			fmt.Fprintf(log, "round %d/%d %-17s %7.0f req/s  p50 %6.1f  p90 %6.1f  p99 %6.1f ms  errors %d  RSS %s  load %.2f\n",
				r, o.rounds, t.name, rd.RPS, msf(rd.P50), msf(rd.P90), msf(rd.P99), rd.Errors, rss, rd.Load1)
		}
	}
	return rounds, nil
}

func measureOne(ctx context.Context, t *benchTarget, o loadOptions, round int) (report.Round, error) {
	defer t.client.CloseIdleConnections()
	load := loadAverage()
	if o.warmup > 0 {
		if _, err := loadgen.Run(ctx, t.client, t.reqs, loadgen.Config{Concurrency: o.concurrency, Duration: o.warmup}); err != nil {
			return report.Round{}, err
		}
	}
	var sampler *procmem.Sampler
	if t.proc != nil {
		sampler = procmem.Sample(t.proc.PID(), 200*time.Millisecond)
	}
	res, err := loadgen.Run(ctx, t.client, t.reqs, loadgen.Config{Concurrency: o.concurrency, Duration: o.duration})
	var peak procmem.Usage
	if sampler != nil {
		peak, _ = sampler.Stop() // a failed sample leaves the column empty, never invented
	}
	if err != nil {
		return report.Round{}, err
	}
	if res.Errors > 0 {
		fmt.Fprintf(os.Stderr, "  %s: %d errors %v, e.g. %s\n", t.name, res.Errors, res.Statuses, res.FirstError)
	}
	return report.Round{
		Round: round, Target: t.name, RPS: res.RPS(),
		P50: res.Latency.Percentile(0.50), P90: res.Latency.Percentile(0.90), P99: res.Latency.Percentile(0.99),
		OK: res.OK, Errors: res.Errors, Load1: load, PeakRSS: peak.RSS, PeakPSS: peak.PSS, AvgBytes: res.AvgBytes(),
	}, nil
}

// loadAverage is the 1-minute load average; -1 when it cannot be read
// (the report then prints none).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pathOf(rawURL string) string {
	if i := strings.Index(rawURL, "://"); i >= 0 {
		if j := strings.IndexByte(rawURL[i+3:], '/'); j >= 0 {
			return rawURL[i+3+j:]
		}
	}
	return rawURL
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
