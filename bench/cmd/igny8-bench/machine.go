package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"

	"github.com/igny8/igny8-go/bench/internal/targets"
)

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// machineLine describes where the run happened.
func machineLine() string {
	return fmt.Sprintf("%s UTC on %d CPUs (%s), %s; the load generator runs on the same CPUs",
		time.Now().UTC().Format("2006-01-02 15:04"), runtime.NumCPU(), cpuModel(), runtime.Version())
}

// postgresInfo is the server version and the dataset's row counts.
func postgresInfo(ctx context.Context, dsn string) (version string, keywords, clusters, ideas int64, err error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return "", 0, 0, 0, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'), (SELECT count(*) FROM igny8_keywords),
		(SELECT count(*) FROM igny8_clusters), (SELECT count(*) FROM igny8_content_ideas)`).Scan(&version, &keywords, &clusters, &ideas)
	if err != nil {
		return "", 0, 0, 0, fmt.Errorf("read dataset counts: %w", err)
	}
	return version, keywords, clusters, ideas, nil
}

// redisVersion asks Redis itself; an error means igny8 would throttle in
// memory, which the report must say.
func redisVersion(ctx context.Context, redisURL string) (string, error) {
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		return "", fmt.Errorf("redis url: %w", err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	info, err := c.Info(ctx, "server").Result()
	if err != nil {
		return "", fmt.Errorf("redis at %s: %w", opts.Addr, err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			return v, nil
		}
	}
	return "unknown", nil
}

// pythonVersions reports the versions of the DRF stack as installed.
func pythonVersions(ctx context.Context) string {
	const script = `import sys, importlib.metadata as m
def v(d):
    try:
        return m.version(d)
    except Exception:
        return "?"
print("Python %s, Django %s, DRF %s, SimpleJWT %s, django-filter %s, gunicorn %s, psycopg2 %s" % (sys.version.split()[0],
    v("Django"), v("djangorestframework"), v("djangorestframework-simplejwt"), v("django-filter"), v("gunicorn"), v("psycopg2")))`
	out, err := exec.CommandContext(ctx, targets.Python, "-c", script).Output()
	if err != nil {
		return "versions unknown"
	}
	return strings.TrimSpace(string(out))
}

// connectionsNeeded is how many PostgreSQL connections the servers of a
// run may hold at once: each long-lived one its whole pool, kept open
// between turns (DRF: one persistent connection per worker), and one layer
// variant at a time.
func connectionsNeeded(names []string) int {
	n, variant := 0, 0
	for _, name := range names {
		switch name {
		case "igny8", "ceiling":
			n += targets.PoolSize
		case "drf":
			n += targets.Workers()
		default:
			if _, ok := variantNamed(name); ok {
				variant = targets.PoolSize
			}
		}
	}
	return n + variant
}

// connectionBudget warns when the run may need more PostgreSQL connections
// than are free: a server refused one answers errors, not slower lists.
// Empty when they fit or PostgreSQL cannot say.
func connectionBudget(ctx context.Context, dsn string, names []string) string {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return ""
	}
	defer conn.Close(ctx)
	var limit, inUse int
	err = conn.QueryRow(ctx, `SELECT current_setting('max_connections')::int,
		(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())`).Scan(&limit, &inUse)
	if err != nil {
		return ""
	}
	need := connectionsNeeded(names)
	if need <= limit-inUse {
		return ""
	}
	return fmt.Sprintf("PostgreSQL may run out of connections: this run's servers may hold %d, and %d of max_connections=%d were already in use at the start", need, inUse, limit)
}

func fileMiB(path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(st.Size()) / (1 << 20)
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
