package seed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/igny8/igny8-go"
)

// DatabaseURL is the URL of database name on the server of adminURL (same
// host, user, options; another path).
func DatabaseURL(adminURL, name string) (string, error) {
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", fmt.Errorf("seed: parse %q: %w", adminURL, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// refuse keeps the benchmark away from databases it does not own.
func refuse(name string) error {
	switch name {
	case "", "test", "postgres", "template0", "template1":
		return fmt.Errorf("seed: refusing to use database %q: give the bench its own (e.g. igny8_bench)", name)
	}
	return nil
}

// EnsureDatabase creates database name through adminURL when missing and
// returns its URL.
func EnsureDatabase(ctx context.Context, adminURL, name string) (string, error) {
	if err := refuse(name); err != nil {
		return "", err
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("seed: connect to %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", fmt.Errorf("seed: look for database %s: %w", name, err)
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("seed: create database %s: %w", name, err)
		}
	}
	return DatabaseURL(adminURL, name)
}

// DropDatabase removes database name (closing its sessions), so a
// mismatched seed can start over.
func DropDatabase(ctx context.Context, adminURL, name string) error {
	if err := refuse(name); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("seed: connect to %s: %w", redact(adminURL), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
		return fmt.Errorf("seed: drop database %s: %w", name, err)
	}
	return nil
}

// OpenApp opens igny8 on databaseURL (empty: SQLite in dataDir) with
// migrations applied, logging only warnings to logTo.
func OpenApp(ctx context.Context, databaseURL, dataDir string, logTo io.Writer) (*igny8.App, error) {
	cfg := igny8.DefaultConfig()
	cfg.DatabaseURL = databaseURL
	cfg.DataDir = dataDir
	cfg.Migrations = igny8.MigrateAuto
	// The seeder only writes rows; background work belongs to the servers.
	cfg.DisableWorker = true
	cfg.Logger = slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if databaseURL != "" {
		// Required on PostgreSQL; the seeder issues no token, so any key
		// will do and none is kept.
		cfg.SecretKey = randomKey()
	}
	app, err := igny8.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("seed: open igny8: %w", err)
	}
	return app, nil
}

// Options say where to seed.
type Options struct {
	Config Config
	// AdminURL reaches the PostgreSQL server (any database but the bench's).
	AdminURL string
	// Database is the bench database's name.
	Database string
	// SQLiteDir is the data dir of the embedded profile.
	SQLiteDir string
	// Reset starts over even when the data is there (after a migration
	// was edited in place, say).
	Reset bool
	Log   io.Writer
}

// Postgres makes sure the bench database exists, is migrated and holds the
// seed (recreating it once when it holds something else) and returns its
// URL and manifest.
func Postgres(ctx context.Context, o Options) (string, Manifest, error) {
	if o.Reset {
		if err := DropDatabase(ctx, o.AdminURL, o.Database); err != nil {
			return "", Manifest{}, err
		}
	}
	dsn, err := EnsureDatabase(ctx, o.AdminURL, o.Database)
	if err != nil {
		return "", Manifest{}, err
	}
	ensure := func() (Manifest, error) {
		app, err := OpenApp(ctx, dsn, os.TempDir(), o.Log)
		if err != nil {
			return Manifest{}, err
		}
		defer app.Close()
		return timed(o.Log, "PostgreSQL "+o.Database, func() (Manifest, bool, error) { return Ensure(ctx, app, o.Config) })
	}
	m, err := ensure()
	if errors.Is(err, ErrMismatch) {
		fmt.Fprintf(o.Log, "%v; recreating database %s\n", err, o.Database)
		if err := DropDatabase(ctx, o.AdminURL, o.Database); err != nil {
			return "", Manifest{}, err
		}
		if _, err := EnsureDatabase(ctx, o.AdminURL, o.Database); err != nil {
			return "", Manifest{}, err
		}
		m, err = ensure()
	}
	return dsn, m, err
}

// SQLite does the same for the embedded profile's data dir (removed and
// recreated on a mismatch).
func SQLite(ctx context.Context, o Options) (Manifest, error) {
	if o.SQLiteDir == "" {
		return Manifest{}, errors.New("seed: no SQLite data dir")
	}
	if o.Reset {
		if err := removeSQLite(o.SQLiteDir); err != nil {
			return Manifest{}, err
		}
	}
	ensure := func() (Manifest, error) {
		if err := os.MkdirAll(o.SQLiteDir, 0o755); err != nil {
			return Manifest{}, fmt.Errorf("seed: %w", err)
		}
		app, err := OpenApp(ctx, "", o.SQLiteDir, o.Log)
		if err != nil {
			return Manifest{}, err
		}
		defer app.Close()
		return timed(o.Log, "SQLite "+o.SQLiteDir, func() (Manifest, bool, error) { return Ensure(ctx, app, o.Config) })
	}
	m, err := ensure()
	if errors.Is(err, ErrMismatch) {
		fmt.Fprintf(o.Log, "%v; recreating %s\n", err, o.SQLiteDir)
		if err := removeSQLite(o.SQLiteDir); err != nil {
			return Manifest{}, err
		}
		m, err = ensure()
	}
	return m, err
}

// removeSQLite deletes only the files igny8 keeps in a data dir.
func removeSQLite(dir string) error {
	for _, name := range []string{"igny8.db", "igny8.db-wal", "igny8.db-shm", "secret.key"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("seed: %w", err)
		}
	}
	return nil
}

func timed(log io.Writer, what string, fn func() (Manifest, bool, error)) (Manifest, error) {
	start := time.Now()
	m, seeded, err := fn()
	if err == nil {
		verb := "reused"
		if seeded {
			verb = "seeded"
		}
		fmt.Fprintf(log, "seed: %s %s (%d accounts, %d sectors) in %s\n", verb, what, len(m.Tenants), len(m.Sectors()), time.Since(start).Round(time.Millisecond))
	}
	return m, err
}

func randomKey() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// redact hides a password in a URL for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
