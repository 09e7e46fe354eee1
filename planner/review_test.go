package planner_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/planner"
)

// Regressions of the planner review (2026-11-25).

func TestVolumeBeyondTheColumnIsInvalid(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		_, err := f.svc.CreateKeyword(env.Ctx(), f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "big", Volume: ptr(3_000_000_000)})
		requireCode(t, err, errs.Invalid, "volume")
		k := f.keyword("small", 1, 1)
		_, err = f.svc.UpdateKeyword(env.Ctx(), f.t, k.ID, planner.KeywordUpdate{Volume: nullable.Of(3_000_000_000)})
		requireCode(t, err, errs.Invalid, "volume")
	})
}

func TestRenameConflictNamesKeyword(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		f.keyword("alpha", 1, 1)
		b := f.keyword("beta", 1, 1)
		_, err := f.svc.UpdateKeyword(env.Ctx(), f.t, b.ID, planner.KeywordUpdate{Keyword: ptr("ALPHA")})
		requireCode(t, err, errs.Conflict, "keyword")
	})
}

func TestStatusAgreesWithCluster(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		ctx := env.Ctx()
		c := f.cluster("C")
		k := f.keyword("alpha", 1, 1)
		_, err := f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{ClusterID: nullable.Of(c.ID), Status: ptr(planner.KeywordNew)})
		requireCode(t, err, errs.Invalid, "status")
		_, err = f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{ClusterID: nullable.Of(c.ID)})
		require.NoError(t, err)
		_, err = f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k.ID}, Status: ptr(planner.KeywordNew)})
		requireCode(t, err, errs.Invalid, "status")
		got, err := f.svc.GetKeyword(ctx, f.t, k.ID)
		require.NoError(t, err)
		require.Equal(t, planner.KeywordMapped, got.Status)
		// Used is allowed in a cluster.
		_, err = f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{Status: ptr(planner.KeywordUsed)})
		require.NoError(t, err)
	})
}

// A keyword put into a cluster while the cluster is being deleted must not
// end up live inside the deleted cluster.
func TestAttachRacingClusterDelete(t *testing.T) {
	env := igny8test.New(t)
	f := newFixture(env, igny8test.OnPlan("growth"))
	ctx := env.Ctx()
	c := f.cluster("C")
	db := env.App.DB()
	// What BulkDeleteClusters runs, not yet committed.
	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "SELECT id FROM igny8_clusters WHERE id = ? FOR NO KEY UPDATE", c.ID)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "UPDATE igny8_keywords SET cluster_id = NULL, status = 'new' WHERE cluster_id = ?", c.ID)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "UPDATE igny8_clusters SET deleted_at = now() WHERE id = ?", c.ID)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector(), Keyword: "orphan", ClusterID: &c.ID})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	require.NoError(t, tx.Commit())
	requireCode(t, <-done, errs.Invalid, "cluster_id")
	page, err := f.svc.KeywordsPage(ctx, f.t, list(t, planner.KeywordListSpec(), ""))
	require.NoError(t, err)
	require.Zero(t, page.Count)
}

// A keyword edit (keyword row, then its cluster) and the deletion of the
// cluster take their locks in the same order: no deadlock.
func TestKeywordEditAndClusterDeleteDoNotDeadlock(t *testing.T) {
	env := igny8test.New(t)
	f := newFixture(env, igny8test.OnPlan("growth"))
	ctx := env.Ctx()
	c := f.cluster("C")
	k := f.keyword("alpha", 1, 1)
	_, err := f.svc.UpdateKeyword(ctx, f.t, k.ID, planner.KeywordUpdate{ClusterID: nullable.Of(c.ID)})
	require.NoError(t, err)
	db := env.App.DB()
	tx, err := db.BeginTx(ctx, nil) // what UpdateKeyword runs: the keyword, then its cluster
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "SELECT id FROM igny8_keywords WHERE id = ? FOR NO KEY UPDATE", k.ID)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- f.svc.DeleteCluster(ctx, f.t, c.ID) }()
	time.Sleep(300 * time.Millisecond)
	_, err = tx.ExecContext(ctx, "UPDATE igny8_clusters SET updated_at = now() WHERE id = ?", c.ID)
	require.NoError(t, err, "the edit must not be chosen as a deadlock victim")
	require.NoError(t, tx.Commit())
	require.NoError(t, <-done)
	got, err := f.svc.GetKeyword(ctx, f.t, k.ID)
	require.NoError(t, err)
	require.Nil(t, got.ClusterID)
}

func TestCSVRejectedRowsLeaveNoCluster(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		f.keyword("alpha", 1, 1)
		rep, err := f.svc.ImportKeywordsCSV(env.Ctx(), f.t, planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()},
			strings.NewReader("keyword,cluster\nalpha,Ghost\nbeta,Real\n"))
		require.NoError(t, err)
		require.Equal(t, 1, rep.Created)
		p, err := f.svc.ClustersPage(env.Ctx(), f.t, list(t, planner.ClusterListSpec(), ""))
		require.NoError(t, err)
		require.Equal(t, 1, p.Count)
		require.Equal(t, "Real", p.Results[0].Name)
	})
}

func TestIdeaKeywordIDs(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env, igny8test.OnPlan("growth"))
		ctx := env.Ctx()
		a, b := f.keyword("alpha", 1, 1), f.keyword("beta", 1, 1)
		_, err := f.svc.CreateIdea(ctx, f.t, planner.IdeaInput{SiteID: f.site.ID, SectorID: f.sector(), Title: "T", KeywordIDs: []int64{a.ID, 0}})
		requireCode(t, err, errs.Invalid, "keyword_ids")
		idea, err := f.svc.CreateIdea(ctx, f.t, planner.IdeaInput{SiteID: f.site.ID, SectorID: f.sector(), Title: "T", KeywordIDs: []int64{a.ID, b.ID}})
		require.NoError(t, err)
		// A deleted keyword is no longer listed; restored, it is again.
		require.NoError(t, f.svc.DeleteKeyword(ctx, f.t, b.ID))
		got, err := f.svc.GetIdea(ctx, f.t, idea.ID)
		require.NoError(t, err)
		require.Equal(t, []int64{a.ID}, got.KeywordIDs)
		_, err = f.svc.RestoreKeywords(ctx, f.t, []int64{b.ID})
		require.NoError(t, err)
		got, err = f.svc.GetIdea(ctx, f.t, idea.ID)
		require.NoError(t, err)
		require.Equal(t, []int64{a.ID, b.ID}, got.KeywordIDs)
	})
}
