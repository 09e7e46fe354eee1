package planner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/tenancy"
)

// AIOptions are what the planner's AI actions need from the App. A zero
// AIOptions leaves the AI actions answering "AI provider not configured".
type AIOptions struct {
	// Text is the configured provider (ai.Unconfigured when none).
	Text ai.TextProvider
	// Runner returns the runner with t's effective model settings and
	// prompt overrides.
	Runner func(ctx context.Context, t tenancy.Tenant) (ai.Runner, error)
	Tasks  *jobs.Tasks
	// Billing pre-checks estimates and charges real usage.
	Billing *billing.Service
	// Accounts re-checks a job's account before it runs.
	Accounts jobs.AccountLoader
	Logger   *slog.Logger
	// ClusterBatch and IdeasBatch bound the ids of one call (50 keywords,
	// 10 clusters: what one prompt handles well).
	ClusterBatch, IdeasBatch int
}

// aiJobTimeout is the time limit of one AI job attempt: two model calls
// (the retry on a malformed answer) and the save.
const aiJobTimeout = 5 * time.Minute

// AutoClusterArgs is the job of one auto_cluster call.
type AutoClusterArgs struct {
	jobs.Owner
	SiteID     int64   `json:"site_id"`
	SectorID   int64   `json:"sector_id"`
	KeywordIDs []int64 `json:"keyword_ids"`
}

// Kind names the job.
func (AutoClusterArgs) Kind() string { return "planner_auto_cluster" }

// InsertOpts puts the job on the AI queue.
func (AutoClusterArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueAI, MaxAttempts: 3}
}

// GenerateIdeasArgs is the job of one generate_ideas call.
type GenerateIdeasArgs struct {
	jobs.Owner
	ClusterIDs []int64 `json:"cluster_ids"`
}

// Kind names the job.
func (GenerateIdeasArgs) Kind() string { return "planner_generate_ideas" }

// InsertOpts puts the job on the AI queue.
func (GenerateIdeasArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: jobs.QueueAI, MaxAttempts: 3}
}

// AutoClusterInput asks for keywords to be clustered by the AI.
type AutoClusterInput struct {
	KeywordIDs []int64 `json:"ids"`
}

// GenerateIdeasInput asks for content ideas for clusters.
type GenerateIdeasInput struct {
	ClusterIDs []int64 `json:"ids"`
}

// checkAI refuses AI work up front when no provider is configured.
func (s *Service) checkAI() error {
	if s.ai.Text == nil || !ai.Configured(s.ai.Text) || s.jobs == nil {
		return ai.ErrNotConfigured
	}
	return nil
}

// AutoCluster starts clustering keywords of one site+sector: it checks the
// ids and the credit estimate (402 when the balance is short), then records
// a queued task and enqueues the job in one transaction, and returns the
// task to poll.
func (s *Service) AutoCluster(ctx context.Context, t tenancy.Tenant, in AutoClusterInput) (*jobs.Progress, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if err := s.checkAI(); err != nil {
		return nil, err
	}
	ids, err := checkIDs(in.KeywordIDs)
	if err != nil {
		return nil, err
	}
	if limit := s.clusterBatch(); len(ids) > limit {
		return nil, errs.Field("ids", fmt.Sprintf("cluster at most %d keywords at a time", limit))
	}
	rows, err := s.loadKeywords(ctx, s.db, t, ids)
	if err != nil {
		return nil, err
	}
	if err := missingIDs("keywords", ids, len(rows), func(i int) int64 { return rows[i].ID }); err != nil {
		return nil, err
	}
	for _, k := range rows[1:] {
		if k.SiteID != rows[0].SiteID || k.SectorID != rows[0].SectorID {
			return nil, errs.Field("ids", "the keywords must all be in one site and sector")
		}
	}
	prompt, completion := estimateTokens(len(rows), 25)
	if err := s.ai.Billing.PreCheck(ctx, t, OpAutoCluster, billing.Usage{PromptTokens: prompt, CompletionTokens: completion}); err != nil {
		return nil, err
	}
	args := AutoClusterArgs{SiteID: rows[0].SiteID, SectorID: rows[0].SectorID, KeywordIDs: ids}
	return s.enqueue(ctx, t, OpAutoCluster, func(o jobs.Owner) river.JobArgs { args.Owner = o; return args })
}

// GenerateIdeas starts generating content ideas for clusters, as
// AutoCluster does for keywords.
func (s *Service) GenerateIdeas(ctx context.Context, t tenancy.Tenant, in GenerateIdeasInput) (*jobs.Progress, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if err := s.checkAI(); err != nil {
		return nil, err
	}
	ids, err := checkIDs(in.ClusterIDs)
	if err != nil {
		return nil, err
	}
	if limit := s.ideasBatch(); len(ids) > limit {
		return nil, errs.Field("ids", fmt.Sprintf("generate ideas for at most %d clusters at a time", limit))
	}
	var rows []Cluster
	q, err := scoped(s.db, &rows, t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("planner: load clusters: %w", err)
	}
	if err := missingIDs("clusters", ids, len(rows), func(i int) int64 { return rows[i].ID }); err != nil {
		return nil, err
	}
	prompt, completion := estimateTokens(len(rows), 600)
	if err := s.ai.Billing.PreCheck(ctx, t, OpGenerateIdeas, billing.Usage{PromptTokens: prompt, CompletionTokens: completion}); err != nil {
		return nil, err
	}
	args := GenerateIdeasArgs{ClusterIDs: ids}
	return s.enqueue(ctx, t, OpGenerateIdeas, func(o jobs.Owner) river.JobArgs { args.Owner = o; return args })
}

func (s *Service) clusterBatch() int { return cmp.Or(max(s.ai.ClusterBatch, 0), 50) }
func (s *Service) ideasBatch() int   { return cmp.Or(max(s.ai.IdeasBatch, 0), 10) }

// missingIDs reports the requested ids that were not found (deleted, or
// another account's: indistinguishable by design).
func joinComma(s []string) string {
	if len(s) > 20 {
		s = append(s[:20:20], "…")
	}
	return strings.Join(s, ", ")
}

func missingIDs(what string, ids []int64, n int, idAt func(int) int64) error {
	if n == len(ids) {
		return nil
	}
	have := make(map[int64]bool, n)
	for i := range n {
		have[idAt(i)] = true
	}
	var missing []string
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, strconv.FormatInt(id, 10))
		}
	}
	return errs.Field("ids", fmt.Sprintf("%s not found: %s", what, joinComma(missing)))
}

// enqueue records the task and inserts its job in one transaction: a task
// exists if and only if its job does.
func (s *Service) enqueue(ctx context.Context, t tenancy.Tenant, kind string, args func(jobs.Owner) river.JobArgs) (*jobs.Progress, error) {
	var p *jobs.Progress
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = s.ai.Tasks.Create(ctx, tx, t, kind); err != nil {
			return err
		}
		job, err := s.jobs.InsertTx(ctx, tx, args(jobs.Owner{AccountID: t.AccountID, UserID: t.UserID, ProgressID: p.ID}), nil)
		if err != nil {
			return err
		}
		p.JobID = &job.ID
		return s.ai.Tasks.AttachJob(ctx, tx, t, p.ID, job.ID)
	})
	if err != nil {
		return nil, fmt.Errorf("planner: start %s: %w", kind, err)
	}
	return p, nil
}

// loadKeywords returns the live keywords of ids t may see.
func (s *Service) loadKeywords(ctx context.Context, idb bun.IDB, t tenancy.Tenant, ids []int64) ([]Keyword, error) {
	var rows []Keyword
	q, err := scoped(idb, &rows, t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id IN (?)", bun.In(ids)).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("planner: load keywords: %w", err)
	}
	return rows, nil
}

// chargeKey is the idempotency key of a job's charge: a retried or rescued
// job never pays twice.
func chargeKey(jobID int64) string { return "job:" + strconv.FormatInt(jobID, 10) }

// runAIJob is the frame every planner AI job runs in: rebuild and re-check
// the tenant, finish at once when an earlier attempt already committed
// (the charge is written in the same transaction as the results), run, and
// record a final failure on the task so the user sees why.
func runAIJob[T jobs.TenantArgs](ctx context.Context, s *Service, job *river.Job[T], work func(ctx context.Context, t tenancy.Tenant) error) error {
	owner := job.Args.Owned()
	ctx, t, err := jobs.Tenant(ctx, s.ai.Accounts, job)
	if err != nil {
		if owner.ProgressID != 0 && t.Err() == nil {
			_ = s.ai.Tasks.Fail(ctx, t, owner.ProgressID, errText(err))
		}
		return err
	}
	done, err := s.ai.Billing.Charged(ctx, t, chargeKey(job.ID))
	if err != nil {
		return err
	}
	if done {
		return nil
	}
	err = work(ctx, t)
	if err == nil {
		return nil
	}
	retry := retryable(err) && job.Attempt < job.MaxAttempts
	s.ai.Logger.WarnContext(ctx, "planner AI job failed", slog.Any("error", err), slog.Bool("will_retry", retry), slog.Int("attempt", job.Attempt))
	if retry {
		_ = s.ai.Tasks.Running(ctx, t, owner.ProgressID, 0, "retrying after: "+errText(err))
		return err
	}
	if ferr := s.ai.Tasks.Fail(context.WithoutCancel(ctx), t, owner.ProgressID, errText(err)); ferr != nil {
		return errors.Join(err, ferr)
	}
	return river.JobCancel(err)
}

// retryable says whether another attempt may succeed: the provider's
// transient failures and unclassified (database, network) errors are;
// a bad answer after its retry, a short balance or a missing provider
// are not.
func retryable(err error) bool {
	if ai.IsRetryable(err) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	e := errs.As(err)
	return e == nil || (e.Code == errs.Unavailable && !errors.Is(err, ai.ErrNotConfigured))
}

// errText is an error as the task shows it to the user.
func errText(err error) string {
	if e := errs.As(err); e != nil {
		return e.Message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the task took too long"
	}
	return "internal error"
}
