package igny8

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/igny8/igny8-go/httpapi"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
	"github.com/uptrace/bun"
)

// App is one running igny8: the database, the domain services and the HTTP
// handler built on them. It is safe for concurrent use; Close releases it.
type App struct {
	cfg     Config
	db      *bun.DB
	log     *slog.Logger
	tenancy *tenancy.Service
	handler http.Handler
	started time.Time
}

// Migrations lists the migration sources of every domain, in the order their
// tables depend on each other.
func Migrations() []store.MigrationSource {
	return []store.MigrationSource{tenancy.Migrations}
}

// ErrSchemaOutdated is returned by New when migrations are pending and the
// configuration does not allow applying them.
var ErrSchemaOutdated = errors.New("igny8: the database schema is not up to date; run `igny8-migrate up`")

// New opens the database, brings or checks its schema and builds the App.
func New(ctx context.Context, cfg Config) (*App, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("igny8: invalid config: %w", err)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{MaxOpenConns: cfg.DBMaxOpenConns})
	if err != nil {
		return nil, fmt.Errorf("igny8: %w", err)
	}
	app, err := build(ctx, cfg, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return app, nil
}

func build(ctx context.Context, cfg Config, db *bun.DB) (*App, error) {
	if err := prepareSchema(ctx, cfg, db); err != nil {
		return nil, err
	}
	tenancySvc, err := tenancy.NewService(db, tenancy.Options{
		Password:        cfg.Password,
		HashConcurrency: cfg.PasswordHashConcurrency,
	})
	if err != nil {
		return nil, fmt.Errorf("igny8: %w", err)
	}
	app := &App{cfg: cfg, db: db, log: cfg.Logger, tenancy: tenancySvc, started: time.Now()}
	app.handler = httpapi.New(httpapi.Deps{
		Logger: cfg.Logger,
		Status: app.status,
	})
	return app, nil
}

// prepareSchema applies (embedded mode) or verifies (PostgreSQL) migrations.
func prepareSchema(ctx context.Context, cfg Config, db *bun.DB) error {
	migrator, err := store.NewMigrator(db, Migrations()...)
	if err != nil {
		return fmt.Errorf("igny8: %w", err)
	}
	mode := cfg.Migrations
	if mode == MigrateByDialect {
		mode = MigrateVerify
		if store.DialectOf(db) == store.SQLite {
			mode = MigrateAuto
		}
	}
	if mode == MigrateAuto {
		applied, err := migrator.Up(ctx)
		if err != nil {
			return fmt.Errorf("igny8: %w", err)
		}
		if len(applied) > 0 {
			cfg.Logger.Info("migrations applied", slog.Any("names", applied))
		}
		return nil
	}
	pending, err := migrator.Pending(ctx)
	if err != nil {
		return fmt.Errorf("igny8: %w", err)
	}
	if pending > 0 {
		return fmt.Errorf("%w (%d pending)", ErrSchemaOutdated, pending)
	}
	return nil
}

// OpenMigrator opens the configured database for igny8-migrate, without
// checking its schema. The returned close function releases the connection.
func OpenMigrator(ctx context.Context, cfg Config) (*store.Migrator, func() error, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, nil, fmt.Errorf("igny8: invalid config: %w", err)
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, store.Options{MaxOpenConns: cfg.DBMaxOpenConns})
	if err != nil {
		return nil, nil, fmt.Errorf("igny8: %w", err)
	}
	m, err := store.NewMigrator(db, Migrations()...)
	if err != nil {
		_ = db.Close()
		return nil, nil, fmt.Errorf("igny8: %w", err)
	}
	return m, db.Close, nil
}

// Config returns the effective configuration (defaults filled in).
func (a *App) Config() Config { return a.cfg }

// DB is the database handle, for embedders that add their own tables.
func (a *App) DB() *bun.DB { return a.db }

// Tenancy is the accounts, users, sites and sectors service.
func (a *App) Tenancy() *tenancy.Service { return a.tenancy }

// Handler is the /api/v1 HTTP API.
func (a *App) Handler() http.Handler { return a.handler }

// maintenanceEvery is how often the worker runs platform maintenance.
const maintenanceEvery = time.Hour

// RunWorker runs background work until ctx ends: today the platform
// maintenance (purging expired reset tokens, sessions and refresh tokens)
// at start and hourly; the
// job kinds of later domains (AI, automation, publishing) join it here.
func (a *App) RunWorker(ctx context.Context) error {
	a.log.Info("worker running", slog.String("database", string(store.DialectOf(a.db))))
	ticker := time.NewTicker(maintenanceEvery)
	defer ticker.Stop()
	for {
		a.maintain(ctx)
		select {
		case <-ctx.Done():
			a.log.Info("worker stopped")
			return nil
		case <-ticker.C:
		}
	}
}

func (a *App) maintain(ctx context.Context) {
	for _, task := range []struct {
		name string
		run  func(context.Context) (int64, error)
	}{
		{"reset tokens", a.tenancy.PurgeResetTokens},
		{"sessions and refresh tokens", a.tenancy.PurgeCredentials},
	} {
		n, err := task.run(ctx)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Error("maintenance: purge "+task.name, slog.Any("error", err))
			}
			continue
		}
		if n > 0 {
			a.log.Info("maintenance: purged expired "+task.name, slog.Int64("count", n))
		}
	}
}

// Close releases the database.
func (a *App) Close() error {
	if err := a.db.Close(); err != nil {
		return fmt.Errorf("igny8: close database: %w", err)
	}
	return nil
}

func (a *App) status(ctx context.Context) httpapi.Status {
	st := httpapi.Status{
		Version:  a.cfg.Version,
		Database: string(store.DialectOf(a.db)),
		Uptime:   time.Since(a.started),
	}
	pingCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	st.DatabaseErr = a.db.PingContext(pingCtx)
	return st
}
