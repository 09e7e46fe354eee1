package planner

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/store"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations is the store.MigrationSource of the planner tables (after
// tenancy's: they reference sectors and the seed-keyword library).
func Migrations(d store.Dialect) (fs.FS, error) {
	return store.DialectDir(migrationFiles, d)
}

// Service holds the planner use cases. It is safe for concurrent use.
type Service struct {
	db   *bun.DB
	jobs *jobs.Client
	ai   AIOptions
}

// NewService returns the planner service on db.
func NewService(db *bun.DB) *Service {
	return &Service{db: db}
}

// AttachAI enables the AI actions: jobs are enqueued on client, whose
// workers (AddWorkers) run on s. It is a wiring step, called once before
// s serves calls; the two-step construction breaks the cycle between the
// service (which enqueues jobs) and the job client (whose workers call the
// service).
func (s *Service) AttachAI(client *jobs.Client, opts AIOptions) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s.jobs, s.ai = client, opts
}

// inTx runs fn in a transaction; constraint violations come back as errs
// errors.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return store.InTx(ctx, s.db, fn)
}

// timeNow is the wall clock in UTC, the format both dialects sort by.
func timeNow() time.Time { return time.Now().UTC() }
