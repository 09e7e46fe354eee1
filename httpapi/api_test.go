package httpapi_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func requireStatus(t *testing.T, res *igny8test.Response, status int) {
	t.Helper()
	require.Equal(t, status, res.Status, "body: %s", res.Body)
	if res.Envelope != nil && len(res.Body) > 0 {
		assert.Equal(t, res.Header.Get("X-Request-ID"), res.Envelope["request_id"], "X-Request-ID equals the envelope's request_id")
	}
}

func errorsOf(res *igny8test.Response) map[string]any {
	m, _ := res.Envelope["errors"].(map[string]any)
	return m
}

func TestRegisterLoginSiteSectorFlow(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		c := env.Client()
		res := c.Post("/api/v1/auth/register/", map[string]any{
			"account_name": "Flow Agency", "email": "flow@example.com", "password": "a strong password",
		})
		requireStatus(t, res, http.StatusCreated)
		var reg struct {
			User    tenancy.User    `json:"user"`
			Account tenancy.Account `json:"account"`
			Access  string          `json:"access"`
			Refresh string          `json:"refresh"`
		}
		require.NoError(t, res.Data(&reg))
		assert.Equal(t, "trial", string(reg.Account.Status))
		assert.Equal(t, int64(2000), reg.Account.Credits)
		assert.NotEmpty(t, reg.Access)
		assert.NotContains(t, string(res.Body), "password\":", "no password hash in answers")

		c = env.Login("flow@example.com", "a strong password")
		me := c.Get("/api/v1/auth/me/")
		requireStatus(t, me, http.StatusOK)
		assert.Equal(t, "jwt", me.Envelope["data"].(map[string]any)["authenticated_by"])

		res = c.Post("/api/v1/auth/sites/", map[string]any{
			"name": "Flow Blog", "domain": "flow.example", "sectors": []map[string]string{{"name": "Guides"}},
		})
		requireStatus(t, res, http.StatusCreated)
		var site struct {
			ID      int64            `json:"id"`
			Sectors []tenancy.Sector `json:"sectors"`
		}
		require.NoError(t, res.Data(&site))
		require.Len(t, site.Sectors, 1)

		res = c.Post("/api/v1/auth/sectors/", map[string]any{"site_id": site.ID, "name": "Reviews"})
		requireStatus(t, res, http.StatusCreated)

		res = c.Get("/api/v1/auth/sites/")
		requireStatus(t, res, http.StatusOK)
		assert.Equal(t, float64(1), res.Envelope["count"])
		assert.Nil(t, res.Envelope["next"])
		res = c.Get(fmt.Sprintf("/api/v1/auth/sectors/?site_id=%d&ordering=-name", site.ID))
		requireStatus(t, res, http.StatusOK)
		var sectors []tenancy.Sector
		require.NoError(t, res.Data(&sectors))
		require.Len(t, sectors, 2)
		assert.Equal(t, "Reviews", sectors[0].Name)

		// Refresh rotates; logout revokes.
		res = c.Post("/api/v1/auth/token/refresh/", map[string]string{"refresh": reg.Refresh})
		requireStatus(t, res, http.StatusOK)
		var pair tenancy.TokenPair
		require.NoError(t, res.Data(&pair))
		requireStatus(t, c.Post("/api/v1/auth/logout/", map[string]string{"refresh": pair.Refresh}), http.StatusOK)
		requireStatus(t, c.Post("/api/v1/auth/token/refresh/", map[string]string{"refresh": pair.Refresh}), http.StatusUnauthorized)
	})
}

func TestLoginThrottle(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Client()
	var last *igny8test.Response
	for i := range 21 {
		last = c.Post("/api/v1/auth/login/", map[string]string{"email": a.Owner.Email, "password": "wrong password " + fmt.Sprint(i)})
		if i < 20 {
			requireStatus(t, last, http.StatusUnauthorized)
			assert.Equal(t, "20", last.Header.Get("X-Throttle-Limit"))
		}
	}
	requireStatus(t, last, http.StatusTooManyRequests)
	assert.Equal(t, "0", last.Header.Get("X-Throttle-Remaining"))
	assert.NotEmpty(t, last.Header.Get("Retry-After"))
	assert.NotEmpty(t, last.Header.Get("X-Throttle-Reset"))
	assert.Equal(t, false, last.Envelope["success"])
}

func TestBadInputGetsPreciseErrors(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Login(a.Owner.Email, igny8test.Password)
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"malformed", `{"name": `, 400, "body"},
		{"unknown field", `{"name": "x", "account_id": 5}`, 400, "account_id"},
		{"wrong type", `{"name": 42}`, 400, "name"},
		{"two values", `{"name": "a"} {"name": "b"}`, 400, "body"},
		{"too large", `{"name": "` + strings.Repeat("x", 2<<20) + `"}`, 413, "body"},
		{"validation", `{"name": "  "}`, 400, "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.Post("/api/v1/auth/sites/", tc.body)
			requireStatus(t, res, tc.status)
			assert.Contains(t, errorsOf(res), tc.field, "%s", res.Body)
		})
	}
	sites, err := env.App.Tenancy().ListSites(env.Ctx(), a.Tenant)
	require.NoError(t, err)
	assert.Empty(t, sites, "no partial writes")

	for path, field := range map[string]string{
		"/api/v1/auth/sites/?page_size=1000":                             "page_size",
		"/api/v1/auth/sites/?ordering=password":                          "ordering",
		"/api/v1/auth/sites/?ordering=name%3BDROP%20TABLE%20igny8_sites": "ordering",
		"/api/v1/auth/sites/?is_active=maybe":                            "is_active",
		"/api/v1/auth/sites/?page=0":                                     "page",
		"/api/v1/keywords-library/?sector_ids=1,x":                       "sector_ids",
		"/api/v1/keywords-library/sector_stats/?sector_ids=1%3BDELETE":   "sector_ids",
	} {
		res := c.Get(path)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", path, res.Body)
		assert.Contains(t, errorsOf(res), field, "%s: %s", path, res.Body)
	}
	res := c.Get("/api/v1/auth/sites/?search=%27%3B%20DROP%20TABLE%20igny8_sites%3B%20--")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(0), res.Envelope["count"])
	requireStatus(t, c.Get("/api/v1/auth/sites/"), http.StatusOK)
}

func TestAuthenticationFailures(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	anon := env.Client()
	requireStatus(t, anon.Get("/api/v1/auth/me/"), http.StatusUnauthorized)

	for name, header := range map[string]string{
		"alg none":     "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoxLCJhY2NvdW50X2lkIjoxLCJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.",
		"garbage":      "Bearer not.a.token",
		"unknown key":  "ApiKey ig8_abcdefgh_" + strings.Repeat("x", 43),
		"other scheme": "Digest abc",
	} {
		c := env.Client()
		c.Header.Set("Authorization", header)
		res := c.Get("/api/v1/auth/me/")
		requireStatus(t, res, http.StatusUnauthorized)
		assert.Equal(t, false, res.Envelope["success"], name)
	}

	// A refresh token is not an access token.
	login := env.Client().Post("/api/v1/auth/login/", map[string]string{"email": a.Owner.Email, "password": igny8test.Password})
	var pair tenancy.TokenPair
	require.NoError(t, login.Data(&pair))
	c := env.Client()
	c.Token = pair.Refresh
	requireStatus(t, c.Get("/api/v1/auth/me/"), http.StatusUnauthorized)
	// An access token is not a refresh token.
	requireStatus(t, env.Client().Post("/api/v1/auth/token/refresh/", map[string]string{"refresh": pair.Access}), http.StatusUnauthorized)
}

func TestAPIKeyAuthentication(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("starter"))
	siteOne, _ := env.NewSite(a)
	siteTwo, _ := env.NewSite(a)
	owner := env.Login(a.Owner.Email, igny8test.Password)
	res := owner.Post(fmt.Sprintf("/api/v1/auth/sites/%d/api-keys/", siteOne.ID), map[string]string{"name": "wp"})
	requireStatus(t, res, http.StatusCreated)
	var created tenancy.NewAPIKey
	require.NoError(t, res.Data(&created))
	assert.Contains(t, res.Envelope["message"], "only once")

	for _, form := range []func(c *igny8test.Client){
		func(c *igny8test.Client) { c.Header.Set("Authorization", "Bearer "+created.Key) },
		func(c *igny8test.Client) { c.Header.Set("Authorization", "ApiKey "+created.Key) },
		func(c *igny8test.Client) { c.APIKey = created.Key },
	} {
		c := env.Client()
		form(c)
		res := c.Get("/api/v1/auth/sites/")
		requireStatus(t, res, http.StatusOK)
		var sites []tenancy.Site
		require.NoError(t, res.Data(&sites))
		require.Len(t, sites, 1, "an API key sees only its site")
		assert.Equal(t, siteOne.ID, sites[0].ID)
		requireStatus(t, c.Get(fmt.Sprintf("/api/v1/auth/sites/%d/", siteTwo.ID)), http.StatusNotFound)
		requireStatus(t, c.Get("/api/v1/auth/users/"), http.StatusForbidden)
		requireStatus(t, c.Get("/api/v1/account/settings/"), http.StatusForbidden)
	}

	requireStatus(t, owner.Delete(fmt.Sprintf("/api/v1/auth/api-keys/%d/", created.APIKey.ID)), http.StatusNoContent)
	c := env.Client()
	c.APIKey = created.Key
	requireStatus(t, c.Get("/api/v1/auth/sites/"), http.StatusUnauthorized)
}

func TestSessionCookieAndCSRF(t *testing.T) {
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.HTTP.TrustedOrigins = []string{"https://app.igny8.example"}
	}))
	a := env.NewAccount()
	c := env.Client()
	res := c.Post("/api/v1/auth/login/", map[string]string{"email": a.Owner.Email, "password": igny8test.Password})
	requireStatus(t, res, http.StatusOK)
	cookie := res.Header.Get("Set-Cookie")
	assert.Contains(t, cookie, "igny8_session=")
	assert.Contains(t, cookie, "HttpOnly")
	assert.Contains(t, cookie, "SameSite=Lax")

	// The cookie alone authenticates reads.
	me := c.Get("/api/v1/auth/me/")
	requireStatus(t, me, http.StatusOK)
	assert.Equal(t, "session", me.Envelope["data"].(map[string]any)["authenticated_by"])

	// A cross-site unsafe request riding on the cookie is refused.
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	c.Header.Set("Origin", "https://evil.example")
	requireStatus(t, c.Post("/api/v1/auth/sites/", map[string]string{"name": "CSRF"}), http.StatusForbidden)
	sites, err := env.App.Tenancy().ListSites(env.Ctx(), a.Tenant)
	require.NoError(t, err)
	assert.Empty(t, sites)
	// A trusted origin passes.
	c.Header.Set("Origin", "https://app.igny8.example")
	requireStatus(t, c.Post("/api/v1/auth/sites/", map[string]string{"name": "Trusted"}), http.StatusCreated)
	c.Header.Del("Sec-Fetch-Site")
	c.Header.Del("Origin")

	requireStatus(t, c.Post("/api/v1/auth/logout/", map[string]string{}), http.StatusOK)
	requireStatus(t, c.Get("/api/v1/auth/me/"), http.StatusUnauthorized)
}

func TestAccountGate(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Login(a.Owner.Email, igny8test.Password)
	c.Token = "" // the browser: session cookie only
	requireStatus(t, c.Get("/api/v1/auth/sites/"), http.StatusOK)
	_, err := env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = 'suspended'").Where("id = ?", a.Account.ID).Exec(env.Ctx())
	require.NoError(t, err)
	res := c.Get("/api/v1/auth/sites/")
	requireStatus(t, res, http.StatusForbidden)
	assert.Contains(t, res.Envelope["error"], "suspended")
	// The session user was logged out: the cookie no longer works.
	_, err = env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = 'active'").Where("id = ?", a.Account.ID).Exec(env.Ctx())
	require.NoError(t, err)
	requireStatus(t, c.Get("/api/v1/auth/me/"), http.StatusUnauthorized)
	// Public endpoints stay open.
	requireStatus(t, env.Client().Get("/api/v1/auth/plans/"), http.StatusOK)
}

func TestRawErrorsMode(t *testing.T) {
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) { c.HTTP.RawErrors = true }))
	res := env.Client().Get("/api/v1/auth/me/")
	require.Equal(t, http.StatusUnauthorized, res.Status)
	assert.Contains(t, res.Envelope, "detail")
	assert.NotContains(t, res.Envelope, "success")
	res = env.Client().Post("/api/v1/auth/login/", map[string]string{"email": "", "password": ""})
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, res.Envelope, "email")
}

func TestPasswordResetByMail(t *testing.T) {
	outbox := t.TempDir()
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.MailDir = outbox
		c.HTTP.PublicURL = "https://app.igny8.example"
	}))
	a := env.NewAccount()
	c := env.Client()
	c.Header.Set("Host", "evil.example")
	known := c.Post("/api/v1/auth/password/reset/", map[string]string{"email": a.Owner.Email})
	unknown := c.Post("/api/v1/auth/password/reset/", map[string]string{"email": "nobody@example.com"})
	requireStatus(t, known, http.StatusOK)
	requireStatus(t, unknown, http.StatusOK)
	assert.Equal(t, known.Envelope["message"], unknown.Envelope["message"], "no email enumeration")

	// The mail is sent in the background; wait for it to land.
	var files []os.DirEntry
	require.Eventually(t, func() bool {
		files, _ = os.ReadDir(outbox)
		return len(files) == 1
	}, 10*time.Second, 10*time.Millisecond)
	raw, err := os.ReadFile(filepath.Join(outbox, files[0].Name()))
	require.NoError(t, err)
	m := regexp.MustCompile(`https://app\.igny8\.example/reset-password\?token=([A-Za-z0-9_-]+)`).FindSubmatch(raw)
	require.NotNil(t, m, "the link uses the configured origin: %s", raw)
	token := string(m[1])

	res := c.Post("/api/v1/auth/password/reset/confirm/", map[string]string{"token": token, "new_password": "the new password"})
	requireStatus(t, res, http.StatusOK)
	res = c.Post("/api/v1/auth/password/reset/confirm/", map[string]string{"token": token, "new_password": "another password"})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "token")
	env.Login(a.Owner.Email, "the new password")
}

func TestTeamAndRoles(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("growth"))
	owner := env.Login(a.Owner.Email, igny8test.Password)
	res := owner.Post("/api/v1/account/team/", map[string]string{"email": "ed@example.com", "password": "editor password", "role": "editor"})
	requireStatus(t, res, http.StatusCreated)
	var ed tenancy.User
	require.NoError(t, res.Data(&ed))
	editor := env.Login("ed@example.com", "editor password")
	requireStatus(t, editor.Get("/api/v1/auth/users/"), http.StatusOK)
	requireStatus(t, editor.Post("/api/v1/auth/users/", map[string]string{"email": "x@example.com", "password": "xxxxxxxxxx", "role": "viewer"}), http.StatusForbidden)
	requireStatus(t, editor.Post("/api/v1/auth/sites/", map[string]string{"name": "No"}), http.StatusForbidden)
	res = owner.Patch(fmt.Sprintf("/api/v1/auth/users/%d/", ed.ID), map[string]any{"role": "viewer"})
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, "viewer", res.Envelope["data"].(map[string]any)["role"])
	requireStatus(t, owner.Delete(fmt.Sprintf("/api/v1/account/team/%d/", ed.ID)), http.StatusNoContent)
	requireStatus(t, env.Client().Post("/api/v1/auth/login/", map[string]string{"email": "ed@example.com", "password": "editor password"}), http.StatusUnauthorized)

	res = owner.Patch("/api/v1/account/settings/", map[string]string{"name": "Renamed", "account_timezone": "Europe/Paris"})
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, "Europe/Paris", res.Envelope["data"].(map[string]any)["account_timezone"])
	res = owner.Patch("/api/v1/account/settings/", map[string]string{"account_timezone": "Nowhere/City"})
	requireStatus(t, res, http.StatusBadRequest)
}

func TestKeywordsLibrary(t *testing.T) {
	env := igny8test.NewSQLite(t)
	svc := env.App.Tenancy()
	_, sectors, err := svc.CreateIndustry(env.Ctx(), tenancy.NewIndustry{Name: "Health", Sectors: []tenancy.NewIndustrySector{{Name: "Dental"}, {Name: "Diet"}}})
	require.NoError(t, err)
	_, err = svc.AddSeedKeywords(env.Ctx(), sectors[0].ID, []tenancy.NewSeedKeyword{{Keyword: "teeth whitening", Volume: 500}, {Keyword: "dental 100% implants", Volume: 900}})
	require.NoError(t, err)
	_, err = svc.AddSeedKeywords(env.Ctx(), sectors[1].ID, []tenancy.NewSeedKeyword{{Keyword: "keto diet", Volume: 700}})
	require.NoError(t, err)
	a := env.NewAccount()
	c := env.Login(a.Owner.Email, igny8test.Password)

	res := c.Get(fmt.Sprintf("/api/v1/keywords-library/?sector_ids=%d", sectors[0].ID))
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(2), res.Envelope["count"])
	var kws []tenancy.SeedKeyword
	require.NoError(t, res.Data(&kws))
	assert.Equal(t, "dental 100% implants", kws[0].Keyword, "by volume, highest first")
	res = c.Get("/api/v1/keywords-library/?search=100%25")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"], "%% is literal")
	res = c.Get("/api/v1/keywords-library/?page_size=1&ordering=keyword")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(3), res.Envelope["count"])
	require.NotNil(t, res.Envelope["next"])
	assert.True(t, strings.HasPrefix(res.Envelope["next"].(string), "http://localhost:8080/api/v1/keywords-library/?"), res.Envelope["next"])
	assert.Contains(t, res.Envelope["next"], "page=2")
	res = c.Get("/api/v1/keywords-library/sector_stats/")
	requireStatus(t, res, http.StatusOK)
	var stats []tenancy.SectorStat
	require.NoError(t, res.Data(&stats))
	require.Len(t, stats, 2)
	assert.Equal(t, 2, stats[0].Keywords)
	assert.Equal(t, int64(1400), stats[0].TotalVolume)
	requireStatus(t, env.Client().Get("/api/v1/auth/industries/"), http.StatusOK)
}

func TestEveryResponseCarriesRequestID(t *testing.T) {
	env := igny8test.NewSQLite(t)
	c := env.Client()
	for _, path := range []string{"/api/v1/system/status/", "/api/v1/nope/", "/api/v1/auth/me/", "/api/schema/"} {
		res := c.Get(path)
		assert.Len(t, res.Header.Get("X-Request-ID"), 32, path)
	}
	c.Header.Set("X-Request-ID", "trace-abc.123")
	res := c.Get("/api/v1/system/status/")
	assert.Equal(t, "trace-abc.123", res.Header.Get("X-Request-ID"))
	assert.Equal(t, "trace-abc.123", res.Envelope["request_id"])
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
}
