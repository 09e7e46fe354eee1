package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/procmem"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/bench/internal/targets"
)

// benchTarget is one server under test, ready to load (or skipped).
type benchTarget struct {
	name, desc string
	proc       *targets.Process
	// base is the server's root URL (empty for servers started elsewhere).
	base    string
	reqs    []loadgen.Request
	client  *http.Client
	skipped string
	// pg tells that the target reads the PostgreSQL bench database (ids
	// are then comparable with the other PostgreSQL targets).
	pg bool
	// launch, when set, starts the server for one measurement only (label
	// tells which, for its log); up and the stop it returns bracket each
	// one. See setupVariant for why.
	launch func(ctx context.Context, label string) (launched, error)
	// hwm and procs are Σ VmHWM and the process count of a launched
	// server's last run, read just before it was stopped.
	hwm   int64
	procs int
}

// up starts a launched target's server and returns what stops it again
// (after reading its memory); a long-lived target is already up and its
// stop does nothing.
func (t *benchTarget) up(ctx context.Context, label string) (stop func(), err error) {
	if t.launch == nil {
		return func() {}, nil
	}
	l, err := t.launch(ctx, label)
	if err != nil {
		return nil, err
	}
	proc := l.proc
	t.proc, t.base, t.reqs = proc, l.base, l.reqs
	return func() {
		if u, err := procmem.Measure(proc.PID()); err == nil {
			t.hwm, t.procs = u.HWM, u.Procs
		}
		if err := proc.Stop(30 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		t.proc = nil
	}, nil
}

// runEnv is what every target's setup needs.
type runEnv struct {
	work, root           string
	igny8Bin, ceilingBin string
	dsn, redisURL        string
	sqliteDir            string
	manifest, sqlite     seed.Manifest
	variants             []targets.Variant
	password             string
	install              bool
	concurrency          int
	log                  io.Writer
}

// Descriptions of the targets, for the report.
const (
	descIgny8   = "igny8-server on PostgreSQL: JWT (Bearer), throttle on Redis (limits raised), request id, JSON access log, envelope, bun (GET " + targets.ListPath + ")"
	descCeiling = "bench/cmd/ceiling: bare net/http + pgxpool, no auth (account_id in the query), the same SQL (page and total in one statement), encoding/json of []planner.Keyword"
	descDRF     = "the original's stack: Django + DRF ReadOnlyModelViewSet, SimpleJWT, ScopedRateThrottle (locmem), django-filter, SearchFilter, OrderingFilter, PageNumberPagination, gunicorn sync workers, DEBUG off"
	descSQLite  = "igny8-server, embedded profile: SQLite in a data dir (same seed, written through the library), throttle in memory, otherwise as igny8"
)

// descVariant describes a layer variant of igny8.
func descVariant(v targets.Igny8Variant) string {
	return "igny8 " + v.Change + " (started for each measurement, see notes)"
}

func (e *runEnv) skip(name, desc string, err error) *benchTarget {
	fmt.Fprintf(e.log, "target %s not measured: %v\n", name, err)
	return &benchTarget{name: name, desc: desc, skipped: firstLine(err)}
}

// firstLine is an error short enough for a report's cell (its first line,
// at most 200 bytes; the log has the rest).
func firstLine(err error) string {
	reason, _, _ := strings.Cut(err.Error(), "\n")
	if len(reason) > 200 {
		reason = reason[:200] + "…"
	}
	return reason
}

// igny8Options is the igny8 target's configuration; its variants start
// from it too (each with a data dir and secret of its own).
func (e *runEnv) igny8Options(name string) targets.Igny8Options {
	return targets.Igny8Options{
		DatabaseURL: e.dsn, DataDir: filepath.Join(e.work, name+"-data"), SecretKey: randomHex(32), RedisURL: e.redisURL,
	}
}

func (e *runEnv) setupIgny8(ctx context.Context) *benchTarget {
	return e.startIgny8(ctx, "igny8", descIgny8, e.manifest, e.igny8Options("igny8"))
}

// setupVariant prepares a layer variant without starting it: it runs only
// for its own measurements. Every igny8 server keeps its pool (up to 20
// PostgreSQL connections) open between its turns, so igny8, the ceiling,
// DRF and four long-lived variants would need more than PostgreSQL's
// default 100 connections; one variant at a time needs 20 more.
func (e *runEnv) setupVariant(v targets.Igny8Variant) *benchTarget {
	o := e.igny8Options(v.Name)
	o.Env = v.Env
	t := &benchTarget{name: v.Name, desc: descVariant(v), client: loadgen.NewClient(e.concurrency), pg: true}
	t.launch = func(ctx context.Context, label string) (launched, error) {
		return e.launchIgny8(ctx, v.Name, label, e.manifest, o)
	}
	return t
}

func (e *runEnv) setupSQLite(ctx context.Context, seedErr error) *benchTarget {
	if seedErr != nil {
		return e.skip("igny8-sqlite", descSQLite, seedErr)
	}
	// No secret: the data dir keeps the one igny8 generated at seeding.
	return e.startIgny8(ctx, "igny8-sqlite", descSQLite, e.sqlite, targets.Igny8Options{DataDir: e.sqliteDir})
}

func (e *runEnv) startIgny8(ctx context.Context, name, desc string, m seed.Manifest, o targets.Igny8Options) *benchTarget {
	l, err := e.launchIgny8(ctx, name, "", m, o)
	if err != nil {
		return e.skip(name, desc, err)
	}
	return &benchTarget{name: name, desc: desc, proc: l.proc, base: l.base, reqs: l.reqs, client: loadgen.NewClient(e.concurrency), pg: o.DatabaseURL != ""}
}

// launched is a started igny8-server with its tenants signed in.
type launched struct {
	proc *targets.Process
	base string
	reqs []loadgen.Request
}

// launchIgny8 starts igny8-server on a free port, signs every tenant in
// and builds the list requests with their tokens. label, when set, keeps
// the log of each launch of one target apart.
func (e *runEnv) launchIgny8(ctx context.Context, name, label string, m seed.Manifest, o targets.Igny8Options) (launched, error) {
	port, err := targets.FreePort()
	if err != nil {
		return launched{}, err
	}
	o.Bin, o.Addr = e.igny8Bin, fmt.Sprintf("127.0.0.1:%d", port)
	logName := name
	if label != "" {
		logName += "-" + label
	}
	proc, err := targets.StartIgny8(ctx, name, o, filepath.Join(e.work, logName+".log"))
	if err != nil {
		return launched{}, err
	}
	base := "http://" + o.Addr
	reqs, err := signedInRequests(ctx, base, m, e.variants, e.password)
	if err != nil {
		_ = proc.Stop(10 * time.Second)
		return launched{}, err
	}
	return launched{proc: proc, base: base, reqs: reqs}, nil
}

// signedInRequests signs every tenant in at base and builds the list
// requests with their tokens.
func signedInRequests(ctx context.Context, base string, m seed.Manifest, vs []targets.Variant, password string) ([]loadgen.Request, error) {
	tokens := make([]string, len(m.Tenants))
	for i, t := range m.Tenants {
		tok, err := targets.Login(ctx, base, t.Email, password)
		if err != nil {
			return nil, err
		}
		tokens[i] = tok
	}
	return targets.BearerRequests(base, m, tokens, vs)
}

func (e *runEnv) setupCeiling(ctx context.Context) *benchTarget {
	port, err := targets.FreePort()
	if err != nil {
		return e.skip("ceiling", descCeiling, err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	proc, err := targets.StartCeiling(ctx, e.ceilingBin, addr, e.dsn, filepath.Join(e.work, "ceiling.log"))
	if err != nil {
		return e.skip("ceiling", descCeiling, err)
	}
	reqs, err := targets.CeilingRequests("http://"+addr, targets.CeilingPath, e.manifest, e.variants)
	if err != nil {
		_ = proc.Stop(10 * time.Second)
		return e.skip("ceiling", descCeiling, err)
	}
	return &benchTarget{name: "ceiling", desc: descCeiling, proc: proc, reqs: reqs, client: loadgen.NewClient(e.concurrency), pg: true}
}

func (e *runEnv) setupDRF(ctx context.Context) *benchTarget {
	desc := fmt.Sprintf("%s (%d workers = 2 × %d cores + 1)", descDRF, targets.Workers(), (targets.Workers()-1)/2)
	if missing := targets.MissingPackages(ctx); len(missing) > 0 {
		if !e.install {
			return e.skip("drf", desc, fmt.Errorf("Debian packages missing: %s (run with -install)", strings.Join(missing, " ")))
		}
		fmt.Fprintf(e.log, "installing %s with apt-get…\n", strings.Join(missing, " "))
		if err := targets.InstallPackages(ctx, missing, e.log); err != nil {
			return e.skip("drf", desc, err)
		}
	}
	dir := filepath.Join(e.root, "bench", "drf")
	env, err := targets.DRFEnv(e.dsn, randomHex(32))
	if err != nil {
		return e.skip("drf", desc, err)
	}
	tokens, err := targets.PrepareDRF(ctx, dir, e.dsn, env, e.manifest)
	if err != nil {
		return e.skip("drf", desc, err)
	}
	port, err := targets.FreePort()
	if err != nil {
		return e.skip("drf", desc, err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	proc, err := targets.StartDRF(ctx, dir, addr, env, filepath.Join(e.work, "drf-access.log"), filepath.Join(e.work, "drf.log"))
	if err != nil {
		return e.skip("drf", desc, err)
	}
	reqs, err := targets.BearerRequests("http://"+addr, e.manifest, tokens, e.variants)
	if err != nil {
		_ = proc.Stop(10 * time.Second)
		return e.skip("drf", desc, err)
	}
	return &benchTarget{name: "drf", desc: desc, proc: proc, reqs: reqs, client: loadgen.NewClient(e.concurrency), pg: true}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
