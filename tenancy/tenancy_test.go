package tenancy_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
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

func TestCreateAccount(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		account, owner, err := svc.CreateAccount(ctx, tenancy.NewAccount{
			AccountName: "Acme Café", Email: "  Boss@Example.COM ", Password: "long enough password",
		})
		require.NoError(t, err)
		assert.Equal(t, "acme-cafe", account.Slug)
		assert.Equal(t, tenancy.AccountTrial, account.Status)
		assert.Equal(t, int64(2000), account.Credits, "trial credits seeded from the plan")
		assert.Equal(t, "free-trial", account.Plan.Slug)
		assert.Equal(t, "boss@example.com", owner.Email)
		assert.Equal(t, tenancy.RoleOwner, owner.Role)
		require.NotNil(t, account.OwnerID)
		assert.Equal(t, owner.ID, *account.OwnerID)

		got, err := svc.GetAccount(ctx, tenancy.UserTenant(owner))
		require.NoError(t, err)
		assert.Equal(t, account.ID, got.ID)
		assert.Equal(t, 1, got.Plan.MaxSites)

		// Same name again: a free slug is derived.
		second, _, err := svc.CreateAccount(ctx, tenancy.NewAccount{
			AccountName: "Acme Café", Email: "other@example.com", Password: "long enough password",
		})
		require.NoError(t, err)
		assert.Equal(t, "acme-cafe-2", second.Slug)
	})
}

func TestCreateAccountBadInput(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		valid := tenancy.NewAccount{AccountName: "Valid", Email: "valid@example.com", Password: "long enough password"}
		_, _, err := svc.CreateAccount(ctx, valid)
		require.NoError(t, err)

		cases := []struct {
			name  string
			edit  func(*tenancy.NewAccount)
			code  errs.Code
			field string
		}{
			{"invalid email", func(in *tenancy.NewAccount) { in.Email = "not-an-email" }, errs.Invalid, "email"},
			{"display-name email", func(in *tenancy.NewAccount) { in.Email = "Bob <bob@example.com>" }, errs.Invalid, "email"},
			{"email without domain dot", func(in *tenancy.NewAccount) { in.Email = "bob@localhost" }, errs.Invalid, "email"},
			{"duplicate email", func(in *tenancy.NewAccount) { in.Email = "VALID@example.com" }, errs.Conflict, "email"},
			{"duplicate explicit slug", func(in *tenancy.NewAccount) { in.Slug = "valid" }, errs.Conflict, "slug"},
			{"bad slug", func(in *tenancy.NewAccount) { in.Slug = "Not A Slug" }, errs.Invalid, "slug"},
			{"short password", func(in *tenancy.NewAccount) { in.Password = "short" }, errs.Invalid, "password"},
			{"missing name", func(in *tenancy.NewAccount) { in.AccountName = "  " }, errs.Invalid, "account_name"},
			{"unknown plan", func(in *tenancy.NewAccount) { in.PlanSlug = "platinum" }, errs.Invalid, "plan"},
			{"bad timezone", func(in *tenancy.NewAccount) { in.Timezone = "Mars/Olympus" }, errs.Invalid, "timezone"},
		}
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := tenancy.NewAccount{AccountName: fmt.Sprintf("Case %d", i), Email: fmt.Sprintf("case%d@example.com", i), Password: "long enough password"}
				tc.edit(&in)
				_, _, err := svc.CreateAccount(ctx, in)
				requireCode(t, err, tc.code, tc.field)
			})
		}
		// Nothing half-written: the failed registrations left no accounts or users.
		var accounts, users int
		require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM igny8_accounts").Scan(ctx, &accounts))
		require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM igny8_users").Scan(ctx, &users))
		assert.Equal(t, 1, accounts)
		assert.Equal(t, 1, users)
	})
}

func TestScopeFailsClosedOnZeroTenant(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount()
		env.NewSite(a)
		svc := env.App.Tenancy()
		ctx := env.Ctx()

		var zero tenancy.Tenant
		_, err := svc.ListSites(ctx, zero)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.GetAccount(ctx, zero)
		requireCode(t, err, errs.Unauthenticated, "")
		_, _, err = svc.CreateSite(ctx, zero, tenancy.NewSite{Name: "x"})
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.ListUsers(ctx, tenancy.Tenant{AccountID: a.Account.ID}) // no role
		requireCode(t, err, errs.Unauthenticated, "")

		// Even a caller that ignores the error gets a query matching nothing.
		var sites []tenancy.Site
		q, err := tenancy.ScopeAccount(env.App.DB().NewSelect().Model(&sites), zero)
		require.Error(t, err)
		require.NoError(t, q.Scan(ctx))
		assert.Empty(t, sites)
		accounts, err := tenancy.ScopeOwnAccount(env.App.DB().NewSelect().Model((*tenancy.Account)(nil)), zero)
		require.Error(t, err)
		n, err := accounts.Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "the accounts table is fail-closed too")
		q, err = tenancy.ScopeSite(env.App.DB().NewSelect().Model((*tenancy.Sector)(nil)), zero)
		require.Error(t, err)
		n, err = q.Count(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}

func TestOtherAccountsObjectsAreNotFound(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("growth"))
		b := env.NewAccount(igny8test.OnPlan("growth"))
		siteB, sectorsB := env.NewSite(b)
		siteA, _ := env.NewSite(a)

		_, err := svc.GetSite(ctx, a.Tenant, siteB.ID)
		requireCode(t, err, errs.NotFound, "site_id")
		_, err = svc.GetSector(ctx, a.Tenant, sectorsB[0].ID)
		requireCode(t, err, errs.NotFound, "sector_id")
		_, err = svc.UpdateSite(ctx, a.Tenant, siteB.ID, tenancy.SiteUpdate{Name: ptr("stolen")})
		requireCode(t, err, errs.NotFound, "site_id")
		requireCode(t, svc.DeleteSite(ctx, a.Tenant, siteB.ID), errs.NotFound, "site_id")
		_, err = svc.GetUser(ctx, a.Tenant, b.Owner.ID)
		requireCode(t, err, errs.NotFound, "")
		_, err = svc.ChangeRole(ctx, a.Tenant, b.Owner.ID, tenancy.RoleViewer)
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, svc.GrantSiteAccess(ctx, a.Tenant, a.Owner.ID, siteB.ID), errs.NotFound, "")

		sites, err := svc.ListSites(ctx, a.Tenant)
		require.NoError(t, err)
		require.Len(t, sites, 1)
		assert.Equal(t, siteA.ID, sites[0].ID)

		// B's site is untouched.
		still, err := svc.GetSite(ctx, b.Tenant, siteB.ID)
		require.NoError(t, err)
		assert.Equal(t, siteB.Name, still.Name)
	})
}

func TestSectorCannotAttachToAnotherAccountsSite(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()
		siteA, sectorsA := env.NewSite(a)
		siteB, sectorsB := env.NewSite(b)

		// By the service: the site is not visible to A.
		_, err := svc.AddSector(ctx, a.Tenant, siteB.ID, tenancy.NewSector{Name: "Intrusion"})
		requireCode(t, err, errs.NotFound, "site_id")
		// ResolveSiteSector refuses a foreign sector and a sector of another site.
		_, _, err = tenancy.ResolveSiteSector(ctx, env.App.DB(), a.Tenant, siteA.ID, sectorsB[0].ID)
		requireCode(t, err, errs.NotFound, "sector_id")
		siteA2 := mustSecondSite(t, env, a)
		_, _, err = tenancy.ResolveSiteSector(ctx, env.App.DB(), a.Tenant, siteA2.ID, sectorsA[0].ID)
		requireCode(t, err, errs.Invalid, "sector_id")
		_, _, err = tenancy.ResolveSiteSector(ctx, env.App.DB(), a.Tenant, siteA.ID, sectorsA[0].ID)
		require.NoError(t, err)

		// By the schema: a raw insert with A's account and B's site fails the
		// composite foreign key.
		now := time.Now().UTC()
		_, err = env.App.DB().NewInsert().Model(&tenancy.Sector{
			AccountScoped: tenancy.AccountScoped{AccountID: a.Account.ID, Timestamps: tenancy.Timestamps{CreatedAt: now, UpdatedAt: now}},
			SiteID:        siteB.ID, Name: "Raw intrusion", IsActive: true,
		}).Exec(ctx)
		require.Error(t, err, "schema must reject a sector pointing at another account's site")
		requireCode(t, mapped(err), errs.Invalid, "")

		// And a sector's site or account can never be changed afterwards.
		_, err = env.App.DB().NewUpdate().Model((*tenancy.Sector)(nil)).
			Set("site_id = ?", siteB.ID).Where("id = ?", sectorsA[0].ID).Exec(ctx)
		require.Error(t, err)
		_, err = env.App.DB().NewUpdate().Model((*tenancy.Site)(nil)).
			Set("account_id = ?", b.Account.ID).Where("id = ?", siteA.ID).Exec(ctx)
		require.Error(t, err)
		requireCode(t, mapped(err), errs.Invalid, "account_id")
	})
}

func mustSecondSite(t *testing.T, env *igny8test.Env, a *igny8test.Account) *tenancy.Site {
	t.Helper()
	// The free trial allows one site; move the account to Starter (2 sites).
	_, err := env.App.DB().NewUpdate().Model((*tenancy.Account)(nil)).
		Set("plan_id = (SELECT id FROM igny8_plans WHERE slug = 'starter')").
		Where("id = ?", a.Account.ID).Exec(env.Ctx())
	require.NoError(t, err)
	site, _ := env.NewSite(a)
	return site
}

func TestPlanLimits(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount() // free trial: 1 site, 1 user
		site, _ := env.NewSite(a)

		_, _, err := svc.CreateSite(ctx, a.Tenant, tenancy.NewSite{Name: "Second"})
		requireCode(t, err, errs.Forbidden, "max_sites")
		_, err = svc.CreateUser(ctx, a.Tenant, tenancy.NewUser{Email: "second@example.com", Password: igny8test.Password, Role: tenancy.RoleEditor})
		requireCode(t, err, errs.Forbidden, "max_users")

		// Sectors: 1 created with the site, 4 more allowed, the 6th refused.
		for i := 2; i <= tenancy.MaxActiveSectors; i++ {
			env.NewSector(a, site.ID, fmt.Sprintf("Sector %d", i))
		}
		_, err = svc.AddSector(ctx, a.Tenant, site.ID, tenancy.NewSector{Name: "Sixth"})
		requireCode(t, err, errs.Invalid, "sectors")
		_, _, err = svc.CreateSite(ctx, env.NewAccount(igny8test.OnPlan("starter")).Tenant, tenancy.NewSite{
			Name: "Too many", Sectors: []tenancy.NewSector{{Name: "1"}, {Name: "2"}, {Name: "3"}, {Name: "4"}, {Name: "5"}, {Name: "6"}},
		})
		requireCode(t, err, errs.Invalid, "sectors")

		sectors, err := svc.ListSectors(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		require.Len(t, sectors, tenancy.MaxActiveSectors)
		// Deactivate one, then the 6th fits; reactivating the first is refused.
		_, err = svc.UpdateSector(ctx, a.Tenant, sectors[0].ID, tenancy.SectorUpdate{IsActive: ptr(false)})
		require.NoError(t, err)
		env.NewSector(a, site.ID, "Sixth")
		_, err = svc.UpdateSector(ctx, a.Tenant, sectors[0].ID, tenancy.SectorUpdate{IsActive: ptr(true)})
		requireCode(t, err, errs.Invalid, "is_active")
		// Duplicate sector name within a site.
		_, err = svc.AddSector(ctx, a.Tenant, site.ID, tenancy.NewSector{Name: "Sixth"})
		requireCode(t, err, errs.Invalid, "sectors") // limit checked first
	})
}

func TestLastActiveSectorStays(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		ctx := env.Ctx()
		a := env.NewAccount()
		site, sectors := env.NewSite(a, "Only", "Second")
		_, err := svc.AddSector(ctx, a.Tenant, site.ID, tenancy.NewSector{Name: "second"})
		require.NoError(t, err, "names are unique as typed")
		_, err = svc.AddSector(ctx, a.Tenant, site.ID, tenancy.NewSector{Name: "Second"})
		requireCode(t, err, errs.Conflict, "name")
		require.NoError(t, svc.DeleteSector(ctx, a.Tenant, sectors[1].ID))
		all, err := svc.ListSectors(ctx, a.Tenant, site.ID)
		require.NoError(t, err)
		for _, s := range all[1:] {
			require.NoError(t, svc.DeleteSector(ctx, a.Tenant, s.ID))
		}
		requireCode(t, svc.DeleteSector(ctx, a.Tenant, sectors[0].ID), errs.Invalid, "sector_id")
		_, err = svc.UpdateSector(ctx, a.Tenant, sectors[0].ID, tenancy.SectorUpdate{IsActive: ptr(false)})
		requireCode(t, err, errs.Invalid, "is_active")
	})
}

func TestConcurrentSiteCreationRespectsMaxSites(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		a := env.NewAccount(igny8test.OnPlan("growth")) // 5 sites
		const attempts = 16
		var wg sync.WaitGroup
		results := make(chan error, attempts)
		start := make(chan struct{})
		for i := range attempts {
			wg.Go(func() {
				<-start
				_, _, err := svc.CreateSite(context.Background(), a.Tenant, tenancy.NewSite{Name: fmt.Sprintf("Race %d", i)})
				results <- err
			})
		}
		close(start)
		wg.Wait()
		close(results)
		created, refused := 0, 0
		for err := range results {
			switch {
			case err == nil:
				created++
			case errs.Is(err, errs.Forbidden):
				refused++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		assert.Equal(t, 5, created)
		assert.Equal(t, attempts-5, refused)
		sites, err := svc.ListSites(env.Ctx(), a.Tenant)
		require.NoError(t, err)
		assert.Len(t, sites, 5)
	})
}

func TestConcurrentUserCreationRespectsMaxUsers(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := env.App.Tenancy()
		a := env.NewAccount(igny8test.OnPlan("scale")) // 5 users, owner included
		const attempts = 10
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for i := range attempts {
			wg.Go(func() {
				_, err := svc.CreateUser(context.Background(), a.Tenant, tenancy.NewUser{
					Email: fmt.Sprintf("race%d@example.com", i), Password: igny8test.Password, Role: tenancy.RoleEditor,
				})
				if err == nil {
					mu.Lock()
					created++
					mu.Unlock()
				} else if !errs.Is(err, errs.Forbidden) {
					t.Errorf("unexpected error: %v", err)
				}
			})
		}
		wg.Wait()
		assert.Equal(t, 4, created)
		users, err := svc.ListUsers(env.Ctx(), a.Tenant)
		require.NoError(t, err)
		assert.Len(t, users, 5)
	})
}

func ptr[T any](v T) *T { return &v }
