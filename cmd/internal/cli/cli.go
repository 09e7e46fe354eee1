package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/logging"
)

// Env documents every variable LoadConfig reads; README's table mirrors it.
var Env = []struct{ Name, Default, Doc string }{
	{"IGNY8_DATABASE_URL", "sqlite://$IGNY8_DATA_DIR/igny8.db", "postgres://user:pass@host/db, sqlite://path, file:path or :memory:"},
	{"IGNY8_DATA_DIR", "data", "directory of the embedded SQLite database (created when missing)"},
	{"IGNY8_ADDR", ":8080", "listen address of igny8-server"},
	{"IGNY8_MIGRATE", "auto on SQLite, verify on PostgreSQL", "auto applies pending migrations at start; verify refuses to start while any are pending"},
	{"IGNY8_DB_MAX_CONNS", "20 (PostgreSQL), 8 (SQLite)", "connection pool size"},
	{"IGNY8_PASSWORD_HASH_CONCURRENCY", "number of CPUs", "concurrent argon2id hashes"},
	{"IGNY8_LOG_LEVEL", "info", "debug, info, warn or error"},
}

// LoadConfig reads IGNY8_* variables through getenv into a Config, starting
// from igny8.DefaultConfig. It also returns the log level and the names of
// unknown IGNY8_* variables (likely typos) found in environ.
func LoadConfig(getenv func(string) string, environ []string) (igny8.Config, slog.Level, []string, error) {
	cfg := igny8.DefaultConfig()
	var v errs.Validation
	if s := getenv("IGNY8_DATABASE_URL"); s != "" {
		cfg.DatabaseURL = s
	}
	if s := getenv("IGNY8_DATA_DIR"); s != "" {
		cfg.DataDir = s
	}
	if s := getenv("IGNY8_ADDR"); s != "" {
		cfg.Addr = s
	}
	if s := getenv("IGNY8_MIGRATE"); s != "" {
		cfg.Migrations = igny8.MigrationMode(strings.ToLower(s))
	}
	cfg.DBMaxOpenConns = intVar(&v, getenv, "IGNY8_DB_MAX_CONNS")
	cfg.PasswordHashConcurrency = intVar(&v, getenv, "IGNY8_PASSWORD_HASH_CONCURRENCY")
	level, err := logging.ParseLevel(getenv("IGNY8_LOG_LEVEL"))
	if err != nil {
		v.Add("IGNY8_LOG_LEVEL", err.Error())
	}
	cfg.Version = version()
	if err := v.Err(); err != nil {
		return cfg, level, nil, err
	}
	return cfg, level, unknownVars(environ), cfg.Validate()
}

func intVar(v *errs.Validation, getenv func(string) string, name string) int {
	s := getenv(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		v.Add(name, "must be a non-negative integer")
	}
	return n
}

func unknownVars(environ []string) []string {
	known := map[string]bool{}
	for _, e := range Env {
		known[e.Name] = true
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "IGNY8_") && !known[name] && !strings.HasPrefix(name, "IGNY8_TEST_") {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	return unknown
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// Setup loads the configuration from the process environment, builds the
// JSON logger writing to logTo and logs the effective configuration with
// secrets masked.
func Setup(binary string, logTo io.Writer) (igny8.Config, *slog.Logger, error) {
	cfg, level, unknown, err := LoadConfig(os.Getenv, os.Environ())
	log := logging.New(logTo, level).With(slog.String("binary", binary))
	if err != nil {
		return cfg, log, fmt.Errorf("configuration: %w", err)
	}
	cfg.Logger = log
	log.Info("starting", slog.Any("config", cfg))
	for _, name := range unknown {
		log.Warn("unknown environment variable ignored", slog.String("name", name))
	}
	return cfg, log, nil
}

// SignalContext is cancelled on SIGINT or SIGTERM.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Exit prints err and exits non-zero; nil exits zero.
func Exit(log *slog.Logger, err error) {
	if err == nil {
		os.Exit(0)
	}
	if log != nil {
		log.Error("exiting", slog.Any("error", err))
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
