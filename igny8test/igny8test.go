package igny8test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/httpapi"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// DefaultDatabaseURL is used when IGNY8_TEST_DATABASE_URL is not set.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Env is one App on its own fresh database, with seed builders.
type Env struct {
	T       testing.TB
	App     *igny8.App
	Dialect store.Dialect
	// DatabaseURL is the DSN of this Env's database (with its schema).
	DatabaseURL string

	serverOnce sync.Once
	server     *httptest.Server
	seq        atomic.Int64
}

// Option adjusts the Config of an Env before the App starts.
type Option func(*igny8.Config)

// WithConfig lets a test change any Config field.
func WithConfig(fn func(*igny8.Config)) Option { return Option(fn) }

// fastPasswords keeps argon2id cheap in tests (the race detector makes the
// production cost take seconds); tests of the hashing itself build their own
// Service with the defaults.
var fastPasswords = tenancy.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}

// New starts an App on a new PostgreSQL schema of the test database; the
// schema is dropped when the test ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	base := os.Getenv("IGNY8_TEST_DATABASE_URL")
	if base == "" {
		base = DefaultDatabaseURL
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, base, store.Options{MaxOpenConns: 1})
	if err != nil {
		t.Fatalf("igny8test: PostgreSQL at %s: %v (run scripts/test.sh, which starts it)", store.RedactDSN(base), err)
	}
	schema := "igny8t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		t.Fatalf("igny8test: create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("igny8test: drop schema %s: %v", schema, err)
		}
	})
	dsn, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatalf("igny8test: %v", err)
	}
	return start(t, dsn, store.Postgres, opts)
}

// NewSQLite starts an App on a SQLite file in a temporary directory.
func NewSQLite(t testing.TB, opts ...Option) *Env {
	t.Helper()
	dsn := "sqlite://" + filepath.Join(t.TempDir(), "igny8.db")
	return start(t, dsn, store.SQLite, opts)
}

// Dialects runs fn as a subtest on PostgreSQL and on SQLite, each with a
// fresh Env: the way store-level suites cover both databases.
func Dialects(t *testing.T, fn func(t *testing.T, env *Env), opts ...Option) {
	t.Run("postgres", func(t *testing.T) { fn(t, New(t, opts...)) })
	t.Run("sqlite", func(t *testing.T) { fn(t, NewSQLite(t, opts...)) })
}

func start(t testing.TB, dsn string, d store.Dialect, opts []Option) *Env {
	t.Helper()
	cfg := igny8.DefaultConfig()
	cfg.DatabaseURL = dsn
	cfg.DataDir = t.TempDir()
	cfg.Migrations = igny8.MigrateAuto
	cfg.Password = fastPasswords
	cfg.SecretKey = "igny8test-" + randomHex(24)
	cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if d == store.Postgres {
		cfg.DBMaxOpenConns = 8
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	app, err := igny8.New(ctx, cfg)
	if err != nil {
		t.Fatalf("igny8test: start app: %v", err)
	}
	env := &Env{T: t, App: app, Dialect: d, DatabaseURL: dsn}
	t.Cleanup(func() {
		if env.server != nil {
			env.server.Close()
		}
		if err := app.Close(); err != nil {
			t.Errorf("igny8test: close app: %v", err)
		}
	})
	return env
}

func withSearchPath(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("parse test database URL: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testWriter sends App logs to the test log, shown only on failure.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Ctx is a context for one test call.
func (e *Env) Ctx() context.Context { return e.T.Context() }

// Server serves the App's handler on a loopback httptest server.
func (e *Env) Server() *httptest.Server {
	e.serverOnce.Do(func() { e.server = httptest.NewServer(e.App.Handler()) })
	return e.server
}

func (e *Env) next() int64 { return e.seq.Add(1) }

// Unthrottled raises every throttle scope so that tests making many calls
// (matrices, loads) are not answered 429; throttling has its own tests.
func Unthrottled(c *igny8.Config) {
	rates := map[string]string{}
	for scope := range httpapi.DefaultThrottleRates() {
		rates[scope] = "1000000/min"
	}
	c.HTTP.ThrottleRates = rates
}
