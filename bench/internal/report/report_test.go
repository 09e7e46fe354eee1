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

func TestVariantRatiosRoundByRound(t *testing.T) {
	r := sample()
	r.Targets = append(r.Targets, Target{Name: "igny8-nolog", Description: "no access log"})
	r.Rounds = append(r.Rounds,
		Round{Round: 1, Target: "igny8-nolog", RPS: 1100, P99: 18 * time.Millisecond},
		Round{Round: 2, Target: "igny8-nolog", RPS: 1200, P99: 30 * time.Millisecond},
		Round{Round: 3, Target: "igny8-nolog", RPS: 990, P99: 20 * time.Millisecond},
	)
	r.Ratios = append(r.Ratios, Ratio{"igny8-nolog", "igny8", RPS}, Ratio{"igny8-nolog", "igny8", P99}, Ratio{"igny8-nocache", "igny8", RPS})
	md := r.Markdown()
	for _, want := range []string{
		"| igny8-nolog / igny8 req/s | 1.10× (1.00×–1.10×) | 3 |",
		"| igny8-nolog / igny8 p99 | 0.90× (0.50×–1.00×) | 3 |",
		"| igny8-nolog | no access log |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in:\n%s", want, md)
		}
	}
	if strings.Contains(md, "igny8-nocache") {
		t.Errorf("a variant the run did not include must be left out:\n%s", md)
	}
}

func TestLoginSection(t *testing.T) {
	r := sample()
	if strings.Contains(r.Markdown(), "### Login") {
		t.Fatal("no login phase, no section")
	}
	r.Login = &LoginPhase{
		Target: "igny8", Setup: []string{"stored hashes: argon2id m=19456,t=2,p=1 (10 owners)"},
		Measured: 10 * time.Second, Warmup: 2 * time.Second,
		ListAlone:   Load{Connections: 32, RPS: 600, P50: 40 * time.Millisecond, P99: 100 * time.Millisecond, OK: 6000},
		LoginsAlone: Load{Connections: 4, RPS: 40.25, P50: 95 * time.Millisecond, P99: 150 * time.Millisecond, OK: 402},
		ListMixed:   Load{Connections: 32, RPS: 450, P50: 50 * time.Millisecond, P99: 250 * time.Millisecond, OK: 4500},
		LoginsMixed: Load{Connections: 4, RPS: 20, P50: 180 * time.Millisecond, P99: 400 * time.Millisecond, OK: 200, Errors: 1},
	}
	md := r.Markdown()
	for _, want := range []string{
		"### Login at the production password-hash cost, beside the list (igny8)",
		"- stored hashes: argon2id m=19456,t=2,p=1 (10 owners)",
		"2s warm-up then 10s measured",
		"| (a) list alone | 32 | 600.0 | 40.0 | 100.0 | 6000 | 0 |",
		"| (b) logins alone | 4 | 40.2 | 95.0 | 150.0 | 402 | 0 |",
		"| (c) mixed: logins | 4 | 20.0 | 180.0 | 400.0 | 200 | 1 |",
		"| (c) mixed: list | 32 | 450.0 | 50.0 | 250.0 | 4500 | 0 |",
		"| list p99 mixed / alone | 2.50× |",
		"| list req/s mixed / alone | 0.75× |",
		"| logins/s mixed / alone | 0.50× |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %q in:\n%s", want, md)
		}
	}
	if strings.Index(md, "### Login") > strings.Index(md, "### Start-up") {
		t.Error("the login section belongs before start-up")
	}

	r.Login = &LoginPhase{Target: "igny8", Skipped: "igny8 | was not measured", ListAlone: Load{Connections: 32}}
	md = r.Markdown()
	if !strings.Contains(md, `Not measured: igny8 \| was not measured`) || strings.Contains(md, "| (a) list alone") {
		t.Errorf("skipped phase:\n%s", md)
	}
	r.Login = &LoginPhase{Target: "igny8", ListAlone: Load{Connections: 32, RPS: 600, P99: time.Millisecond, OK: 10}, LoginsAlone: Load{Connections: 4}}
	md = r.Markdown()
	if !strings.Contains(md, "| (b) logins alone | 4 | 0.0 | – | – | 0 | 0 |") || !strings.Contains(md, "| list p99 mixed / alone | not measured |") {
		t.Errorf("a load without answers must not print latencies or ratios:\n%s", md)
	}
}
