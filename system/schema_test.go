package system_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
)

// mapped turns a raw driver error into the errs error services return.
func mapped(err error) error { return store.MapError(err) }

// TestAccountIDIsImmutable: no row of an account table can be moved to
// another account, even by a raw UPDATE that bypasses the service.
func TestAccountIDIsImmutable(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()
		_, err := svc.SavePrompt(ctx, a.Tenant, "clustering", "A's prompt")
		require.NoError(t, err)
		_, err = svc.SaveAISettings(ctx, a.Tenant, system.AISettingsInput{MaxTokens: ptr(100)})
		require.NoError(t, err)
		require.NoError(t, svc.SetModule(ctx, a.Tenant, system.ModuleLinker, true))

		for _, table := range []string{"igny8_ai_prompts", "igny8_ai_settings", "igny8_module_settings"} {
			t.Run(table, func(t *testing.T) {
				res, err := env.App.DB().NewRaw("UPDATE ? SET account_id = ? WHERE account_id = ?",
					bun.Ident(table), b.Account.ID, a.Account.ID).Exec(ctx)
				require.Error(t, err, "rows affected: %v", res)
				requireCode(t, mapped(err), errs.Invalid, "account_id")
			})
		}

		// Other columns still change, and deleting the account takes its rows.
		_, err = env.App.DB().NewRaw("UPDATE igny8_ai_settings SET max_tokens = 200 WHERE account_id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		_, err = env.App.DB().NewRaw("DELETE FROM igny8_accounts WHERE id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		for _, table := range []string{"igny8_ai_prompts", "igny8_ai_settings", "igny8_module_settings"} {
			var n int
			require.NoError(t, env.App.DB().NewRaw("SELECT count(*) FROM ? WHERE account_id = ?", bun.Ident(table), a.Account.ID).Scan(ctx, &n))
			require.Zero(t, n, table)
		}
	})
}
