package planner_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// The keyword and cluster lists scan rows through hand-written destinations
// (store.ColumnScanner) on PostgreSQL; they must name every column in bun's
// order and read exactly what bun reads, NULLs and overrides included.
func TestListsScanWhatBunScans(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db := env.App.DB()
		require.NoError(t, store.VerifyScanDest[planner.Keyword](db))
		require.NoError(t, store.VerifyScanDest[planner.Cluster](db))

		ctx := env.Ctx()
		ten := env.App.Tenancy()
		_, tmpl, err := ten.CreateIndustry(ctx, tenancy.NewIndustry{Name: "Scan " + string(env.Dialect), Sectors: []tenancy.NewIndustrySector{{Name: "Running"}}})
		require.NoError(t, err)
		_, err = ten.AddSeedKeywords(ctx, tmpl[0].ID, []tenancy.NewSeedKeyword{{Keyword: "trail shoes", Volume: 700, Difficulty: 40, Intent: tenancy.IntentCommercial}})
		require.NoError(t, err)
		var seedID int64
		require.NoError(t, db.NewSelect().Model((*tenancy.SeedKeyword)(nil)).Column("id").Where("keyword = ?", "trail shoes").Scan(ctx, &seedID))
		a := env.NewAccount()
		site, _, err := ten.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Shop", Domain: "scan.example", IndustryID: &tmpl[0].IndustryID,
			Sectors: []tenancy.NewSector{{Name: "Run", IndustrySectorID: &tmpl[0].ID}}})
		require.NoError(t, err)
		sectors, err := ten.ListSectors(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		svc := env.App.Planner()

		c, err := svc.CreateCluster(ctx, a.Tenant, planner.ClusterInput{SiteID: site.ID, SectorID: sectors[0].ID, Name: "Shoes", Description: "all about shoes"})
		require.NoError(t, err)
		own, err := svc.CreateKeyword(ctx, a.Tenant, planner.KeywordInput{SiteID: site.ID, SectorID: sectors[0].ID, Keyword: "Road Shoes", Volume: ptr(120), Difficulty: ptr(7),
			ClusterID: &c.ID, AttributeValues: json.RawMessage(`[{"name":"colour","value":"red"}]`)})
		require.NoError(t, err)
		adopted, err := svc.CreateKeyword(ctx, a.Tenant, planner.KeywordInput{SiteID: site.ID, SectorID: sectors[0].ID, SeedKeywordID: &seedID})
		require.NoError(t, err)
		_, err = svc.UpdateKeyword(ctx, a.Tenant, adopted.ID, planner.KeywordUpdate{Volume: nullable.Of(55), Intent: nullable.Of(tenancy.IntentTransactional)})
		require.NoError(t, err)
		gone, err := svc.CreateKeyword(ctx, a.Tenant, planner.KeywordInput{SiteID: site.ID, SectorID: sectors[0].ID, Keyword: "deleted"})
		require.NoError(t, err)
		require.NoError(t, svc.DeleteKeyword(ctx, a.Tenant, gone.ID))

		page, err := svc.KeywordsPage(ctx, a.Tenant, list(t, planner.KeywordListSpec(), "ordering=keyword"))
		require.NoError(t, err)
		var want []planner.Keyword
		require.NoError(t, db.NewSelect().Model(&want).Where("account_id = ?", a.Account.ID).Order("keyword").Scan(ctx))
		require.Equal(t, want, page.Results)
		require.Equal(t, 2, page.Count)
		require.Equal(t, own.ID, page.Results[0].ID)
		require.NotNil(t, page.Results[1].IntentOverride)
		require.NotNil(t, page.Results[1].SeedKeywordID)

		clusters, err := svc.ClustersPage(ctx, a.Tenant, list(t, planner.ClusterListSpec(), ""))
		require.NoError(t, err)
		var wantClusters []planner.Cluster
		require.NoError(t, db.NewSelect().Model(&wantClusters).Where("account_id = ?", a.Account.ID).Scan(ctx))
		require.Equal(t, wantClusters, clusters.Results)
		require.Equal(t, 1, clusters.Results[0].KeywordsCount)
	})
}
