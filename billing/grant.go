package billing

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// maxGrant bounds one grant so balances stay far from int64 overflow.
const maxGrant = 1_000_000_000_000

// GrantRequest adds credits to (or, for an adjustment, removes credits from)
// one pool of an account.
//
//   - TypeGrant, TypeRefund: Amount > 0 added to Pool (required).
//   - TypePurchase: Amount > 0 added to the bonus pool (the default; §5.3:
//     packages never feed the plan pool).
//   - TypeAdjustment: Amount ≠ 0 added to Pool (required); a negative
//     adjustment larger than the pool is errs.Invalid naming "amount".
//   - TypePlanRenewal: the plan pool (the default) is SET to Amount ≥ 0, the
//     plan's allowance (§5.3: renewal resets, it does not add; 0 when a
//     renewal is not paid). The ledger row's amount is the difference.
type GrantRequest struct {
	Amount int64           `json:"amount"`
	Pool   Pool            `json:"pool"`
	Type   TransactionType `json:"type"`
	// Reason is the ledger row's description.
	Reason string `json:"reason"`
	// Reference is e.g. the invoice or payment id.
	Reference string `json:"reference"`
	// IdempotencyKey (required) makes the grant happen once, e.g.
	// "invoice:123" or a webhook event id.
	IdempotencyKey string `json:"idempotency_key"`
	// CreatedByID is the operator who made the change, if any.
	CreatedByID *int64 `json:"created_by_id"`
}

// normalize applies the defaults and validates req.
func (r GrantRequest) normalize() (GrantRequest, error) {
	var v errs.Validation
	checkKey(&v, r.IdempotencyKey)
	checkText(&v, "reason", r.Reason, maxLongLen)
	checkText(&v, "reference", r.Reference, maxShortLen)
	v.Check(r.CreatedByID == nil || *r.CreatedByID > 0, "created_by_id", "must be a positive id")
	switch r.Type {
	case TypePurchase:
		if r.Pool == "" {
			r.Pool = PoolBonus
		}
		v.Check(r.Pool == PoolBonus, "pool", "purchased credits go to the bonus pool")
	case TypePlanRenewal:
		if r.Pool == "" {
			r.Pool = PoolPlan
		}
		v.Check(r.Pool == PoolPlan, "pool", "a plan renewal sets the plan pool")
	case TypeGrant, TypeRefund, TypeAdjustment:
		v.Check(r.Pool.Valid(), "pool", "must be plan or bonus")
	case TypeCharge:
		v.Add("type", "charges go through Charge")
	default:
		v.Add("type", "must be grant, refund, purchase, adjustment or plan_renewal")
	}
	switch {
	case r.Amount > maxGrant || r.Amount < -maxGrant:
		v.Add("amount", fmt.Sprintf("must be between %d and %d", -maxGrant, maxGrant))
	case r.Type == TypePlanRenewal:
		v.Check(r.Amount >= 0, "amount", "must not be negative")
	case r.Type == TypeAdjustment:
		v.Check(r.Amount != 0, "amount", "must not be zero")
	case r.Type.Valid():
		v.Check(r.Amount > 0, "amount", "must be positive")
	}
	return r, v.Err()
}

// GrantResult is the ledger row a grant wrote; for a repeated idempotency
// key the original row, with Duplicate set.
type GrantResult struct {
	Transaction Transaction `json:"transaction"`
	// Balance is the account's balance right after the grant (for a
	// duplicate: the balance now).
	Balance   Balance `json:"balance"`
	Duplicate bool    `json:"duplicate"`
}

// Grant changes one pool of t's account and records it in the ledger, in
// one transaction; see GrantRequest for the types. It is for payment
// fulfilment, plan renewals and platform operators: the service checks only
// that t is a usable scope, so the HTTP layer must never offer it to a
// tenant's own users. A key used before returns the original row with
// Duplicate set; the same key with a different request is errs.Conflict.
func (s *Service) Grant(ctx context.Context, t tenancy.Tenant, req GrantRequest) (*GrantResult, error) {
	if err := t.Err(); err != nil {
		return nil, err
	}
	req, err := req.normalize()
	if err != nil {
		return nil, err
	}
	var res *GrantResult
	err = store.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		var err error
		res, err = s.grant(ctx, tx, t, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("billing: %s of %d %s credits: %w", req.Type, req.Amount, req.Pool, err)
	}
	return res, nil
}

func (s *Service) grant(ctx context.Context, tx bun.Tx, t tenancy.Tenant, req GrantRequest) (*GrantResult, error) {
	// Grants are rare: lock the account first. Every balance change takes
	// this row lock, so a concurrent grant of the same key has committed its
	// ledger row by the time the lookup below runs.
	before, err := lockBalance(ctx, tx, t)
	if err != nil {
		return nil, err
	}
	var prior []Transaction
	q, err := tenancy.ScopeAccount(tx.NewSelect().Model(&prior), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.idempotency_key = ?", req.IdempotencyKey).Scan(ctx); err != nil {
		return nil, err
	}
	if len(prior) > 0 {
		p := prior[0]
		same := len(prior) == 1 && p.Type == req.Type && p.Pool == req.Pool &&
			(p.Amount == req.Amount || (req.Type == TypePlanRenewal && p.BalanceAfter == req.Amount))
		if !same {
			return nil, keyReused("a different ledger entry")
		}
		return &GrantResult{Transaction: p, Balance: before, Duplicate: true}, nil
	}
	if usage, err := findUsage(ctx, tx, t, req.IdempotencyKey); err != nil {
		return nil, err
	} else if usage != nil {
		return nil, keyReused("a charge")
	}

	delta := req.Amount
	if req.Type == TypePlanRenewal {
		delta = req.Amount - before.PlanCredits
	}
	after := before
	if delta != 0 {
		var ok bool
		after, ok, err = changePool(ctx, tx, t, req.Pool, delta)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.Field("amount", fmt.Sprintf("would take the %s pool below zero (it holds %d)", req.Pool, before.of(req.Pool)))
		}
	}
	row := Transaction{
		AccountID: t.AccountID, Type: req.Type, Pool: req.Pool, Amount: delta,
		BalanceAfter: after.of(req.Pool), Reference: req.Reference, IdempotencyKey: req.IdempotencyKey,
		Description: req.Reason, CreatedByID: req.CreatedByID, CreatedAt: s.now(),
	}
	if _, err := tx.NewInsert().Model(&row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	return &GrantResult{Transaction: row, Balance: after, Duplicate: false}, nil
}
