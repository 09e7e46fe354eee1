package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func TestResourceTracking(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount(igny8test.OnPlan("starter"))
		env.NewSite(a)
		owner := env.Login(a.Owner.Email, igny8test.Password)
		owner.Header.Set("X-Debug-Resource-Tracking", "1")
		res := owner.Get("/api/v1/auth/sites/")
		require.Equal(t, http.StatusOK, res.Status)
		id := res.Header.Get("X-Resource-Tracking-ID")
		require.Len(t, id, 32)
		owner.Header.Del("X-Debug-Resource-Tracking")

		res = owner.Get("/api/v1/system/request-metrics/" + id + "/")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		data := res.Envelope["data"].(map[string]any)
		assert.Equal(t, "/api/v1/auth/sites/", data["path"])
		assert.Equal(t, float64(200), data["status"])
		assert.GreaterOrEqual(t, data["db_queries"], float64(1), "the page (a page that is not full needs no count query)")
		assert.Greater(t, data["duration_ms"], float64(0))
		assert.NotContains(t, data, "account_id")

		// Without the header, or for a non-admin, nothing is tracked.
		assert.Empty(t, owner.Get("/api/v1/auth/sites/").Header.Get("X-Resource-Tracking-ID"))
		_, _ = env.App.Tenancy().CreateUser(env.Ctx(), a.Tenant, tenancy.NewUser{Email: "ed@example.com", Password: igny8test.Password, Role: tenancy.RoleEditor})
		editor := env.Login("ed@example.com", igny8test.Password)
		editor.Header.Set("X-Debug-Resource-Tracking", "1")
		assert.Empty(t, editor.Get("/api/v1/auth/sites/").Header.Get("X-Resource-Tracking-ID"))
		editor.Header.Del("X-Debug-Resource-Tracking")
		assert.Equal(t, http.StatusForbidden, editor.Get("/api/v1/system/request-metrics/"+id+"/").Status)

		// Another account's admin cannot read them.
		other := env.NewAccount()
		assert.Equal(t, http.StatusNotFound, env.Login(other.Owner.Email, igny8test.Password).Get("/api/v1/system/request-metrics/"+id+"/").Status)
	})
}
