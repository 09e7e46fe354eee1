package system_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

// listQuery parses a list request against spec, as the HTTP layer does.
func listQuery(t *testing.T, spec store.ListSpec, raw string) store.ListQuery {
	t.Helper()
	values, err := url.ParseQuery(raw)
	require.NoError(t, err)
	lq, err := store.ParseList(values, spec, store.PageLimits{})
	require.NoError(t, err)
	return lq
}

func authorNames(p store.Page[system.AuthorProfile]) []string {
	names := make([]string, 0, len(p.Results))
	for _, a := range p.Results {
		names = append(names, a.Name)
	}
	return names
}

func strategyNames(p store.Page[system.Strategy]) []string {
	names := make([]string, 0, len(p.Results))
	for _, s := range p.Results {
		names = append(names, s.Name)
	}
	return names
}

func TestAuthorCRUD(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()

		created, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{
			Name:              "  The Expert ",
			Description:       "Writes long-form guides.\n\tWith detail.",
			Tone:              "authoritative, warm",
			StructureTemplate: "Intro\nH2 sections\nFAQ",
		})
		require.NoError(t, err)
		require.NotZero(t, created.ID)
		assert.Equal(t, a.Account.ID, created.AccountID)
		assert.Equal(t, "The Expert", created.Name, "names are trimmed")
		assert.Equal(t, system.DefaultLanguage, created.Language)
		assert.True(t, created.IsActive, "active unless said otherwise")
		assert.False(t, created.CreatedAt.IsZero())

		got, err := svc.GetAuthor(ctx, a.Tenant, created.ID)
		require.NoError(t, err)
		assert.Equal(t, created.Name, got.Name)
		assert.Equal(t, "Writes long-form guides.\n\tWith detail.", got.Description)
		assert.Equal(t, "authoritative, warm", got.Tone)
		assert.Equal(t, "en", got.Language)
		assert.Equal(t, "Intro\nH2 sections\nFAQ", got.StructureTemplate)
		assert.True(t, got.IsActive)

		updated, err := svc.UpdateAuthor(ctx, a.Tenant, created.ID, system.AuthorUpdate{
			Tone: ptr("playful"), Language: ptr("pt-BR"), IsActive: ptr(false),
		})
		require.NoError(t, err)
		assert.Equal(t, "playful", updated.Tone)
		assert.Equal(t, "pt-BR", updated.Language)
		assert.False(t, updated.IsActive)
		assert.Equal(t, "The Expert", updated.Name, "nil fields are kept")
		assert.Equal(t, "Intro\nH2 sections\nFAQ", updated.StructureTemplate)
		assert.False(t, updated.UpdatedAt.Before(created.UpdatedAt))

		got, err = svc.GetAuthor(ctx, a.Tenant, created.ID)
		require.NoError(t, err)
		assert.Equal(t, "playful", got.Tone)
		assert.Equal(t, "pt-BR", got.Language)
		assert.False(t, got.IsActive)
		assert.Equal(t, "Writes long-form guides.\n\tWith detail.", got.Description)

		// An empty language is the default again; an empty update changes nothing.
		updated, err = svc.UpdateAuthor(ctx, a.Tenant, created.ID, system.AuthorUpdate{Language: ptr(""), Name: ptr("Renamed")})
		require.NoError(t, err)
		assert.Equal(t, "en", updated.Language)
		assert.Equal(t, "Renamed", updated.Name)
		same, err := svc.UpdateAuthor(ctx, a.Tenant, created.ID, system.AuthorUpdate{})
		require.NoError(t, err)
		assert.Equal(t, "Renamed", same.Name)

		require.NoError(t, svc.DeleteAuthor(ctx, a.Tenant, created.ID))
		_, err = svc.GetAuthor(ctx, a.Tenant, created.ID)
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, svc.DeleteAuthor(ctx, a.Tenant, created.ID), errs.NotFound, "")
		_, err = svc.UpdateAuthor(ctx, a.Tenant, created.ID, system.AuthorUpdate{Tone: ptr("x")})
		requireCode(t, err, errs.NotFound, "")
		_, err = svc.GetAuthor(ctx, a.Tenant, 0)
		requireCode(t, err, errs.NotFound, "")
	})
}

func TestStrategyCRUD(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()

		created, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{
			Name:            "Pillar pages",
			Description:     "Comprehensive hubs",
			PromptGuidance:  "Cover every subtopic.\nLink to cluster articles.",
			TargetWordCount: ptr(2500),
		})
		require.NoError(t, err)
		require.NotZero(t, created.ID)
		assert.Equal(t, a.Account.ID, created.AccountID)
		assert.True(t, created.IsActive)

		got, err := svc.GetStrategy(ctx, a.Tenant, created.ID)
		require.NoError(t, err)
		assert.Equal(t, "Pillar pages", got.Name)
		assert.Equal(t, "Comprehensive hubs", got.Description)
		assert.Equal(t, "Cover every subtopic.\nLink to cluster articles.", got.PromptGuidance)
		require.NotNil(t, got.TargetWordCount)
		assert.Equal(t, 2500, *got.TargetWordCount)

		updated, err := svc.UpdateStrategy(ctx, a.Tenant, created.ID, system.StrategyUpdate{
			PromptGuidance: ptr("Be brief."), TargetWordCount: ptr(800), IsActive: ptr(false),
		})
		require.NoError(t, err)
		assert.Equal(t, "Be brief.", updated.PromptGuidance)
		require.NotNil(t, updated.TargetWordCount)
		assert.Equal(t, 800, *updated.TargetWordCount)
		assert.False(t, updated.IsActive)
		assert.Equal(t, "Comprehensive hubs", updated.Description)

		// 0 clears the target length.
		_, err = svc.UpdateStrategy(ctx, a.Tenant, created.ID, system.StrategyUpdate{TargetWordCount: ptr(0)})
		require.NoError(t, err)
		got, err = svc.GetStrategy(ctx, a.Tenant, created.ID)
		require.NoError(t, err)
		assert.Nil(t, got.TargetWordCount)
		assert.Equal(t, "Be brief.", got.PromptGuidance)
		assert.False(t, got.IsActive)

		// No target length at creation either.
		plain, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Plain", IsActive: ptr(false)})
		require.NoError(t, err)
		got, err = svc.GetStrategy(ctx, a.Tenant, plain.ID)
		require.NoError(t, err)
		assert.Nil(t, got.TargetWordCount)
		assert.False(t, got.IsActive)

		require.NoError(t, svc.DeleteStrategy(ctx, a.Tenant, created.ID))
		_, err = svc.GetStrategy(ctx, a.Tenant, created.ID)
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, svc.DeleteStrategy(ctx, a.Tenant, created.ID), errs.NotFound, "")
		_, err = svc.UpdateStrategy(ctx, a.Tenant, created.ID, system.StrategyUpdate{Name: ptr("x")})
		requireCode(t, err, errs.NotFound, "")
	})
}

func TestAuthorAndStrategyLists(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()

		for _, in := range []system.AuthorInput{
			{Name: "Charlie", Description: "technical deep dives"},
			{Name: "Alpha", Description: "news", IsActive: ptr(false)},
			{Name: "Bravo", Description: "Technical how-tos"},
			{Name: "Delta 100%", Description: "promotional"},
		} {
			_, err := svc.CreateAuthor(ctx, a.Tenant, in)
			require.NoError(t, err)
		}
		_, err := svc.CreateAuthor(ctx, b.Tenant, system.AuthorInput{Name: "Echo", Description: "technical"})
		require.NoError(t, err)

		spec := system.AuthorListSpec()
		page, err := svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, ""))
		require.NoError(t, err)
		assert.Equal(t, 4, page.Count, "only the account's own profiles")
		assert.Equal(t, []string{"Alpha", "Bravo", "Charlie", "Delta 100%"}, authorNames(page), "by name by default")

		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "search=TECHNICAL"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Bravo", "Charlie"}, authorNames(page), "search matches the description, any case")
		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "search=harl"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Charlie"}, authorNames(page), "search matches the name")
		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "search=100%25"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Delta 100%"}, authorNames(page), "% is matched literally")

		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "ordering=-name"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Delta 100%", "Charlie", "Bravo", "Alpha"}, authorNames(page))
		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "ordering=created_at"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Charlie", "Alpha", "Bravo", "Delta 100%"}, authorNames(page))
		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "ordering=-created_at&page_size=3&page=2"))
		require.NoError(t, err)
		assert.Equal(t, 4, page.Count)
		assert.Equal(t, []string{"Charlie"}, authorNames(page))

		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "is_active=false"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Alpha"}, authorNames(page))
		page, err = svc.AuthorsPage(ctx, a.Tenant, listQuery(t, spec, "is_active=true&search=technical"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Bravo", "Charlie"}, authorNames(page))

		_, err = store.ParseList(url.Values{"ordering": {"tone"}}, spec, store.PageLimits{})
		requireCode(t, err, errs.Invalid, "ordering")

		// Strategies list the same way.
		for _, in := range []system.StrategyInput{
			{Name: "Pillar", Description: "long hubs", TargetWordCount: ptr(3000)},
			{Name: "News", Description: "short takes", IsActive: ptr(false)},
			{Name: "How-to", Description: "Long tutorials"},
		} {
			_, err := svc.CreateStrategy(ctx, a.Tenant, in)
			require.NoError(t, err)
		}
		_, err = svc.CreateStrategy(ctx, b.Tenant, system.StrategyInput{Name: "Long reads", Description: "long"})
		require.NoError(t, err)
		sspec := system.StrategyListSpec()
		spage, err := svc.StrategiesPage(ctx, a.Tenant, listQuery(t, sspec, ""))
		require.NoError(t, err)
		assert.Equal(t, 3, spage.Count)
		assert.Equal(t, []string{"How-to", "News", "Pillar"}, strategyNames(spage))
		spage, err = svc.StrategiesPage(ctx, a.Tenant, listQuery(t, sspec, "search=long&ordering=-name"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Pillar", "How-to"}, strategyNames(spage))
		spage, err = svc.StrategiesPage(ctx, a.Tenant, listQuery(t, sspec, "is_active=0"))
		require.NoError(t, err)
		assert.Equal(t, []string{"News"}, strategyNames(spage))
		spage, err = svc.StrategiesPage(ctx, b.Tenant, listQuery(t, sspec, "ordering=created_at"))
		require.NoError(t, err)
		assert.Equal(t, []string{"Long reads"}, strategyNames(spage))
	})
}

func TestAuthorAndStrategyDuplicateNames(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()

		first, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "Ada"})
		require.NoError(t, err)
		_, err = svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: " Ada "})
		requireCode(t, err, errs.Conflict, "name")
		second, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "Grace"})
		require.NoError(t, err)
		_, err = svc.UpdateAuthor(ctx, a.Tenant, second.ID, system.AuthorUpdate{Name: ptr("Ada")})
		requireCode(t, err, errs.Conflict, "name")
		got, err := svc.GetAuthor(ctx, a.Tenant, second.ID)
		require.NoError(t, err)
		assert.Equal(t, "Grace", got.Name, "a failed update changes nothing")
		// Renaming to its own name is fine; another account may use the name.
		_, err = svc.UpdateAuthor(ctx, a.Tenant, first.ID, system.AuthorUpdate{Name: ptr("Ada")})
		require.NoError(t, err)
		_, err = svc.CreateAuthor(ctx, b.Tenant, system.AuthorInput{Name: "Ada"})
		require.NoError(t, err)

		firstS, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Pillar"})
		require.NoError(t, err)
		_, err = svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Pillar"})
		requireCode(t, err, errs.Conflict, "name")
		secondS, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "News"})
		require.NoError(t, err)
		_, err = svc.UpdateStrategy(ctx, a.Tenant, secondS.ID, system.StrategyUpdate{Name: ptr("Pillar")})
		requireCode(t, err, errs.Conflict, "name")
		_, err = svc.UpdateStrategy(ctx, a.Tenant, firstS.ID, system.StrategyUpdate{Name: ptr("Pillar")})
		require.NoError(t, err)
		_, err = svc.CreateStrategy(ctx, b.Tenant, system.StrategyInput{Name: "Pillar"})
		require.NoError(t, err)
		// The same name may be an author and a strategy.
		_, err = svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Ada"})
		require.NoError(t, err)
	})
}

func TestAuthorAndStrategyValidation(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		long := strings.Repeat("é", system.MaxAuthorTextLen+1)

		for name, tc := range map[string]struct {
			in    system.AuthorInput
			field string
		}{
			"missing name":           {system.AuthorInput{}, "name"},
			"blank name":             {system.AuthorInput{Name: " \t "}, "name"},
			"long name":              {system.AuthorInput{Name: strings.Repeat("n", 256)}, "name"},
			"name with newline":      {system.AuthorInput{Name: "a\nb"}, "name"},
			"name with NUL":          {system.AuthorInput{Name: "a\x00b"}, "name"},
			"name not UTF-8":         {system.AuthorInput{Name: "a\xffb"}, "name"},
			"long description":       {system.AuthorInput{Name: "x", Description: long}, "description"},
			"description bell":       {system.AuthorInput{Name: "x", Description: "ding\a"}, "description"},
			"description escape":     {system.AuthorInput{Name: "x", Description: "\x1b[31mred"}, "description"},
			"long tone":              {system.AuthorInput{Name: "x", Tone: strings.Repeat("t", 256)}, "tone"},
			"tone with newline":      {system.AuthorInput{Name: "x", Tone: "calm\nquiet"}, "tone"},
			"bad language":           {system.AuthorInput{Name: "x", Language: "english please"}, "language"},
			"language underscore":    {system.AuthorInput{Name: "x", Language: "en_US"}, "language"},
			"long structure":         {system.AuthorInput{Name: "x", StructureTemplate: long}, "structure_template"},
			"structure with C1 ctrl": {system.AuthorInput{Name: "x", StructureTemplate: "a\u0085b"}, "structure_template"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := svc.CreateAuthor(ctx, a.Tenant, tc.in)
				requireCode(t, err, errs.Invalid, tc.field)
			})
		}

		// Every problem is reported at once.
		_, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Tone: "a\tb", Language: "?"})
		requireCode(t, err, errs.Invalid, "name")
		requireCode(t, err, errs.Invalid, "tone")
		requireCode(t, err, errs.Invalid, "language")
		assert.Equal(t, "is required", fieldMessage(t, err, "name"))

		// The limits themselves are fine; newlines, CRs and tabs are allowed.
		ok, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{
			Name:              strings.Repeat("ñ", 255),
			Description:       strings.Repeat("é", system.MaxAuthorTextLen),
			StructureTemplate: "Intro\r\n\tBody\n",
			Language:          "zh-Hant-TW",
		})
		require.NoError(t, err)
		got, err := svc.GetAuthor(ctx, a.Tenant, ok.ID)
		require.NoError(t, err)
		assert.Equal(t, "Intro\r\n\tBody\n", got.StructureTemplate, "long text is stored as given")
		assert.Equal(t, "zh-Hant-TW", got.Language)

		_, err = svc.UpdateAuthor(ctx, a.Tenant, ok.ID, system.AuthorUpdate{Name: ptr(" ")})
		requireCode(t, err, errs.Invalid, "name")
		_, err = svc.UpdateAuthor(ctx, a.Tenant, ok.ID, system.AuthorUpdate{Description: ptr("\x00")})
		requireCode(t, err, errs.Invalid, "description")
		_, err = svc.UpdateAuthor(ctx, a.Tenant, ok.ID, system.AuthorUpdate{Language: ptr("x")})
		requireCode(t, err, errs.Invalid, "language")

		for name, tc := range map[string]struct {
			in    system.StrategyInput
			field string
		}{
			"missing name":      {system.StrategyInput{}, "name"},
			"long name":         {system.StrategyInput{Name: strings.Repeat("n", 256)}, "name"},
			"long description":  {system.StrategyInput{Name: "x", Description: long}, "description"},
			"long guidance":     {system.StrategyInput{Name: "x", PromptGuidance: long}, "prompt_guidance"},
			"guidance with DEL": {system.StrategyInput{Name: "x", PromptGuidance: "a\x7fb"}, "prompt_guidance"},
			"too few words":     {system.StrategyInput{Name: "x", TargetWordCount: ptr(99)}, "target_word_count"},
			"too many words":    {system.StrategyInput{Name: "x", TargetWordCount: ptr(20001)}, "target_word_count"},
			"zero words":        {system.StrategyInput{Name: "x", TargetWordCount: ptr(0)}, "target_word_count"},
			"negative words":    {system.StrategyInput{Name: "x", TargetWordCount: ptr(-5)}, "target_word_count"},
		} {
			t.Run("strategy "+name, func(t *testing.T) {
				_, err := svc.CreateStrategy(ctx, a.Tenant, tc.in)
				requireCode(t, err, errs.Invalid, tc.field)
			})
		}
		for _, n := range []int{system.MinTargetWordCount, system.MaxTargetWordCount} {
			_, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: fmt.Sprint("len ", n), TargetWordCount: ptr(n)})
			require.NoError(t, err)
		}
		s, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "s", TargetWordCount: ptr(500)})
		require.NoError(t, err)
		_, err = svc.UpdateStrategy(ctx, a.Tenant, s.ID, system.StrategyUpdate{TargetWordCount: ptr(50)})
		requireCode(t, err, errs.Invalid, "target_word_count")
		_, err = svc.UpdateStrategy(ctx, a.Tenant, s.ID, system.StrategyUpdate{Name: ptr(""), PromptGuidance: ptr(long)})
		requireCode(t, err, errs.Invalid, "name")
		requireCode(t, err, errs.Invalid, "prompt_guidance")
		got2, err := svc.GetStrategy(ctx, a.Tenant, s.ID)
		require.NoError(t, err)
		assert.Equal(t, "s", got2.Name)
		require.NotNil(t, got2.TargetWordCount)
		assert.Equal(t, 500, *got2.TargetWordCount)

		// The schema holds the same limits against writes that bypass Go.
		db := env.App.DB()
		_, err = db.NewInsert().Model(&system.Strategy{AccountScoped: tenancy.AccountScoped{AccountID: a.Account.ID}, Name: "raw", TargetWordCount: ptr(5)}).Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "target_word_count")
		_, err = db.NewInsert().Model(&system.AuthorProfile{AccountScoped: tenancy.AccountScoped{AccountID: a.Account.ID}, Name: "raw", Language: "en", Tone: strings.Repeat("t", 256)}).Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "tone")
		_, err = db.NewInsert().Model(&system.AuthorProfile{AccountScoped: tenancy.AccountScoped{AccountID: a.Account.ID}, Language: "en"}).Exec(ctx)
		requireCode(t, mapped(err), errs.Invalid, "name")
	})
}

func TestAuthorsAndStrategiesStayInTheirAccount(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()

		author, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "A's author", Tone: "dry"})
		require.NoError(t, err)
		strategy, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "A's strategy", TargetWordCount: ptr(1000)})
		require.NoError(t, err)

		_, err = svc.GetAuthor(ctx, b.Tenant, author.ID)
		requireCode(t, err, errs.NotFound, "")
		_, err = svc.UpdateAuthor(ctx, b.Tenant, author.ID, system.AuthorUpdate{Tone: ptr("stolen")})
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, svc.DeleteAuthor(ctx, b.Tenant, author.ID), errs.NotFound, "")
		_, err = svc.GetStrategy(ctx, b.Tenant, strategy.ID)
		requireCode(t, err, errs.NotFound, "")
		_, err = svc.UpdateStrategy(ctx, b.Tenant, strategy.ID, system.StrategyUpdate{TargetWordCount: ptr(0)})
		requireCode(t, err, errs.NotFound, "")
		requireCode(t, svc.DeleteStrategy(ctx, b.Tenant, strategy.ID), errs.NotFound, "")

		authors, err := svc.AuthorsPage(ctx, b.Tenant, listQuery(t, system.AuthorListSpec(), "search=author"))
		require.NoError(t, err)
		assert.Zero(t, authors.Count)
		assert.NotNil(t, authors.Results)
		strategies, err := svc.StrategiesPage(ctx, b.Tenant, listQuery(t, system.StrategyListSpec(), ""))
		require.NoError(t, err)
		assert.Zero(t, strategies.Count)

		// A's rows are untouched.
		gotA, err := svc.GetAuthor(ctx, a.Tenant, author.ID)
		require.NoError(t, err)
		assert.Equal(t, "dry", gotA.Tone)
		gotS, err := svc.GetStrategy(ctx, a.Tenant, strategy.ID)
		require.NoError(t, err)
		require.NotNil(t, gotS.TargetWordCount)
		assert.Equal(t, 1000, *gotS.TargetWordCount)

		// account_id never moves, and the rows go with their account.
		db := env.App.DB()
		for _, table := range []string{"igny8_author_profiles", "igny8_strategies"} {
			_, err := db.NewRaw("UPDATE ? SET account_id = ? WHERE account_id = ?",
				bun.Ident(table), b.Account.ID, a.Account.ID).Exec(ctx)
			requireCode(t, mapped(err), errs.Invalid, "account_id")
		}
		_, err = db.NewRaw("UPDATE igny8_author_profiles SET tone = 'wet' WHERE account_id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		_, err = db.NewRaw("DELETE FROM igny8_accounts WHERE id = ?", a.Account.ID).Exec(ctx)
		require.NoError(t, err)
		for _, table := range []string{"igny8_author_profiles", "igny8_strategies"} {
			var n int
			require.NoError(t, db.NewRaw("SELECT count(*) FROM ? WHERE account_id = ?", bun.Ident(table), a.Account.ID).Scan(ctx, &n))
			assert.Zero(t, n, table)
		}
	})
}

func TestAuthorAndStrategyRoles(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount(igny8test.OnPlan("scale")) // 5 users
		_, admin := env.NewUser(a, tenancy.RoleAdmin)
		_, editor := env.NewUser(a, tenancy.RoleEditor)
		_, viewer := env.NewUser(a, tenancy.RoleViewer)
		site, _ := env.NewSite(a)
		apiKey := tenancy.Tenant{AccountID: a.Account.ID, Role: tenancy.RoleEditor, SiteID: site.ID}

		author, err := svc.CreateAuthor(ctx, admin, system.AuthorInput{Name: "By admin"})
		require.NoError(t, err)
		_, err = svc.UpdateAuthor(ctx, admin, author.ID, system.AuthorUpdate{Tone: ptr("crisp")})
		require.NoError(t, err)
		strategy, err := svc.CreateStrategy(ctx, admin, system.StrategyInput{Name: "By admin"})
		require.NoError(t, err)
		_, err = svc.UpdateStrategy(ctx, admin, strategy.ID, system.StrategyUpdate{TargetWordCount: ptr(1200)})
		require.NoError(t, err)

		for name, who := range map[string]tenancy.Tenant{"editor": editor, "viewer": viewer, "api key": apiKey} {
			t.Run(name, func(t *testing.T) {
				got, err := svc.GetAuthor(ctx, who, author.ID)
				require.NoError(t, err)
				assert.Equal(t, "crisp", got.Tone)
				page, err := svc.AuthorsPage(ctx, who, listQuery(t, system.AuthorListSpec(), ""))
				require.NoError(t, err)
				assert.Equal(t, 1, page.Count)
				gotS, err := svc.GetStrategy(ctx, who, strategy.ID)
				require.NoError(t, err)
				require.NotNil(t, gotS.TargetWordCount)
				spage, err := svc.StrategiesPage(ctx, who, listQuery(t, system.StrategyListSpec(), ""))
				require.NoError(t, err)
				assert.Equal(t, 1, spage.Count)

				_, err = svc.CreateAuthor(ctx, who, system.AuthorInput{Name: "Mine"})
				requireCode(t, err, errs.Forbidden, "")
				_, err = svc.UpdateAuthor(ctx, who, author.ID, system.AuthorUpdate{Tone: ptr("loud")})
				requireCode(t, err, errs.Forbidden, "")
				requireCode(t, svc.DeleteAuthor(ctx, who, author.ID), errs.Forbidden, "")
				_, err = svc.CreateStrategy(ctx, who, system.StrategyInput{Name: "Mine"})
				requireCode(t, err, errs.Forbidden, "")
				_, err = svc.UpdateStrategy(ctx, who, strategy.ID, system.StrategyUpdate{Name: ptr("Mine")})
				requireCode(t, err, errs.Forbidden, "")
				requireCode(t, svc.DeleteStrategy(ctx, who, strategy.ID), errs.Forbidden, "")
			})
		}

		got, err := svc.GetAuthor(ctx, a.Tenant, author.ID)
		require.NoError(t, err)
		assert.Equal(t, "crisp", got.Tone, "refused writes changed nothing")
		require.NoError(t, svc.DeleteAuthor(ctx, admin, author.ID))
		require.NoError(t, svc.DeleteStrategy(ctx, a.Tenant, strategy.ID))
	})
}

func TestAuthorsAndStrategiesNeedATenant(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		author, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "Kept"})
		require.NoError(t, err)
		strategy, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Kept"})
		require.NoError(t, err)

		for name, bad := range map[string]tenancy.Tenant{
			"zero":       {},
			"no role":    {AccountID: a.Account.ID},
			"no account": {Role: tenancy.RoleOwner, UserID: a.Owner.ID},
		} {
			t.Run(name, func(t *testing.T) {
				calls := map[string]func() error{
					"AuthorsPage": func() error {
						_, err := svc.AuthorsPage(ctx, bad, listQuery(t, system.AuthorListSpec(), ""))
						return err
					},
					"GetAuthor": func() error { _, err := svc.GetAuthor(ctx, bad, author.ID); return err },
					"CreateAuthor": func() error {
						_, err := svc.CreateAuthor(ctx, bad, system.AuthorInput{Name: "x"})
						return err
					},
					"UpdateAuthor": func() error {
						_, err := svc.UpdateAuthor(ctx, bad, author.ID, system.AuthorUpdate{Name: ptr("x")})
						return err
					},
					"DeleteAuthor": func() error { return svc.DeleteAuthor(ctx, bad, author.ID) },
					"StrategiesPage": func() error {
						_, err := svc.StrategiesPage(ctx, bad, listQuery(t, system.StrategyListSpec(), ""))
						return err
					},
					"GetStrategy": func() error { _, err := svc.GetStrategy(ctx, bad, strategy.ID); return err },
					"CreateStrategy": func() error {
						_, err := svc.CreateStrategy(ctx, bad, system.StrategyInput{Name: "x"})
						return err
					},
					"UpdateStrategy": func() error {
						_, err := svc.UpdateStrategy(ctx, bad, strategy.ID, system.StrategyUpdate{Name: ptr("x")})
						return err
					},
					"DeleteStrategy": func() error { return svc.DeleteStrategy(ctx, bad, strategy.ID) },
				}
				for call, fn := range calls {
					err := fn()
					require.Error(t, err, call)
					assert.Equal(t, errs.Unauthenticated, errs.CodeOf(err), "%s: %v", call, err)
				}
			})
		}

		// Nothing changed.
		got, err := svc.GetAuthor(ctx, a.Tenant, author.ID)
		require.NoError(t, err)
		assert.Equal(t, "Kept", got.Name)
		gotS, err := svc.GetStrategy(ctx, a.Tenant, strategy.ID)
		require.NoError(t, err)
		assert.Equal(t, "Kept", gotS.Name)
	})
}

func TestStrategiesPerAccountAreBounded(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		b := env.NewAccount()
		for i := range system.MaxStrategies {
			_, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: fmt.Sprint("s", i)})
			require.NoError(t, err)
		}
		_, err := svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "one too many"})
		requireCode(t, err, errs.Invalid, "")
		// Other accounts are not affected, and a freed slot can be reused.
		_, err = svc.CreateStrategy(ctx, b.Tenant, system.StrategyInput{Name: "one too many"})
		require.NoError(t, err)
		page, err := svc.StrategiesPage(ctx, a.Tenant, listQuery(t, system.StrategyListSpec(), "search=s0"))
		require.NoError(t, err)
		require.Equal(t, 1, page.Count)
		require.NoError(t, svc.DeleteStrategy(ctx, a.Tenant, page.Results[0].ID))
		_, err = svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "one too many"})
		require.NoError(t, err)
	})
}

// TestAuthorMigrationsRollBackOverData runs the down migrations with author
// profiles and strategies in the tables and applies them again.
func TestAuthorMigrationsRollBackOverData(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc := newService(env)
		ctx := env.Ctx()
		a := env.NewAccount()
		_, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "Before"})
		require.NoError(t, err)
		_, err = svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Before", TargetWordCount: ptr(900)})
		require.NoError(t, err)

		m, err := store.NewMigrator(env.App.DB(), system.Migrations)
		require.NoError(t, err)
		rolled, err := m.Down(ctx)
		require.NoError(t, err)
		require.Contains(t, rolled, "20261125000032_authors")
		_, err = m.Up(ctx)
		require.NoError(t, err)

		page, err := svc.AuthorsPage(ctx, a.Tenant, listQuery(t, system.AuthorListSpec(), ""))
		require.NoError(t, err)
		assert.Zero(t, page.Count)
		created, err := svc.CreateAuthor(ctx, a.Tenant, system.AuthorInput{Name: "Before"})
		require.NoError(t, err)
		assert.Equal(t, "en", created.Language)
		_, err = svc.CreateStrategy(ctx, a.Tenant, system.StrategyInput{Name: "Before"})
		require.NoError(t, err)
	})
}
