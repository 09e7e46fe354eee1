package igny8

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/riverqueue/river"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/httpapi"
	"github.com/igny8/igny8-go/internal/mail"
	"github.com/igny8/igny8-go/internal/ratelimit"
	"github.com/igny8/igny8-go/internal/tracking"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
	"github.com/uptrace/bun"
)

// App is one running igny8: the database, the domain services and the HTTP
// handler built on them. It is safe for concurrent use; Close releases it.
type App struct {
	cfg     Config
	db      *bun.DB
	redis   *redis.Client
	log     *slog.Logger
	tenancy *tenancy.Service
	jobs    *jobs.Client
	tasks   *jobs.Tasks
	billing *billing.Service
	system  *system.Service
	planner *planner.Service
	text    ai.TextProvider
	images  ai.ImageProvider
	handler http.Handler
	routes  int
	started time.Time
}

// Migrations lists the migration sources of every domain, in the order their
// tables depend on each other.
func Migrations() []store.MigrationSource {
	return []store.MigrationSource{tenancy.Migrations, jobs.Migrations, billing.Migrations, system.Migrations, planner.Migrations}
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
	secret, err := secretKey(cfg)
	if err != nil {
		return nil, err
	}
	tenancySvc, err := tenancy.NewService(db, tenancy.Options{
		Password:        cfg.Password,
		HashConcurrency: cfg.PasswordHashConcurrency,
		TokenSecret:     secret,
	})
	if err != nil {
		return nil, fmt.Errorf("igny8: %w", err)
	}
	app := &App{cfg: cfg, db: db, log: cfg.Logger, tenancy: tenancySvc, started: time.Now()}
	limiter := ratelimit.Limiter(ratelimit.NewMemory(nil))
	if cfg.RedisURL != "" {
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("igny8: redis url: %w", err)
		}
		// Fail fast: a request must not wait on a dead Redis before the
		// throttle falls back to memory.
		opts.DialTimeout = 500 * time.Millisecond
		opts.ReadTimeout = 500 * time.Millisecond
		opts.WriteTimeout = 500 * time.Millisecond
		opts.MaxRetries = 0
		opts.DialerRetries = 1
		app.redis = redis.NewClient(opts)
		limiter = ratelimit.NewFallback(ratelimit.NewRedis(app.redis, cfg.RedisKeyPrefix+"throttle:"), limiter, cfg.Logger)
	}
	app.text, app.images = ai.Unconfigured{}, ai.Unconfigured{}
	if cfg.OpenAI.BaseURL != "" || cfg.OpenAI.APIKey != "" {
		provider, err := ai.NewOpenAI(cfg.OpenAI)
		if err != nil {
			return nil, fmt.Errorf("igny8: AI provider: %w", err)
		}
		app.text, app.images = provider, provider
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &maintenanceWorker{tenancy: tenancySvc, log: cfg.Logger})
	app.planner = planner.NewService(db)
	planner.AddWorkers(workers, app.planner)
	jobCfg := jobs.Config{Logger: cfg.Logger, PeriodicJobs: []*river.PeriodicJob{maintenanceSchedule()}}
	if cfg.DisableWorker {
		jobCfg.Queues = map[string]int{}
	}
	if app.jobs, err = jobs.New(db, workers, jobCfg); err != nil {
		return nil, fmt.Errorf("igny8: %w", err)
	}
	app.tasks = jobs.NewTasks(db)
	app.billing = billing.NewService(db)
	app.system = system.NewService(db)
	app.planner.AttachAI(app.jobs, planner.AIOptions{
		Text: app.text, Runner: app.AIRunner, Tasks: app.tasks, Billing: app.billing, Accounts: tenancySvc, Logger: cfg.Logger,
	})
	db.AddQueryHook(tracking.QueryHook{})
	metrics := tracking.Store(tracking.NewMemoryStore(tracking.DefaultTTL, nil))
	if app.redis != nil {
		metrics = tracking.NewRedisStore(app.redis, cfg.RedisKeyPrefix, tracking.DefaultTTL)
	}
	var mailer mail.Sender = mail.LogSender{Log: cfg.Logger}
	if cfg.MailDir != "" {
		mailer = mail.FileSender{Dir: cfg.MailDir}
	}
	app.handler, app.routes, err = httpapi.New(httpapi.Deps{
		Logger:   cfg.Logger,
		Tenancy:  tenancySvc,
		Status:   app.status,
		Limiter:  limiter,
		Mailer:   mailer,
		Tracking: metrics,
		Tasks:    app.tasks,
		Billing:  app.billing,
		System:   app.system,
		Planner:  app.planner,
		Config:   cfg.HTTP,
	})
	if err != nil {
		app.closeRedis()
		return nil, fmt.Errorf("igny8: %w", err)
	}
	return app, nil
}

// secretKey returns the configured JWT key or, in the embedded SQLite mode,
// the one generated at first start and kept in the data directory (so
// tokens survive restarts).
func secretKey(cfg Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey), nil
	}
	if t, err := store.ParseDSN(cfg.DatabaseURL); err == nil && t.Dialect == store.Postgres {
		return nil, errors.New("igny8: secret_key is required with PostgreSQL (IGNY8_SECRET_KEY), so every server signs tokens alike")
	}
	path := filepath.Join(cfg.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) >= 32 {
		return bytes.TrimSpace(b), nil
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("igny8: generate secret key: %w", err)
	}
	key := []byte(base64.RawURLEncoding.EncodeToString(raw))
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("igny8: data directory: %w", err)
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("igny8: keep secret key: %w", err)
	}
	return key, nil
}

func (a *App) closeRedis() {
	if a.redis != nil {
		_ = a.redis.Close()
	}
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
		applied, err := (&Migrator{Migrator: migrator, db: db}).Up(ctx)
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
	riverPending, err := jobs.PendingMigrations(ctx, db)
	if err != nil {
		return fmt.Errorf("igny8: %w", err)
	}
	pending += riverPending
	if pending > 0 {
		return fmt.Errorf("%w (%d pending)", ErrSchemaOutdated, pending)
	}
	return nil
}

// Migrator manages the whole schema: every domain's migrations and River's
// tables (applied after them; removed once the domains' are all rolled back).
type Migrator struct {
	*store.Migrator
	db *bun.DB
}

// Up applies pending migrations, River's included.
func (m *Migrator) Up(ctx context.Context) ([]string, error) {
	applied, err := m.Migrator.Up(ctx)
	if err != nil {
		return applied, err
	}
	n, err := jobs.Migrate(ctx, m.db, false)
	if n > 0 {
		applied = append(applied, fmt.Sprintf("river (%d migrations)", n))
	}
	return applied, err
}

// Down rolls back the last group; when no domain migration is left, it
// removes River's tables.
func (m *Migrator) Down(ctx context.Context) ([]string, error) {
	rolled, err := m.Migrator.Down(ctx)
	if err != nil || len(rolled) > 0 {
		return rolled, err
	}
	n, err := jobs.Migrate(ctx, m.db, true)
	if err != nil || n == 0 {
		return nil, err
	}
	return []string{fmt.Sprintf("river (%d migrations)", n)}, nil
}

// RiverPending counts River's migrations not yet applied.
func (m *Migrator) RiverPending(ctx context.Context) (int, error) {
	return jobs.PendingMigrations(ctx, m.db)
}

// OpenMigrator opens the configured database for igny8-migrate, without
// checking its schema. The returned close function releases the connection.
func OpenMigrator(ctx context.Context, cfg Config) (*Migrator, func() error, error) {
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
	return &Migrator{Migrator: m, db: db}, db.Close, nil
}

// Config returns the effective configuration (defaults filled in).
func (a *App) Config() Config { return a.cfg }

// DB is the database handle, for embedders that add their own tables.
func (a *App) DB() *bun.DB { return a.db }

// Tenancy is the accounts, users, sites and sectors service.
func (a *App) Tenancy() *tenancy.Service { return a.tenancy }

// RouteCount is the number of /api/v1 routes (tests compare it with the
// OpenAPI document).
func (a *App) RouteCount() int { return a.routes }

// Handler is the /api/v1 HTTP API.
func (a *App) Handler() http.Handler { return a.handler }

// Jobs is the background job client (insert jobs in a transaction with
// InsertTx).
func (a *App) Jobs() *jobs.Client { return a.jobs }

// TextAI is the configured text provider (ai.Unconfigured when none).
func (a *App) TextAI() ai.TextProvider { return a.text }

// ImageAI is the configured image provider (ai.Unconfigured when none).
func (a *App) ImageAI() ai.ImageProvider { return a.images }

// System holds prompts, AI models and settings, and module switches.
func (a *App) System() *system.Service { return a.system }

// AIRunner runs AI functions for t with the account's effective model
// settings and prompt overrides.
func (a *App) AIRunner(ctx context.Context, t tenancy.Tenant) (ai.Runner, error) {
	settings, err := a.system.EffectiveAISettings(ctx, t)
	if err != nil {
		return ai.Runner{}, err
	}
	temperature := settings.Temperature()
	return ai.Runner{Text: a.text, Prompts: a.system, Model: settings.TextModel, Temperature: &temperature, MaxTokens: settings.MaxTokens}, nil
}

// Planner is the keywords, clusters and ideas service.
func (a *App) Planner() *planner.Service { return a.planner }

// Billing is the credits ledger service.
func (a *App) Billing() *billing.Service { return a.billing }

// Tasks records and reads the progress of user-visible jobs.
func (a *App) Tasks() *jobs.Tasks { return a.tasks }

// workerGrace is how long running jobs get to finish at shutdown before
// they are cancelled and returned to the queue.
const workerGrace = 30 * time.Second

// RunWorker works background jobs until ctx ends, then stops gracefully:
// running jobs get workerGrace to finish, then are cancelled for retry.
// With Config.DisableWorker it returns at once.
func (a *App) RunWorker(ctx context.Context) error {
	if a.cfg.DisableWorker || ctx.Err() != nil {
		return nil
	}
	if err := a.jobs.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	a.log.Info("worker running", slog.String("database", string(store.DialectOf(a.db))))
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), workerGrace)
	defer cancel()
	err := a.jobs.Stop(stopCtx)
	a.log.Info("worker stopped")
	return err
}

// Close releases the database and Redis connections.
func (a *App) Close() error {
	a.closeRedis()
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
	if a.redis != nil {
		st.RedisConfigured = true
		st.RedisErr = a.redis.Ping(pingCtx).Err()
	}
	return st
}
