package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
)

func migrate(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	cfg := igny8.DefaultConfig()
	cfg.DatabaseURL = dsn
	var out bytes.Buffer
	require.NoError(t, run(cfg, slog.New(slog.DiscardHandler), args, &out), strings.Join(args, " "))
	return out.String()
}

func TestMigrateCommands(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		dsn := env.DatabaseURL
		out := migrate(t, dsn, "status")
		assert.Contains(t, out, " 0 pending; river: 0 pending")
		assert.Contains(t, out, "_tenancy")

		out = migrate(t, dsn, "down", "-all")
		assert.Contains(t, out, "rolled back 20261125000001_tenancy")
		assert.Contains(t, out, "nothing to roll back")
		assert.Contains(t, out, "rolled back river")
		out = migrate(t, dsn, "status")
		assert.NotContains(t, out, "applied  ")
		m := regexp.MustCompile(`(\d+) migrations, (\d+) pending; river: (\d+) pending`).FindStringSubmatch(out)
		require.NotNil(t, m, out)
		assert.Equal(t, m[1], m[2], "everything is pending after down -all")
		assert.NotEqual(t, "0", m[3])

		out = migrate(t, dsn, "up")
		assert.Contains(t, out, "applied 20261125000001_tenancy")
		assert.Contains(t, out, "applied 20261125000002_seed_plans")
		assert.Contains(t, migrate(t, dsn, "up"), "up to date")
		assert.Contains(t, migrate(t, dsn, "status"), " 0 pending; river: 0 pending")
		assert.Contains(t, migrate(t, dsn, "unlock"), "unlocked")

		cfg := igny8.DefaultConfig()
		cfg.DatabaseURL = dsn
		require.Error(t, run(cfg, slog.New(slog.DiscardHandler), []string{"sideways"}, &bytes.Buffer{}))
		require.Error(t, run(cfg, slog.New(slog.DiscardHandler), nil, &bytes.Buffer{}))
	})
}

func TestCatalogueCommands(t *testing.T) {
	env := igny8test.NewSQLite(t)
	dir := t.TempDir()
	industries := filepath.Join(dir, "industries.csv")
	keywords := filepath.Join(dir, "keywords.csv")
	require.NoError(t, os.WriteFile(industries, []byte("industry,sector\nFinance,Loans\n"), 0o600))
	require.NoError(t, os.WriteFile(keywords, []byte("keyword,industry,sector,volume\npersonal loan,finance,loans,900\n"), 0o600))
	out := migrate(t, env.DatabaseURL, "industries", "import", industries)
	assert.Contains(t, out, `"created"`)
	out = migrate(t, env.DatabaseURL, "seed-keywords", "import", keywords)
	assert.Contains(t, out, `"created": 1`)
	out = migrate(t, env.DatabaseURL, "seed-keywords", "export")
	assert.Contains(t, out, "personal loan")
}
