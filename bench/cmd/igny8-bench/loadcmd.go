package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/report"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/bench/internal/targets"
	"github.com/igny8/igny8-go/store"
)

// loadCmd loads servers someone else started (say igny8-server under a
// profiler) with the same request mix as run. Memory is not measured: the
// processes are not ours.
func loadCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	var data dataOptions
	var load loadOptions
	addDataFlags(fs, &data)
	addLoadFlags(fs, &load)
	igny8URL := fs.String("igny8", "", "base URL of a running igny8-server on the bench database, e.g. http://127.0.0.1:8080")
	ceilingURL := fs.String("ceiling", "", "base URL of a running ceiling")
	drfURL := fs.String("drf", "", "base URL of the running DRF project")
	drfSecret := fs.String("drf-secret", os.Getenv("BENCH_SECRET_KEY"), "the DRF project's BENCH_SECRET_KEY, to mint its tokens")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := load.validate(); err != nil {
		return err
	}
	if *igny8URL == "" && *ceilingURL == "" && *drfURL == "" {
		return errors.New("give at least one of -igny8, -ceiling, -drf")
	}
	dsn, err := seed.DatabaseURL(data.adminURL, data.database)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 2})
	if err != nil {
		return fmt.Errorf("open bench database: %w", err)
	}
	m, err := seed.LoadManifest(ctx, db)
	_ = db.Close()
	if err != nil {
		return err
	}
	if len(m.Tenants) == 0 {
		return fmt.Errorf("no seeded tenants in %s: run `igny8-bench seed` first", data.database)
	}
	vs := targets.Variants(m, seed.SearchTerms())
	var ts []*benchTarget
	add := func(name, desc string, reqs []loadgen.Request, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "target %s not measured: %v\n", name, err)
			ts = append(ts, &benchTarget{name: name, desc: desc, skipped: strings.SplitN(err.Error(), "\n", 2)[0]})
			return
		}
		ts = append(ts, &benchTarget{name: name, desc: desc, reqs: reqs, client: loadgen.NewClient(load.concurrency), pg: true})
	}
	if *igny8URL != "" {
		reqs, err := signedInRequests(ctx, *igny8URL, m, vs, data.seed.Password)
		add("igny8", descIgny8, reqs, err)
	}
	if *ceilingURL != "" {
		reqs, err := targets.CeilingRequests(*ceilingURL, targets.CeilingPath, m, vs)
		add("ceiling", descCeiling, reqs, err)
	}
	if *drfURL != "" {
		reqs, err := drfRequests(ctx, *drfURL, dsn, *drfSecret, m, vs)
		add("drf", descDRF, reqs, err)
	}
	notes := preflight(ctx, ts, os.Stderr)
	rounds, err := measureRounds(ctx, ts, load, os.Stderr)
	if err != nil {
		return err
	}
	rep := report.Report{
		Title:   "igny8-go keyword list (servers started elsewhere)",
		Setup:   []string{machineLine(), fmt.Sprintf("%d connections, %d rounds of %s (+%s warm-up), %d request variants", load.concurrency, load.rounds, load.duration, load.warmup, len(vs))},
		Targets: finalMemory(ts),
		Rounds:  rounds,
		Ratios:  ratios(),
		Notes:   append(notes, "Memory is not measured in this mode: the servers are not children of igny8-bench."),
	}
	fmt.Print(rep.Markdown())
	return nil
}

func drfRequests(ctx context.Context, base, dsn, secret string, m seed.Manifest, vs []targets.Variant) ([]loadgen.Request, error) {
	if secret == "" {
		return nil, errors.New("-drf-secret (the running project's BENCH_SECRET_KEY) is needed to mint tokens")
	}
	root, err := targets.ModuleRoot(ctx)
	if err != nil {
		return nil, err
	}
	env, err := targets.DRFEnv(dsn, secret)
	if err != nil {
		return nil, err
	}
	tokens, err := targets.PrepareDRF(ctx, filepath.Join(root, "bench", "drf"), dsn, env, m)
	if err != nil {
		return nil, err
	}
	return targets.BearerRequests(base, m, tokens, vs)
}
