package cli

import (
	"bytes"
	"log/slog"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/internal/logging"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	cfg, level, unknown, err := LoadConfig(env(nil), nil)
	require.NoError(t, err)
	assert.Equal(t, slog.LevelInfo, level)
	assert.Empty(t, unknown)
	assert.Equal(t, "", cfg.DatabaseURL, "empty means the embedded SQLite file")
	assert.Equal(t, "data", cfg.DataDir)
	assert.Equal(t, ":8080", cfg.Addr)
}

func TestLoadConfigFromEnv(t *testing.T) {
	vars := map[string]string{
		"IGNY8_DATABASE_URL": "postgres://app:hunter2@db:5432/igny8",
		"IGNY8_ADDR":         "127.0.0.1:9000",
		"IGNY8_MIGRATE":      "AUTO",
		"IGNY8_DB_MAX_CONNS": "12",
		"IGNY8_LOG_LEVEL":    "debug",
	}
	cfg, level, unknown, err := LoadConfig(env(vars), []string{"IGNY8_DATABSE_URL=typo", "IGNY8_TEST_DATABASE_URL=x", "PATH=/bin"})
	require.NoError(t, err)
	assert.Equal(t, slog.LevelDebug, level)
	assert.Equal(t, []string{"IGNY8_DATABSE_URL"}, unknown)
	assert.Equal(t, igny8.MigrateAuto, cfg.Migrations)
	assert.Equal(t, 12, cfg.DBMaxOpenConns)
	assert.Equal(t, "127.0.0.1:9000", cfg.Addr)

	// The effective config is logged with the password masked.
	var buf bytes.Buffer
	logging.New(&buf, slog.LevelInfo).Info("starting", slog.Any("config", cfg))
	assert.NotContains(t, buf.String(), "hunter2")
	assert.Contains(t, buf.String(), "db:5432")
}

func TestLoadConfigErrorsNameTheVariable(t *testing.T) {
	_, _, _, err := LoadConfig(env(map[string]string{"IGNY8_DB_MAX_CONNS": "many", "IGNY8_LOG_LEVEL": "loud"}), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "IGNY8_DB_MAX_CONNS")
	assert.Contains(t, err.Error(), "IGNY8_LOG_LEVEL")
	_, _, _, err = LoadConfig(env(map[string]string{"IGNY8_MIGRATE": "sometimes"}), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "migrations")
}

func TestLoggerRedactsSecrets(t *testing.T) {
	var buf bytes.Buffer
	logging.New(&buf, slog.LevelInfo).Info("x", slog.String("password", "p4ss"), slog.String("api_key", "k3y"), slog.String("email", "a@b.c"))
	assert.NotContains(t, buf.String(), "p4ss")
	assert.NotContains(t, buf.String(), "k3y")
	assert.Contains(t, buf.String(), "a@b.c")
}

// The README's configuration table must name every variable the binaries
// read, so the documentation cannot fall behind the code.
func TestREADMEListsEveryVariable(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	for _, e := range Env {
		assert.Contains(t, string(readme), "`"+e.Name+"`", "README.md does not document %s", e.Name)
	}
}
