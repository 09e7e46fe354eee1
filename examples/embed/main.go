// Command embed shows igny8 used from another Go program without HTTP: it
// opens an App on a SQLite file, registers an account, creates a site with
// two sectors and lists what the owner sees. Every call after registration
// takes the owner's tenancy.Tenant explicitly.
//
//	go run ./examples/embed [-db sqlite://embed-demo/igny8.db]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/tenancy"
)

func main() {
	db := flag.String("db", "sqlite://embed-demo/igny8.db", "database URL")
	flag.Parse()
	if err := run(context.Background(), *db, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, databaseURL string, out io.Writer) error {
	cfg := igny8.DefaultConfig()
	cfg.DatabaseURL = databaseURL
	app, err := igny8.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer app.Close()
	svc := app.Tenancy()

	account, owner, err := svc.CreateAccount(ctx, tenancy.NewAccount{
		AccountName: "Embedded Agency",
		Email:       fmt.Sprintf("owner+%d@agency.example", os.Getpid()),
		Password:    "a long demo password",
		PlanSlug:    "starter",
	})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	t := tenancy.UserTenant(owner)
	fmt.Fprintf(out, "account %q (%s plan, %d credits, status %s)\n", account.Slug, account.Plan.Name, account.Credits, account.Status)

	site, sectors, err := svc.CreateSite(ctx, t, tenancy.NewSite{
		Name:    "Agency Blog",
		Domain:  "blog.agency.example",
		Sectors: []tenancy.NewSector{{Name: "SEO Guides"}, {Name: "Case Studies"}},
	})
	if err != nil {
		return fmt.Errorf("create site: %w", err)
	}
	fmt.Fprintf(out, "site %q at %s with %d sectors\n", site.Slug, site.Domain, len(sectors))

	sites, err := svc.ListSites(ctx, t)
	if err != nil {
		return err
	}
	for _, s := range sites {
		secs, err := svc.ListSectors(ctx, t, s.ID)
		if err != nil {
			return err
		}
		for _, sec := range secs {
			fmt.Fprintf(out, "  %s / %s\n", s.Name, sec.Name)
		}
	}
	return nil
}
