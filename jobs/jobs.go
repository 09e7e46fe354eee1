package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations is the store.MigrationSource of the task-progress table.
// River's own tables are migrated by Migrate.
func Migrations(d store.Dialect) (fs.FS, error) {
	return store.DialectDir(migrationFiles, d)
}

// QueueAI is the queue of AI calls: few at a time, like the original's
// single-prefetch Celery workers, so a burst cannot exhaust a provider's
// rate limit or the machine.
const (
	QueueDefault = river.QueueDefault
	QueueAI      = "ai"
)

// Config tunes the job engine. Zero values pick the defaults noted.
type Config struct {
	Logger *slog.Logger
	// Queues maps queue names to how many jobs of each run at once; nil
	// means {default: 4, ai: 1}. Empty (non-nil) means insert-only: this
	// process enqueues but runs nothing (IGNY8_RUN_WORKER=false).
	Queues map[string]int
	// JobTimeout is the time limit of a job kind that sets none (10 min).
	JobTimeout time.Duration
	// MaxAttempts of a kind that sets none (3, Celery's max_retries).
	MaxAttempts int
	// FetchPollInterval is how often idle workers look for new jobs
	// (database/sql drivers poll; 250 ms).
	FetchPollInterval time.Duration
	// RescueStuckJobsAfter returns jobs of a dead worker to the queue
	// (River's default: an hour past the time limit).
	RescueStuckJobsAfter time.Duration
	// PeriodicJobs are the Beat schedules; one elected leader enqueues them.
	PeriodicJobs []*river.PeriodicJob
}

// Client enqueues and works jobs on the App's database.
type Client struct {
	db      *bun.DB
	river   *river.Client[*sql.Tx]
	working bool
}

func driverFor(db *bun.DB) riverdriver.Driver[*sql.Tx] {
	if store.DialectOf(db) == store.SQLite {
		return riversqlite.New(db.DB)
	}
	return riverdatabasesql.New(db.DB)
}

// New builds the client; workers holds the kinds this process can run (it
// may be empty for an insert-only process).
func New(db *bun.DB, workers *river.Workers, cfg Config) (*Client, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	queues := cfg.Queues
	if queues == nil {
		queues = map[string]int{QueueDefault: 4, QueueAI: 1}
	}
	rc := &river.Config{
		Logger:               cfg.Logger,
		JobTimeout:           cmp.Or(cfg.JobTimeout, 10*time.Minute),
		MaxAttempts:          cmp.Or(cfg.MaxAttempts, 3),
		FetchPollInterval:    cmp.Or(cfg.FetchPollInterval, 250*time.Millisecond),
		RescueStuckJobsAfter: cfg.RescueStuckJobsAfter,
		PeriodicJobs:         cfg.PeriodicJobs,
	}
	working := len(queues) > 0
	if working {
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{}
		for name, n := range queues {
			rc.Queues[name] = river.QueueConfig{MaxWorkers: n}
		}
	}
	client, err := river.NewClient(driverFor(db), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: new river client: %w", err)
	}
	return &Client{db: db, river: client, working: working}, nil
}

// InsertTx enqueues a job inside the caller's transaction: it exists if and
// only if the transaction commits.
func (c *Client) InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	res, err := c.river.InsertTx(ctx, tx.Tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job, nil
}

// Insert enqueues a job on its own.
func (c *Client) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobRow, error) {
	res, err := c.river.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res.Job, nil
}

// Start begins working (no-op for an insert-only client).
func (c *Client) Start(ctx context.Context) error {
	if !c.working {
		return nil
	}
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching and waits for running jobs; when ctx ends first,
// the running jobs are cancelled and go back to the queue for retry.
func (c *Client) Stop(ctx context.Context) error {
	if !c.working {
		return nil
	}
	err := c.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return c.river.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// River exposes the underlying client (subscriptions, job lookups).
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }

// Migrate brings River's own tables up to date (or, with down, removes
// them), on either dialect.
func Migrate(ctx context.Context, db *bun.DB, down bool) (int, error) {
	m, err := rivermigrate.New(driverFor(db), nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: river migrator: %w", err)
	}
	dir := rivermigrate.DirectionUp
	if down {
		dir = rivermigrate.DirectionDown
	}
	opts := &rivermigrate.MigrateOpts{}
	if down {
		opts.TargetVersion = -1
	}
	res, err := m.Migrate(ctx, dir, opts)
	if err != nil {
		return 0, fmt.Errorf("jobs: migrate river %s: %w", dir, err)
	}
	return len(res.Versions), nil
}

// PendingMigrations counts River migrations not yet applied.
func PendingMigrations(ctx context.Context, db *bun.DB) (int, error) {
	m, err := rivermigrate.New(driverFor(db), nil)
	if err != nil {
		return 0, fmt.Errorf("jobs: river migrator: %w", err)
	}
	all := len(m.AllVersions())
	existing, err := m.ExistingVersions(ctx)
	if err != nil {
		// Before River's first migration its version table does not
		// exist: every migration is pending.
		return all, nil
	}
	return all - len(existing), nil
}
