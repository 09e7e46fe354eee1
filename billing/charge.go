package billing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// ChargeRequest is one operation to pay for, after it succeeded (failed
// operations cost nothing, §5.3).
type ChargeRequest struct {
	// Operation is a row of the cost table, e.g. "auto_cluster".
	Operation string `json:"operation"`
	// Usage is what the operation really used; the cost engine prices it.
	Usage Usage `json:"usage"`
	// IdempotencyKey makes the charge happen once (required), e.g. the job
	// id: a retried job charges nothing more.
	IdempotencyKey string `json:"idempotency_key"`
	// Reference is written on the ledger rows (job id, content id …).
	Reference string `json:"reference"`
	// RelatedType and RelatedID name the object the operation worked on.
	RelatedType string `json:"related_type"`
	RelatedID   *int64 `json:"related_id"`
	// Model is the AI model used; empty means Usage.Model.
	Model string `json:"model"`
	// CostCents is what the provider charged, in cents.
	CostCents int64 `json:"cost_cents"`
	// DurationMS is how long the provider call(s) took.
	DurationMS int64 `json:"duration_ms"`
	// JobID is the background job that ran the operation, if any.
	JobID       string `json:"job_id"`
	Description string `json:"description"`
}

func (r ChargeRequest) validate() error {
	var v errs.Validation
	checkKey(&v, r.IdempotencyKey)
	r.Usage.validate(&v)
	checkText(&v, "reference", r.Reference, maxShortLen)
	checkText(&v, "related_type", r.RelatedType, maxShortLen)
	checkText(&v, "model", r.Model, maxShortLen)
	checkText(&v, "job_id", r.JobID, maxShortLen)
	checkText(&v, "description", r.Description, maxLongLen)
	v.Check(r.RelatedID == nil || *r.RelatedID > 0, "related_id", "must be a positive id")
	v.Check(r.CostCents >= 0, "cost_cents", "must not be negative")
	v.Check(r.DurationMS >= 0, "duration_ms", "must not be negative")
	return v.Err()
}

func (r ChargeRequest) model() string {
	if r.Model != "" {
		return r.Model
	}
	return r.Usage.Model
}

// ChargeResult is what a charge took. For a repeated idempotency key it
// describes the original charge, with Duplicate set.
type ChargeResult struct {
	Operation string `json:"operation"`
	// Credits is the total charged; PlanDebited + BonusDebited.
	Credits      int64 `json:"credits"`
	PlanDebited  int64 `json:"plan_debited"`
	BonusDebited int64 `json:"bonus_debited"`
	// Balance is the account's balance right after the charge (for a
	// duplicate: the balance now).
	Balance Balance `json:"balance"`
	// Transactions are the ledger rows, one per pool debited (none for an
	// operation that cost 0 credits).
	Transactions []Transaction `json:"transactions"`
	UsageLog     UsageLog      `json:"usage_log"`
	// Duplicate reports that the key had been charged before and this call
	// charged nothing.
	Duplicate bool `json:"duplicate"`
}

// Charge prices req with the cost engine and takes the credits from t's
// account in one transaction: the plan pool first, then the bonus pool,
// each by a conditional UPDATE; one ledger row per pool touched and one
// usage-log row. A short balance is errs.InsufficientCredits and writes
// nothing. A key charged before returns the original result with
// Duplicate set, also when the same key arrives concurrently.
func (s *Service) Charge(ctx context.Context, t tenancy.Tenant, req ChargeRequest) (*ChargeResult, error) {
	return s.chargeOn(ctx, s.db, t, req)
}

// ChargeInTx is Charge inside the caller's transaction, so a job can save
// its results and pay for them atomically. It runs in a savepoint: when it
// fails (for example with errs.InsufficientCredits) it has written nothing
// and tx stays usable. The account row stays locked until tx ends, so keep
// tx short.
func (s *Service) ChargeInTx(ctx context.Context, tx bun.Tx, t tenancy.Tenant, req ChargeRequest) (*ChargeResult, error) {
	return s.chargeOn(ctx, tx, t, req)
}

func (s *Service) chargeOn(ctx context.Context, idb bun.IDB, t tenancy.Tenant, req ChargeRequest) (*ChargeResult, error) {
	if err := t.Err(); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	var res *ChargeResult
	err := store.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		var err error
		res, err = s.charge(ctx, tx, t, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("billing: charge %s: %w", req.Operation, err)
	}
	return res, nil
}

func (s *Service) charge(ctx context.Context, tx bun.Tx, t tenancy.Tenant, req ChargeRequest) (*ChargeResult, error) {
	prior, err := findUsage(ctx, tx, t, req.IdempotencyKey)
	if err != nil {
		return nil, err
	}
	if prior != nil {
		return replayCharge(ctx, tx, t, prior, req)
	}
	cost, err := costOf(ctx, tx, req.Operation)
	if err != nil {
		return nil, err
	}
	credits, err := cost.Credits(req.Usage)
	if err != nil {
		return nil, err
	}
	// A key already spent on a grant is not a charge's to reuse.
	q, err := tenancy.ScopeAccount(tx.NewSelect().Model((*Transaction)(nil)), t)
	if err != nil {
		return nil, err
	}
	used, err := q.Where("?TableAlias.idempotency_key = ?", req.IdempotencyKey).
		Where("?TableAlias.type <> ?", TypeCharge).Exists(ctx)
	if err != nil {
		return nil, err
	}
	if used {
		return nil, keyReused("a grant")
	}

	// Claim the key first. The usage log's unique (account_id,
	// idempotency_key) serialises concurrent charges of one key: on
	// PostgreSQL a second insert waits for the first transaction and then
	// does nothing; SQLite runs one writer at a time and the lookup above
	// already saw the first.
	now := s.now()
	log := UsageLog{
		AccountID: t.AccountID, Operation: req.Operation, Model: req.model(),
		Units: req.Usage.Units, PromptTokens: req.Usage.PromptTokens, CompletionTokens: req.Usage.CompletionTokens,
		CostCents: req.CostCents, Credits: credits, DurationMS: req.DurationMS, RelatedType: req.RelatedType, RelatedID: req.RelatedID,
		JobID: req.JobID, IdempotencyKey: req.IdempotencyKey, CreatedAt: now,
	}
	ins, err := tx.NewInsert().Model(&log).
		On("CONFLICT (account_id, idempotency_key) DO NOTHING").
		Returning("id").Exec(ctx)
	if err != nil {
		return nil, err
	}
	if n, err := ins.RowsAffected(); err != nil {
		return nil, err
	} else if n == 0 {
		prior, err := findUsage(ctx, tx, t, req.IdempotencyKey)
		if err != nil {
			return nil, err
		}
		if prior == nil {
			return nil, errs.E(errs.Unavailable, "a concurrent charge with this idempotency key is in progress; try again")
		}
		return replayCharge(ctx, tx, t, prior, req)
	}

	res := &ChargeResult{Operation: req.Operation, Credits: credits, UsageLog: log, Transactions: []Transaction{}}
	if credits == 0 {
		if res.Balance, err = readBalance(ctx, tx, t); err != nil {
			return nil, err
		}
		return res, nil
	}
	fromPlan, fromBonus, after, err := debit(ctx, tx, t, credits)
	if err != nil {
		return nil, err
	}
	res.PlanDebited, res.BonusDebited, res.Balance = fromPlan, fromBonus, after
	for _, part := range []struct {
		pool   Pool
		amount int64
	}{{PoolPlan, fromPlan}, {PoolBonus, fromBonus}} {
		if part.amount == 0 {
			continue
		}
		row := Transaction{
			AccountID: t.AccountID, Type: TypeCharge, Pool: part.pool, Amount: -part.amount,
			BalanceAfter: after.of(part.pool), Operation: req.Operation, Reference: req.Reference,
			IdempotencyKey: req.IdempotencyKey, Description: req.Description, CreatedAt: now,
		}
		if t.UserID != 0 {
			row.CreatedByID = &t.UserID
		}
		if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
			return nil, err
		}
		res.Transactions = append(res.Transactions, row)
	}
	return res, nil
}

// debit takes n credits from t's account, the plan pool first. The common
// case (the plan pool covers it) is one conditional UPDATE. Otherwise the
// row is locked and read, and each pool is debited by its own conditional
// UPDATE; the lock guarantees both match. Both pools are only ever reduced
// by statements that check the pool covers the amount.
func debit(ctx context.Context, tx bun.Tx, t tenancy.Tenant, n int64) (fromPlan, fromBonus int64, after Balance, err error) {
	after, ok, err := changePool(ctx, tx, t, PoolPlan, -n)
	if err != nil {
		return 0, 0, Balance{}, err
	}
	if ok {
		return n, 0, after, nil
	}
	b, err := lockBalance(ctx, tx, t)
	if err != nil {
		return 0, 0, Balance{}, err
	}
	if b.Total < n {
		return 0, 0, Balance{}, insufficient(n, b.Total)
	}
	fromPlan = min(b.PlanCredits, n)
	fromBonus = n - fromPlan
	for _, part := range []struct {
		pool   Pool
		amount int64
	}{{PoolPlan, fromPlan}, {PoolBonus, fromBonus}} {
		if part.amount == 0 {
			continue
		}
		after, ok, err = changePool(ctx, tx, t, part.pool, -part.amount)
		if err != nil {
			return 0, 0, Balance{}, err
		}
		if !ok {
			// Cannot happen while the row is locked; never write a ledger
			// row that the balance does not match.
			return 0, 0, Balance{}, fmt.Errorf("billing: %s pool of account %d changed under lock", part.pool, t.AccountID)
		}
	}
	return fromPlan, fromBonus, after, nil
}

// findUsage returns t's usage log of key, or nil.
func findUsage(ctx context.Context, idb bun.IDB, t tenancy.Tenant, key string) (*UsageLog, error) {
	var log UsageLog
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model(&log), t)
	if err != nil {
		return nil, err
	}
	err = q.Where("?TableAlias.idempotency_key = ?", key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &log, nil
}

// replayCharge rebuilds the result of the charge recorded as prior.
func replayCharge(ctx context.Context, idb bun.IDB, t tenancy.Tenant, prior *UsageLog, req ChargeRequest) (*ChargeResult, error) {
	if prior.Operation != req.Operation {
		return nil, keyReused("a charge of another operation (" + prior.Operation + ")")
	}
	rows := []Transaction{}
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model(&rows), t)
	if err != nil {
		return nil, err
	}
	err = q.Where("?TableAlias.idempotency_key = ?", prior.IdempotencyKey).
		Where("?TableAlias.type = ?", TypeCharge).
		OrderExpr("?TableAlias.id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	res := &ChargeResult{
		Operation: prior.Operation, Credits: prior.Credits, Transactions: rows,
		UsageLog: *prior, Duplicate: true,
	}
	for _, r := range rows {
		if r.Pool == PoolBonus {
			res.BonusDebited -= r.Amount
		} else {
			res.PlanDebited -= r.Amount
		}
	}
	if res.Balance, err = readBalance(ctx, idb, t); err != nil {
		return nil, err
	}
	return res, nil
}

// Charged reports whether t's account has a charge under key: a job that
// was killed after its results and charge committed uses it to finish
// without calling the AI provider again.
func (s *Service) Charged(ctx context.Context, t tenancy.Tenant, key string) (bool, error) {
	if err := t.Err(); err != nil {
		return false, err
	}
	log, err := findUsage(ctx, s.db, t, key)
	if err != nil {
		return false, fmt.Errorf("billing: look up charge: %w", err)
	}
	return log != nil, nil
}
