package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/igny8/igny8-go/bench/internal/report"
	"github.com/igny8/igny8-go/bench/internal/targets"
)

// coldStarts measures igny8-server's start-up: exec to the first 200 of
// the status endpoint (which checks the database), runs times per profile.
func coldStarts(ctx context.Context, e *runEnv, runs int) []report.ColdStart {
	if runs < 1 {
		return nil
	}
	fresh := report.ColdStart{Label: "SQLite, fresh data dir (creates the database, applies every migration; worker on, the default)"}
	var lastDir string
	for i := range runs {
		dir := filepath.Join(e.work, fmt.Sprintf("cold-%d", i))
		d, err := startOnce(ctx, e, targets.Igny8Options{DataDir: dir}, true)
		if err != nil {
			fresh.Err = err.Error()
			break
		}
		fresh.Runs, lastDir = append(fresh.Runs, d), dir
	}
	restart := report.ColdStart{Label: "SQLite, existing data dir (restart: schema up to date)"}
	if lastDir == "" {
		restart.Err = "no data dir from the fresh starts"
	}
	for range runs {
		if lastDir == "" {
			break
		}
		d, err := startOnce(ctx, e, targets.Igny8Options{DataDir: lastDir}, true)
		if err != nil {
			restart.Err = err.Error()
			break
		}
		restart.Runs = append(restart.Runs, d)
	}
	pg := report.ColdStart{Label: "PostgreSQL, migrated bench database with Redis (restart; worker off)"}
	for range runs {
		d, err := startOnce(ctx, e, targets.Igny8Options{DatabaseURL: e.dsn, DataDir: filepath.Join(e.work, "igny8-data"),
			SecretKey: randomHex(32), RedisURL: e.redisURL}, false)
		if err != nil {
			pg.Err = err.Error()
			break
		}
		pg.Runs = append(pg.Runs, d)
	}
	return []report.ColdStart{fresh, restart, pg}
}

// startOnce starts the server with o, waits for its status endpoint and
// stops it. worker keeps the embedded default of working jobs in-process.
func startOnce(ctx context.Context, e *runEnv, o targets.Igny8Options, worker bool) (time.Duration, error) {
	port, err := targets.FreePort()
	if err != nil {
		return 0, err
	}
	o.Bin, o.Addr = e.igny8Bin, fmt.Sprintf("127.0.0.1:%d", port)
	env := targets.Igny8Env(o)
	if worker {
		env = append(env, "IGNY8_RUN_WORKER=true") // later entries win
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return 0, fmt.Errorf("data dir: %w", err)
	}
	logPath := filepath.Join(e.work, "coldstart.log")
	start := time.Now()
	p, err := targets.Start("igny8-cold", o.Bin, nil, env, "", logPath)
	if err != nil {
		return 0, err
	}
	d, err := targets.WaitReady(ctx, p, "http://"+o.Addr+targets.StatusPath, func(s int) bool { return s == 200 }, start, time.Minute)
	if stopErr := p.Stop(30 * time.Second); err == nil && stopErr != nil {
		err = stopErr
	}
	return d, err
}
