package system_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

func TestModules(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("starter"))
		b := env.NewAccount()

		defaults := map[string]bool{"planner": true, "writer": true, "automation": true, "publisher": true, "linker": false, "optimizer": false}
		mods, err := svc.Modules(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, defaults, mods)
		for m, on := range defaults {
			got, err := svc.ModuleEnabled(ctx, a.Tenant, m)
			require.NoError(t, err)
			assert.Equal(t, on, got, m)
			assert.Equal(t, on, system.ModuleDefault(m), m)
		}
		assert.Len(t, system.ModuleNames(), len(defaults))

		// Toggles: linker on, writer off, and back.
		require.NoError(t, svc.SetModule(ctx, a.Tenant, system.ModuleLinker, true))
		require.NoError(t, svc.SetModule(ctx, a.Tenant, system.ModuleWriter, false))
		on, err := svc.ModuleEnabled(ctx, a.Tenant, system.ModuleLinker)
		require.NoError(t, err)
		assert.True(t, on)
		on, err = svc.ModuleEnabled(ctx, a.Tenant, system.ModuleWriter)
		require.NoError(t, err)
		assert.False(t, on)
		require.NoError(t, svc.SetModule(ctx, a.Tenant, system.ModuleWriter, true))
		mods, err = svc.Modules(ctx, a.Tenant)
		require.NoError(t, err)
		assert.True(t, mods["writer"])
		assert.True(t, mods["linker"])
		assert.False(t, mods["optimizer"])

		// Unknown modules.
		_, err = svc.ModuleEnabled(ctx, a.Tenant, "thinker")
		requireCode(t, err, errs.Invalid, "module")
		requireCode(t, svc.SetModule(ctx, a.Tenant, "Planner", false), errs.Invalid, "module")

		// B is untouched by A's switches and cannot change them.
		mods, err = svc.Modules(ctx, b.Tenant)
		require.NoError(t, err)
		assert.Equal(t, defaults, mods)
		require.NoError(t, svc.SetModule(ctx, b.Tenant, system.ModuleLinker, false))
		on, err = svc.ModuleEnabled(ctx, a.Tenant, system.ModuleLinker)
		require.NoError(t, err)
		assert.True(t, on)

		// Editors read, cannot switch; zero Tenants do neither.
		_, editor := env.NewUser(a, tenancy.RoleEditor)
		on, err = svc.ModuleEnabled(ctx, editor, system.ModuleLinker)
		require.NoError(t, err)
		assert.True(t, on)
		requireCode(t, svc.SetModule(ctx, editor, system.ModuleLinker, false), errs.Forbidden, "")
		var zero tenancy.Tenant
		_, err = svc.ModuleEnabled(ctx, zero, system.ModulePlanner)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.Modules(ctx, zero)
		requireCode(t, err, errs.Unauthenticated, "")
		requireCode(t, svc.SetModule(ctx, zero, system.ModulePlanner, false), errs.Unauthenticated, "")
	})
}
