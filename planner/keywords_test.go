package planner_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

func TestKeywordCRUD(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		ctx := env.Ctx()

		k := f.keyword("  Best  Running Shoes ", 1200, 40)
		require.Equal(t, "Best  Running Shoes", k.Keyword)
		require.Equal(t, planner.KeywordNew, k.Status)
		require.Equal(t, tenancy.IntentInformational, k.Intent)
		require.JSONEq(t, `[]`, string(k.AttributeValues))

		// The same text, folded, is a conflict in the sector, fine in another.
		_, err := f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "best running shoes"})
		requireCode(t, err, errs.Conflict, "keyword")
		_, err = f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sectors[1].ID, Keyword: "best running shoes"})
		require.NoError(t, err)

		// Validation names every bad field.
		_, err = f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "x", Volume: ptr(-1), Difficulty: ptr(101), Intent: ptr(tenancy.Intent("vague"))})
		requireCode(t, err, errs.Invalid, "volume")
		require.Contains(t, errs.As(err).Fields, "difficulty")
		require.Contains(t, errs.As(err).Fields, "intent")
		_, err = f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector()})
		requireCode(t, err, errs.Invalid, "keyword")

		// A sector of another site of the account is refused.
		site2, sectors2 := env.NewSite(f.account)
		_, err = f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: sectors2[0].ID, Keyword: "y"})
		requireCode(t, err, errs.Invalid, "sector_id")
		_ = site2

		// Update: own values, then delete and restore.
		k2, err := f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{Volume: nullable.Of(5), Intent: nullable.Of(tenancy.IntentCommercial)})
		require.NoError(t, err)
		require.Equal(t, 5, k2.Volume)
		require.Equal(t, 40, k2.Difficulty)
		require.Equal(t, tenancy.IntentCommercial, k2.Intent)
		_, err = f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{Volume: nullable.Null[int]()})
		requireCode(t, err, errs.Invalid, "volume")

		require.NoError(t, f.svc.DeleteKeyword(ctx, f.t, k.ID))
		_, err = f.svc.GetKeyword(ctx, f.t, k.ID)
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, f.svc.DeleteKeyword(ctx, f.t, k.ID), errs.NotFound, "")
		res, err := f.svc.RestoreKeywords(ctx, f.t, []int64{k.ID, 999999})
		require.NoError(t, err)
		require.Equal(t, 1, res.Affected)
		require.Equal(t, []int64{999999}, res.NotFound)
		_, err = f.svc.GetKeyword(ctx, f.t, k.ID)
		require.NoError(t, err)

		// Deleted and restored again while the text was re-added: conflict.
		require.NoError(t, f.svc.DeleteKeyword(ctx, f.t, k.ID))
		f.keyword("best running shoes", 1, 1)
		_, err = f.svc.RestoreKeywords(ctx, f.t, []int64{k.ID})
		requireCode(t, err, errs.Conflict, "")
	})
}

func TestViewerReadsOnlyAndOtherAccountsSeeNothing(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		ctx := env.Ctx()
		k := f.keyword("alpha", 1, 1)

		_, viewer := env.NewUser(f.account, tenancy.RoleViewer)
		_, err := f.svc.CreateKeyword(ctx, viewer, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "beta"})
		requireCode(t, err, errs.Forbidden, "")
		_, err = f.svc.BulkDeleteKeywords(ctx, viewer, []int64{k.ID})
		requireCode(t, err, errs.Forbidden, "")

		other := newFixture(env)
		_, err = other.svc.GetKeyword(ctx, other.t, k.ID)
		requireCode(t, err, errs.NotFound, "")
		res, err := other.svc.BulkDeleteKeywords(ctx, other.t, []int64{k.ID})
		require.NoError(t, err)
		require.Equal(t, 0, res.Affected)
		require.Equal(t, []int64{k.ID}, res.NotFound)
		_, err = other.svc.UpdateKeyword(ctx, other.t, k.ID, planner.KeywordUpdate{Disabled: ptr(true)})
		requireCode(t, err, errs.NotFound, "")
		_, err = f.svc.GetKeyword(ctx, f.t, k.ID)
		require.NoError(t, err, "the owner's keyword is untouched")

		// Bulk actions with missing ids are invalid, naming ids.
		_, err = f.svc.BulkDeleteKeywords(ctx, f.t, nil)
		requireCode(t, err, errs.Invalid, "ids")
		_, err = f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k.ID}})
		requireCode(t, err, errs.Invalid, "status")

		// The zero Tenant fails closed.
		_, err = f.svc.GetKeyword(ctx, tenancy.Tenant{}, k.ID)
		requireCode(t, err, errs.Unauthenticated, "")
	})
}

func TestClusterAggregatesFollowKeywords(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env)
		ctx := env.Ctx()
		a, b := f.cluster("Running"), f.cluster("Trail")
		require.Equal(t, planner.ClusterNew, a.Status)
		_, err := f.svc.CreateCluster(ctx, f.t, planner.ClusterInput{SiteID: f.site.ID, SectorID: f.sector(), Name: " running "})
		requireCode(t, err, errs.Conflict, "name")

		k1, k2, k3 := f.keyword("one", 100, 10), f.keyword("two", 300, 21), f.keyword("three", 50, 90)
		res, err := f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k1.ID, k2.ID, 424242}, ClusterID: nullable.Of(a.ID)})
		require.NoError(t, err)
		require.Equal(t, 2, res.Affected)
		require.Equal(t, []int64{424242}, res.NotFound)
		ca := f.getCluster(a.ID)
		require.Equal(t, planner.ClusterMapped, ca.Status)
		require.Equal(t, 2, ca.KeywordsCount)
		require.EqualValues(t, 400, ca.Volume)
		require.Equal(t, 16, ca.Difficulty) // round((10+21)/2)
		kw, err := f.svc.GetKeyword(ctx, f.t, k1.ID)
		require.NoError(t, err)
		require.Equal(t, planner.KeywordMapped, kw.Status)

		// Move k2 to b, add k3 to b.
		_, err = f.svc.UpdateKeyword(ctx, f.t, k2.ID, planner.KeywordUpdate{ClusterID: nullable.Of(b.ID)})
		require.NoError(t, err)
		_, err = f.svc.UpdateKeyword(ctx, f.t, k3.ID, planner.KeywordUpdate{ClusterID: nullable.Of(b.ID)})
		require.NoError(t, err)
		ca, cb := f.getCluster(a.ID), f.getCluster(b.ID)
		require.Equal(t, 1, ca.KeywordsCount)
		require.EqualValues(t, 100, ca.Volume)
		require.Equal(t, 2, cb.KeywordsCount)
		require.EqualValues(t, 350, cb.Volume)

		// Deleting and restoring keywords moves the aggregates.
		_, err = f.svc.BulkDeleteKeywords(ctx, f.t, []int64{k1.ID, k3.ID})
		require.NoError(t, err)
		ca, cb = f.getCluster(a.ID), f.getCluster(b.ID)
		require.Equal(t, 0, ca.KeywordsCount)
		require.Equal(t, planner.ClusterNew, ca.Status)
		require.EqualValues(t, 300, cb.Volume)
		_, err = f.svc.RestoreKeywords(ctx, f.t, []int64{k1.ID, k3.ID})
		require.NoError(t, err)
		ca, cb = f.getCluster(a.ID), f.getCluster(b.ID)
		require.Equal(t, 1, ca.KeywordsCount)
		require.Equal(t, planner.ClusterMapped, ca.Status)
		require.EqualValues(t, 350, cb.Volume)

		// Out of the cluster: back to new.
		_, err = f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k1.ID}, ClusterID: nullable.Null[int64]()})
		require.NoError(t, err)
		kw, _ = f.svc.GetKeyword(ctx, f.t, k1.ID)
		require.Equal(t, planner.KeywordNew, kw.Status)
		require.Nil(t, kw.ClusterID)

		// Mapped needs a cluster; a cluster of another sector is refused.
		_, err = f.svc.UpdateKeyword(ctx, f.t, k1.ID, planner.KeywordUpdate{Status: ptr(planner.KeywordMapped)})
		requireCode(t, err, errs.Invalid, "status")
		other, err := f.svc.CreateCluster(ctx, f.t, planner.ClusterInput{SiteID: f.site.ID, SectorID: f.sectors[1].ID, Name: "Elsewhere"})
		require.NoError(t, err)
		_, err = f.svc.UpdateKeyword(ctx, f.t, k1.ID, planner.KeywordUpdate{ClusterID: nullable.Of(other.ID)})
		requireCode(t, err, errs.Invalid, "cluster_id")
		_, err = f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k1.ID}, ClusterID: nullable.Of(other.ID)})
		requireCode(t, err, errs.Invalid, "cluster_id")

		// Ideas count; deleting the cluster detaches keywords and ideas.
		idea, err := f.svc.CreateIdea(ctx, f.t, planner.IdeaInput{SiteID: f.site.ID, SectorID: f.sector(), Title: "Guide", ClusterID: &b.ID, KeywordIDs: []int64{k2.ID, k3.ID}})
		require.NoError(t, err)
		require.Equal(t, []int64{k2.ID, k3.ID}, idea.KeywordIDs)
		require.Equal(t, 1, f.getCluster(b.ID).IdeasCount)
		require.NoError(t, f.svc.DeleteCluster(ctx, f.t, b.ID))
		kw, _ = f.svc.GetKeyword(ctx, f.t, k2.ID)
		require.Nil(t, kw.ClusterID)
		require.Equal(t, planner.KeywordNew, kw.Status)
		got, err := f.svc.GetIdea(ctx, f.t, idea.ID)
		require.NoError(t, err)
		require.Nil(t, got.ClusterID)
		rres, err := f.svc.RestoreClusters(ctx, f.t, []int64{b.ID})
		require.NoError(t, err)
		require.Equal(t, 1, rres.Affected)
		require.Equal(t, 0, f.getCluster(b.ID).KeywordsCount)
	})
}

func TestSeedAdoption(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		ten := env.App.Tenancy()
		ind, tmpl, err := ten.CreateIndustry(ctx, tenancy.NewIndustry{Name: "Sport " + string(env.Dialect),
			Sectors: []tenancy.NewIndustrySector{{Name: "Running"}, {Name: "Cycling"}}})
		require.NoError(t, err)
		_, err = ten.AddSeedKeywords(ctx, tmpl[0].ID, []tenancy.NewSeedKeyword{
			{Keyword: "running shoes", Volume: 900, Difficulty: 30, Intent: tenancy.IntentCommercial},
			{Keyword: "marathon plan", Volume: 400, Difficulty: 20},
		})
		require.NoError(t, err)
		_, err = ten.AddSeedKeywords(ctx, tmpl[1].ID, []tenancy.NewSeedKeyword{{Keyword: "road bike", Volume: 10}})
		require.NoError(t, err)
		seeds, err := env.App.Tenancy().SeedKeywordsPage(ctx, list(t, tenancy.SeedKeywordListSpec(), "industry_id="+fmt.Sprint(ind.ID)+"&ordering=keyword"))
		require.NoError(t, err)
		require.Len(t, seeds.Results, 3)
		byText := map[string]int64{}
		for _, s := range seeds.Results {
			byText[s.Keyword] = s.ID
		}

		a := env.NewAccount()
		site, _, err := ten.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Shop", Domain: "shop.example", IndustryID: &ind.ID,
			Sectors: []tenancy.NewSector{{Name: "Run", IndustrySectorID: &tmpl[0].ID}}})
		require.NoError(t, err)
		sectors, err := ten.ListSectors(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		sector := sectors[0]
		svc := env.App.Planner()

		// A seed of another industry sector is invalid; the others are added once.
		in := planner.SeedAdoption{SiteID: site.ID, SectorID: sector.ID, SeedKeywordIDs: []int64{byText["running shoes"], byText["marathon plan"], byText["road bike"], 987654}}
		res, err := svc.AddFromSeed(ctx, a.Tenant, in)
		require.NoError(t, err)
		require.Equal(t, 2, res.Added)
		require.ElementsMatch(t, []int64{byText["road bike"], 987654}, res.Invalid)
		res, err = svc.AddFromSeed(ctx, a.Tenant, in)
		require.NoError(t, err)
		require.Equal(t, 0, res.Added)
		require.Equal(t, 2, res.Skipped)

		// Adopted keywords carry the seed's values; overrides win until cleared.
		page, err := svc.KeywordsPage(ctx, a.Tenant, list(t, planner.KeywordListSpec(), "ordering=-volume"))
		require.NoError(t, err)
		require.Len(t, page.Results, 2)
		shoes := page.Results[0]
		require.Equal(t, "running shoes", shoes.Keyword)
		require.Equal(t, 900, shoes.Volume)
		require.Equal(t, tenancy.IntentCommercial, shoes.Intent)
		k, err := svc.UpdateKeyword(ctx, a.Tenant, shoes.ID, planner.KeywordUpdate{Volume: nullable.Of(50)})
		require.NoError(t, err)
		require.Equal(t, 50, k.Volume)
		require.Equal(t, 50, *k.VolumeOverride)
		page, err = svc.KeywordsPage(ctx, a.Tenant, list(t, planner.KeywordListSpec(), "volume_max=100"))
		require.NoError(t, err)
		require.Len(t, page.Results, 1, "the volume filter uses the override")
		k, err = svc.UpdateKeyword(ctx, a.Tenant, shoes.ID, planner.KeywordUpdate{Volume: nullable.Null[int]()})
		require.NoError(t, err)
		require.Equal(t, 900, k.Volume)
		require.Nil(t, k.VolumeOverride)
		_, err = svc.UpdateKeyword(ctx, a.Tenant, shoes.ID, planner.KeywordUpdate{Keyword: ptr("other text")})
		requireCode(t, err, errs.Invalid, "keyword")

		// Own research never reaches the global library.
		_, err = svc.CreateKeyword(ctx, a.Tenant, planner.KeywordInput{SiteID: site.ID, SectorID: sector.ID, Keyword: "secret research"})
		require.NoError(t, err)
		n, err := env.App.DB().NewSelect().Model((*tenancy.SeedKeyword)(nil)).Where("keyword = ?", "secret research").Count(ctx)
		require.NoError(t, err)
		require.Zero(t, n)

		// Creating from a seed checks the sector's industry sector too.
		_, err = svc.CreateKeyword(ctx, a.Tenant, planner.KeywordInput{SiteID: site.ID, SectorID: sector.ID, SeedKeywordID: ptr(byText["road bike"])})
		requireCode(t, err, errs.Invalid, "seed_keyword_id")
	})
}

func TestKeywordLimitHoldsUnderConcurrency(t *testing.T) {
	env := igny8test.New(t) // PostgreSQL: row locks matter there
	f := newFixture(env)    // free trial: 500 keywords
	ctx := env.Ctx()
	var wg sync.WaitGroup
	errors := make(chan error, 40)
	for g := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 15 {
				_, err := f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sectors[g%2].ID, Keyword: fmt.Sprintf("kw %d %d", g, i)})
				if err != nil && !errs.Is(err, errs.Forbidden) {
					errors <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errors)
	for err := range errors {
		t.Fatal(err)
	}
	n, err := env.App.DB().NewSelect().Model((*planner.Keyword)(nil)).Where("account_id = ?", f.account.Account.ID).Count(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 500, n)
	_, err = f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "one more"})
	requireCode(t, err, errs.Forbidden, "max_keywords")
}
