package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/logging"
	"github.com/igny8/igny8-go/tenancy"
)

// Owner is embedded in every tenant job's args: the job runs for this
// account (and, for user-started jobs, on behalf of this user).
type Owner struct {
	AccountID int64 `json:"account_id"`
	UserID    int64 `json:"user_id,omitempty"`
	// ProgressID links a user-visible task's Progress record.
	ProgressID int64 `json:"progress_id,omitempty"`
}

// Owned returns the owner of a job's args.
func (o Owner) Owned() Owner { return o }

// TenantArgs are args of a job that works for one account.
type TenantArgs interface {
	river.JobArgs
	Owned() Owner
}

// AccountLoader is what Tenant needs of tenancy.Service.
type AccountLoader interface {
	GetAccount(ctx context.Context, t tenancy.Tenant) (*tenancy.Account, error)
}

// Tenant rebuilds the job's tenancy.Tenant from its stored account id and
// re-checks the account: a job of a deleted, suspended or cancelled account
// (or one without an active plan) is cancelled, not retried — the account
// changed after the job was enqueued. It also returns ctx with job_id, kind
// and account_id for every log record of the job.
func Tenant[T TenantArgs](ctx context.Context, accounts AccountLoader, job *river.Job[T]) (context.Context, tenancy.Tenant, error) {
	o := job.Args.Owned()
	ctx = logging.WithAttrs(ctx, slog.Int64("job_id", job.ID), slog.String("kind", job.Kind), slog.Int64("account_id", o.AccountID))
	if o.UserID != 0 {
		ctx = logging.WithAttrs(ctx, slog.Int64("user_id", o.UserID))
	}
	t := tenancy.Tenant{AccountID: o.AccountID, UserID: o.UserID, Role: tenancy.RoleSystemBot}
	if err := t.Err(); err != nil {
		return ctx, t, river.JobCancel(err)
	}
	account, err := accounts.GetAccount(ctx, t)
	if errs.Is(err, errs.NotFound) {
		return ctx, t, river.JobCancel(errs.E(errs.Forbidden, "account %d no longer exists", o.AccountID))
	}
	if err != nil {
		return ctx, t, err // a database hiccup: retry
	}
	if err := account.Usable(); err != nil {
		return ctx, t, river.JobCancel(err)
	}
	return ctx, t, nil
}

// timeNow is the wall clock in UTC (the format both dialects sort by).
func timeNow() time.Time { return time.Now().UTC() }
