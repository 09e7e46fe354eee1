package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// Status of a user-visible task.
type Status string

const (
	StatusQueued    Status = "queued"
	StatusRunning   Status = "running"
	StatusCompleted Status = "completed"
	StatusFailed    Status = "failed"
)

// Progress is what the client polls while a task runs.
type Progress struct {
	bun.BaseModel `bun:"table:igny8_task_progress,alias:task"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.AccountScoped
	UserID  *int64          `bun:"user_id" json:"user_id"`
	JobID   *int64          `bun:"job_id" json:"job_id"`
	Kind    string          `bun:"kind,notnull" json:"kind"`
	Status  Status          `bun:"status,notnull" json:"status"`
	Percent int             `bun:"percent,notnull" json:"percent"`
	Message string          `bun:"message,notnull" json:"message"`
	Result  json.RawMessage `bun:"result,type:jsonb" json:"result"`
	Error   string          `bun:"error,notnull" json:"error"`
}

// Tasks records and reads task progress.
type Tasks struct{ db *bun.DB }

// NewTasks returns the progress service.
func NewTasks(db *bun.DB) *Tasks { return &Tasks{db: db} }

// Create records a queued task inside the caller's transaction, before the
// job that will run it is inserted in the same transaction.
func (s *Tasks) Create(ctx context.Context, tx bun.Tx, t tenancy.Tenant, kind string) (*Progress, error) {
	if err := t.Err(); err != nil {
		return nil, err
	}
	p := Progress{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, Kind: kind, Status: StatusQueued}
	if t.UserID != 0 {
		p.UserID = &t.UserID
	}
	if _, err := tx.NewInsert().Model(&p).Returning("*").Exec(ctx); err != nil {
		return nil, fmt.Errorf("jobs: create progress: %w", err)
	}
	return &p, nil
}

// AttachJob records which job runs the task.
func (s *Tasks) AttachJob(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id, jobID int64) error {
	return s.update(ctx, idb, t, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("job_id = ?", jobID)
	})
}

// Running marks the task as running with a percent and a message.
func (s *Tasks) Running(ctx context.Context, t tenancy.Tenant, id int64, percent int, message string) error {
	percent = min(max(percent, 0), 99)
	return s.update(ctx, s.db, t, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", StatusRunning).Set("percent = ?", percent).Set("message = ?", message)
	})
}

// Complete marks the task done with a result summary; idb lets a handler do
// it in the transaction that saves its results.
func (s *Tasks) Complete(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, message string, result any) error {
	raw, err := json.Marshal(result)
	if err != nil {
		return fmt.Errorf("jobs: encode task result: %w", err)
	}
	return s.update(ctx, idb, t, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", StatusCompleted).Set("percent = 100").Set("message = ?", message).
			Set("result = ?", string(raw)).Set("error = ''")
	})
}

// Fail marks the task failed with an error text safe to show the user.
func (s *Tasks) Fail(ctx context.Context, t tenancy.Tenant, id int64, message string) error {
	return s.update(ctx, s.db, t, id, func(q *bun.UpdateQuery) *bun.UpdateQuery {
		return q.Set("status = ?", StatusFailed).Set("error = ?", message)
	})
}

func (s *Tasks) update(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q, err := tenancy.ScopeAccount(idb.NewUpdate().Model((*Progress)(nil)), t)
	if err != nil {
		return err
	}
	q = set(q.Where("?TableAlias.id = ?", id)).Set("updated_at = ?", timeNow())
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("jobs: update progress %d: %w", id, store.MapError(err))
	}
	return nil
}

// Get returns a task of t's account; others are not found.
func (s *Tasks) Get(ctx context.Context, t tenancy.Tenant, id int64) (*Progress, error) {
	var p Progress
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model(&p), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.NotFoundf("task %d not found", id)
		}
		return nil, fmt.Errorf("jobs: load progress: %w", err)
	}
	return &p, nil
}

// TaskListSpec is the list of an account's tasks.
func TaskListSpec() store.ListSpec {
	return store.ListSpec{
		Ordering:        map[string]string{"id": "?TableAlias.id", "created_at": "?TableAlias.created_at"},
		DefaultOrdering: []string{"-id"},
		Filters: []store.Filter{
			{Param: "status", Column: "?TableAlias.status", Choices: []string{"queued", "running", "completed", "failed"}},
			{Param: "kind", Column: "?TableAlias.kind"},
		},
	}
}

// Page lists t's account's tasks.
func (s *Tasks) Page(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Progress], error) {
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model((*Progress)(nil)), t)
	if err != nil {
		return store.Page[Progress]{}, err
	}
	p, err := store.ListPage[Progress](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("jobs: list tasks: %w", err)
	}
	return p, nil
}
