package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/igny8/igny8-go/bench/internal/seed"
)

func seedCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ExitOnError)
	var data dataOptions
	addDataFlags(fs, &data)
	withSQLite := fs.Bool("sqlite", true, "also seed the SQLite data dir")
	if err := fs.Parse(args); err != nil {
		return err
	}
	opts := seed.Options{Config: data.seed, AdminURL: data.adminURL, Database: data.database, SQLiteDir: data.sqliteDir, Reset: data.reset, Log: os.Stderr}
	dsn, m, err := seed.Postgres(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Printf("PostgreSQL: %s — %d accounts, %d sectors\n", redactURL(dsn), len(m.Tenants), len(m.Sectors()))
	if *withSQLite {
		sm, err := seed.SQLite(ctx, opts)
		if err != nil {
			return err
		}
		fmt.Printf("SQLite: %s — %d accounts, %d sectors\n", data.sqliteDir, len(sm.Tenants), len(sm.Sectors()))
	}
	fmt.Printf("users: %s … %s, password %q\n", seed.Email(0), seed.Email(data.seed.Accounts-1), data.seed.Password)
	return nil
}
