package targets

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// CeilingPath is where bench/cmd/ceiling serves the list.
const CeilingPath = "/keywords/"

// PoolSize is igny8-server's PostgreSQL pool when IGNY8_DB_MAX_CONNS is
// unset (store.Options' default), which the ceiling gets too. A loaded
// server keeps the whole pool open between its turns.
const PoolSize = 20

// StartCeiling starts the ceiling binary on the bench database and waits
// for its health check. It gets the same pool size as igny8-go.
func StartCeiling(ctx context.Context, bin, addr, databaseURL, logPath string) (*Process, error) {
	start := time.Now()
	p, err := Start("ceiling", bin, []string{"-addr", addr, "-max-conns", strconv.Itoa(PoolSize)}, Env("BENCH_DATABASE_URL="+databaseURL), "", logPath)
	if err != nil {
		return nil, err
	}
	if _, err := WaitReady(ctx, p, "http://"+addr+"/healthz", is2xx, start, time.Minute); err != nil {
		_ = p.Stop(5 * time.Second)
		return nil, fmt.Errorf("targets: ceiling: %w", err)
	}
	return p, nil
}
