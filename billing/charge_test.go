package billing_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

func TestChargeDebitsPlanPoolFirstThenBonus(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount() // free trial: 2,000 plan credits

		g, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{
			Type: billing.TypePurchase, Amount: 500, IdempotencyKey: "invoice:1", Reference: "INV-1",
		})
		require.NoError(t, err)
		assert.Equal(t, billing.PoolBonus, g.Transaction.Pool, "purchases land in the bonus pool")
		assert.Equal(t, billing.Balance{PlanCredits: 2000, BonusCredits: 500, Total: 2500}, g.Balance)

		// Covered by the plan pool alone.
		res, err := svc.Charge(ctx, a.Tenant, billing.ChargeRequest{
			Operation: perItem, Usage: billing.Usage{Units: 1800, PromptTokens: 1200, CompletionTokens: 800, Model: "gpt-4o-mini"},
			IdempotencyKey: "job-1", Reference: "job-1", JobID: "job-1", CostCents: 7, RelatedType: "content", RelatedID: ptr(int64(42)),
		})
		require.NoError(t, err)
		assert.False(t, res.Duplicate)
		assert.Equal(t, int64(1800), res.Credits)
		assert.Equal(t, int64(1800), res.PlanDebited)
		assert.Zero(t, res.BonusDebited)
		assert.Equal(t, billing.Balance{PlanCredits: 200, BonusCredits: 500, Total: 700}, res.Balance)
		require.Len(t, res.Transactions, 1)
		assert.Equal(t, int64(-1800), res.Transactions[0].Amount)
		assert.Equal(t, int64(200), res.Transactions[0].BalanceAfter)
		assert.Equal(t, billing.TypeCharge, res.Transactions[0].Type)
		assert.NotZero(t, res.Transactions[0].ID)
		assert.Equal(t, a.Owner.ID, *res.Transactions[0].CreatedByID)
		assert.NotZero(t, res.UsageLog.ID)
		assert.Equal(t, "gpt-4o-mini", res.UsageLog.Model)

		// Straddles the pools: the rest of the plan pool, then bonus.
		res, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(300), IdempotencyKey: "job-2"})
		require.NoError(t, err)
		assert.Equal(t, int64(200), res.PlanDebited)
		assert.Equal(t, int64(100), res.BonusDebited)
		assert.Equal(t, billing.Balance{PlanCredits: 0, BonusCredits: 400, Total: 400}, res.Balance)
		require.Len(t, res.Transactions, 2)
		assert.Equal(t, billing.PoolPlan, res.Transactions[0].Pool)
		assert.Equal(t, int64(-200), res.Transactions[0].Amount)
		assert.Equal(t, int64(0), res.Transactions[0].BalanceAfter)
		assert.Equal(t, billing.PoolBonus, res.Transactions[1].Pool)
		assert.Equal(t, int64(-100), res.Transactions[1].Amount)
		assert.Equal(t, int64(400), res.Transactions[1].BalanceAfter)

		// The plan pool is empty: bonus only.
		res, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(100), IdempotencyKey: "job-3"})
		require.NoError(t, err)
		assert.Zero(t, res.PlanDebited)
		assert.Equal(t, int64(100), res.BonusDebited)
		require.Len(t, res.Transactions, 1)
		assert.Equal(t, billing.PoolBonus, res.Transactions[0].Pool)

		b, err := svc.Balance(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, billing.Balance{PlanCredits: 0, BonusCredits: 300, Total: 300}, b)

		// The ledger as stored: purchase, then charges, balances chained.
		rows := ledgerOf(t, env, a.Account.ID)
		require.Len(t, rows, 5)
		var plan, bonus int64 = 2000, 0
		for _, r := range rows {
			if r.Pool == billing.PoolPlan {
				plan += r.Amount
				assert.Equal(t, plan, r.BalanceAfter, "row %d", r.ID)
			} else {
				bonus += r.Amount
				assert.Equal(t, bonus, r.BalanceAfter, "row %d", r.ID)
			}
		}
		assert.Equal(t, b.PlanCredits, plan)
		assert.Equal(t, b.BonusCredits, bonus)

		// One usage-log row per charge with what was used.
		assert.Equal(t, int64(3), usageCount(t, env, a.Account.ID))
		page, err := svc.UsagePage(ctx, a.Tenant, listQuery(t, billing.UsageListSpec(), "ordering", "created_at"))
		require.NoError(t, err)
		require.Equal(t, 3, page.Count)
		first := page.Results[0]
		assert.Equal(t, perItem, first.Operation)
		assert.Equal(t, int64(1800), first.Credits)
		assert.Equal(t, int64(1200), first.PromptTokens)
		assert.Equal(t, int64(800), first.CompletionTokens)
		assert.Equal(t, int64(7), first.CostCents)
		assert.Equal(t, "content", first.RelatedType)
		assert.Equal(t, int64(42), *first.RelatedID)
		assert.Equal(t, "job-1", first.JobID)

		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
	})
}

func TestChargeIsIdempotent(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()
		req := billing.ChargeRequest{Operation: perItem, Usage: units(30), IdempotencyKey: "job-7"}

		first, err := svc.Charge(ctx, a.Tenant, req)
		require.NoError(t, err)
		require.False(t, first.Duplicate)
		again, err := svc.Charge(ctx, a.Tenant, req)
		require.NoError(t, err)
		assert.True(t, again.Duplicate)
		assert.Equal(t, first.Credits, again.Credits)
		assert.Equal(t, first.PlanDebited, again.PlanDebited)
		assert.Equal(t, first.UsageLog.ID, again.UsageLog.ID)
		require.Len(t, again.Transactions, 1)
		assert.Equal(t, first.Transactions[0].ID, again.Transactions[0].ID)
		assert.Equal(t, int64(1970), again.Balance.PlanCredits)

		// A retry that reports different usage still charges nothing more:
		// the key, not the body, identifies the operation.
		retry := req
		retry.Usage = units(99)
		again, err = svc.Charge(ctx, a.Tenant, retry)
		require.NoError(t, err)
		assert.True(t, again.Duplicate)
		assert.Equal(t, int64(30), again.Credits)

		// The same key for another operation is a misuse.
		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: "generate_images", Usage: units(1), IdempotencyKey: "job-7"})
		requireCode(t, err, errs.Conflict, "idempotency_key")
		// So is a key a grant used.
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 5, IdempotencyKey: "gift-1"})
		require.NoError(t, err)
		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(1), IdempotencyKey: "gift-1"})
		requireCode(t, err, errs.Conflict, "idempotency_key")
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 5, IdempotencyKey: "job-7"})
		requireCode(t, err, errs.Conflict, "idempotency_key")

		// A key is required.
		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(1), IdempotencyKey: "  "})
		requireCode(t, err, errs.Invalid, "idempotency_key")

		// Ten concurrent deliveries of one job charge once.
		const n = 10
		results := make([]*billing.ChargeResult, n)
		errList := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				results[i], errList[i] = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(40), IdempotencyKey: "job-8"})
			})
		}
		close(start)
		wg.Wait()
		originals := 0
		for i := range n {
			require.NoError(t, errList[i])
			assert.Equal(t, int64(40), results[i].Credits)
			if !results[i].Duplicate {
				originals++
			}
		}
		assert.Equal(t, 1, originals, "exactly one delivery charges")
		b, err := svc.Balance(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, int64(2000-30-40), b.PlanCredits)
		keyed := 0
		for _, r := range ledgerOf(t, env, a.Account.ID) {
			if r.IdempotencyKey == "job-8" {
				keyed++
			}
		}
		assert.Equal(t, 1, keyed)
		assert.Equal(t, int64(2), usageCount(t, env, a.Account.ID))
		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
	})
}

func TestInsufficientCreditsWritesNothing(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()
		_, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 100, IdempotencyKey: "gift"})
		require.NoError(t, err)
		ledgerBefore := len(ledgerOf(t, env, a.Account.ID))

		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(2101), IdempotencyKey: "big"})
		requireCode(t, err, errs.InsufficientCredits, "required")
		e := errs.As(err)
		assert.Equal(t, []string{"2101"}, e.Fields["required"])
		assert.Equal(t, []string{"2100"}, e.Fields["available"], "both pools count")

		b, err := svc.Balance(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, billing.Balance{PlanCredits: 2000, BonusCredits: 100, Total: 2100}, b)
		assert.Len(t, ledgerOf(t, env, a.Account.ID), ledgerBefore)
		assert.Zero(t, usageCount(t, env, a.Account.ID))

		// Nothing was stored under the key: it works once credits suffice.
		res, err := svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(2100), IdempotencyKey: "big"})
		require.NoError(t, err)
		assert.False(t, res.Duplicate)
		assert.Equal(t, billing.Balance{}, res.Balance)

		// PreCheck compares the estimate with the balance, and says by how much.
		err = svc.PreCheck(ctx, a.Tenant, "generate_images", billing.Usage{Units: 2})
		requireCode(t, err, errs.InsufficientCredits, "available")
		assert.Equal(t, []string{"2"}, errs.As(err).Fields["required"])
		assert.Equal(t, []string{"0"}, errs.As(err).Fields["available"])
		b2 := env.NewAccount()
		require.NoError(t, svc.PreCheck(ctx, b2.Tenant, "generate_images", billing.Usage{Units: 2000}))
		requireCode(t, svc.PreCheck(ctx, b2.Tenant, "generate_images", billing.Usage{Units: 2001}), errs.InsufficientCredits, "required")
		requireCode(t, svc.PreCheck(ctx, b2.Tenant, "teleport", billing.Usage{}), errs.Invalid, "operation")

		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
	})
}

func TestChargeInTxSharesTheCallersTransaction(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()

		// A failed charge inside the job's transaction leaves it usable; the
		// successful one commits with it.
		err := store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
			_, err := svc.ChargeInTx(ctx, tx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(5000), IdempotencyKey: "too-big"})
			requireCode(t, err, errs.InsufficientCredits, "")
			_, err = svc.ChargeInTx(ctx, tx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(50), IdempotencyKey: "job-1"})
			return err
		})
		require.NoError(t, err)

		// A job whose own work fails rolls the charge back with it.
		boom := fmt.Errorf("saving results failed")
		err = store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
			if _, err := svc.ChargeInTx(ctx, tx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(70), IdempotencyKey: "job-2"}); err != nil {
				return err
			}
			return boom
		})
		require.ErrorIs(t, err, boom)

		b, err := svc.Balance(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, int64(1950), b.PlanCredits)
		assert.Equal(t, int64(1), usageCount(t, env, a.Account.ID))
		require.Len(t, ledgerOf(t, env, a.Account.ID), 1)
		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
	})
}

// TestConcurrentChargesNeverOverdraw is the overdraft race (guide §4,
// T4.1): 1,000 credits, 200 concurrent charges of 10 with distinct keys.
func TestConcurrentChargesNeverOverdraw(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addCost(t, env, billing.CreditCost{Operation: "test_ten", Unit: billing.UnitCall, CreditsPerUnitMilli: 10_000, IsActive: true})

		rounds := 3
		if testing.Short() {
			rounds = 1
		}
		for round := range rounds {
			a := env.NewAccount()
			setPlanCredits(t, env, svc, a, 1000)
			before, err := svc.Balance(ctx, a.Tenant)
			require.NoError(t, err)
			require.Equal(t, billing.Balance{PlanCredits: 1000, Total: 1000}, before)
			ledgerBefore := len(ledgerOf(t, env, a.Account.ID))

			// Watch the balance while the charges run: never negative.
			stop := make(chan struct{})
			var negative, samples int
			var watch sync.WaitGroup
			watch.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					b, err := svc.Balance(ctx, a.Tenant)
					if err == nil {
						samples++
						if b.PlanCredits < 0 || b.BonusCredits < 0 {
							negative++
						}
					}
				}
			})

			const workers = 200
			errList := make([]error, workers)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range workers {
				wg.Go(func() {
					<-start
					_, errList[i] = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{
						Operation: "test_ten", IdempotencyKey: fmt.Sprintf("r%d-c%d", round, i),
					})
				})
			}
			close(start)
			wg.Wait()
			close(stop)
			watch.Wait()

			succeeded, short := 0, 0
			for _, err := range errList {
				switch {
				case err == nil:
					succeeded++
				case errs.Is(err, errs.InsufficientCredits):
					short++
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}
			assert.Equal(t, 100, succeeded)
			assert.Equal(t, 100, short)
			assert.Zero(t, negative, "negative balance seen in %d samples", samples)

			after, err := svc.Balance(ctx, a.Tenant)
			require.NoError(t, err)
			assert.Equal(t, billing.Balance{}, after)
			rows := ledgerOf(t, env, a.Account.ID)[ledgerBefore:]
			assert.Len(t, rows, 100)
			var sum int64
			for _, r := range rows {
				sum += r.Amount
				assert.GreaterOrEqual(t, r.BalanceAfter, int64(0))
			}
			assert.Equal(t, after.Total-before.Total, sum, "the ledger accounts for every credit")
			assert.Equal(t, int64(100), usageCount(t, env, a.Account.ID))
			require.NoError(t, svc.Reconcile(ctx, a.Tenant))

			// And the schema itself refuses a negative balance.
			_, err = env.App.DB().NewRaw("UPDATE igny8_accounts SET credits = credits - 1 WHERE id = ?", a.Account.ID).Exec(ctx)
			requireCode(t, store.MapError(err), errs.Invalid, "credits")
			_, err = env.App.DB().NewRaw("UPDATE igny8_accounts SET bonus_credits = bonus_credits - 1 WHERE id = ?", a.Account.ID).Exec(ctx)
			requireCode(t, store.MapError(err), errs.Invalid, "bonus_credits")
		}
	})
}

func ptr[T any](v T) *T { return &v }
