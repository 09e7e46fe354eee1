package system_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
)

// TestMigrationsRollBackAndReapply runs the down migrations over live data
// (an account that chose a seeded model) and applies them again.
func TestMigrationsRollBackAndReapply(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		a := env.NewAccount()
		_, err := newService(env).SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr("gpt-4o")})
		require.NoError(t, err)

		m, err := store.NewMigrator(env.App.DB(), system.Migrations)
		require.NoError(t, err)
		rolled, err := m.Down(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"20261125000032_authors", "20261125000031_ai_models", "20261125000030_system"}, rolled)
		applied, err := m.Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"20261125000030_system", "20261125000031_ai_models", "20261125000032_authors"}, applied)

		svc := newService(env)
		eff, err := svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o-mini", eff.TextModel)
		models, err := svc.ListModels(ctx, "")
		require.NoError(t, err)
		assert.Len(t, models, 3)
	})
}
