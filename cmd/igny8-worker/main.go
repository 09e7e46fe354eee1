// Command igny8-worker runs igny8's background work (platform maintenance
// today; AI, automation and publishing jobs as their domains land) against
// the configured database, which `igny8-migrate up` must have prepared. It
// stops gracefully on SIGINT/SIGTERM.
package main

import (
	"log/slog"
	"os"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/cmd/internal/cli"
)

func main() {
	cfg, log, closeLogs, err := cli.Setup("igny8-worker", os.Stdout)
	if err == nil {
		err = run(cfg, log)
	}
	closeLogs()
	cli.Exit(log, err)
}

func run(cfg igny8.Config, log *slog.Logger) error {
	ctx, stop := cli.SignalContext()
	defer stop()
	app, err := igny8.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := app.Close(); err != nil {
			log.Error("close", slog.Any("error", err))
		}
	}()
	return app.RunWorker(ctx)
}
