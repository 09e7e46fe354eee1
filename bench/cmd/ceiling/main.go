package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/igny8/igny8-go/bench/internal/ceiling"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "listen address")
	dsn := flag.String("database-url", os.Getenv("BENCH_DATABASE_URL"), "PostgreSQL URL of the seeded bench database (default $BENCH_DATABASE_URL)")
	// 20 is igny8-go's default pool on PostgreSQL: same number of
	// connections on both sides.
	maxConns := flag.Int("max-conns", 20, "connection pool size")
	publicURL := flag.String("public-url", "", "base of next/previous links (default http://<addr>)")
	flag.Parse()

	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, *addr, *dsn, int32(*maxConns), *publicURL, log)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ceiling:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, dsn string, maxConns int32, publicURL string, log *slog.Logger) error {
	if dsn == "" {
		return errors.New("-database-url (or BENCH_DATABASE_URL) is required")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("database url: %w", err)
	}
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open pool: %w", err)
	}
	defer pool.Close()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if publicURL == "" {
		publicURL = "http://" + ln.Addr().String()
	}
	srv := &http.Server{
		Handler:           &ceiling.Handler{Pool: pool, PublicURL: publicURL, Log: log},
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Info("listening", slog.String("addr", ln.Addr().String()))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
