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

func TestModelRegistrySeed(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()

		text, err := svc.ListModels(ctx, system.KindText)
		require.NoError(t, err)
		require.Len(t, text, 2)
		assert.Equal(t, "gpt-4o-mini", text[0].Name, "the default first")
		assert.True(t, text[0].IsDefault)
		assert.Equal(t, system.ProviderOpenAI, text[0].Provider)
		assert.Equal(t, 100, text[0].TokensPerCredit)
		assert.Equal(t, int64(150_000), text[0].InputPriceMicro)
		assert.Equal(t, int64(600_000), text[0].OutputPriceMicro)
		assert.Equal(t, "gpt-4o", text[1].Name)
		assert.False(t, text[1].IsDefault)

		images, err := svc.ListModels(ctx, system.KindImage)
		require.NoError(t, err)
		require.Len(t, images, 1)
		assert.Equal(t, "dall-e-3", images[0].Name)
		assert.Equal(t, 1, images[0].CreditsPerImage)
		assert.Equal(t, int64(40_000), images[0].ImagePriceMicro)

		all, err := svc.ListModels(ctx, "")
		require.NoError(t, err)
		assert.Len(t, all, 3)
		_, err = svc.ListModels(ctx, "video")
		requireCode(t, err, errs.Invalid, "kind")

		def, err := svc.DefaultModel(ctx, system.KindText)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o-mini", def.Name)
		def, err = svc.DefaultModel(ctx, system.KindImage)
		require.NoError(t, err)
		assert.Equal(t, "dall-e-3", def.Name)
		_, err = svc.DefaultModel(ctx, "")
		requireCode(t, err, errs.Invalid, "kind")

		// Inactive models are not offered.
		deactivate(t, env, "gpt-4o")
		text, err = svc.ListModels(ctx, system.KindText)
		require.NoError(t, err)
		require.Len(t, text, 1)

		// The schema keeps one default per kind, and only an active one.
		_, err = env.App.DB().NewUpdate().Model((*system.Model)(nil)).Set("is_default = ?", true).
			Set("is_active = ?", true).Where("name = 'gpt-4o'").Exec(ctx)
		requireCode(t, mapped(err), errs.Conflict, "")
		_, err = env.App.DB().NewUpdate().Model((*system.Model)(nil)).Set("is_active = ?", false).
			Where("name = 'gpt-4o-mini'").Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "is_default")
		_, err = env.App.DB().NewInsert().Model(&system.Model{Name: "free-lunch", Provider: "openai", Kind: "text", IsActive: true}).Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "tokens_per_credit")
		_, err = env.App.DB().NewInsert().Model(&system.Model{Name: "x", Provider: "acme", Kind: "text", TokensPerCredit: 1, IsActive: true}).Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "provider")
	})
}

func TestAISettingsMergeAndValidation(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("starter")) // 2 users
		b := env.NewAccount()

		// Nothing set: the seeded global settings.
		eff, err := svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, system.AISettings{TextModel: "gpt-4o-mini", ImageModel: "dall-e-3", TemperatureMilli: 700, MaxTokens: 8192}, eff)
		assert.InDelta(t, 0.7, eff.Temperature(), 1e-9)
		global, err := svc.GlobalAISettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o-mini", global.DefaultTextModel)
		assert.Equal(t, "dall-e-3", global.DefaultImageModel)

		// Account overrides win field by field; nil inherits.
		eff, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr("gpt-4o"), TemperatureMilli: ptr(0)})
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", eff.TextModel)
		assert.Equal(t, "dall-e-3", eff.ImageModel)
		assert.Equal(t, 0, eff.TemperatureMilli)
		assert.Equal(t, 8192, eff.MaxTokens)
		assert.Equal(t, system.AISettingsInput{TextModel: ptr("gpt-4o"), TemperatureMilli: ptr(0)}, eff.Account)
		again, err := svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, eff, again)

		// Saving replaces all overrides; a blank model inherits.
		eff, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr(" "), MaxTokens: ptr(128000)})
		require.NoError(t, err)
		assert.Equal(t, system.AISettings{
			TextModel: "gpt-4o-mini", ImageModel: "dall-e-3", TemperatureMilli: 700, MaxTokens: 128000,
			Account: system.AISettingsInput{MaxTokens: ptr(128000)},
		}, eff)

		// Validation names each bad field and changes nothing.
		cases := []struct {
			name  string
			in    system.AISettingsInput
			field string
		}{
			{"unknown text model", system.AISettingsInput{TextModel: ptr("gpt-9")}, "text_model"},
			{"image model as text", system.AISettingsInput{TextModel: ptr("dall-e-3")}, "text_model"},
			{"text model as image", system.AISettingsInput{ImageModel: ptr("gpt-4o")}, "image_model"},
			{"temperature below", system.AISettingsInput{TemperatureMilli: ptr(-1)}, "temperature_milli"},
			{"temperature above", system.AISettingsInput{TemperatureMilli: ptr(2001)}, "temperature_milli"},
			{"max tokens zero", system.AISettingsInput{MaxTokens: ptr(0)}, "max_tokens"},
			{"max tokens above", system.AISettingsInput{MaxTokens: ptr(128001)}, "max_tokens"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.SaveAISettings(ctx, a.Tenant, tc.in)
				requireCode(t, err, errs.Invalid, tc.field)
			})
		}
		_, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr("nope"), MaxTokens: ptr(0)})
		requireCode(t, err, errs.Invalid, "text_model")
		requireCode(t, err, errs.Invalid, "max_tokens")
		eff, err = svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, 128000, eff.MaxTokens)

		// An inactive model cannot be chosen; one that became inactive falls
		// back to the global model.
		_, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr("gpt-4o")})
		require.NoError(t, err)
		deactivate(t, env, "gpt-4o")
		_, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{TextModel: ptr("gpt-4o")})
		requireCode(t, err, errs.Invalid, "text_model")
		eff, err = svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o-mini", eff.TextModel)
		assert.Equal(t, ptr("gpt-4o"), eff.Account.TextModel, "the choice is kept for when the model returns")

		// B sees only the global settings, and its save leaves A alone.
		eff, err = svc.EffectiveAISettings(ctx, b.Tenant)
		require.NoError(t, err)
		assert.Equal(t, system.AISettings{TextModel: "gpt-4o-mini", ImageModel: "dall-e-3", TemperatureMilli: 700, MaxTokens: 8192}, eff)
		_, err = svc.SaveAISettings(ctx, b.Tenant, system.AISettingsInput{MaxTokens: ptr(100)})
		require.NoError(t, err)
		eff, err = svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, 8192, eff.MaxTokens)
		assert.Nil(t, eff.Account.MaxTokens)

		// Editors read but cannot save; zero Tenants do neither.
		_, editor := env.NewUser(a, tenancy.RoleEditor)
		_, err = svc.EffectiveAISettings(ctx, editor)
		require.NoError(t, err)
		_, err = svc.SaveAISettings(ctx, editor, system.AISettingsInput{MaxTokens: ptr(10)})
		requireCode(t, err, errs.Forbidden, "")
		var zero tenancy.Tenant
		_, err = svc.EffectiveAISettings(ctx, zero)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.SaveAISettings(ctx, zero, system.AISettingsInput{})
		requireCode(t, err, errs.Unauthenticated, "")
	})
}

func TestGlobalAISettings(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()
		_, err := svc.SaveAISettings(ctx, b.Tenant, system.AISettingsInput{TextModel: ptr("gpt-4o-mini"), TemperatureMilli: ptr(100)})
		require.NoError(t, err)

		g, err := svc.SaveGlobalAISettings(ctx, system.GlobalAISettings{
			DefaultTextModel: "gpt-4o", DefaultImageModel: "dall-e-3", TemperatureMilli: 300, MaxTokens: 4000,
		})
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", g.DefaultTextModel)
		got, err := svc.GlobalAISettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, 300, got.TemperatureMilli)
		assert.Equal(t, 4000, got.MaxTokens)

		// The registry's default follows, so both agree.
		def, err := svc.DefaultModel(ctx, system.KindText)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", def.Name)
		text, err := svc.ListModels(ctx, system.KindText)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", text[0].Name)
		assert.False(t, text[1].IsDefault)

		// Accounts without overrides inherit; overrides still win.
		eff, err := svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, system.AISettings{TextModel: "gpt-4o", ImageModel: "dall-e-3", TemperatureMilli: 300, MaxTokens: 4000}, eff)
		eff, err = svc.EffectiveAISettings(ctx, b.Tenant)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o-mini", eff.TextModel)
		assert.Equal(t, 100, eff.TemperatureMilli)
		assert.Equal(t, 4000, eff.MaxTokens)

		// Validation.
		_, err = svc.SaveGlobalAISettings(ctx, system.GlobalAISettings{DefaultImageModel: "gpt-4o", TemperatureMilli: 5000, MaxTokens: 1})
		requireCode(t, err, errs.Invalid, "default_text_model")
		requireCode(t, err, errs.Invalid, "default_image_model")
		requireCode(t, err, errs.Invalid, "temperature_milli")
		got, err = svc.GlobalAISettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", got.DefaultTextModel)

		// A deactivated global model falls back to the registry default.
		_, err = svc.SaveGlobalAISettings(ctx, system.GlobalAISettings{
			DefaultTextModel: "gpt-4o-mini", DefaultImageModel: "dall-e-3", TemperatureMilli: 700, MaxTokens: 8192,
		})
		require.NoError(t, err)
		_, err = env.App.DB().NewUpdate().Model((*system.Model)(nil)).
			Set("is_default = ?", false).Where("name = 'gpt-4o-mini'").Exec(ctx)
		require.NoError(t, err)
		_, err = env.App.DB().NewUpdate().Model((*system.Model)(nil)).
			Set("is_default = ?", true).Where("name = 'gpt-4o'").Exec(ctx)
		require.NoError(t, err)
		deactivate(t, env, "gpt-4o-mini")
		eff, err = svc.EffectiveAISettings(ctx, a.Tenant)
		require.NoError(t, err)
		assert.Equal(t, "gpt-4o", eff.TextModel)
	})
}

// deactivate takes a model out of service, as an operator would.
func deactivate(t *testing.T, env *igny8test.Env, name string) {
	t.Helper()
	_, err := env.App.DB().NewUpdate().Model((*system.Model)(nil)).
		Set("is_active = ?", false).Set("is_default = ?", false).
		Where("name = ?", name).Exec(env.Ctx())
	require.NoError(t, err)
}
