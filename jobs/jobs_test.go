package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// countArgs is a test job: it counts runs, optionally sleeping past its
// time limit.
type countArgs struct {
	jobs.Owner
	Sleep time.Duration `json:"sleep"`
}

func (countArgs) Kind() string { return "test_count" }

type countWorker struct {
	river.WorkerDefaults[countArgs]
	runs      atomic.Int32
	cancelled atomic.Int32
	accounts  jobs.AccountLoader
	tenants   chan tenancy.Tenant
}

func (w *countWorker) Timeout(*river.Job[countArgs]) time.Duration { return 200 * time.Millisecond }

func (w *countWorker) Work(ctx context.Context, job *river.Job[countArgs]) error {
	ctx, t, err := jobs.Tenant(ctx, w.accounts, job)
	if err != nil {
		return err
	}
	w.runs.Add(1)
	if job.Args.Sleep > 0 {
		select {
		case <-ctx.Done():
			w.cancelled.Add(1)
			return ctx.Err()
		case <-time.After(job.Args.Sleep):
		}
	}
	select {
	case w.tenants <- t:
	default:
	}
	return nil
}

func startClient(t *testing.T, env *igny8test.Env, w *countWorker, cfg jobs.Config) *jobs.Client {
	t.Helper()
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	cfg.FetchPollInterval = 100 * time.Millisecond
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 2
	}
	c, err := jobs.New(env.App.DB(), workers, cfg)
	require.NoError(t, err)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})
	return c
}

func newWorker(env *igny8test.Env) *countWorker {
	return &countWorker{accounts: env.App.Tenancy(), tenants: make(chan tenancy.Tenant, 10)}
}

// waitJob waits for a job to reach a final state.
func waitJob(t *testing.T, c *jobs.Client, id int64) *rivertype.JobRow {
	t.Helper()
	var row *rivertype.JobRow
	require.Eventually(t, func() bool {
		r, err := c.River().JobGet(context.Background(), id)
		if err != nil {
			return false
		}
		row = r
		return r.FinalizedAt != nil
	}, 30*time.Second, 20*time.Millisecond)
	return row
}

func TestJobExistsOnlyIfItsTransactionCommits(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount()
		w := newWorker(env)
		c := startClient(t, env, w, jobs.Config{})
		ctx := env.Ctx()

		rollback := errors.New("roll back")
		var lost int64
		err := store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
			row, err := c.InsertTx(ctx, tx, countArgs{Owner: jobs.Owner{AccountID: a.Account.ID}}, nil)
			if err != nil {
				return err
			}
			lost = row.ID
			return rollback
		})
		require.ErrorIs(t, err, rollback)

		var kept int64
		require.NoError(t, store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
			row, err := c.InsertTx(ctx, tx, countArgs{Owner: jobs.Owner{AccountID: a.Account.ID, UserID: a.Owner.ID}}, nil)
			kept = row.ID
			return err
		}))
		row := waitJob(t, c, kept)
		assert.Equal(t, rivertype.JobStateCompleted, row.State)
		got := <-w.tenants
		assert.Equal(t, tenancy.Tenant{AccountID: a.Account.ID, UserID: a.Owner.ID, Role: tenancy.RoleSystemBot}, got)
		// (SQLite may hand the rolled-back id to the next job, so count.)
		var n int
		require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM river_job").Scan(ctx, &n))
		assert.Equal(t, 1, n, "the rolled-back job %d does not exist", lost)
		assert.Equal(t, int32(1), w.runs.Load())
	})
}

func TestTimeLimitCancelsAndRetries(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount()
		w := newWorker(env)
		c := startClient(t, env, w, jobs.Config{})
		row, err := c.Insert(env.Ctx(), countArgs{Owner: jobs.Owner{AccountID: a.Account.ID}, Sleep: time.Minute},
			&river.InsertOpts{MaxAttempts: 2})
		require.NoError(t, err)
		// River's backoff before the second attempt is a few seconds; make
		// it due now so the test does not wait for it.
		require.Eventually(t, func() bool {
			r, err := c.River().JobGet(env.Ctx(), row.ID)
			if err == nil && r.State == rivertype.JobStateRetryable {
				_, _ = c.River().JobRetry(env.Ctx(), row.ID)
			}
			return err == nil && r.FinalizedAt != nil
		}, 30*time.Second, 20*time.Millisecond)
		final := waitJob(t, c, row.ID)
		assert.Equal(t, rivertype.JobStateDiscarded, final.State)
		assert.Equal(t, 2, final.Attempt, "retried per policy, then given up")
		assert.Equal(t, int32(2), w.cancelled.Load(), "the handler's context was cancelled at the time limit")
		require.NotEmpty(t, final.Errors)
	})
}

func TestJobOfSuspendedAccountIsCancelled(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	w := newWorker(env)
	_, err := env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = 'suspended'").Where("id = ?", a.Account.ID).Exec(env.Ctx())
	require.NoError(t, err)
	c := startClient(t, env, w, jobs.Config{})
	row, err := c.Insert(env.Ctx(), countArgs{Owner: jobs.Owner{AccountID: a.Account.ID}}, nil)
	require.NoError(t, err)
	final := waitJob(t, c, row.ID)
	assert.Equal(t, rivertype.JobStateCancelled, final.State)
	assert.Equal(t, int32(0), w.runs.Load())
}

// A worker that died mid-job left it "running"; River's rescuer returns it
// to the queue and another worker runs it.
func TestStuckJobIsRescued(t *testing.T) {
	env := igny8test.New(t)
	a := env.NewAccount()
	w := newWorker(env)
	insertOnly, err := jobs.New(env.App.DB(), river.NewWorkers(), jobs.Config{Queues: map[string]int{}})
	require.NoError(t, err)
	row, err := insertOnly.Insert(env.Ctx(), countArgs{Owner: jobs.Owner{AccountID: a.Account.ID}}, nil)
	require.NoError(t, err)
	// What a killed worker leaves behind: running, attempted long ago.
	_, err = env.App.DB().ExecContext(env.Ctx(),
		"UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now() - interval '1 hour', attempted_by = '{dead-worker}' WHERE id = ?", row.ID)
	require.NoError(t, err)
	c := startClient(t, env, w, jobs.Config{JobTimeout: time.Second, RescueStuckJobsAfter: time.Second})
	require.Eventually(t, func() bool {
		r, err := c.River().JobGet(env.Ctx(), row.ID)
		if err == nil && r.State == rivertype.JobStateRetryable {
			_, _ = c.River().JobRetry(env.Ctx(), row.ID)
		}
		return err == nil && r.State == rivertype.JobStateCompleted
	}, 60*time.Second, 50*time.Millisecond)
	assert.Equal(t, int32(1), w.runs.Load())
}

func TestProgressIsTenantScoped(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount()
		b := env.NewAccount()
		tasks := jobs.NewTasks(env.App.DB())
		ctx := env.Ctx()
		var p *jobs.Progress
		require.NoError(t, store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
			var err error
			p, err = tasks.Create(ctx, tx, a.Tenant, "auto_cluster")
			return err
		}))
		assert.Equal(t, jobs.StatusQueued, p.Status)
		require.NoError(t, tasks.AttachJob(ctx, env.App.DB(), a.Tenant, p.ID, 4242))
		require.NoError(t, tasks.Running(ctx, a.Tenant, p.ID, 40, "clustering"))
		require.NoError(t, tasks.Complete(ctx, env.App.DB(), a.Tenant, p.ID, "done", map[string]int{"clusters": 3}))
		got, err := tasks.Get(ctx, a.Tenant, p.ID)
		require.NoError(t, err)
		assert.Equal(t, jobs.StatusCompleted, got.Status)
		assert.Equal(t, 100, got.Percent)
		assert.JSONEq(t, `{"clusters":3}`, string(got.Result))
		require.NotNil(t, got.JobID)
		assert.Equal(t, int64(4242), *got.JobID)

		_, err = tasks.Get(ctx, b.Tenant, p.ID)
		assert.Equal(t, errs.NotFound, errs.CodeOf(err))
		require.NoError(t, tasks.Fail(ctx, b.Tenant, p.ID, "hijack"))
		got, err = tasks.Get(ctx, a.Tenant, p.ID)
		require.NoError(t, err)
		assert.Equal(t, jobs.StatusCompleted, got.Status, "another account cannot touch it")
		page, err := tasks.Page(ctx, b.Tenant, store.ListQuery{})
		require.NoError(t, err)
		assert.Zero(t, page.Count)
		_, err = tasks.Get(ctx, tenancy.Tenant{}, p.ID)
		assert.Error(t, err)
	})
}
