package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

// The auth cache must never let a change made through the server be
// ignored, and must pick up changes made elsewhere within its TTL.
func TestAuthCache(t *testing.T) {
	env := igny8test.New(t, igny8test.Unthrottled, igny8test.WithConfig(func(c *igny8.Config) {
		c.HTTP.AuthCacheTTL = 300 * time.Millisecond
	}))
	a := env.NewAccount(igny8test.OnPlan("growth"))
	editor, _ := env.NewUser(a, tenancy.RoleEditor)
	owner := env.Login(a.Owner.Email, igny8test.Password)
	ed := env.Login(editor.Email, igny8test.Password)
	require.Equal(t, http.StatusOK, ed.Get("/api/v1/planner/keywords/").Status)

	// Deactivated through the API: refused on the very next request.
	require.Equal(t, http.StatusNoContent, owner.Delete("/api/v1/auth/users/"+strconv.FormatInt(editor.ID, 10)+"/").Status)
	require.Equal(t, http.StatusUnauthorized, ed.Get("/api/v1/planner/keywords/").Status)

	// A module switched off through the API: refused at once too.
	require.Equal(t, http.StatusOK, owner.Get("/api/v1/planner/clusters/").Status)
	require.Equal(t, http.StatusOK, owner.Post("/api/v1/system/modules/", map[string]any{"module": "planner", "enabled": false}).Status)
	require.Equal(t, http.StatusForbidden, owner.Get("/api/v1/planner/clusters/").Status)

	// Switched back on by another process (the library here): seen within the TTL.
	require.NoError(t, env.App.System().SetModule(env.Ctx(), a.Tenant, "planner", true))
	require.Eventually(t, func() bool { return owner.Get("/api/v1/planner/clusters/").Status == http.StatusOK },
		3*time.Second, 50*time.Millisecond)

	// An account suspended elsewhere is refused once the TTL has passed.
	_, err := env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = ?", tenancy.AccountSuspended).
		Where("id = ?", a.Account.ID).Exec(env.Ctx())
	require.NoError(t, err)
	require.Eventually(t, func() bool { return owner.Get("/api/v1/planner/clusters/").Status == http.StatusForbidden },
		3*time.Second, 50*time.Millisecond)
}
