package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/bench/internal/targets"
)

// benchTarget is one server under test, ready to load (or skipped).
type benchTarget struct {
	name, desc string
	proc       *targets.Process
	reqs       []loadgen.Request
	client     *http.Client
	skipped    string
	// pg tells that the target reads the PostgreSQL bench database (ids
	// are then comparable with the other PostgreSQL targets).
	pg bool
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

func (e *runEnv) skip(name, desc string, err error) *benchTarget {
	fmt.Fprintf(e.log, "target %s not measured: %v\n", name, err)
	reason := strings.SplitN(err.Error(), "\n", 2)[0]
	if len(reason) > 200 {
		reason = reason[:200] + "…"
	}
	return &benchTarget{name: name, desc: desc, skipped: reason}
}

func (e *runEnv) setupIgny8(ctx context.Context) *benchTarget {
	return e.startIgny8(ctx, "igny8", descIgny8, e.manifest, targets.Igny8Options{
		DatabaseURL: e.dsn, DataDir: filepath.Join(e.work, "igny8-data"), SecretKey: randomHex(32), RedisURL: e.redisURL,
	})
}

func (e *runEnv) setupSQLite(ctx context.Context, seedErr error) *benchTarget {
	if seedErr != nil {
		return e.skip("igny8-sqlite", descSQLite, seedErr)
	}
	// No secret: the data dir keeps the one igny8 generated at seeding.
	return e.startIgny8(ctx, "igny8-sqlite", descSQLite, e.sqlite, targets.Igny8Options{DataDir: e.sqliteDir})
}

func (e *runEnv) startIgny8(ctx context.Context, name, desc string, m seed.Manifest, o targets.Igny8Options) *benchTarget {
	port, err := targets.FreePort()
	if err != nil {
		return e.skip(name, desc, err)
	}
	o.Bin, o.Addr = e.igny8Bin, fmt.Sprintf("127.0.0.1:%d", port)
	proc, err := targets.StartIgny8(ctx, name, o, filepath.Join(e.work, name+".log"))
	if err != nil {
		return e.skip(name, desc, err)
	}
	base := "http://" + o.Addr
	tokens := make([]string, len(m.Tenants))
	for i, t := range m.Tenants {
		if tokens[i], err = targets.Login(ctx, base, t.Email, e.password); err != nil {
			_ = proc.Stop(10 * time.Second)
			return e.skip(name, desc, err)
		}
	}
	reqs, err := targets.BearerRequests(base, m, tokens, e.variants)
	if err != nil {
		_ = proc.Stop(10 * time.Second)
		return e.skip(name, desc, err)
	}
	return &benchTarget{name: name, desc: desc, proc: proc, reqs: reqs, client: loadgen.NewClient(e.concurrency), pg: o.DatabaseURL != ""}
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
