package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/report"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/bench/internal/targets"
	"github.com/igny8/igny8-go/store"
)

// loginOptions shape the login phase.
type loginOptions struct {
	enabled     bool
	concurrency int
	// duration of each measured load; 0 means the rounds' -d.
	duration time.Duration
}

func addLoginFlags(fs *flag.FlagSet, o *loginOptions) {
	fs.BoolVar(&o.enabled, "login", true, "after the rounds, measure sign-ins at the production hash cost alone and beside the list load (igny8 on PostgreSQL)")
	fs.IntVar(&o.concurrency, "login-c", 4, "connections signing in during the login phase")
	fs.DurationVar(&o.duration, "login-d", 0, "measured time of each load of the login phase (0: the same as -d)")
}

func (o loginOptions) validate() error {
	if o.enabled && (o.concurrency < 1 || o.duration < 0) {
		return fmt.Errorf("need -login-c ≥ 1 and -login-d ≥ 0")
	}
	return nil
}

// job is one closed-loop load of the phase.
type job struct {
	client      *http.Client
	reqs        []loadgen.Request
	concurrency int
}

// loginPhase measures, against the running igny8 target (nil or skipped:
// not measured): (a) the list alone, (b) sign-ins alone, (c) both at once.
// (a) is measured here rather than taken from the rounds so that it sits
// right before (b) and (c), on the same machine state.
func loginPhase(ctx context.Context, e *runEnv, t *benchTarget, load loadOptions, o loginOptions, log io.Writer) (*report.LoginPhase, error) {
	d := o.duration
	if d == 0 {
		d = load.duration
	}
	phase := &report.LoginPhase{Target: "igny8", Measured: d, Warmup: load.warmup, Setup: loginSetup(ctx, e, o, load)}
	switch {
	case t == nil:
		phase.Skipped = "the igny8 target is not part of this run"
		return phase, nil
	case t.skipped != "":
		phase.Skipped = "the igny8 target was not measured: " + t.skipped
		return phase, nil
	}
	loginReqs, err := targets.LoginRequests(t.base, e.manifest, e.password)
	if err != nil {
		phase.Skipped = err.Error()
		return phase, nil
	}
	list := job{client: t.client, reqs: t.reqs, concurrency: load.concurrency}
	logins := job{client: loadgen.NewClient(o.concurrency), reqs: loginReqs, concurrency: o.concurrency}
	defer list.client.CloseIdleConnections()
	defer logins.client.CloseIdleConnections()

	res, err := measureAlone(ctx, list, load.warmup, d)
	if err != nil {
		return nil, err
	}
	phase.ListAlone = toLoad(log, "(a) list alone", res, list.concurrency)
	if res, err = measureAlone(ctx, logins, load.warmup, d); err != nil {
		return nil, err
	}
	phase.LoginsAlone = toLoad(log, "(b) logins alone", res, logins.concurrency)
	resLogins, resList, err := measureTogether(ctx, logins, list, load.warmup, d)
	if err != nil {
		return nil, err
	}
	phase.LoginsMixed = toLoad(log, "(c) mixed: logins", resLogins, logins.concurrency)
	phase.ListMixed = toLoad(log, "(c) mixed: list", resList, list.concurrency)
	return phase, nil
}

// loginSetup states the conditions of the phase, above all the cost of
// the hashes verified: a login verifies with the parameters stored in the
// hash, not the server's.
func loginSetup(ctx context.Context, e *runEnv, o loginOptions, load loadOptions) []string {
	return []string{
		hashCostLine(ctx, e.dsn),
		fmt.Sprintf("igny8-server at its default cost (the bench sets none, and igny8-server has no environment variable for it) and IGNY8_PASSWORD_HASH_CONCURRENCY unset: at most GOMAXPROCS (%d here) hashes at once, further sign-ins wait", runtime.GOMAXPROCS(0)),
		fmt.Sprintf("Logins: %d connections, closed loop, POST %s with JSON {email, password} of the %d seeded owners in turn; the throttle's auth scope is raised to 1000000/min like every scope. Each sign-in verifies the hash, records last_login and writes a refresh-token family and a session (rows left in the bench database).",
			o.concurrency, targets.LoginPath, len(e.manifest.Tenants)),
		fmt.Sprintf("List: the rounds' requests from %d connections", load.concurrency),
	}
}

// hashCostLine reads what the seeded owners' stored hashes cost and says
// whether that is the production cost.
func hashCostLine(ctx context.Context, dsn string) string {
	db, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 1})
	if err != nil {
		return "Stored password hashes: unknown (" + err.Error() + ")"
	}
	defer db.Close()
	costs, err := seed.OwnerHashCosts(ctx, db)
	if err != nil {
		return "Stored password hashes: unknown (" + err.Error() + ")"
	}
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(costs)) {
		parts = append(parts, fmt.Sprintf("%s × %d", c, costs[c]))
	}
	verdict := "igny8-server's default (OWASP minimum), the production cost"
	if len(costs) != 1 || costs[seed.DefaultHashCost()] == 0 {
		verdict = "**not only the production cost " + seed.DefaultHashCost() + ": the login figures are not production figures**"
	}
	return fmt.Sprintf("Stored password hashes of the seeded owners: %s — %s", strings.Join(parts, ", "), verdict)
}

// measureAlone runs j for warmup (unmeasured), then for d.
func measureAlone(ctx context.Context, j job, warmup, d time.Duration) (loadgen.Result, error) {
	if warmup > 0 {
		if _, err := j.run(ctx, warmup); err != nil {
			return loadgen.Result{}, err
		}
	}
	return j.run(ctx, d)
}

// measureTogether runs a and b at the same time: warm-up, then d measured.
func measureTogether(ctx context.Context, a, b job, warmup, d time.Duration) (loadgen.Result, loadgen.Result, error) {
	if warmup > 0 {
		if _, _, err := both(ctx, a, b, warmup); err != nil {
			return loadgen.Result{}, loadgen.Result{}, err
		}
	}
	return both(ctx, a, b, d)
}

func both(ctx context.Context, a, b job, d time.Duration) (loadgen.Result, loadgen.Result, error) {
	var ra, rb loadgen.Result
	var errA, errB error
	var wg sync.WaitGroup
	wg.Go(func() { ra, errA = a.run(ctx, d) })
	wg.Go(func() { rb, errB = b.run(ctx, d) })
	wg.Wait()
	if errA != nil {
		return ra, rb, errA
	}
	return ra, rb, errB
}

func (j job) run(ctx context.Context, d time.Duration) (loadgen.Result, error) {
	return loadgen.Run(ctx, j.client, j.reqs, loadgen.Config{Concurrency: j.concurrency, Duration: d})
}

// toLoad keeps what the report shows of r and logs it (with an example
// error, which the report leaves out).
func toLoad(log io.Writer, label string, r loadgen.Result, connections int) report.Load {
	l := report.Load{Connections: connections, RPS: r.RPS(), P50: r.Latency.Percentile(0.50), P99: r.Latency.Percentile(0.99),
		OK: r.OK, Errors: r.Errors}
	fmt.Fprintf(log, "login phase %-18s %7.1f req/s  p50 %6.1f  p99 %6.1f ms  errors %d\n", label, l.RPS, msf(l.P50), msf(l.P99), l.Errors)
	if r.Errors > 0 {
		fmt.Fprintf(log, "  %d errors %v, e.g. %s\n", r.Errors, r.Statuses, r.FirstError)
	}
	return l
}
