package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/procmem"
	"github.com/igny8/igny8-go/bench/internal/report"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/bench/internal/targets"
)

// allTargets are the default targets, in the order they are loaded
// within a round.
func allTargets() []string { return []string{"igny8", "ceiling", "drf", "igny8-sqlite"} }

// knownTargets are every target -targets accepts: the default ones and
// igny8's layer variants.
func knownTargets() []string { return append(allTargets(), targets.VariantNames()...) }

// targetNames is the run's round order: list as given, plus (layers) every
// layer variant not in it, right after igny8 so that each variant is
// measured next to the target it is compared with.
func targetNames(list string, layers bool) ([]string, error) {
	names := strings.Split(list, ",")
	for _, n := range names {
		if !slices.Contains(knownTargets(), n) {
			return nil, fmt.Errorf("unknown target %q (have %s)", n, strings.Join(knownTargets(), ", "))
		}
	}
	if layers {
		var missing []string
		for _, v := range targets.VariantNames() {
			if !slices.Contains(names, v) {
				missing = append(missing, v)
			}
		}
		at := slices.Index(names, "igny8") + 1 // 0 when igny8 is absent: the check below refuses
		names = slices.Insert(names, at, missing...)
	}
	hasVariant := slices.ContainsFunc(names, func(n string) bool { return slices.Contains(targets.VariantNames(), n) })
	if hasVariant && !slices.Contains(names, "igny8") {
		return nil, fmt.Errorf("igny8's layer variants are compared with igny8: add igny8 to -targets")
	}
	return names, nil
}

func runCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	var data dataOptions
	var load loadOptions
	addDataFlags(fs, &data)
	addLoadFlags(fs, &load)
	only := fs.String("targets", strings.Join(allTargets(), ","), "targets to run, in round order (also: "+strings.Join(targets.VariantNames(), ", ")+")")
	layers := fs.Bool("layers", false, "also run igny8's layer variants ("+strings.Join(targets.VariantNames(), ", ")+"), measured right after igny8 in each round")
	var login loginOptions
	addLoginFlags(fs, &login)
	redisURL := fs.String("redis", "redis://127.0.0.1:6379/14", "Redis of igny8's throttle (a database index of its own)")
	install := fs.Bool("install", true, "apt-get install the DRF packages when missing")
	coldRuns := fs.Int("cold-runs", 5, "start-up measurements per profile (0 skips them)")
	out := fs.String("out", "", "also write the Markdown report to this file")
	keep := fs.Bool("keep", false, "keep the work dir (binaries, server and access logs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := load.validate(); err != nil {
		return err
	}
	if err := login.validate(); err != nil {
		return err
	}
	names, err := targetNames(*only, *layers)
	if err != nil {
		return err
	}
	began := time.Now()
	log := os.Stderr
	// Before anything of ours runs: how busy the shared machine already is.
	baseline, _ := os.ReadFile("/proc/loadavg")

	work, err := os.MkdirTemp("", "igny8-bench-*")
	if err != nil {
		return fmt.Errorf("work dir: %w", err)
	}
	if *keep {
		fmt.Fprintf(log, "work dir (kept): %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	root, err := targets.ModuleRoot(ctx)
	if err != nil {
		return err
	}
	e := &runEnv{work: work, root: root, redisURL: *redisURL, sqliteDir: data.sqliteDir, password: data.seed.Password,
		install: *install, concurrency: load.concurrency, log: log}

	opts := seed.Options{Config: data.seed, AdminURL: data.adminURL, Database: data.database, SQLiteDir: data.sqliteDir, Reset: data.reset, Log: log}
	if e.dsn, e.manifest, err = seed.Postgres(ctx, opts); err != nil {
		return err
	}
	var sqliteErr error
	if slices.Contains(names, "igny8-sqlite") {
		e.sqlite, sqliteErr = seed.SQLite(ctx, opts)
	}
	e.variants = targets.Variants(e.manifest, seed.SearchTerms())

	fmt.Fprintln(log, "building igny8-server and ceiling…")
	if e.igny8Bin, err = targets.Build(ctx, root, "./cmd/igny8-server", work); err != nil {
		return err
	}
	if e.ceilingBin, err = targets.Build(ctx, root, "./bench/cmd/ceiling", work); err != nil {
		return err
	}

	budget := connectionBudget(ctx, e.dsn, names)
	if budget != "" {
		fmt.Fprintln(log, "warning:", budget)
	}
	var ts []*benchTarget
	defer func() { stopAll(ts) }()
	ts = e.setupTargets(ctx, names, sqliteErr)
	notes := preflight(ctx, ts, log)
	rounds, err := measureRounds(ctx, ts, load, log)
	if err != nil {
		return err
	}
	// Before the login phase: its hashing would raise igny8's peak memory.
	targetsInfo := finalMemory(ts)
	var loginReport *report.LoginPhase
	if login.enabled {
		fmt.Fprintln(log, "measuring logins…")
		if loginReport, err = loginPhase(ctx, e, findTarget(ts, "igny8"), load, login, log); err != nil {
			return err
		}
	}
	stopAll(ts)

	fmt.Fprintln(log, "measuring start-up…")
	cold := coldStarts(ctx, e, *coldRuns)

	rep := report.Report{
		Title:      "igny8-go keyword list: igny8 vs ceiling vs DRF (vs SQLite profile)",
		Setup:      append(setupLines(ctx, e, data, load), "Load average (1, 5, 15 min) before the run: "+loadTriple(baseline)),
		Targets:    targetsInfo,
		Rounds:     rounds,
		Ratios:     ratios(),
		ColdStarts: cold,
		Login:      loginReport,
		Notes:      append(notes, staticNotes()...),
	}
	if slices.ContainsFunc(ts, func(t *benchTarget) bool { return t.launch != nil }) {
		rep.Notes = append(rep.Notes, variantNote)
	}
	if budget != "" {
		rep.Notes = append(rep.Notes, "**"+budget+"**")
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("Whole run (seed check, builds, starts, %d rounds, login phase, start-up runs): %s.", load.rounds, time.Since(began).Round(time.Second)))
	md := rep.Markdown()
	fmt.Print(md)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}

// setupTargets prepares names in order: the long-lived targets are started
// (or skipped with the reason), the layer variants only prepared.
func (e *runEnv) setupTargets(ctx context.Context, names []string, sqliteErr error) []*benchTarget {
	var ts []*benchTarget
	for _, n := range names {
		if v, ok := variantNamed(n); ok {
			ts = append(ts, e.setupVariant(v))
			continue
		}
		fmt.Fprintf(e.log, "starting %s…\n", n)
		switch n {
		case "igny8":
			ts = append(ts, e.setupIgny8(ctx))
		case "ceiling":
			ts = append(ts, e.setupCeiling(ctx))
		case "drf":
			ts = append(ts, e.setupDRF(ctx))
		case "igny8-sqlite":
			ts = append(ts, e.setupSQLite(ctx, sqliteErr))
		}
	}
	return ts
}

// loadTriple is the first three fields of /proc/loadavg.
func loadTriple(b []byte) string {
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// ratios are the comparisons the report makes, each left out when the run
// did not include both targets.
func ratios() []report.Ratio {
	rs := []report.Ratio{
		{Num: "igny8", Den: "ceiling", Metric: report.RPS},
		{Num: "igny8", Den: "ceiling", Metric: report.P99},
		{Num: "igny8", Den: "drf", Metric: report.RPS},
		{Num: "igny8", Den: "drf", Metric: report.P99},
		{Num: "igny8", Den: "drf", Metric: report.RSS},
		{Num: "ceiling", Den: "drf", Metric: report.RPS},
		{Num: "igny8-sqlite", Den: "igny8", Metric: report.RPS},
		{Num: "igny8-sqlite", Den: "igny8", Metric: report.P99},
	}
	for _, v := range targets.VariantNames() {
		rs = append(rs, report.Ratio{Num: v, Den: "igny8", Metric: report.RPS}, report.Ratio{Num: v, Den: "igny8", Metric: report.P99})
	}
	return rs
}

// variantNote explains how the layer variants run.
const variantNote = "Layer variants (igny8-memthrottle, igny8-nolog, igny8-nocache, igny8-fresh) are igny8 with one environment change each, on the same data with the same requests (and tokens of their own); each ratio variant / igny8 is what that one change is worth, round by round. " +
	"Unlike the other targets they run only for their own measurements (started, tenants signed in, warm-up, measured, stopped): every igny8 server keeps its pool of up to 20 PostgreSQL connections open between turns, and all of them alive at once would pass PostgreSQL's max_connections. " +
	"igny8-fresh changes nothing but that; its ratio to igny8 is what starting afresh alone is worth, to be read against the others'."

func variantNamed(name string) (targets.Igny8Variant, bool) {
	for _, v := range targets.Igny8Variants() {
		if v.Name == name {
			return v, true
		}
	}
	return targets.Igny8Variant{}, false
}

// findTarget is the target called name, nil when the run has none.
func findTarget(ts []*benchTarget, name string) *benchTarget {
	for _, t := range ts {
		if t.name == name {
			return t
		}
	}
	return nil
}

// finalMemory reads each server tree's summed VmHWM after the last round.
func finalMemory(ts []*benchTarget) []report.Target {
	out := make([]report.Target, 0, len(ts))
	for _, t := range ts {
		rt := report.Target{Name: t.name, Description: t.desc, Skipped: t.skipped}
		switch {
		case t.skipped != "":
		case t.launch != nil:
			rt.HWM, rt.Procs = t.hwm, t.procs // read before its last stop
		case t.proc != nil:
			if u, err := procmem.Measure(t.proc.PID()); err == nil {
				rt.HWM, rt.Procs = u.HWM, u.Procs
			}
		}
		out = append(out, rt)
	}
	return out
}

func stopAll(ts []*benchTarget) {
	for _, t := range ts {
		if t.proc == nil {
			continue
		}
		if err := t.proc.Stop(30 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		t.proc = nil
	}
}

func setupLines(ctx context.Context, e *runEnv, data dataOptions, load loadOptions) []string {
	lines := []string{machineLine()}
	if v, kw, cl, ideas, err := postgresInfo(ctx, e.dsn); err == nil {
		lines = append(lines, fmt.Sprintf("PostgreSQL %s on 127.0.0.1, database %s: %d accounts × %d sites × %d sectors = %d sectors; %d keywords (≈%d per sector), %d clusters, %d ideas; seed %d",
			v, data.database, data.seed.Accounts, data.seed.SitesPerAccount, data.seed.SectorsPerSite, len(e.manifest.Sectors()),
			kw, kw/int64(max(1, len(e.manifest.Sectors()))), cl, ideas, data.seed.Seed))
	} else {
		lines = append(lines, "PostgreSQL: "+err.Error())
	}
	if v, err := redisVersion(ctx, e.redisURL); err == nil {
		lines = append(lines, fmt.Sprintf("Redis %s at %s (igny8's throttle)", v, redactURL(e.redisURL)))
	} else {
		lines = append(lines, "Redis unreachable, so igny8 throttled in memory: "+err.Error())
	}
	lines = append(lines, "DRF side: "+pythonVersions(ctx)+" (Debian packages, /usr/bin/python3)")
	lines = append(lines, fmt.Sprintf("Load: closed loop, %d connections, %d rounds; per target and round %s warm-up then %s measured; targets alternate within each round",
		load.concurrency, load.rounds, load.warmup, load.duration))
	lines = append(lines, fmt.Sprintf("Requests: %d variants (%d tenants × %d sectors × search terms %s), each tenant with its own token, the same list for every target: search=<term>&ordering=-volume&page_size=25 on one site_id+sector_id",
		len(e.variants), len(e.manifest.Tenants), len(e.manifest.Sectors())/max(1, len(e.manifest.Tenants)), strings.Join(seed.SearchTerms(), ", ")))
	lines = append(lines, fmt.Sprintf("igny8-server binary: %.1f MiB", fileMiB(e.igny8Bin)))
	return lines
}

func staticNotes() []string {
	return []string{
		"Only 2xx answers count towards req/s and latency; anything else is an error.",
		"igny8: IGNY8_THROTTLE_RATES raises every scope to 1000000/min (GCRA on Redis still runs per request); IGNY8_RUN_WORKER=false; access log to a file.",
		"DRF: ScopedRateThrottle 'planner' at 100000/second on locmem (a 1-second window keeps the timestamp history DRF re-pickles per request as short as at production rates); gunicorn access log to a file; DB connections persistent (CONN_MAX_AGE 600).",
		"SQL: igny8 and the ceiling search with ILIKE; Django's icontains renders UPPER(keyword::text) LIKE UPPER(…). DRF runs a COUNT and then the page; igny8 (store.ListPage) and the ceiling read the page and its total in one statement (count(*) OVER ()).",
		"Peak RSS: largest sum of VmRSS over the server's process tree sampled every 200 ms during a round (gunicorn: master + workers); PSS splits shared pages; Σ VmHWM adds each process's own peak after the last round (an upper bound).",
	}
}
