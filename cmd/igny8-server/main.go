// Command igny8-server serves the igny8 /api/v1 HTTP API.
//
// With no environment at all it runs the embedded default: a SQLite database
// in ./data (created and migrated), listening on :8080. Set
// IGNY8_DATABASE_URL=postgres://… for PostgreSQL (run `igny8-migrate up`
// first). It stops gracefully on SIGINT/SIGTERM: in-flight requests finish.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/cmd/internal/cli"
)

// shutdownGrace is how long in-flight requests get after a stop signal.
const shutdownGrace = 30 * time.Second

func main() {
	cfg, log, closeLogs, err := cli.Setup("igny8-server", os.Stdout)
	if err == nil {
		ctx, stop := cli.SignalContext()
		err = run(ctx, cfg, log, nil)
		stop()
	}
	closeLogs()
	cli.Exit(log, err)
}

// run serves until ctx is cancelled; ready, when set, learns the bound
// address once the listener is open.
func run(ctx context.Context, cfg igny8.Config, log *slog.Logger, ready func(addr string)) error {
	ctx, stop := context.WithCancel(ctx)
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

	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()))
	if ready != nil {
		ready(ln.Addr().String())
	}

	// The embedded mode is one process: background work runs beside the API.
	workerDone := make(chan error, 1)
	go func() { workerDone <- app.RunWorker(ctx) }()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("shutting down", slog.Duration("grace", shutdownGrace))
		shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			return err
		}
	}
	stop()
	return <-workerDone
}
