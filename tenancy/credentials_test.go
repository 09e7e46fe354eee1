package tenancy_test

import (
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef-test")

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func tokenService(t *testing.T, env *igny8test.Env, c *clock) *tenancy.Service {
	t.Helper()
	svc, err := tenancy.NewService(env.App.DB(), tenancy.Options{
		Password: tenancy.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1},
		Now:      c.Now, TokenSecret: testSecret,
	})
	require.NoError(t, err)
	return svc
}

func TestTokensIssueVerifyRefresh(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		c := &clock{now: time.Now()}
		svc := tokenService(t, env, c)
		a := env.NewAccount()

		pair, err := svc.IssueTokens(ctx, a.Owner)
		require.NoError(t, err)
		claims, err := svc.VerifyAccessToken(pair.Access)
		require.NoError(t, err)
		assert.Equal(t, a.Owner.ID, claims.UserID)
		assert.Equal(t, a.Account.ID, claims.AccountID)
		assert.WithinDuration(t, c.Now().Add(15*time.Minute), pair.AccessExpiresAt, time.Second)
		assert.WithinDuration(t, c.Now().Add(7*24*time.Hour), pair.RefreshExpiresAt, time.Second)

		// Type confusion both ways.
		_, err = svc.VerifyAccessToken(pair.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")
		_, _, err = svc.RefreshTokens(ctx, pair.Access)
		requireCode(t, err, errs.Unauthenticated, "")

		// Rotation: the new pair works, the old refresh token is retired.
		next, user, err := svc.RefreshTokens(ctx, pair.Refresh)
		require.NoError(t, err)
		assert.Equal(t, a.Owner.ID, user.ID)
		assert.NotEqual(t, pair.Refresh, next.Refresh)
		_, err = svc.VerifyAccessToken(next.Access)
		require.NoError(t, err)

		// Reuse of the retired token revokes the whole family, including
		// the token issued by the legitimate rotation.
		_, _, err = svc.RefreshTokens(ctx, pair.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")
		assert.Contains(t, err.Error(), "reuse")
		_, _, err = svc.RefreshTokens(ctx, next.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")

		// Logout revokes the family; a second sign-in is unaffected.
		other, err := svc.IssueTokens(ctx, a.Owner)
		require.NoError(t, err)
		third, err := svc.IssueTokens(ctx, a.Owner)
		require.NoError(t, err)
		require.NoError(t, svc.RevokeRefreshToken(ctx, other.Refresh))
		_, _, err = svc.RefreshTokens(ctx, other.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")
		_, _, err = svc.RefreshTokens(ctx, third.Refresh)
		require.NoError(t, err)

		// Expiry.
		late, err := svc.IssueTokens(ctx, a.Owner)
		require.NoError(t, err)
		c.Advance(16 * time.Minute)
		_, err = svc.VerifyAccessToken(late.Access)
		requireCode(t, err, errs.Unauthenticated, "")
		c.Advance(7 * 24 * time.Hour)
		_, _, err = svc.RefreshTokens(ctx, late.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")
	})
}

func TestForgedTokensAreRejected(t *testing.T) {
	env := igny8test.NewSQLite(t)
	c := &clock{now: time.Now()}
	svc := tokenService(t, env, c)
	a := env.NewAccount()
	pair, err := svc.IssueTokens(env.Ctx(), a.Owner)
	require.NoError(t, err)
	parts := strings.Split(pair.Access, ".")
	require.Len(t, parts, 3)

	claims := jwt.MapClaims{
		"iss": "igny8", "aud": "igny8", "exp": c.Now().Add(time.Hour).Unix(), "iat": c.Now().Unix(),
		"jti": "x", "token_type": "access", "user_id": a.Owner.ID, "account_id": a.Account.ID,
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	wrongKey, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("another-secret-another-secret-0000"))
	require.NoError(t, err)
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, claims).SignedString(testSecret)
	require.NoError(t, err)
	noExp := jwt.MapClaims{"iss": "igny8", "aud": "igny8", "jti": "x", "token_type": "access", "user_id": a.Owner.ID, "account_id": a.Account.ID}
	noExpTok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, noExp).SignedString(testSecret)
	require.NoError(t, err)
	wrongAud := jwt.MapClaims{}
	for k, v := range claims {
		wrongAud[k] = v
	}
	wrongAud["aud"] = "someone-else"
	wrongAudTok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, wrongAud).SignedString(testSecret)
	require.NoError(t, err)
	// Tampered payload: claim another account, keep the signature.
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), `"account_id":`, `"account_id":9`, 1))) + "." + parts[2]

	for name, tok := range map[string]string{
		"alg none": none, "wrong key": wrongKey, "hs512": hs512, "no exp": noExpTok,
		"wrong audience": wrongAudTok, "tampered": tampered, "garbage": "a.b.c", "empty": "",
	} {
		_, err := svc.VerifyAccessToken(tok)
		requireCode(t, err, errs.Unauthenticated, "")
		_ = name
	}
}

func TestAPIKeys(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("starter"))
		site, _ := env.NewSite(a)
		b := env.NewAccount()
		siteB, _ := env.NewSite(b)

		created, err := svc.CreateAPIKey(ctx, a.Tenant, site.ID, "WordPress")
		require.NoError(t, err)
		assert.True(t, tenancy.LooksLikeAPIKey(created.Key))
		assert.True(t, strings.HasPrefix(created.Key, created.APIKey.Prefix+"_"))
		_, err = svc.CreateAPIKey(ctx, a.Tenant, siteB.ID, "stolen")
		requireCode(t, err, errs.NotFound, "site_id")
		_, editorT := env.NewUser(a, tenancy.RoleEditor)
		_, err = svc.CreateAPIKey(ctx, editorT, site.ID, "editor")
		requireCode(t, err, errs.Forbidden, "")

		p, err := svc.AuthenticateAPIKey(ctx, created.Key)
		require.NoError(t, err)
		assert.Equal(t, tenancy.Tenant{AccountID: a.Account.ID, Role: tenancy.RoleEditor, SiteID: site.ID}, p.Tenant)
		var stored int
		require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM igny8_api_keys WHERE key_hash = ? OR prefix = ?", created.Key, created.Key).Scan(ctx, &stored))
		assert.Zero(t, stored, "the key itself is never stored")

		for _, bad := range []string{"", "ig8_", created.Key + "x", created.APIKey.Prefix + "_wrong", "Bearer " + created.Key} {
			_, err := svc.AuthenticateAPIKey(ctx, bad)
			requireCode(t, err, errs.Unauthenticated, "")
		}

		// Inactive site, then suspended account: refused.
		_, err = svc.UpdateSite(ctx, a.Tenant, site.ID, tenancy.SiteUpdate{IsActive: ptrBool(false)})
		require.NoError(t, err)
		_, err = svc.AuthenticateAPIKey(ctx, created.Key)
		requireCode(t, err, errs.Forbidden, "")
		_, err = svc.UpdateSite(ctx, a.Tenant, site.ID, tenancy.SiteUpdate{IsActive: ptrBool(true)})
		require.NoError(t, err)
		_, err = env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = 'suspended'").Where("id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		_, err = svc.AuthenticateAPIKey(ctx, created.Key)
		requireCode(t, err, errs.Forbidden, "")
		_, err = env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("status = 'active'").Where("id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)

		// Rotate: the old key dies, the new one works; revoke kills it.
		rotated, err := svc.RotateAPIKey(ctx, a.Tenant, created.APIKey.ID)
		require.NoError(t, err)
		_, err = svc.AuthenticateAPIKey(ctx, created.Key)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.AuthenticateAPIKey(ctx, rotated.Key)
		require.NoError(t, err)
		requireCode(t, svc.RevokeAPIKey(ctx, b.Tenant, rotated.APIKey.ID), errs.NotFound, "")
		require.NoError(t, svc.RevokeAPIKey(ctx, a.Tenant, rotated.APIKey.ID))
		_, err = svc.AuthenticateAPIKey(ctx, rotated.Key)
		requireCode(t, err, errs.Unauthenticated, "")
		keys, err := svc.ListAPIKeys(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		assert.Len(t, keys, 2)
	})
}

func TestSessionsAndSignOutEverywhere(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		c := &clock{now: time.Now()}
		svc := tokenService(t, env, c)
		a := env.NewAccount()
		token, expires, err := svc.CreateSession(ctx, a.Owner)
		require.NoError(t, err)
		assert.WithinDuration(t, c.Now().Add(14*24*time.Hour), expires, time.Second)
		u, account, err := svc.SessionPrincipal(ctx, token)
		require.NoError(t, err)
		assert.Equal(t, a.Owner.ID, u.ID)
		assert.Equal(t, a.Account.ID, account.ID)
		_, _, err = svc.SessionPrincipal(ctx, token+"x")
		requireCode(t, err, errs.Unauthenticated, "")

		pair, err := svc.IssueTokens(ctx, a.Owner)
		require.NoError(t, err)
		// A password change ends other sign-ins: sessions and refresh families.
		require.NoError(t, svc.ChangePassword(ctx, a.Tenant, igny8test.Password, "a changed password"))
		_, _, err = svc.SessionPrincipal(ctx, token)
		requireCode(t, err, errs.Unauthenticated, "")
		_, _, err = svc.RefreshTokens(ctx, pair.Refresh)
		requireCode(t, err, errs.Unauthenticated, "")

		token, _, err = svc.CreateSession(ctx, a.Owner)
		require.NoError(t, err)
		require.NoError(t, svc.DeleteSession(ctx, token))
		_, _, err = svc.SessionPrincipal(ctx, token)
		requireCode(t, err, errs.Unauthenticated, "")

		expiring, _, err := svc.CreateSession(ctx, a.Owner)
		require.NoError(t, err)
		c.Advance(15 * 24 * time.Hour)
		_, _, err = svc.SessionPrincipal(ctx, expiring)
		requireCode(t, err, errs.Unauthenticated, "")
		n, err := svc.PurgeCredentials(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
	})
}

func ptrBool(b bool) *bool { return &b }
