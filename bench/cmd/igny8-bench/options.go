package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"time"

	"github.com/igny8/igny8-go/bench/internal/seed"
)

// dataOptions say what data to use and where it lives.
type dataOptions struct {
	seed      seed.Config
	adminURL  string
	database  string
	sqliteDir string
	reset     bool
}

func addDataFlags(fs *flag.FlagSet, o *dataOptions) {
	o.seed = seed.Defaults()
	fs.IntVar(&o.seed.Accounts, "accounts", o.seed.Accounts, "seeded accounts (each with an owner)")
	fs.IntVar(&o.seed.SitesPerAccount, "sites", o.seed.SitesPerAccount, "sites per account")
	fs.IntVar(&o.seed.SectorsPerSite, "sectors", o.seed.SectorsPerSite, "sectors per site (at most 5)")
	fs.IntVar(&o.seed.Keywords, "keywords", o.seed.Keywords, "keywords in total, spread evenly over the sectors")
	fs.Uint64Var(&o.seed.Seed, "seed", o.seed.Seed, "random seed of the dataset")
	fs.StringVar(&o.adminURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL URL used to create the bench database (any database but the bench's)")
	fs.StringVar(&o.database, "db", "igny8_bench", "name of the bench database (created when missing, recreated when it holds other data)")
	fs.StringVar(&o.sqliteDir, "sqlite-dir", defaultSQLiteDir(), "data dir of the SQLite profile's seeded copy")
	fs.BoolVar(&o.reset, "reset", false, "drop and reseed the bench database and SQLite dir even if they hold this seed (e.g. after a migration changed)")
}

// defaultSQLiteDir is bench/.data/sqlite under the working directory when
// run from the module root (as make does), else a cache directory.
func defaultSQLiteDir() string {
	if _, err := os.Stat("bench/README.md"); err == nil {
		return filepath.Join("bench", ".data", "sqlite")
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "igny8-bench", "sqlite")
	}
	return filepath.Join(os.TempDir(), "igny8-bench-sqlite")
}

// loadOptions are the shape of the load.
type loadOptions struct {
	concurrency      int
	duration, warmup time.Duration
	rounds           int
}

func addLoadFlags(fs *flag.FlagSet, o *loadOptions) {
	fs.IntVar(&o.concurrency, "c", 32, "concurrent connections (closed loop)")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "measured time per target per round")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured load before each measurement")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds (targets alternate within each round)")
}

func (o loadOptions) validate() error {
	if o.concurrency < 1 || o.duration <= 0 || o.warmup < 0 || o.rounds < 1 {
		return errors.New("need -c ≥ 1, -d > 0, -warmup ≥ 0, -rounds ≥ 1")
	}
	return nil
}
