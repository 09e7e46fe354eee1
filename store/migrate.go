package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/igny8/igny8-go/errs"
)

// MigrationSource gives a domain's embedded SQL migrations for a dialect.
// Files are named <14-digit timestamp>_<name>.tx.up.sql / .tx.down.sql so
// each runs in its own transaction and all domains sort into one history.
type MigrationSource func(Dialect) (fs.FS, error)

// Migrator applies the migrations of every registered source, recording them
// in igny8_migrations. A row in igny8_migration_locks keeps two migrators from
// racing; a run that crashed leaves it behind and Unlock removes it.
type Migrator struct {
	db         *bun.DB
	m          *migrate.Migrator
	migrations *migrate.Migrations
	lockWait   time.Duration
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Name      string
	Comment   string
	Applied   bool
	GroupID   int64
	MigrateAt time.Time
}

// NewMigrator collects the migrations of sources for db's dialect.
func NewMigrator(db *bun.DB, sources ...MigrationSource) (*Migrator, error) {
	migrations := migrate.NewMigrations()
	d := DialectOf(db)
	for _, src := range sources {
		fsys, err := src(d)
		if err != nil {
			return nil, fmt.Errorf("store: migrations for %s: %w", d, err)
		}
		if err := migrations.Discover(fsys); err != nil {
			return nil, fmt.Errorf("store: discover migrations: %w", err)
		}
	}
	m := migrate.NewMigrator(db, migrations,
		migrate.WithTableName("igny8_migrations"),
		migrate.WithLocksTableName("igny8_migration_locks"),
		migrate.WithMarkAppliedOnSuccess(true),
	)
	return &Migrator{db: db, m: m, migrations: migrations, lockWait: 60 * time.Second}, nil
}

// SetLockWait sets how long Up and Down wait for another migrator's lock.
func (mg *Migrator) SetLockWait(d time.Duration) { mg.lockWait = d }

// ErrLocked is returned when the migration lock stays taken for the whole wait.
var ErrLocked = errors.New("store: migrations are locked by another run; if no migration is running (a crashed run left its lock), run `igny8-migrate unlock`")

func (mg *Migrator) init(ctx context.Context) error {
	err := mg.m.Init(ctx)
	if err != nil {
		// Two processes creating the bookkeeping tables at once can collide
		// on PostgreSQL's catalog; the second attempt sees the tables.
		err = mg.m.Init(ctx)
	}
	if err != nil {
		return fmt.Errorf("store: create migration tables: %w", err)
	}
	return nil
}

func (mg *Migrator) withLock(ctx context.Context, fn func() error) error {
	if err := mg.init(ctx); err != nil {
		return err
	}
	deadline := time.Now().Add(mg.lockWait)
	for {
		err := mg.m.Lock(ctx)
		if err == nil {
			break
		}
		// Only a taken lock (the lock row's unique key) is worth waiting
		// for; anything else, such as a lost connection, is the real error.
		if !errs.Is(MapError(err), errs.Conflict) {
			return fmt.Errorf("store: take migration lock: %w", err)
		}
		if time.Now().After(deadline) {
			return ErrLocked
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	defer func() {
		// The unlock must happen even when ctx was cancelled mid-run.
		_ = mg.m.Unlock(context.WithoutCancel(ctx))
	}()
	return fn()
}

// Up applies every pending migration and returns the names applied.
func (mg *Migrator) Up(ctx context.Context) ([]string, error) {
	var applied []string
	err := mg.withLock(ctx, func() error {
		group, err := mg.m.Migrate(ctx)
		if group != nil {
			for _, m := range group.Migrations {
				applied = append(applied, migrationID(m))
			}
		}
		if err != nil {
			return fmt.Errorf("store: migrate up: %w", err)
		}
		return nil
	})
	return applied, err
}

// Down rolls back the most recent group of migrations (one `up` run) and
// returns the names rolled back; none when nothing is applied.
func (mg *Migrator) Down(ctx context.Context) ([]string, error) {
	var rolled []string
	err := mg.withLock(ctx, func() error {
		group, err := mg.m.Rollback(ctx)
		if group != nil {
			for i := len(group.Migrations) - 1; i >= 0; i-- {
				rolled = append(rolled, migrationID(group.Migrations[i]))
			}
		}
		if err != nil {
			return fmt.Errorf("store: migrate down: %w", err)
		}
		return nil
	})
	return rolled, err
}

// Status lists every known migration in order with its state.
func (mg *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	if err := mg.init(ctx); err != nil {
		return nil, err
	}
	ms, err := mg.m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(ms))
	for _, m := range ms {
		out = append(out, MigrationStatus{
			Name: m.Name, Comment: m.Comment, Applied: m.IsApplied(),
			GroupID: m.GroupID, MigrateAt: m.MigratedAt,
		})
	}
	return out, nil
}

// Pending counts migrations not yet applied, without creating anything:
// a server that must not migrate (PostgreSQL mode) uses it to refuse to
// start on an old schema.
func (mg *Migrator) Pending(ctx context.Context) (int, error) {
	var exists bool
	var err error
	if DialectOf(mg.db) == Postgres {
		err = mg.db.NewRaw("SELECT to_regclass('igny8_migrations') IS NOT NULL").Scan(ctx, &exists)
	} else {
		err = mg.db.NewRaw("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'igny8_migrations'").Scan(ctx, &exists)
	}
	if err != nil {
		return 0, fmt.Errorf("store: look for migration table: %w", err)
	}
	if !exists {
		return len(mg.migrations.Sorted()), nil
	}
	ms, err := mg.m.MigrationsWithStatus(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: migration status: %w", err)
	}
	return len(ms.Unapplied()), nil
}

// Unlock removes the migration lock left by a crashed run.
func (mg *Migrator) Unlock(ctx context.Context) error {
	if err := mg.init(ctx); err != nil {
		return err
	}
	if err := mg.m.Unlock(ctx); err != nil {
		return fmt.Errorf("store: unlock migrations: %w", err)
	}
	return nil
}

// migrationID is the full name of a migration file without its suffix,
// e.g. 20261125000001_tenancy.
func migrationID(m migrate.Migration) string {
	if m.Comment == "" {
		return m.Name
	}
	return m.Name + "_" + m.Comment
}

// DialectDir picks a domain's migrations for d from its embedded tree,
// laid out as migrations/postgres and migrations/sqlite: the body of every
// domain's MigrationSource.
func DialectDir(fsys fs.FS, d Dialect) (fs.FS, error) {
	return fs.Sub(fsys, "migrations/"+string(d))
}
