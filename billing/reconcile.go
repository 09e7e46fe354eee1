package billing

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// ErrLedgerMismatch is wrapped by Reconcile's error when the ledger and the
// balance disagree: something changed credits outside this package, or a
// ledger row was forged. It is an internal error, never the caller's fault.
var ErrLedgerMismatch = errors.New("billing: the credits ledger does not match the balance")

// poolLedger is the ledger of one pool, summarised by Reconcile's query.
type poolLedger struct {
	Pool         Pool  `bun:"pool"`
	Entries      int64 `bun:"entries"`
	Total        int64 `bun:"total"`
	Opening      int64 `bun:"opening"`
	Breaks       int64 `bun:"breaks"`
	FirstBreakID int64 `bun:"first_break_id"`
}

// Reconcile checks t's ledger against its balance, pool by pool, and
// returns an error wrapping ErrLedgerMismatch when they disagree.
//
// The rule. Credits seeded at registration (tenancy.CreateAccount) are not
// in the ledger, so a pool's opening balance is the balance before its
// first ledger row: balance_after − amount of that row. Then, in id order
// (every balance change holds the account row lock from its UPDATE to its
// commit, so ids follow the order of the changes):
//
//  1. every row continues the previous one: balance_after = previous
//     balance_after + amount;
//  2. opening + Σ amount (= the last balance_after) equals the account's
//     column (credits for plan, bonus_credits for bonus).
//
// A pool without ledger rows has nothing to check. Any change made outside
// the ledger after a pool's first row breaks (1) or (2); only changes made
// before it are taken as part of the opening balance.
func (s *Service) Reconcile(ctx context.Context, t tenancy.Tenant) error {
	err := store.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		// The lock makes the balance and the ledger one consistent picture:
		// a concurrent charge has either committed both or neither.
		bal, err := lockBalance(ctx, tx, t)
		if err != nil {
			return err
		}
		entries, err := tenancy.ScopeAccount(tx.NewSelect().Model((*Transaction)(nil)).
			ColumnExpr("?TableAlias.id AS id, ?TableAlias.pool AS pool").
			ColumnExpr("?TableAlias.amount AS amount, ?TableAlias.balance_after AS balance_after").
			ColumnExpr("lag(?TableAlias.balance_after) OVER (PARTITION BY ?TableAlias.pool ORDER BY ?TableAlias.id) AS prev"), t)
		if err != nil {
			return err
		}
		var pools []poolLedger
		err = tx.NewSelect().TableExpr("(?) AS l", entries).
			ColumnExpr("l.pool AS pool").
			ColumnExpr("count(*) AS entries").
			ColumnExpr("CAST(sum(l.amount) AS bigint) AS total").
			ColumnExpr("CAST(min(CASE WHEN l.prev IS NULL THEN l.balance_after - l.amount END) AS bigint) AS opening").
			ColumnExpr("CAST(sum(CASE WHEN l.prev IS NOT NULL AND l.prev + l.amount <> l.balance_after THEN 1 ELSE 0 END) AS bigint) AS breaks").
			ColumnExpr("CAST(coalesce(min(CASE WHEN l.prev IS NOT NULL AND l.prev + l.amount <> l.balance_after THEN l.id END), 0) AS bigint) AS first_break_id").
			GroupExpr("l.pool").OrderExpr("l.pool").
			Scan(ctx, &pools)
		if err != nil {
			return err
		}
		for _, p := range pools {
			if err := p.check(bal.of(p.Pool)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("billing: reconcile account %d: %w", t.AccountID, err)
	}
	return nil
}

func (p poolLedger) check(balance int64) error {
	switch {
	case p.Opening < 0:
		return fmt.Errorf("%w: %s pool: the first ledger row implies a negative opening balance (%d)", ErrLedgerMismatch, p.Pool, p.Opening)
	case p.Breaks > 0:
		return fmt.Errorf("%w: %s pool: %d ledger rows do not continue the previous balance, the first is row %d",
			ErrLedgerMismatch, p.Pool, p.Breaks, p.FirstBreakID)
	case p.Opening+p.Total != balance:
		return fmt.Errorf("%w: %s pool: opening %d + ledger %d = %d, but the account holds %d",
			ErrLedgerMismatch, p.Pool, p.Opening, p.Total, p.Opening+p.Total, balance)
	}
	return nil
}
