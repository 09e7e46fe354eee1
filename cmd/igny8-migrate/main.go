// Command igny8-migrate manages the igny8 database schema.
//
//	igny8-migrate up        apply every pending migration
//	igny8-migrate down      roll back the last applied group (one `up` run)
//	igny8-migrate down -all roll back everything
//	igny8-migrate status    list migrations and whether each is applied
//	igny8-migrate unlock    remove the lock left by a crashed run
//	igny8-migrate industries import FILE | export
//	igny8-migrate seed-keywords import FILE | export
//	                        the catalogue CSV utilities (same as the
//	                        /api/v1/admin/…/csv/ endpoints); export writes
//	                        to standard output
//
// The database comes from IGNY8_DATABASE_URL (default: the embedded SQLite
// file in IGNY8_DATA_DIR).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/cmd/internal/cli"
	"github.com/igny8/igny8-go/tenancy"
)

const usage = `usage: igny8-migrate <command>

commands:
  up          apply every pending migration
  down [-all] roll back the last applied group, or everything with -all
  status      list migrations and whether each is applied
  unlock      remove the migration lock left by a crashed run
  industries import FILE | export
  seed-keywords import FILE | export
              import (upsert) or export the global catalogue as CSV
`

func main() {
	cfg, log, closeLogs, err := cli.Setup("igny8-migrate", os.Stderr)
	if err == nil {
		err = run(cfg, log, os.Args[1:], os.Stdout)
	}
	closeLogs()
	cli.Exit(log, err)
}

func run(cfg igny8.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("missing command")
	}
	ctx, stop := cli.SignalContext()
	defer stop()

	if args[0] == "industries" || args[0] == "seed-keywords" {
		return catalogue(ctx, cfg, args, out)
	}

	m, closeDB, err := igny8.OpenMigrator(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = closeDB() }()

	switch cmd := args[0]; cmd {
	case "up":
		applied, err := m.Up(ctx)
		for _, name := range applied {
			fmt.Fprintln(out, "applied", name)
		}
		if err == nil && len(applied) == 0 {
			fmt.Fprintln(out, "nothing to apply: the schema is up to date")
		}
		return err
	case "down":
		fs := flag.NewFlagSet("down", flag.ContinueOnError)
		all := fs.Bool("all", false, "roll back every applied migration")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return down(ctx, m, *all, out)
	case "status":
		return status(ctx, m, out)
	case "unlock":
		if err := m.Unlock(ctx); err != nil {
			return err
		}
		log.Info("migration lock removed")
		fmt.Fprintln(out, "unlocked")
		return nil
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func down(ctx context.Context, m *igny8.Migrator, all bool, out io.Writer) error {
	for {
		rolled, err := m.Down(ctx)
		for _, name := range rolled {
			fmt.Fprintln(out, "rolled back", name)
		}
		if err != nil {
			return err
		}
		if len(rolled) == 0 {
			fmt.Fprintln(out, "nothing to roll back")
			return nil
		}
		if !all {
			return nil
		}
	}
}

func status(ctx context.Context, m *igny8.Migrator, out io.Writer) error {
	ms, err := m.Status(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "MIGRATION\tSTATUS\tGROUP\tAPPLIED AT")
	pending := 0
	for _, s := range ms {
		state, at, group := "pending", "", ""
		if s.Applied {
			state, group = "applied", fmt.Sprint(s.GroupID)
			at = s.MigrateAt.UTC().Format("2006-01-02 15:04:05Z")
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%s_%s\t%s\t%s\t%s\n", s.Name, s.Comment, state, group, at)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	riverPending, err := m.RiverPending(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d migrations, %d pending; river: %d pending\n", len(ms), pending, riverPending)
	return nil
}

// catalogue runs the CSV utilities on a migrated database.
func catalogue(ctx context.Context, cfg igny8.Config, args []string, out io.Writer) error {
	if len(args) < 2 || (args[1] == "import" && len(args) != 3) || (args[1] != "import" && args[1] != "export") {
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("usage: igny8-migrate %s import FILE | export", args[0])
	}
	cfg.Migrations = igny8.MigrateVerify
	app, err := igny8.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer app.Close()
	svc := app.Tenancy()
	if args[1] == "export" {
		if args[0] == "industries" {
			return svc.ExportIndustriesCSV(ctx, out)
		}
		return svc.ExportSeedKeywordsCSV(ctx, out)
	}
	f, err := os.Open(args[2])
	if err != nil {
		return err
	}
	defer f.Close()
	var rep *tenancy.CSVReport
	if args[0] == "industries" {
		rep, err = svc.ImportIndustriesCSV(ctx, f)
	} else {
		rep, err = svc.ImportSeedKeywordsCSV(ctx, f)
	}
	if rep != nil {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if encErr := enc.Encode(rep); encErr != nil {
			return encErr
		}
	}
	return err
}
