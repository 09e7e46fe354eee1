package billing_test

import (
	"io/fs"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

func TestGrantTypes(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()
		operator := ptr(a.Owner.ID)

		// Plan renewal sets the plan pool to the allowance; the row holds the difference.
		r, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePlanRenewal, Amount: 1000, IdempotencyKey: "renew:2026-01"})
		require.NoError(t, err)
		assert.Equal(t, billing.PoolPlan, r.Transaction.Pool)
		assert.Equal(t, int64(-1000), r.Transaction.Amount)
		assert.Equal(t, int64(1000), r.Transaction.BalanceAfter)
		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(100), IdempotencyKey: "job-1"})
		require.NoError(t, err)
		r, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePlanRenewal, Amount: 1000, IdempotencyKey: "renew:2026-02"})
		require.NoError(t, err)
		assert.Equal(t, int64(100), r.Transaction.Amount)
		assert.Equal(t, billing.Balance{PlanCredits: 1000, Total: 1000}, r.Balance)
		// Renewal at the same allowance writes a row of 0; an unpaid renewal resets to 0.
		r, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePlanRenewal, Amount: 1000, IdempotencyKey: "renew:2026-03"})
		require.NoError(t, err)
		assert.Zero(t, r.Transaction.Amount)

		// Purchases, grants and refunds add; the bonus pool is untouched by renewals.
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePurchase, Amount: 300, IdempotencyKey: "invoice:9", Reference: "INV-9"})
		require.NoError(t, err)
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeRefund, Pool: billing.PoolPlan, Amount: 100, IdempotencyKey: "refund:job-1", Reference: "job-1"})
		require.NoError(t, err)
		r, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 50, IdempotencyKey: "gift", Reason: "sorry for the outage", CreatedByID: operator})
		require.NoError(t, err)
		assert.Equal(t, "sorry for the outage", r.Transaction.Description)
		assert.Equal(t, a.Owner.ID, *r.Transaction.CreatedByID)
		r, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePlanRenewal, Amount: 0, IdempotencyKey: "renew:unpaid"})
		require.NoError(t, err)
		assert.Equal(t, billing.Balance{PlanCredits: 0, BonusCredits: 350, Total: 350}, r.Balance)

		// A repeated key returns the original row; a different request under it is refused.
		again, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePurchase, Amount: 300, IdempotencyKey: "invoice:9"})
		require.NoError(t, err)
		assert.True(t, again.Duplicate)
		assert.Equal(t, int64(300), again.Transaction.Amount)
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePurchase, Amount: 301, IdempotencyKey: "invoice:9"})
		requireCode(t, err, errs.Conflict, "idempotency_key")

		// Negative adjustments never go below zero.
		_, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeAdjustment, Pool: billing.PoolBonus, Amount: -351, IdempotencyKey: "fix-1"})
		requireCode(t, err, errs.Invalid, "amount")
		r, err = svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypeAdjustment, Pool: billing.PoolBonus, Amount: -350, IdempotencyKey: "fix-1"})
		require.NoError(t, err)
		assert.Equal(t, billing.Balance{}, r.Balance)

		// Bad requests name the field and change nothing.
		rowsBefore := len(ledgerOf(t, env, a.Account.ID))
		bad := []struct {
			req   billing.GrantRequest
			field string
		}{
			{billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 5}, "idempotency_key"},
			{billing.GrantRequest{Type: billing.TypeCharge, Pool: billing.PoolPlan, Amount: 5, IdempotencyKey: "k"}, "type"},
			{billing.GrantRequest{Type: "bribe", Pool: billing.PoolPlan, Amount: 5, IdempotencyKey: "k"}, "type"},
			{billing.GrantRequest{Type: billing.TypeGrant, Amount: 5, IdempotencyKey: "k"}, "pool"},
			{billing.GrantRequest{Type: billing.TypePurchase, Pool: billing.PoolPlan, Amount: 5, IdempotencyKey: "k"}, "pool"},
			{billing.GrantRequest{Type: billing.TypePlanRenewal, Pool: billing.PoolBonus, Amount: 5, IdempotencyKey: "k"}, "pool"},
			{billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: -5, IdempotencyKey: "k"}, "amount"},
			{billing.GrantRequest{Type: billing.TypeAdjustment, Pool: billing.PoolBonus, Amount: 0, IdempotencyKey: "k"}, "amount"},
			{billing.GrantRequest{Type: billing.TypePlanRenewal, Amount: -1, IdempotencyKey: "k"}, "amount"},
			{billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 1 << 62, IdempotencyKey: "k"}, "amount"},
			{billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 5, IdempotencyKey: strings.Repeat("k", 256)}, "idempotency_key"},
		}
		for _, tc := range bad {
			_, err := svc.Grant(ctx, a.Tenant, tc.req)
			requireCode(t, err, errs.Invalid, tc.field)
		}
		assert.Len(t, ledgerOf(t, env, a.Account.ID), rowsBefore)
		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
	})
}

func TestLedgerIsTenantScoped(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()
		b := env.NewAccount()

		for _, key := range []string{"job-1", "job-2"} {
			_, err := svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(10), IdempotencyKey: key})
			require.NoError(t, err)
		}
		spec := billing.TransactionListSpec()
		page, err := svc.Transactions(ctx, b.Tenant, listQuery(t, spec))
		require.NoError(t, err)
		assert.Zero(t, page.Count, "B sees none of A's ledger")
		assert.Empty(t, page.Results)
		usage, err := svc.UsagePage(ctx, b.Tenant, listQuery(t, billing.UsageListSpec()))
		require.NoError(t, err)
		assert.Zero(t, usage.Count)
		summary, err := svc.UsageSummary(ctx, b.Tenant, time.Time{}, time.Time{})
		require.NoError(t, err)
		assert.Empty(t, summary)

		// The same key in another account is another charge (guide T4.5).
		res, err := svc.Charge(ctx, b.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(7), IdempotencyKey: "job-1"})
		require.NoError(t, err)
		assert.False(t, res.Duplicate)
		assert.Equal(t, int64(1993), res.Balance.Total)
		page, err = svc.Transactions(ctx, b.Tenant, listQuery(t, spec))
		require.NoError(t, err)
		require.Equal(t, 1, page.Count)
		assert.Equal(t, b.Account.ID, page.Results[0].AccountID)
		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec))
		require.NoError(t, err)
		assert.Equal(t, 2, page.Count)
		for _, r := range page.Results {
			assert.Equal(t, a.Account.ID, r.AccountID)
		}
		ba, err := svc.Balance(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, int64(1980), ba.Total)

		// A zero or malformed Tenant is an error everywhere, never "no filter".
		for _, zero := range []tenancy.Tenant{{}, {AccountID: a.Account.ID}} {
			_, err = svc.Balance(ctx, zero)
			requireCode(t, err, errs.Unauthenticated, "")
			_, err = svc.Charge(ctx, zero, billing.ChargeRequest{Operation: perItem, Usage: units(1), IdempotencyKey: "z"})
			requireCode(t, err, errs.Unauthenticated, "")
			_, err = svc.Grant(ctx, zero, billing.GrantRequest{Type: billing.TypeGrant, Pool: billing.PoolBonus, Amount: 1, IdempotencyKey: "z"})
			requireCode(t, err, errs.Unauthenticated, "")
			_, err = svc.Transactions(ctx, zero, listQuery(t, spec))
			requireCode(t, err, errs.Unauthenticated, "")
			_, err = svc.UsagePage(ctx, zero, listQuery(t, billing.UsageListSpec()))
			requireCode(t, err, errs.Unauthenticated, "")
			_, err = svc.UsageSummary(ctx, zero, time.Time{}, time.Time{})
			requireCode(t, err, errs.Unauthenticated, "")
			requireCode(t, svc.PreCheck(ctx, zero, perItem, units(1)), errs.Unauthenticated, "")
			requireCode(t, svc.Reconcile(ctx, zero), errs.Unauthenticated, "")
		}
		// A Tenant of an account that does not exist finds nothing.
		ghost := tenancy.Tenant{AccountID: 1 << 40, UserID: 1, Role: tenancy.RoleOwner}
		_, err = svc.Balance(ctx, ghost)
		requireCode(t, err, errs.NotFound, "")
		_, err = svc.Charge(ctx, ghost, billing.ChargeRequest{Operation: perItem, Usage: units(1), IdempotencyKey: "g"})
		require.Error(t, err)
		assert.NotEqual(t, errs.Internal, errs.CodeOf(err), "%v", err)
	})
}

func TestListsAndSummary(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		addPerItem(t, env)
		a := env.NewAccount()
		start := time.Now().UTC().Add(-time.Second)

		_, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePurchase, Amount: 500, IdempotencyKey: "invoice:1"})
		require.NoError(t, err)
		charges := []billing.ChargeRequest{
			{Operation: perItem, Usage: billing.Usage{Units: 1900, PromptTokens: 10, CompletionTokens: 20, Model: "m1"}, IdempotencyKey: "c1", CostCents: 3},
			{Operation: perItem, Usage: billing.Usage{Units: 200, PromptTokens: 1, CompletionTokens: 2, Model: "m2"}, IdempotencyKey: "c2", CostCents: 1},
			{Operation: "generate_images", Usage: billing.Usage{Units: 4}, IdempotencyKey: "c3", CostCents: 16},
		}
		for _, c := range charges {
			_, err := svc.Charge(ctx, a.Tenant, c)
			require.NoError(t, err)
		}
		// Ledger: purchase, c1 (plan), c2 (plan 100 + bonus 100), c3 (bonus).
		spec := billing.TransactionListSpec()
		page, err := svc.Transactions(ctx, a.Tenant, listQuery(t, spec))
		require.NoError(t, err)
		require.Equal(t, 5, page.Count)
		ids := make([]int64, 0, len(page.Results))
		for _, r := range page.Results {
			ids = append(ids, r.ID)
		}
		assert.True(t, sort.SliceIsSorted(ids, func(i, j int) bool { return ids[i] > ids[j] }), "newest first: %v", ids)

		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec, "type", "charge", "pool", "bonus"))
		require.NoError(t, err)
		require.Equal(t, 2, page.Count)
		for _, r := range page.Results {
			assert.Equal(t, billing.PoolBonus, r.Pool)
			assert.Equal(t, billing.TypeCharge, r.Type)
		}
		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec, "ordering", "amount"))
		require.NoError(t, err)
		assert.Equal(t, int64(-1900), page.Results[0].Amount)
		assert.Equal(t, int64(500), page.Results[len(page.Results)-1].Amount)
		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec, "operation", "generate_images"))
		require.NoError(t, err)
		assert.Equal(t, 1, page.Count)
		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec, "created_at_after", time.Now().UTC().Add(time.Hour).Format(time.RFC3339)))
		require.NoError(t, err)
		assert.Zero(t, page.Count)
		page, err = svc.Transactions(ctx, a.Tenant, listQuery(t, spec, "created_at_after", start.Format(time.RFC3339Nano), "created_at_before", time.Now().UTC().Add(time.Hour).Format(time.RFC3339)))
		require.NoError(t, err)
		assert.Equal(t, 5, page.Count)
		_, err = store.ParseList(map[string][]string{"pool": {"gold"}, "ordering": {"balance"}}, spec, store.PageLimits{})
		requireCode(t, err, errs.Invalid, "pool")
		requireCode(t, err, errs.Invalid, "ordering")

		usage, err := svc.UsagePage(ctx, a.Tenant, listQuery(t, billing.UsageListSpec(), "model", "m2"))
		require.NoError(t, err)
		require.Equal(t, 1, usage.Count)
		assert.Equal(t, "c2", usage.Results[0].IdempotencyKey)

		summary, err := svc.UsageSummary(ctx, a.Tenant, start, time.Now().UTC().Add(time.Minute))
		require.NoError(t, err)
		require.Len(t, summary, 2)
		assert.Equal(t, billing.UsageSummaryRow{Operation: "generate_images", Count: 1, Credits: 4, CostCents: 16}, summary[0])
		assert.Equal(t, billing.UsageSummaryRow{
			Operation: perItem, Count: 2, Credits: 2100, PromptTokens: 11, CompletionTokens: 22, TotalTokens: 33, CostCents: 4,
		}, summary[1])
		summary, err = svc.UsageSummary(ctx, a.Tenant, time.Now().UTC().Add(time.Minute), time.Time{})
		require.NoError(t, err)
		assert.Empty(t, summary, "the period excludes everything")
		_, err = svc.UsageSummary(ctx, a.Tenant, start, start)
		requireCode(t, err, errs.Invalid, "to")
	})
}

func TestReconcile(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		db := env.App.DB()
		addPerItem(t, env)
		charge := func(a *igny8test.Account, key string, n int64) {
			t.Helper()
			_, err := svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(n), IdempotencyKey: key})
			require.NoError(t, err)
		}
		bump := func(a *igny8test.Account, col string, n int64) {
			t.Helper()
			_, err := db.NewRaw("UPDATE igny8_accounts SET "+col+" = "+col+" + ? WHERE id = ?", n, a.Account.ID).Exec(ctx)
			require.NoError(t, err)
		}

		// No ledger yet: the registration credits are the opening balance.
		a := env.NewAccount()
		require.NoError(t, svc.Reconcile(ctx, a.Tenant))
		charge(a, "j1", 10)
		_, err := svc.Grant(ctx, a.Tenant, billing.GrantRequest{Type: billing.TypePurchase, Amount: 20, IdempotencyKey: "p1"})
		require.NoError(t, err)
		charge(a, "j2", 1995) // straddles both pools
		require.NoError(t, svc.Reconcile(ctx, a.Tenant))

		// Credits changed outside the ledger after its last row: balance ≠ ledger.
		bump(a, "bonus_credits", 5)
		err = svc.Reconcile(ctx, a.Tenant)
		require.ErrorIs(t, err, billing.ErrLedgerMismatch)
		assert.Contains(t, err.Error(), "bonus pool")
		assert.Equal(t, errs.Internal, errs.CodeOf(err))
		// …and still caught once later rows follow it: the chain breaks.
		charge(a, "j3", 3)
		err = svc.Reconcile(ctx, a.Tenant)
		require.ErrorIs(t, err, billing.ErrLedgerMismatch)
		assert.Contains(t, err.Error(), "do not continue")

		// Credits changed before the first ledger row count as opening balance.
		b := env.NewAccount()
		bump(b, "credits", 7)
		charge(b, "j1", 100)
		require.NoError(t, svc.Reconcile(ctx, b.Tenant))
		bal, err := svc.Balance(ctx, b.Tenant)
		require.NoError(t, err)
		assert.Equal(t, int64(1907), bal.PlanCredits)
	})
}

func TestLedgerIsAppendOnly(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := billing.NewService(env.App.DB())
		ctx := env.Ctx()
		db := env.App.DB()
		addPerItem(t, env)
		a := env.NewAccount()
		res, err := svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: perItem, Usage: units(10), IdempotencyKey: "j1"})
		require.NoError(t, err)
		rowID := res.Transactions[0].ID

		for _, stmt := range []string{
			"UPDATE igny8_credit_transactions SET amount = -1 WHERE id = ?",
			"UPDATE igny8_credit_transactions SET description = 'edited' WHERE id = ?",
			"DELETE FROM igny8_credit_transactions WHERE id = ?",
			"UPDATE igny8_credit_usage_logs SET credits = 0 WHERE account_id = (SELECT account_id FROM igny8_credit_transactions WHERE id = ?)",
			"DELETE FROM igny8_credit_usage_logs WHERE account_id = (SELECT account_id FROM igny8_credit_transactions WHERE id = ?)",
		} {
			_, err := db.NewRaw(stmt, rowID).Exec(ctx)
			require.Error(t, err, stmt)
			assert.Contains(t, err.Error(), "append-only", stmt)
			requireCode(t, store.MapError(err), errs.Invalid, "")
		}
		rows := ledgerOf(t, env, a.Account.ID)
		require.Len(t, rows, 1)
		assert.Equal(t, int64(-10), rows[0].Amount)
		assert.Empty(t, rows[0].Description)
		assert.Equal(t, int64(1), usageCount(t, env, a.Account.ID))

		// Purging the account itself takes its history with it (cascade).
		_, err = db.NewRaw("DELETE FROM igny8_accounts WHERE id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		assert.Empty(t, ledgerOf(t, env, a.Account.ID))
		assert.Zero(t, usageCount(t, env, a.Account.ID))
	})
}

// TestMigrationsGoDownAndUp runs billing's down migrations and then its up
// migrations again on both dialects, as igny8-migrate would.
func TestMigrationsGoDownAndUp(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		db := env.App.DB()
		fsys, err := billing.Migrations(env.Dialect)
		require.NoError(t, err)
		names, err := fs.Glob(fsys, "*.sql")
		require.NoError(t, err)
		var ups, downs []string
		for _, n := range names {
			if strings.HasSuffix(n, ".up.sql") {
				ups = append(ups, n)
			} else {
				downs = append(downs, n)
			}
		}
		require.Len(t, ups, 3)
		require.Len(t, downs, 3)
		sort.Sort(sort.Reverse(sort.StringSlice(downs)))
		sort.Strings(ups)
		run := func(name string) {
			body, err := fs.ReadFile(fsys, name)
			require.NoError(t, err)
			for stmt := range strings.SplitSeq(string(body), "--bun:split") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				_, err := db.ExecContext(ctx, stmt)
				require.NoError(t, err, "%s: %s", name, stmt)
			}
		}
		for _, n := range downs {
			run(n)
		}
		_, err = db.NewRaw("SELECT count(*) FROM igny8_credit_transactions").Exec(ctx)
		require.Error(t, err, "table dropped")
		for _, n := range ups {
			run(n)
		}
		svc := billing.NewService(db)
		costs, err := svc.CreditCosts(ctx)
		require.NoError(t, err)
		assert.Len(t, costs, 7)
		a := env.NewAccount()
		_, err = svc.Charge(ctx, a.Tenant, billing.ChargeRequest{Operation: "generate_images", Usage: units(1), IdempotencyKey: "k"})
		require.NoError(t, err)
		_, err = db.NewRaw("UPDATE igny8_credit_transactions SET amount = -2").Exec(ctx)
		require.Error(t, err, "the trigger is back")
	})
}
