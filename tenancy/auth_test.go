package tenancy_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

// djangoFixture was made outside Go, with Python's hashlib exactly as
// Django's PBKDF2PasswordHasher does:
//
//	base64.b64encode(hashlib.pbkdf2_hmac('sha256', b'hunter2-legacy!', b'Zm9vYmFyc2FsdA1', 600000))
const (
	djangoPassword = "hunter2-legacy!"
	djangoFixture  = "pbkdf2_sha256$600000$Zm9vYmFyc2FsdA1$bboV+qhlXSf4E9qDrgxTDab6/MeGlxszBI1D/zLzmBo="
)

// pythonDjangoHash makes a fresh Django-format hash with the machine's
// python3, when it has one, so the fixture is not the only evidence.
func pythonDjangoHash(t *testing.T, password string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return ""
	}
	salt := make([]byte, 9)
	_, _ = rand.Read(salt)
	script := `import base64,hashlib,sys
pw, salt = sys.argv[1], sys.argv[2]
h = base64.b64encode(hashlib.pbkdf2_hmac("sha256", pw.encode(), salt.encode(), 100000)).decode()
print("pbkdf2_sha256$100000$%s$%s" % (salt, h))`
	out, err := exec.Command(py, "-c", script, password, hex.EncodeToString(salt)).Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

func TestDjangoHashVerifiesAndIsUpgraded(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("scale"))
		hashes := map[string]string{"fixture@example.com": djangoFixture}
		if h := pythonDjangoHash(t, djangoPassword); h != "" {
			hashes["python@example.com"] = h
		}
		for email, hash := range hashes {
			u, err := svc.ImportUser(ctx, a.Tenant, tenancy.NewUser{Email: email, Role: tenancy.RoleEditor}, hash)
			require.NoError(t, err)

			_, _, err = svc.Authenticate(ctx, email, "wrong password")
			requireCode(t, err, errs.Unauthenticated, "")

			got, account, err := svc.Authenticate(ctx, email, djangoPassword)
			require.NoError(t, err, email)
			assert.Equal(t, u.ID, got.ID)
			assert.Equal(t, a.Account.ID, account.ID)
			require.NotNil(t, got.LastLogin)

			var stored string
			require.NoError(t, env.App.DB().NewRaw("SELECT password FROM igny8_users WHERE id = ?", u.ID).Scan(ctx, &stored))
			assert.True(t, strings.HasPrefix(stored, "$argon2id$v=19$"), "upgraded to argon2id, got %q", stored)

			// The upgraded hash still verifies.
			_, _, err = svc.Authenticate(ctx, email, djangoPassword)
			require.NoError(t, err)
		}
	})
}

func TestImportRejectsMalformedDjangoHash(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount(igny8test.OnPlan("scale"))
	cases := map[string]string{
		"password_hash.iterations": "pbkdf2_sha256$abc$salt$bboV+qhlXSf4E9qDrgxTDab6/MeGlxszBI1D/zLzmBo=",
		"password_hash.salt":       "pbkdf2_sha256$1000$$bboV+qhlXSf4E9qDrgxTDab6/MeGlxszBI1D/zLzmBo=",
		"password_hash.hash":       "pbkdf2_sha256$1000$salt$not-base64!",
		"password_hash.format":     "pbkdf2_sha256$1000$salt",
		"password_hash.algorithm":  "md5$salt$abcdef",
	}
	for field, hash := range cases {
		_, err := env.App.Tenancy().ImportUser(env.Ctx(), a.Tenant, tenancy.NewUser{Email: "bad@example.com", Role: tenancy.RoleViewer}, hash)
		requireCode(t, err, errs.Invalid, field)
	}
	users, err := env.App.Tenancy().ListUsers(env.Ctx(), a.Tenant)
	require.NoError(t, err)
	assert.Len(t, users, 1, "nothing written for a malformed hash")
}

func TestNewHashesMeetOWASPFloor(t *testing.T) {
	env := igny8test.NewSQLite(t)
	svc, err := tenancy.NewService(env.App.DB(), tenancy.Options{})
	require.NoError(t, err)
	_, owner, err := svc.CreateAccount(env.Ctx(), tenancy.NewAccount{AccountName: "Hashes", Email: "hash@example.com", Password: "long enough password"})
	require.NoError(t, err)
	var stored string
	require.NoError(t, env.App.DB().NewRaw("SELECT password FROM igny8_users WHERE id = ?", owner.ID).Scan(env.Ctx(), &stored))
	assert.True(t, strings.HasPrefix(stored, "$argon2id$v=19$m=19456,t=2,p=1$"), stored)
}

func TestAuthenticate(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("starter"))
		editor, _ := env.NewUser(a, tenancy.RoleEditor)

		_, _, err := svc.Authenticate(ctx, strings.ToUpper(editor.Email), igny8test.Password)
		require.NoError(t, err, "emails are case-insensitive")
		_, _, unknown := svc.Authenticate(ctx, "nobody@example.com", igny8test.Password)
		_, _, wrong := svc.Authenticate(ctx, editor.Email, "wrong password!")
		requireCode(t, unknown, errs.Unauthenticated, "")
		assert.Equal(t, unknown.Error(), wrong.Error(), "unknown email and wrong password look the same")

		require.NoError(t, svc.DeactivateUser(ctx, a.Tenant, editor.ID))
		_, _, err = svc.Authenticate(ctx, editor.Email, igny8test.Password)
		requireCode(t, err, errs.Unauthenticated, "")

		// Password change keeps working credentials consistent.
		require.NoError(t, svc.ChangePassword(ctx, a.Tenant, igny8test.Password, "a brand new password"))
		requireCode(t, svc.ChangePassword(ctx, a.Tenant, "not the password", "another new password"), errs.Invalid, "current_password")
		_, _, err = svc.Authenticate(ctx, a.Owner.Email, "a brand new password")
		require.NoError(t, err)
	})
}

func TestPasswordReset(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		var mu sync.Mutex
		now := time.Now()
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		svc, err := tenancy.NewService(env.App.DB(), tenancy.Options{
			Password: tenancy.PasswordParams{MemoryKiB: 64, Iterations: 1, Threads: 1}, Now: clock,
		})
		require.NoError(t, err)
		a := env.NewAccount()

		_, err = svc.RequestPasswordReset(ctx, "nobody@example.com")
		requireCode(t, err, errs.NotFound, "")

		reset, err := svc.RequestPasswordReset(ctx, a.Owner.Email)
		require.NoError(t, err)
		assert.WithinDuration(t, clock().Add(time.Hour), reset.ExpiresAt, time.Second)
		var stored int
		require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM igny8_password_reset_tokens WHERE token_hash = ?", reset.Token).Scan(ctx, &stored))
		assert.Zero(t, stored, "the plaintext token is never stored")

		requireCode(t, svc.ConfirmPasswordReset(ctx, reset.Token, "short"), errs.Invalid, "new_password")
		requireCode(t, svc.ConfirmPasswordReset(ctx, "made-up-token", "a fine new password"), errs.Invalid, "token")
		require.NoError(t, svc.ConfirmPasswordReset(ctx, reset.Token, "a fine new password"))
		err = svc.ConfirmPasswordReset(ctx, reset.Token, "yet another password")
		requireCode(t, err, errs.Invalid, "token")
		assert.Contains(t, err.Error(), "already been used")
		_, _, err = svc.Authenticate(ctx, a.Owner.Email, "a fine new password")
		require.NoError(t, err)

		// Expiry: one second past the TTL is refused, and nothing changes.
		expiring, err := svc.RequestPasswordReset(ctx, a.Owner.Email)
		require.NoError(t, err)
		advance(time.Hour + time.Second)
		err = svc.ConfirmPasswordReset(ctx, expiring.Token, "too late password")
		requireCode(t, err, errs.Invalid, "token")
		assert.Contains(t, err.Error(), "expired")
		_, _, err = svc.Authenticate(ctx, a.Owner.Email, "a fine new password")
		require.NoError(t, err)

		// Using one token voids the others.
		first, err := svc.RequestPasswordReset(ctx, a.Owner.Email)
		require.NoError(t, err)
		second, err := svc.RequestPasswordReset(ctx, a.Owner.Email)
		require.NoError(t, err)
		require.NoError(t, svc.ConfirmPasswordReset(ctx, second.Token, "the second password"))
		requireCode(t, svc.ConfirmPasswordReset(ctx, first.Token, "the first password"), errs.Invalid, "token")

		// A flood of requests is capped per user per hour.
		for range 5 {
			_, _ = svc.RequestPasswordReset(ctx, a.Owner.Email)
		}
		_, err = svc.RequestPasswordReset(ctx, a.Owner.Email)
		requireCode(t, err, errs.RateLimited, "")

		// Purge removes tokens long expired.
		advance(26 * time.Hour)
		n, err := svc.PurgeResetTokens(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
	})
}

func TestConcurrentResetConfirmationsSucceedOnce(t *testing.T) {
	env := igny8test.New(t)
	svc := env.App.Tenancy()
	a := env.NewAccount()
	reset, err := svc.RequestPasswordReset(env.Ctx(), a.Owner.Email)
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 8 {
		wg.Go(func() {
			if svc.ConfirmPasswordReset(context.Background(), reset.Token, "raced new password") == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 1, ok)
}

func TestRolesAndSiteAccess(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("scale"))
		siteOne, _ := env.NewSite(a)
		siteTwo, _ := env.NewSite(a)
		editor, editorT := env.NewUser(a, tenancy.RoleEditor)
		admin, adminT := env.NewUser(a, tenancy.RoleAdmin)

		// Admin-level roles see every site; an editor sees only granted ones.
		sites, err := svc.ListSites(ctx, adminT)
		require.NoError(t, err)
		assert.Len(t, sites, 2)
		sites, err = svc.ListSites(ctx, editorT)
		require.NoError(t, err)
		assert.Empty(t, sites)
		require.NoError(t, svc.GrantSiteAccess(ctx, a.Tenant, editor.ID, siteTwo.ID))
		require.NoError(t, svc.GrantSiteAccess(ctx, a.Tenant, editor.ID, siteTwo.ID), "granting twice is harmless")
		sites, err = svc.ListSites(ctx, editorT)
		require.NoError(t, err)
		require.Len(t, sites, 1)
		assert.Equal(t, siteTwo.ID, sites[0].ID)
		_, err = svc.GetSite(ctx, editorT, siteOne.ID)
		requireCode(t, err, errs.NotFound, "site_id")
		requireCode(t, svc.GrantSiteAccess(ctx, a.Tenant, admin.ID, siteOne.ID), errs.Invalid, "user_id")

		// An API-key tenant sees only its site.
		keyT := tenancy.Tenant{AccountID: a.Account.ID, Role: tenancy.RoleEditor, SiteID: siteOne.ID}
		sites, err = svc.ListSites(ctx, keyT)
		require.NoError(t, err)
		require.Len(t, sites, 1)
		assert.Equal(t, siteOne.ID, sites[0].ID)

		// Editors cannot administer.
		_, _, err = svc.CreateSite(ctx, editorT, tenancy.NewSite{Name: "Nope"})
		requireCode(t, err, errs.Forbidden, "")
		_, err = svc.CreateUser(ctx, editorT, tenancy.NewUser{Email: "x@example.com", Password: igny8test.Password, Role: tenancy.RoleViewer})
		requireCode(t, err, errs.Forbidden, "")

		// Role changes: only admin/editor/viewer, never one's own or the owner's.
		_, err = svc.ChangeRole(ctx, adminT, editor.ID, tenancy.RoleViewer)
		require.NoError(t, err)
		_, err = svc.ChangeRole(ctx, adminT, a.Owner.ID, tenancy.RoleViewer)
		requireCode(t, err, errs.Invalid, "role")
		_, err = svc.ChangeRole(ctx, adminT, admin.ID, tenancy.RoleEditor)
		requireCode(t, err, errs.Invalid, "role")
		_, err = svc.ChangeRole(ctx, a.Tenant, editor.ID, tenancy.RoleDeveloper)
		requireCode(t, err, errs.Invalid, "role")
		requireCode(t, svc.DeactivateUser(ctx, adminT, a.Owner.ID), errs.Invalid, "is_active")

		require.NoError(t, svc.RevokeSiteAccess(ctx, a.Tenant, editor.ID, siteTwo.ID))
		requireCode(t, svc.RevokeSiteAccess(ctx, a.Tenant, editor.ID, siteTwo.ID), errs.NotFound, "")

		assert.True(t, tenancy.RoleDeveloper.IsAdminOrDeveloper())
		assert.True(t, tenancy.RoleOwner.IsAdminOrDeveloper())
		assert.False(t, tenancy.RoleEditor.IsAdminOrDeveloper())
		assert.True(t, tenancy.RoleEditor.CanWrite())
		assert.False(t, tenancy.RoleViewer.CanWrite())
	})
}

func TestDeleteAccount(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("starter"))
		_, adminT := env.NewUser(a, tenancy.RoleAdmin)
		requireCode(t, svc.DeleteAccount(ctx, adminT), errs.Forbidden, "")

		system := env.NewAccount()
		_, err := env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).Set("is_system = ?", true).
			Where("id = ?", system.Account.ID).Exec(ctx)
		require.NoError(t, err)
		err = svc.DeleteAccount(ctx, system.Tenant)
		requireCode(t, err, errs.Forbidden, "")
		assert.Contains(t, err.Error(), "system account")

		require.NoError(t, svc.DeleteAccount(ctx, a.Tenant))
		_, err = svc.GetAccount(ctx, a.Tenant)
		requireCode(t, err, errs.NotFound, "")
		_, _, err = svc.Authenticate(ctx, a.Owner.Email, igny8test.Password)
		requireCode(t, err, errs.Unauthenticated, "")
	})
}

func TestCatalog(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		industry, sectors, err := svc.CreateIndustry(ctx, tenancy.NewIndustry{
			Name: "Healthcare", Sectors: []tenancy.NewIndustrySector{{Name: "Dental Care"}, {Name: "Nutrition"}},
		})
		require.NoError(t, err)
		require.Len(t, sectors, 2)
		assert.Equal(t, "dental-care", sectors[0].Slug)
		other, otherSectors, err := svc.CreateIndustry(ctx, tenancy.NewIndustry{Name: "Finance", Sectors: []tenancy.NewIndustrySector{{Name: "Loans"}}})
		require.NoError(t, err)

		n, err := svc.AddSeedKeywords(ctx, sectors[0].ID, []tenancy.NewSeedKeyword{
			{Keyword: "Teeth  Whitening", Volume: 5000, Difficulty: 40, Intent: tenancy.IntentCommercial},
			{Keyword: "teeth whitening", Volume: 1},
			{Keyword: "dental implants", Volume: 9000, Difficulty: 70},
		})
		require.NoError(t, err)
		assert.Equal(t, 2, n, "normalised duplicates are one keyword")
		n, err = svc.AddSeedKeywords(ctx, sectors[0].ID, []tenancy.NewSeedKeyword{{Keyword: "dental implants"}})
		require.NoError(t, err)
		assert.Zero(t, n, "existing keywords are skipped")
		_, err = svc.AddSeedKeywords(ctx, sectors[0].ID, []tenancy.NewSeedKeyword{{Keyword: "ok"}, {Keyword: "bad", Difficulty: 101}})
		requireCode(t, err, errs.Invalid, "keywords[1].difficulty")
		_, err = svc.AddSeedKeywords(ctx, 999999, []tenancy.NewSeedKeyword{{Keyword: "orphan"}})
		requireCode(t, err, errs.Invalid, "industry_sector_id")
		seeds, err := svc.ListSeedKeywords(ctx, sectors[0].ID)
		require.NoError(t, err)
		require.Len(t, seeds, 2)
		assert.Equal(t, "dental implants", seeds[0].Keyword)
		assert.Equal(t, industry.ID, seeds[0].IndustryID)

		// A site's sectors must come from the site's industry.
		a := env.NewAccount()
		_, _, err = svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{
			Name: "Clinic", IndustryID: &industry.ID,
			Sectors: []tenancy.NewSector{{Name: "Loans", IndustrySectorID: &otherSectors[0].ID}},
		})
		requireCode(t, err, errs.Invalid, "sectors[0].industry_sector_id")
		site, secs, err := svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{
			Name: "Clinic", IndustryID: &industry.ID,
			Sectors: []tenancy.NewSector{{Name: "Dental", IndustrySectorID: &sectors[0].ID}},
		})
		require.NoError(t, err)
		assert.Equal(t, "clinic", site.Slug)
		require.Len(t, secs, 1)
		_ = other
		missing := int64(424242)
		_, err = svc.UpdateSite(ctx, a.Tenant, site.ID, tenancy.SiteUpdate{IndustryID: &missing})
		requireCode(t, err, errs.Invalid, "industry_id")
	})
}

func TestSiteValidation(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("growth"))
		site, _, err := svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Blog", Domain: "Example.com/"})
		require.NoError(t, err)
		assert.Equal(t, "https://example.com", site.Domain)
		assert.Equal(t, tenancy.PlatformWordPress, site.PlatformType)
		_, _, err = svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Blog"})
		require.NoError(t, err, "a second site with the same name gets a free slug")
		_, _, err = svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Dup", Slug: "blog"})
		requireCode(t, err, errs.Conflict, "slug")
		_, _, err = svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Bad", Domain: "ftp://x.example"})
		requireCode(t, err, errs.Invalid, "domain")
		_, _, err = svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Bad", PlatformType: "wix"})
		requireCode(t, err, errs.Invalid, "platform_type")
		updated, err := svc.UpdateSite(ctx, a.Tenant, site.ID, tenancy.SiteUpdate{Name: ptr("Renamed"), IsActive: ptr(false)})
		require.NoError(t, err)
		assert.Equal(t, "Renamed", updated.Name)
		assert.False(t, updated.IsActive)
		reread, err := svc.GetSite(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		assert.Equal(t, "Renamed", reread.Name)
		assert.True(t, reread.UpdatedAt.After(site.UpdatedAt) || reread.UpdatedAt.Equal(site.UpdatedAt))
		require.NoError(t, svc.DeleteSite(ctx, a.Tenant, site.ID))
		_, err = svc.GetSite(ctx, a.Tenant, site.ID)
		requireCode(t, err, errs.NotFound, "site_id")
	})
}
