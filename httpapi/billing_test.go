package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func TestCreditsEndpoints(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount()
		_, err := env.App.Billing().Charge(env.Ctx(), a.Tenant, billing.ChargeRequest{
			Operation: "generate_images", Usage: billing.Usage{Units: 3}, IdempotencyKey: "job:1",
		})
		require.NoError(t, err)
		c := env.Login(a.Owner.Email, igny8test.Password)

		res := c.Get("/api/v1/billing/credits/balance/")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		var bal billing.Balance
		require.NoError(t, res.Data(&bal))
		assert.Equal(t, int64(2000-3), bal.Total)

		res = c.Get("/api/v1/billing/transactions/")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, float64(1), res.Envelope["count"])
		res = c.Get("/api/v1/billing/credits/usage/")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, float64(1), res.Envelope["count"])
		res = c.Get("/api/v1/billing/credits/usage/summary/?from=2020-01-01")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Contains(t, string(res.Body), "generate_images")
		require.Equal(t, http.StatusBadRequest, c.Get("/api/v1/billing/credits/usage/summary/?from=yesterday").Status)
		res = c.Get("/api/v1/billing/credit-costs/")
		require.Equal(t, http.StatusOK, res.Status)
		assert.Contains(t, string(res.Body), "auto_cluster")

		// Adjustments are for platform operators only.
		adjust := map[string]any{"account_id": a.Account.ID, "amount": 500, "pool": "bonus", "reason": "goodwill", "idempotency_key": "support:7"}
		require.Equal(t, http.StatusForbidden, c.Post("/api/v1/billing/admin/adjust-credits/", adjust).Status)
		ops := env.NewAccount()
		_, err = env.App.DB().NewUpdate().Model((*tenancy.User)(nil)).Set("role = 'developer'").Where("id = ?", ops.Owner.ID).Exec(env.Ctx())
		require.NoError(t, err)
		dev := env.Login(ops.Owner.Email, igny8test.Password)
		res = dev.Post("/api/v1/billing/admin/adjust-credits/", adjust)
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		res = dev.Post("/api/v1/billing/admin/adjust-credits/", adjust)
		require.Equal(t, http.StatusOK, res.Status, "the same key is applied once: %s", res.Body)
		require.NoError(t, c.Get("/api/v1/billing/credits/balance/").Data(&bal))
		assert.Equal(t, int64(2000-3+500), bal.Total)
		res = dev.Post("/api/v1/billing/admin/adjust-credits/", map[string]any{"account_id": a.Account.ID, "amount": 5, "idempotency_key": "x"})
		require.Equal(t, http.StatusBadRequest, res.Status)
		assert.Contains(t, errorsOf(res), "reason")
		require.NoError(t, env.App.Billing().Reconcile(env.Ctx(), a.Tenant))
	})
}
