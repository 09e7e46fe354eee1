package billing_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

// requireCode fails unless err carries code and, when field is not empty,
// names that field.
func requireCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, errs.CodeOf(err), "error: %v", err)
	if field != "" {
		e := errs.As(err)
		require.NotNil(t, e)
		require.Contains(t, e.Fields, field, "error %v should name field %q", err, field)
	}
}

// addCost inserts a cost row for tests (the table is global data).
func addCost(t *testing.T, env *igny8test.Env, c billing.CreditCost) {
	t.Helper()
	c.UpdatedAt = time.Now().UTC()
	if c.DisplayName == "" {
		c.DisplayName = c.Operation
	}
	_, err := env.App.DB().NewInsert().Model(&c).Exec(env.Ctx())
	require.NoError(t, err)
}

// perItem is an operation that costs exactly one credit per unit, so tests
// charge round amounts: Usage{Units: n} costs n.
const perItem = "test_per_item"

func addPerItem(t *testing.T, env *igny8test.Env) {
	t.Helper()
	addCost(t, env, billing.CreditCost{Operation: perItem, Unit: billing.UnitItem, CreditsPerUnitMilli: 1000, IsActive: true})
}

func units(n int64) billing.Usage { return billing.Usage{Units: n} }

// ledgerOf reads every ledger row of an account, bypassing the service.
func ledgerOf(t *testing.T, env *igny8test.Env, accountID int64) []billing.Transaction {
	t.Helper()
	rows := []billing.Transaction{}
	err := env.App.DB().NewSelect().Model(&rows).
		Where("?TableAlias.account_id = ?", accountID).OrderExpr("?TableAlias.id").Scan(env.Ctx())
	require.NoError(t, err)
	return rows
}

// usageCount counts an account's usage-log rows, bypassing the service.
func usageCount(t *testing.T, env *igny8test.Env, accountID int64) int64 {
	t.Helper()
	n, err := env.App.DB().NewSelect().Model((*billing.UsageLog)(nil)).
		Where("?TableAlias.account_id = ?", accountID).Count(env.Ctx())
	require.NoError(t, err)
	return n
}

// setPlanCredits puts exactly n credits in the account's plan pool through
// the ledger (an adjustment), so Reconcile stays clean.
func setPlanCredits(t *testing.T, env *igny8test.Env, svc *billing.Service, a *igny8test.Account, n int64) {
	t.Helper()
	b, err := svc.Balance(env.Ctx(), a.Tenant)
	require.NoError(t, err)
	if b.PlanCredits == n {
		return
	}
	_, err = svc.Grant(env.Ctx(), a.Tenant, billing.GrantRequest{
		Type: billing.TypeAdjustment, Pool: billing.PoolPlan, Amount: n - b.PlanCredits,
		IdempotencyKey: "test-setup", Reason: "test setup",
	})
	require.NoError(t, err)
}

// listQuery parses list parameters given as name, value pairs.
func listQuery(t *testing.T, spec store.ListSpec, kv ...string) store.ListQuery {
	t.Helper()
	values := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		values.Set(kv[i], kv[i+1])
	}
	lq, err := store.ParseList(values, spec, store.PageLimits{})
	require.NoError(t, err)
	return lq
}
