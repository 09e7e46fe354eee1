package planner_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/ai/aitest"
	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// withAI points the App at the fake OpenAI-compatible server.
func withAI(fake *aitest.Server) igny8test.Option {
	return igny8test.WithConfig(func(c *igny8.Config) {
		c.OpenAI = ai.OpenAIConfig{BaseURL: fake.URL(), APIKey: fake.APIKey(), Model: "gpt-4o-mini"}
	})
}

// runWorker works jobs until the test ends.
func runWorker(env *igny8test.Env) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- env.App.RunWorker(ctx) }()
	env.T.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitTask polls a task until it is completed or failed.
func waitTask(env *igny8test.Env, tn tenancy.Tenant, id int64) *jobs.Progress {
	env.T.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		p, err := env.App.Tasks().Get(env.Ctx(), tn, id)
		require.NoError(env.T, err)
		if p.Status == jobs.StatusCompleted || p.Status == jobs.StatusFailed {
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	env.T.Fatalf("task %d did not finish", id)
	return nil
}

func balance(env *igny8test.Env, tn tenancy.Tenant) int64 {
	env.T.Helper()
	b, err := env.App.Billing().Balance(env.Ctx(), tn)
	require.NoError(env.T, err)
	return b.Total
}

func charges(env *igny8test.Env, tn tenancy.Tenant) []billing.UsageLog {
	env.T.Helper()
	lq, err := store.ParseList(nil, billing.UsageListSpec(), store.PageLimits{})
	require.NoError(env.T, err)
	p, err := env.App.Billing().UsagePage(env.Ctx(), tn, lq)
	require.NoError(env.T, err)
	return p.Results
}

func TestAutoClusterEndToEnd(t *testing.T) {
	for name, open := range map[string]func(testing.TB, ...igny8test.Option) *igny8test.Env{"postgres": igny8test.New, "sqlite": igny8test.NewSQLite} {
		t.Run(name, func(t *testing.T) { autoClusterEndToEnd(t, open) })
	}
}

func autoClusterEndToEnd(t *testing.T, open func(testing.TB, ...igny8test.Option) *igny8test.Env) {
	{
		fake := aitest.New(t)
		env := open(t, withAI(fake))
		f := newFixture(env)
		ctx := env.Ctx()
		existing := f.cluster("Running Shoes")
		k1, k2, k3, k4 := f.keyword("best running shoes", 1000, 40), f.keyword("trail running shoes", 500, 30), f.keyword("marathon training plan", 800, 50), f.keyword("couch to 5k", 300, 10)
		before := balance(env, f.t)

		fake.Delay(60 * time.Millisecond)
		fake.ReplyWithUsage(`{"clusters": [
			{"name": "running shoes", "description": "Shoes for runners", "keywords": ["Best Running-Shoes!", "TRAIL running  shoes", "unknown keyword"]},
			{"name": "Training plans", "description": "Plans", "keywords": ["marathon training plan"]},
			{"name": "training  PLANS", "description": "dup", "keywords": ["couch to 5k"]},
			{"name": "Empty", "description": "", "keywords": ["nothing here"]}
		]}`, 1000, 500)

		task, err := f.svc.AutoCluster(ctx, f.t, planner.AutoClusterInput{KeywordIDs: []int64{k1.ID, k2.ID, k3.ID, k4.ID}})
		require.NoError(t, err)
		require.Equal(t, jobs.StatusQueued, task.Status)
		require.NotNil(t, task.JobID)
		runWorker(env)
		done := waitTask(env, f.t, task.ID)
		require.Equal(t, jobs.StatusCompleted, done.Status, "error: %s", done.Error)
		require.JSONEq(t, fmt.Sprintf(`{"clusters": 2, "clusters_created": 1, "cluster_ids": [%d, %d], "keywords_mapped": 4,
			"unmatched": ["unknown keyword", "nothing here"], "empty_clusters": ["Empty"], "credits": 10}`, existing.ID, existing.ID+1), string(done.Result))

		shoes := f.getCluster(existing.ID)
		require.Equal(t, 2, shoes.KeywordsCount)
		require.EqualValues(t, 1500, shoes.Volume)
		require.Equal(t, planner.ClusterMapped, shoes.Status)
		plans := f.getCluster(existing.ID + 1)
		require.Equal(t, "Training plans", plans.Name)
		require.Equal(t, 2, plans.KeywordsCount, "duplicate names in one answer are one cluster")
		for _, id := range []int64{k1.ID, k2.ID, k3.ID, k4.ID} {
			k, err := f.svc.GetKeyword(ctx, f.t, id)
			require.NoError(t, err)
			require.Equal(t, planner.KeywordMapped, k.Status)
		}

		// Charged once, from real usage: (1000+500)/150 = 10 credits.
		require.Equal(t, before-10, balance(env, f.t))
		logs := charges(env, f.t)
		require.Len(t, logs, 1)
		require.Equal(t, "auto_cluster", logs[0].Operation)
		require.Equal(t, fmt.Sprint(*task.JobID), logs[0].JobID)
		require.GreaterOrEqual(t, logs[0].DurationMS, int64(60), "the call's duration is recorded")
		require.EqualValues(t, 1000, logs[0].PromptTokens)
		require.NoError(t, env.App.Billing().Reconcile(ctx, f.t))

		// The prompt carried the keywords and the existing cluster names.
		reqs := fake.Requests()
		require.Len(t, reqs, 1)
		require.Contains(t, string(reqs[0].RawBody), "marathon training plan")
		require.Contains(t, string(reqs[0].RawBody), `Running Shoes`)

		// A rescued job (the worker died after the commit, before River
		// recorded the completion) finishes without calling the model
		// again or charging twice.
		_, err = env.App.DB().NewUpdate().Table("river_job").Set("state = 'available'").Set("finalized_at = NULL").
			Where("id = ?", *task.JobID).Exec(ctx)
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			var state string
			err := env.App.DB().NewSelect().Table("river_job").Column("state").Where("id = ?", *task.JobID).Scan(ctx, &state)
			return err == nil && state == "completed"
		}, 20*time.Second, 50*time.Millisecond)
		require.Len(t, fake.Requests(), 1, "the model was not called again")
		require.Equal(t, before-10, balance(env, f.t))
		require.Len(t, charges(env, f.t), 1)
	}
}

func TestAutoClusterBadAnswersSaveNothing(t *testing.T) {
	fake := aitest.New(t)
	env := igny8test.New(t, withAI(fake))
	f := newFixture(env)
	ctx := env.Ctx()
	k := f.keyword("alpha beta", 10, 10)
	before := balance(env, f.t)

	// Truncated JSON, then the retry with the error fed back is truncated too.
	fake.Reply(`{"clusters": [{"name": "A", "keywords": ["alpha`)
	fake.Reply(`{"clusters": [{"name": "A"`)
	task, err := f.svc.AutoCluster(ctx, f.t, planner.AutoClusterInput{KeywordIDs: []int64{k.ID}})
	require.NoError(t, err)
	runWorker(env)
	done := waitTask(env, f.t, task.ID)
	require.Equal(t, jobs.StatusFailed, done.Status)
	require.Contains(t, done.Error, "could not be used after 2 attempts")
	require.Len(t, fake.Requests(), 2)
	require.Contains(t, string(fake.Requests()[1].RawBody), "cannot be used")

	got, err := f.svc.GetKeyword(ctx, f.t, k.ID)
	require.NoError(t, err)
	require.Nil(t, got.ClusterID)
	require.Equal(t, planner.KeywordNew, got.Status)
	require.Equal(t, before, balance(env, f.t), "a failed call costs nothing")
	require.Empty(t, charges(env, f.t))
	page, err := f.svc.ClustersPage(ctx, f.t, list(t, planner.ClusterListSpec(), ""))
	require.NoError(t, err)
	require.Zero(t, page.Count)

	// The provider refusing the request (400) fails the task at once.
	fake.Fail(400, `{"error": {"message": "bad model", "type": "invalid_request_error"}}`)
	task, err = f.svc.AutoCluster(ctx, f.t, planner.AutoClusterInput{KeywordIDs: []int64{k.ID}})
	require.NoError(t, err)
	done = waitTask(env, f.t, task.ID)
	require.Equal(t, jobs.StatusFailed, done.Status)
	require.Equal(t, before, balance(env, f.t))

	// A transient 503 is retried, then the answer is saved and charged once.
	fake.Fail(503, `{"error": {"message": "overloaded", "type": "server_error"}}`)
	fake.ReplyWithUsage(`{"clusters": [{"name": "Greek", "description": "", "keywords": ["alpha beta"]}]}`, 100, 50)
	task, err = f.svc.AutoCluster(ctx, f.t, planner.AutoClusterInput{KeywordIDs: []int64{k.ID}})
	require.NoError(t, err)
	done = waitTask(env, f.t, task.ID)
	require.Equal(t, jobs.StatusCompleted, done.Status, "error: %s", done.Error)
	require.Equal(t, before-2, balance(env, f.t), "150 tokens cost the minimum of 2 credits")
	require.Len(t, charges(env, f.t), 1)
}

func TestAIActionsRefuseUpFront(t *testing.T) {
	env := igny8test.New(t) // no provider configured
	f := newFixture(env)
	k := f.keyword("alpha", 1, 1)
	_, err := f.svc.AutoCluster(env.Ctx(), f.t, planner.AutoClusterInput{KeywordIDs: []int64{k.ID}})
	requireCode(t, err, errs.Unavailable, "")
	require.Contains(t, err.Error(), "AI provider not configured")

	fake := aitest.New(t)
	env2 := igny8test.New(t, withAI(fake))
	f2 := newFixture(env2)
	k2 := f2.keyword("alpha", 1, 1)
	ctx := env2.Ctx()

	// Ids of another account are not found.
	theirs := newFixture(env2).keyword("theirs", 1, 1)
	_, err = f2.svc.AutoCluster(ctx, f2.t, planner.AutoClusterInput{KeywordIDs: []int64{k2.ID, theirs.ID}})
	requireCode(t, err, errs.Invalid, "ids")
	require.Contains(t, errs.As(err).Fields["ids"][0], fmt.Sprint(theirs.ID))

	// The estimate exceeds an empty balance: 402 with both amounts, nothing queued.
	b, err := env2.App.Billing().Balance(ctx, f2.t)
	require.NoError(t, err)
	_, err = env2.App.Billing().Grant(ctx, f2.t, billing.GrantRequest{Amount: -b.PlanCredits, Pool: billing.PoolPlan, Type: billing.TypeAdjustment, Reason: "test", IdempotencyKey: "drain"})
	require.NoError(t, err)
	_, err = f2.svc.AutoCluster(ctx, f2.t, planner.AutoClusterInput{KeywordIDs: []int64{k2.ID}})
	requireCode(t, err, errs.InsufficientCredits, "")
	lq, err := store.ParseList(nil, jobs.TaskListSpec(), store.PageLimits{})
	require.NoError(t, err)
	tasks, err := env2.App.Tasks().Page(ctx, f2.t, lq)
	require.NoError(t, err)
	require.Zero(t, tasks.Count)
}

func TestGenerateIdeasEndToEnd(t *testing.T) {
	fake := aitest.New(t)
	env := igny8test.New(t, withAI(fake))
	f := newFixture(env)
	ctx := env.Ctx()
	c := f.cluster("Running shoes")
	k1, k2 := f.keyword("best running shoes", 100, 10), f.keyword("cheap running shoes", 50, 10)
	_, err := f.svc.BulkUpdateKeywords(ctx, f.t, planner.KeywordBulkUpdate{IDs: []int64{k1.ID, k2.ID}, ClusterID: nullable.Of(c.ID)})
	require.NoError(t, err)
	before := balance(env, f.t)

	fake.ReplyWithUsage(fmt.Sprintf(`{"ideas": [
		{"cluster_id": %d, "title": "The 10 best running shoes", "description": "A ranked list", "outline": {"sections": [{"h2": "How we tested", "covers": "method"}]},
		 "content_type": "post", "content_structure": "listicle", "target_keywords": ["Best running shoes", "cheap running shoes", "not ours"], "estimated_word_count": 1800},
		{"cluster_id": %d, "title": "", "description": "no title"},
		{"cluster_id": %d, "title": "Bad structure", "content_structure": "novel"}
	]}`, c.ID, c.ID, c.ID), 800, 1200)
	// The second idea has no title: the parser asks again.
	fake.ReplyWithUsage(fmt.Sprintf(`{"ideas": [
		{"cluster_id": %d, "title": "The 10 best running shoes", "description": "A ranked list", "outline": {"sections": [{"h2": "How we tested", "covers": "method"}]},
		 "content_type": "post", "content_structure": "listicle", "target_keywords": ["Best running shoes", "cheap running shoes", "not ours"], "estimated_word_count": 1800},
		{"cluster_id": %d, "title": "Bad structure", "content_structure": "novel"}
	]}`, c.ID, c.ID), 900, 1100)

	task, err := f.svc.GenerateIdeas(ctx, f.t, planner.GenerateIdeasInput{ClusterIDs: []int64{c.ID}})
	require.NoError(t, err)
	runWorker(env)
	done := waitTask(env, f.t, task.ID)
	require.Equal(t, jobs.StatusCompleted, done.Status, "error: %s", done.Error)

	page, err := f.svc.IdeasPage(ctx, f.t, list(t, planner.IdeaListSpec(), ""))
	require.NoError(t, err)
	require.Equal(t, 1, page.Count, "the idea with a bad structure is skipped")
	idea := page.Results[0]
	require.Equal(t, "The 10 best running shoes", idea.Title)
	require.Equal(t, planner.IdeaNew, idea.Status)
	require.Equal(t, "listicle", idea.ContentStructure)
	require.JSONEq(t, `{"sections": [{"h2": "How we tested", "covers": "method"}]}`, string(idea.Outline), "the outline is kept")
	require.ElementsMatch(t, []int64{k1.ID, k2.ID}, idea.KeywordIDs)
	require.Equal(t, 1800, idea.EstimatedWordCount)
	require.Equal(t, 1, f.getCluster(c.ID).IdeasCount)

	// (800+1200+900+1100)/200 = 20 credits, once.
	require.Equal(t, before-20, balance(env, f.t))
	require.Len(t, charges(env, f.t), 1)
}
