package seed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/store"
)

// createMarker makes the table that records what a database was seeded
// with. The statement is valid on both dialects.
const createMarker = `CREATE TABLE IF NOT EXISTS bench_seed (id integer PRIMARY KEY, config text NOT NULL)`

// ErrMismatch means the database holds data that is not the requested
// seed (another config, or a seed that stopped half-way): start over on a
// fresh database.
var ErrMismatch = errors.New("seed: the database holds other data than this seed; use a fresh one")

// Seed creates the tenants through app and writes the planner rows. The
// database must not hold seeded tenants yet.
func Seed(ctx context.Context, app *igny8.App, c Config) (Manifest, Dataset, error) {
	if err := c.Validate(); err != nil {
		return Manifest{}, Dataset{}, fmt.Errorf("seed: config: %w", err)
	}
	db := app.DB()
	if _, err := db.ExecContext(ctx, createMarker); err != nil {
		return Manifest{}, Dataset{}, fmt.Errorf("seed: create bench_seed: %w", err)
	}
	m, err := createTenants(ctx, app, c)
	if err != nil {
		return Manifest{}, Dataset{}, err
	}
	var d Dataset
	switch store.DialectOf(db) {
	case store.Postgres:
		d, err = writePostgres(ctx, db, c, m)
	case store.SQLite:
		d, err = writeSQLite(ctx, db, c, m)
	default:
		err = fmt.Errorf("seed: unsupported dialect %v", store.DialectOf(db))
	}
	if err != nil {
		return Manifest{}, Dataset{}, err
	}
	return m, d, nil
}

// Ensure makes app's database hold the seed c: it reuses a complete seed
// of the same config (checked by its record and its counts), seeds an
// empty database, and returns ErrMismatch for anything else. seeded tells
// whether it wrote.
func Ensure(ctx context.Context, app *igny8.App, c Config) (m Manifest, seeded bool, err error) {
	db := app.DB()
	state, err := readState(ctx, db)
	if err != nil {
		return Manifest{}, false, err
	}
	fp, err := c.fingerprint()
	if err != nil {
		return Manifest{}, false, err
	}
	switch {
	case state.config == fp && state.accounts == c.Accounts && state.keywords == c.Keywords:
		m, err = LoadManifest(ctx, db)
		if err != nil {
			return Manifest{}, false, err
		}
		if len(m.Sectors()) != c.sectors() {
			return Manifest{}, false, fmt.Errorf("%w: %d seeded sectors, want %d", ErrMismatch, len(m.Sectors()), c.sectors())
		}
		return m, false, nil
	case state.config == "" && state.accounts == 0 && state.keywords == 0:
		m, _, err = Seed(ctx, app, c)
		return m, err == nil, err
	}
	return Manifest{}, false, fmt.Errorf("%w (found %d seeded accounts, %d keywords, record %q)", ErrMismatch, state.accounts, state.keywords, state.config)
}

type state struct {
	config             string
	accounts, keywords int
}

func readState(ctx context.Context, db *bun.DB) (state, error) {
	var s state
	if _, err := db.ExecContext(ctx, createMarker); err != nil {
		return s, fmt.Errorf("seed: create bench_seed: %w", err)
	}
	err := db.NewRaw(`SELECT config FROM bench_seed WHERE id = 1`).Scan(ctx, &s.config)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("seed: read bench_seed: %w", err)
	}
	if err := db.NewRaw(`SELECT count(*) FROM igny8_users WHERE email LIKE ?`, "bench-owner-%@"+EmailDomain).Scan(ctx, &s.accounts); err != nil {
		return s, fmt.Errorf("seed: count seeded accounts: %w", err)
	}
	if err := db.NewRaw(`SELECT count(*) FROM igny8_keywords`).Scan(ctx, &s.keywords); err != nil {
		return s, fmt.Errorf("seed: count keywords: %w", err)
	}
	return s, nil
}
