package system_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

const builtinClustering = "Group these keywords: {{.keywords}}"

func TestPromptResolutionOrderAndReset(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		operator := env.NewAccount()

		// Nothing stored: the caller's built-in text.
		p, err := svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, system.Prompt{Type: "clustering", Text: builtinClustering, Source: system.SourceDefault}, p)

		// A global override wins over the built-in text.
		g, err := svc.SaveGlobalPrompt(ctx, "clustering", "Global: {{.keywords}}", operator.Owner.ID)
		require.NoError(t, err)
		assert.Equal(t, system.SourceGlobal, g.Source)
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, "Global: {{.keywords}}", p.Text)
		assert.Equal(t, system.SourceGlobal, p.Source)
		assert.False(t, p.UpdatedAt.IsZero())

		// The account's override wins over both.
		saved, err := svc.SavePrompt(ctx, a.Tenant, "clustering", "Mine: {{.keywords}}")
		require.NoError(t, err)
		assert.Equal(t, system.SourceAccount, saved.Source)
		assert.False(t, saved.UpdatedAt.IsZero())
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, system.Prompt{Type: "clustering", Text: "Mine: {{.keywords}}", Source: system.SourceAccount, UpdatedAt: p.UpdatedAt}, p)

		// Saving again replaces it (one row per type).
		_, err = svc.SavePrompt(ctx, a.Tenant, "clustering", "Mine v2: {{.keywords}}")
		require.NoError(t, err)
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, "Mine v2: {{.keywords}}", p.Text)
		n, err := env.App.DB().NewSelect().Model((*system.AccountPrompt)(nil)).
			Where("account_id = ?", a.Account.ID).Count(ctx)
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)

		// Listing: the account's own and the global ones it does not override.
		_, err = svc.SaveGlobalPrompt(ctx, "ideas", "Ideas for {{.cluster}}", 0)
		require.NoError(t, err)
		list, err := svc.ListPrompts(ctx, a.Tenant)
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, "clustering", list[0].Type)
		assert.Equal(t, system.SourceAccount, list[0].Source)
		assert.Equal(t, "ideas", list[1].Type)
		assert.Equal(t, system.SourceGlobal, list[1].Source)

		// Reset: the global override applies again; resetting twice is fine.
		require.NoError(t, svc.ResetPrompt(ctx, a.Tenant, "clustering"))
		require.NoError(t, svc.ResetPrompt(ctx, a.Tenant, "clustering"))
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, system.SourceGlobal, p.Source)

		// Without the global override: the built-in text.
		require.NoError(t, svc.ResetGlobalPrompt(ctx, "clustering"))
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, system.SourceDefault, p.Source)
		globals, err := svc.ListGlobalPrompts(ctx)
		require.NoError(t, err)
		require.Len(t, globals, 1)
		assert.Equal(t, "ideas", globals[0].Type)

		// No override and no built-in text.
		_, err = svc.ResolvePrompt(ctx, a.Tenant, "unknown_type", "")
		requireCode(t, err, errs.NotFound, "prompt_type")
	})
}

func TestSavePromptValidation(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()

		cases := []struct {
			name, promptType, text, field, contains string
		}{
			{"empty", "clustering", "", "prompt", "required"},
			{"blank", "clustering", "  \n\t", "prompt", "required"},
			{"too long", "clustering", strings.Repeat("é", system.MaxPromptLen+1), "prompt", "at most 20000"},
			{"NUL byte", "clustering", "a\x00b", "prompt", "invalid characters"},
			{"bad template", "clustering", "Group {{.keywords", "prompt", "template: prompt:1"},
			{"unknown function", "clustering", "{{upper .keywords}}", "prompt", `function "upper" not defined`},
			{"missing type", "", "fine", "prompt_type", "required"},
			{"bad type", "Content Generation", "fine", "prompt_type", "lower-case"},
			{"long type", strings.Repeat("a", system.MaxPromptTypeLen+1), "fine", "prompt_type", "at most"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.SavePrompt(ctx, a.Tenant, tc.promptType, tc.text)
				requireCode(t, err, errs.Invalid, tc.field)
				assert.Contains(t, fieldMessage(t, err, tc.field), tc.contains)
				_, err = svc.SaveGlobalPrompt(ctx, tc.promptType, tc.text, 0)
				requireCode(t, err, errs.Invalid, tc.field)
			})
		}
		// Exactly the limit is fine.
		_, err := svc.SavePrompt(ctx, a.Tenant, "long", strings.Repeat("é", system.MaxPromptLen))
		require.NoError(t, err)

		// Nothing invalid was stored.
		list, err := svc.ListPrompts(ctx, a.Tenant)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "long", list[0].Type)

		// An operator id must be a user.
		_, err = svc.SaveGlobalPrompt(ctx, "ideas", "fine", 987654321)
		requireCode(t, err, errs.Invalid, "")
	})
}

func TestAccountPromptLimit(t *testing.T) {
	env := igny8test.NewSQLite(t)
	svc := newService(env)
	ctx := env.Ctx()
	a := env.NewAccount()
	for i := range system.MaxAccountPrompts {
		_, err := svc.SavePrompt(ctx, a.Tenant, fmt.Sprintf("type_%d", i), "text")
		require.NoError(t, err)
	}
	_, err := svc.SavePrompt(ctx, a.Tenant, "one_too_many", "text")
	requireCode(t, err, errs.Invalid, "prompt_type")
	// Replacing an existing one is still allowed.
	_, err = svc.SavePrompt(ctx, a.Tenant, "type_0", "new text")
	require.NoError(t, err)
}

func TestRenderPrompt(t *testing.T) {
	out, err := system.RenderPrompt("Group {{len .keywords}} keywords:{{range .keywords}} {{.}}{{end}} for {{.site.name}}.", map[string]any{
		"keywords": []string{"a", "b"},
		"site":     map[string]any{"name": "Acme"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Group 2 keywords: a b for Acme.", out)

	// Two levels of range, range variables and if/with are fine.
	out, err = system.RenderPrompt(
		`{{range $i, $c := .clusters}}{{if $i}}; {{end}}{{$c.name}}:{{range $c.keywords}} {{.}}{{end}}{{end}}{{with .note}} ({{.}}){{end}}`,
		map[string]any{
			"clusters": []map[string]any{{"name": "x", "keywords": []string{"1", "2"}}, {"name": "y", "keywords": []string{"3"}}},
			"note":     "ok",
		})
	require.NoError(t, err)
	assert.Equal(t, "x: 1 2; y: 3 (ok)", out)

	// An unknown variable names the variable.
	_, err = system.RenderPrompt("Write about {{.topic}} for {{.audience}}", map[string]any{"topic": "tea"})
	requireCode(t, err, errs.Invalid, "prompt")
	assert.Contains(t, fieldMessage(t, err, "prompt"), `unknown variable "audience"`)
	_, err = system.RenderPrompt("{{.site.domain}}", map[string]any{"site": map[string]any{"name": "Acme"}})
	requireCode(t, err, errs.Invalid, "prompt")
	assert.Contains(t, fieldMessage(t, err, "prompt"), `unknown variable "domain"`)
	_, err = system.RenderPrompt("{{.x}}", nil)
	requireCode(t, err, errs.Invalid, "prompt")
	out, err = system.RenderPrompt("no variables", nil)
	require.NoError(t, err)
	assert.Equal(t, "no variables", out)

	// The service method is the same function.
	out, err = system.NewService(nil).RenderPrompt("{{.a}}", map[string]any{"a": 1})
	require.NoError(t, err)
	assert.Equal(t, "1", out)
}

// Prompts are written by tenants and rendered by shared workers: templates
// that could run for hours or allocate without bound are refused.
func TestRenderPromptRefusesUnsafeTemplates(t *testing.T) {
	vars := map[string]any{"items": []string{"a"}, "n": 3}
	cases := map[string]string{
		"define":             `{{define "x"}}x{{end}}hello`,
		"template call":      `{{template "prompt" .}}`,
		"block":              `{{block "b" .}}x{{end}}`,
		"range over number":  `{{range 1000000000}}x{{end}}`,
		"declared variable":  `{{$n := 1000000000}}{{range $n}}x{{end}}`,
		"with declaration":   `{{with $n := 5}}{{$n}}{{end}}`,
		"range over call":    `{{range len .items}}x{{end}}`,
		"printf":             `{{printf "%999999999d" 1}}`,
		"call":               `{{call .f}}`,
		"nested printf":      `{{len (printf "%d" 1)}}`,
		"three nested range": `{{range .items}}{{range .items}}{{range .items}}x{{end}}{{end}}{{end}}`,
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := system.RenderPrompt(text, vars)
			requireCode(t, err, errs.Invalid, "prompt")
		})
	}
	// The same check guards saving.
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	_, err := newService(env).SavePrompt(env.Ctx(), a.Tenant, "clustering", cases["range over number"])
	requireCode(t, err, errs.Invalid, "prompt")

	// Output is capped.
	items := make([]string, 2000)
	for i := range items {
		items[i] = "x"
	}
	_, err = system.RenderPrompt(`{{range .items}}{{range $.items}}{{.}}{{end}}{{end}}`, map[string]any{"items": items})
	requireCode(t, err, errs.Invalid, "prompt")
	assert.Contains(t, fieldMessage(t, err, "prompt"), "more than")
}

func TestPromptsAreIsolatedAndRoleChecked(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("growth")) // 3 users
		b := env.NewAccount()

		_, err := svc.SavePrompt(ctx, a.Tenant, "clustering", "A's prompt")
		require.NoError(t, err)

		// B never sees A's prompt, and B's reset leaves it alone.
		p, err := svc.ResolvePrompt(ctx, b.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, system.SourceDefault, p.Source)
		list, err := svc.ListPrompts(ctx, b.Tenant)
		require.NoError(t, err)
		assert.Empty(t, list)
		require.NoError(t, svc.ResetPrompt(ctx, b.Tenant, "clustering"))
		_, err = svc.SavePrompt(ctx, b.Tenant, "clustering", "B's prompt")
		require.NoError(t, err)
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, "A's prompt", p.Text)

		// Editors and viewers read but cannot change; API keys neither.
		_, editor := env.NewUser(a, tenancy.RoleEditor)
		_, viewer := env.NewUser(a, tenancy.RoleViewer)
		for _, who := range []tenancy.Tenant{editor, viewer, {AccountID: a.Account.ID, Role: tenancy.RoleEditor, SiteID: 1}} {
			p, err = svc.ResolvePrompt(ctx, who, "clustering", builtinClustering)
			require.NoError(t, err)
			assert.Equal(t, "A's prompt", p.Text)
			_, err = svc.SavePrompt(ctx, who, "clustering", "not allowed")
			requireCode(t, err, errs.Forbidden, "")
			requireCode(t, svc.ResetPrompt(ctx, who, "clustering"), errs.Forbidden, "")
		}
		// An admin may.
		_, err = svc.SavePrompt(ctx, tenancy.Tenant{AccountID: a.Account.ID, UserID: a.Owner.ID, Role: tenancy.RoleAdmin}, "ideas", "ok")
		require.NoError(t, err)
		p, err = svc.ResolvePrompt(ctx, a.Tenant, "clustering", builtinClustering)
		require.NoError(t, err)
		assert.Equal(t, "A's prompt", p.Text)

		// A zero Tenant gets nothing and changes nothing.
		var zero tenancy.Tenant
		_, err = svc.ResolvePrompt(ctx, zero, "clustering", builtinClustering)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.ListPrompts(ctx, zero)
		requireCode(t, err, errs.Unauthenticated, "")
		_, err = svc.SavePrompt(ctx, zero, "clustering", "x")
		requireCode(t, err, errs.Unauthenticated, "")
		requireCode(t, svc.ResetPrompt(ctx, zero, "clustering"), errs.Unauthenticated, "")
		_, err = svc.ResolvePrompt(ctx, tenancy.Tenant{AccountID: a.Account.ID}, "clustering", builtinClustering)
		requireCode(t, err, errs.Unauthenticated, "")
	})
}
