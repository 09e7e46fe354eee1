// Command planner shows the planner used from another Go program without
// HTTP: it opens an App on a SQLite file, registers an account with a site,
// imports keywords from CSV, groups some into a cluster, lists the clusters
// with their aggregates and the keywords by volume, and plans an idea.
// Every service call takes the owner's tenancy.Tenant explicitly.
//
//	go run ./examples/planner [-db sqlite://planner-demo/igny8.db]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

const keywordsCSV = `keyword,volume,difficulty,intent,cluster
best running shoes,12000,62,commercial,Running shoes
running shoes for flat feet,2400,35,commercial,Running shoes
trail running shoes,5400,48,commercial,
how to start running,8100,28,informational,
couch to 5k plan,6600,22,informational,
marathon training plan,9900,41,informational,
best running shoes,1,1,,
`

func main() {
	db := flag.String("db", "sqlite://planner-demo/igny8.db", "database URL")
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

	_, owner, err := app.Tenancy().CreateAccount(ctx, tenancy.NewAccount{
		AccountName: "Running Blog", Email: fmt.Sprintf("owner+%d@running.example", os.Getpid()),
		Password: "a long demo password", PlanSlug: "starter",
	})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	t := tenancy.UserTenant(owner)
	site, sectors, err := app.Tenancy().CreateSite(ctx, t, tenancy.NewSite{
		Name: "Running Blog", Domain: "running.example", Sectors: []tenancy.NewSector{{Name: "Training"}},
	})
	if err != nil {
		return fmt.Errorf("create site: %w", err)
	}
	p := app.Planner()

	rep, err := p.ImportKeywordsCSV(ctx, t, planner.ImportTarget{SiteID: site.ID, SectorID: sectors[0].ID}, strings.NewReader(keywordsCSV))
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(out, "imported %d keywords, rejected %d\n", rep.Created, len(rep.Rejected))
	for _, r := range rep.Rejected {
		fmt.Fprintf(out, "  line %d: %s\n", r.Line, r.Reason)
	}

	// Put the training keywords into a cluster of their own.
	training, err := p.CreateCluster(ctx, t, planner.ClusterInput{SiteID: site.ID, SectorID: sectors[0].ID, Name: "Training plans"})
	if err != nil {
		return fmt.Errorf("create cluster: %w", err)
	}
	plans, err := p.KeywordsPage(ctx, t, query("search=plan"))
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(plans.Results))
	for _, k := range plans.Results {
		ids = append(ids, k.ID)
	}
	if _, err := p.BulkUpdateKeywords(ctx, t, planner.KeywordBulkUpdate{IDs: ids, ClusterID: nullable.Of(training.ID)}); err != nil {
		return fmt.Errorf("cluster keywords: %w", err)
	}

	clusters, err := p.ClustersPage(ctx, t, query("ordering=-volume", planner.ClusterListSpec()))
	if err != nil {
		return err
	}
	for _, c := range clusters.Results {
		fmt.Fprintf(out, "cluster %q: %d keywords, volume %d, difficulty %d, %s\n", c.Name, c.KeywordsCount, c.Volume, c.Difficulty, c.Status)
	}
	top, err := p.KeywordsPage(ctx, t, query("ordering=-volume&page_size=3"))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "top %d of %d keywords by volume:\n", len(top.Results), top.Count)
	for _, k := range top.Results {
		fmt.Fprintf(out, "  %-28s %6d  %s\n", k.Keyword, k.Volume, k.Status)
	}

	idea, err := p.CreateIdea(ctx, t, planner.IdeaInput{
		SiteID: site.ID, SectorID: sectors[0].ID, Title: "Your first marathon: a 16-week plan", ClusterID: &training.ID,
		KeywordIDs: ids, ContentStructure: "guide", EstimatedWordCount: 2200,
	})
	if err != nil {
		return fmt.Errorf("create idea: %w", err)
	}
	c, err := p.GetCluster(ctx, t, training.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "idea %q targets %d keywords; cluster %q now has %d idea(s)\n", idea.Title, len(idea.KeywordIDs), c.Name, c.IdeasCount)
	return nil
}

// query parses list parameters the way the HTTP API does (the keyword list
// unless another spec is given).
func query(raw string, spec ...store.ListSpec) store.ListQuery {
	s := planner.KeywordListSpec()
	if len(spec) > 0 {
		s = spec[0]
	}
	values, _ := url.ParseQuery(raw)
	lq, err := store.ParseList(values, s, store.PageLimits{})
	if err != nil {
		panic(err) // the queries above are constants
	}
	return lq
}
