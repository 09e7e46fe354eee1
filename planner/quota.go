package planner

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

// keywordRoom locks t's account row for the rest of tx and returns how many
// more live keywords its plan allows. Every keyword insert of an account
// takes this lock first, so concurrent inserts cannot together exceed
// max_keywords (PostgreSQL); SQLite serialises writers anyway.
func keywordRoom(ctx context.Context, tx bun.Tx, t tenancy.Tenant) (room int, plan *tenancy.Plan, err error) {
	var account tenancy.Account
	q, err := tenancy.ScopeOwnAccount(tx.NewSelect().Model(&account).Relation("Plan"), t)
	if err != nil {
		return 0, nil, err
	}
	if err := store.ForUpdate(q).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil, errs.NotFoundf("account not found")
		}
		return 0, nil, fmt.Errorf("planner: lock account: %w", err)
	}
	// Every live keyword of the account counts, not only those t can see.
	cq, err := tenancy.ScopeAccount(tx.NewSelect().Model((*Keyword)(nil)), t)
	if err != nil {
		return 0, nil, err
	}
	used, err := cq.Count(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("planner: count keywords: %w", err)
	}
	return max(account.Plan.MaxKeywords-int(used), 0), account.Plan, nil
}

// lockKeywords locks t's account row for the rest of tx, as keywordRoom
// does, without counting: for changes that must not race an import's
// duplicate check (a keyword's new text).
func lockKeywords(ctx context.Context, tx bun.Tx, t tenancy.Tenant) error {
	q, err := tenancy.ScopeOwnAccount(tx.NewSelect().Model((*tenancy.Account)(nil)).Column("id"), t)
	if err != nil {
		return err
	}
	var id int64
	if err := store.ForUpdate(q).Scan(ctx, &id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFoundf("account not found")
		}
		return fmt.Errorf("planner: lock account: %w", err)
	}
	return nil
}

// quotaError is the answer when a plan's keyword limit is reached.
func quotaError(plan *tenancy.Plan) error {
	return errs.FieldCode(errs.Forbidden, "max_keywords",
		fmt.Sprintf("your plan (%s) allows %d keywords; delete some or upgrade to add more", plan.Name, plan.MaxKeywords))
}
