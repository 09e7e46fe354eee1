package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

// Regression tests for defects found in review.

func TestRegisterCannotPickAPaidPlan(t *testing.T) {
	env := igny8test.NewSQLite(t)
	res := env.Client().Post("/api/v1/auth/register/", map[string]string{
		"account_name": "Free Rider", "email": "rider@example.com", "password": "a strong password", "plan_slug": "scale",
	})
	require.Equal(t, http.StatusBadRequest, res.Status, "%s", res.Body)
	assert.Contains(t, errorsOf(res), "plan_slug")
	res = env.Client().Post("/api/v1/auth/register/", map[string]string{
		"account_name": "Trial", "email": "trial@example.com", "password": "a strong password", "plan_slug": "free-trial",
	})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
}

func TestAdminCannotTakeOverOwnerOrPeers(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("scale"))
	admin, _ := env.NewUser(a, tenancy.RoleAdmin)
	peer, _ := env.NewUser(a, tenancy.RoleAdmin)
	editor, _ := env.NewUser(a, tenancy.RoleEditor)
	c := env.Login(admin.Email, igny8test.Password)
	for _, id := range []int64{a.Owner.ID, peer.ID} {
		res := c.Patch(fmt.Sprintf("/api/v1/auth/users/%d/", id), map[string]string{"password": "taken over password"})
		require.Equal(t, http.StatusForbidden, res.Status, "%s", res.Body)
	}
	res := c.Patch(fmt.Sprintf("/api/v1/auth/users/%d/", admin.ID), map[string]string{"password": "my own new password"})
	require.Equal(t, http.StatusBadRequest, res.Status, "own password goes through password/change")
	env.Login(a.Owner.Email, igny8test.Password) // the owner's password is unchanged
	res = c.Patch(fmt.Sprintf("/api/v1/auth/users/%d/", editor.ID), map[string]string{"password": "reset by admin"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	env.Login(editor.Email, "reset by admin")
}

func TestUserPatchIsAllOrNothing(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("scale"))
	editor, _ := env.NewUser(a, tenancy.RoleEditor)
	c := env.Login(a.Owner.Email, igny8test.Password)
	res := c.Patch(fmt.Sprintf("/api/v1/auth/users/%d/", editor.ID), map[string]string{"role": "admin", "password": "short"})
	require.Equal(t, http.StatusBadRequest, res.Status)
	u, err := env.App.Tenancy().GetUser(env.Ctx(), a.Tenant, editor.ID)
	require.NoError(t, err)
	assert.Equal(t, tenancy.RoleEditor, u.Role, "nothing changed")
}

func TestControlCharactersAreRefused(t *testing.T) {
	env := igny8test.New(t)
	a := env.NewAccount()
	site, _ := env.NewSite(a)
	c := env.Login(a.Owner.Email, igny8test.Password)
	for path, body := range map[string]string{
		"/api/v1/auth/login/":                                   `{"email": "a\u0000@example.com", "password": "x"}`,
		"/api/v1/auth/password/reset/":                          `{"email": "a\u0000@example.com"}`,
		"/api/v1/auth/sectors/":                                 fmt.Sprintf(`{"site_id": %d, "name": "ok", "description": "bad\u0000"}`, site.ID),
		fmt.Sprintf("/api/v1/auth/sites/%d/api-keys/", site.ID): `{"name": "k\u0000"}`,
	} {
		res := c.Post(path, body)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", path, res.Body)
	}
}

func TestBasicAuthGuessingIsThrottledAndCSRFChecked(t *testing.T) {
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) { c.HTTP.BasicAuth = true }))
	a := env.NewAccount()
	c := env.Client()
	statuses := map[int]int{}
	for i := range 25 {
		c.Header.Set("Authorization", basic(a.Owner.Email, fmt.Sprintf("guess %d", i)))
		statuses[c.Get("/api/v1/auth/me/").Status]++
	}
	assert.Positive(t, statuses[http.StatusTooManyRequests], "%v", statuses)
	assert.LessOrEqual(t, statuses[http.StatusUnauthorized], 20)

	b := env.NewAccount()
	c = env.Client()
	c.Header.Set("Authorization", basic(b.Owner.Email, igny8test.Password))
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	c.Header.Set("Origin", "https://evil.example")
	require.Equal(t, http.StatusForbidden, c.Post("/api/v1/auth/sites/", map[string]string{"name": "csrf"}).Status)
}

func TestUsernamesDoNotCollide(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("scale"))
	c := env.Login(a.Owner.Email, igny8test.Password)
	for _, email := range []string{"john@one.example", "john@two.example"} {
		res := c.Post("/api/v1/auth/users/", map[string]string{"email": email, "password": "a good password", "role": "viewer"})
		require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	}
}

func TestJSONContentTypeRequired(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Client()
	c.Header.Set("Content-Type", "text/plain")
	res := c.Post("/api/v1/auth/login/", fmt.Sprintf(`{"email": %q, "password": %q}`, a.Owner.Email, igny8test.Password))
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, errorsOf(res), "content_type")
}

func TestBadTrustedOriginFailsAtStart(t *testing.T) {
	cfg := igny8.DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.HTTP.TrustedOrigins = []string{"https://app.igny8.example/path"}
	_, err := igny8.New(t.Context(), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "trusted origin")
}

func TestStaleTokenKeepsTheSessionCookie(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Login(a.Owner.Email, igny8test.Password)
	c.Token = "stale.jwt.token"
	res := c.Get("/api/v1/auth/me/")
	require.Equal(t, http.StatusUnauthorized, res.Status)
	assert.NotContains(t, strings.Join(res.Header.Values("Set-Cookie"), ";"), "igny8_session=;")
	c.Token = ""
	require.Equal(t, http.StatusOK, c.Get("/api/v1/auth/me/").Status, "the session still works")
}

// A refresh racing a password change must not leave a usable token behind
// (PostgreSQL: the user row serialises them).
func TestRefreshRacingPasswordChange(t *testing.T) {
	env := igny8test.New(t)
	svc := env.App.Tenancy()
	a := env.NewAccount()
	password := igny8test.Password
	for round := range 30 {
		pair, err := svc.IssueTokens(env.Ctx(), a.Owner)
		require.NoError(t, err)
		next := fmt.Sprintf("password round %d", round)
		var wg sync.WaitGroup
		var refreshed *tenancy.TokenPair
		wg.Go(func() { refreshed, _, _ = svc.RefreshTokens(env.Ctx(), pair.Refresh) })
		wg.Go(func() { require.NoError(t, svc.ChangePassword(env.Ctx(), a.Tenant, password, next)) })
		wg.Wait()
		password = next
		if refreshed != nil {
			_, _, err := svc.RefreshTokens(env.Ctx(), refreshed.Refresh)
			require.Error(t, err, "round %d: a token minted during the change survived it", round)
		}
	}
}
