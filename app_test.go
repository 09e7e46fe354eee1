package igny8_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/ai/aitest"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

func TestConfigValidate(t *testing.T) {
	require.NoError(t, igny8.DefaultConfig().Validate())
	bad := igny8.DefaultConfig()
	bad.DatabaseURL = "mysql://nope"
	bad.Migrations = "sometimes"
	bad.DBMaxOpenConns = -1
	err := bad.Validate()
	require.Error(t, err)
	for _, field := range []string{"database_url", "migrations", "db_max_open_conns"} {
		assert.Contains(t, err.Error(), field)
	}
}

func TestPostgresRefusesOutdatedSchema(t *testing.T) {
	env := igny8test.New(t)
	ctx := context.Background()
	admin, err := store.Open(ctx, env.DatabaseURL, store.Options{MaxOpenConns: 1})
	require.NoError(t, err)
	schema := fmt.Sprintf("igny8t_empty_%d", time.Now().UnixNano())
	_, err = admin.ExecContext(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		assert.NoError(t, err)
		_ = admin.Close()
	})

	// A fresh, empty schema: New in the default (verify) mode refuses it.
	u, err := url.Parse(env.DatabaseURL)
	require.NoError(t, err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	cfg := igny8.DefaultConfig()
	cfg.SecretKey = "a-secret-key-for-tests-at-least-32-bytes"
	cfg.DatabaseURL = u.String()
	_, err = igny8.New(ctx, cfg)
	require.ErrorIs(t, err, igny8.ErrSchemaOutdated)

	// The migrated schema is accepted in verify mode.
	cfg.DatabaseURL = env.DatabaseURL
	app, err := igny8.New(ctx, cfg)
	require.NoError(t, err)
	require.NoError(t, app.Close())
}

func TestStatusEndpoint(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		res, err := http.Get(env.Server().URL + "/api/v1/system/status/")
		require.NoError(t, err)
		defer res.Body.Close()
		require.Equal(t, http.StatusOK, res.StatusCode)
		var body struct {
			Success bool `json:"success"`
			Data    struct {
				Status   string `json:"status"`
				Database string `json:"database"`
			} `json:"data"`
			RequestID string `json:"request_id"`
		}
		require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
		assert.True(t, body.Success)
		assert.Equal(t, "ok", body.Data.Status)
		assert.Equal(t, string(env.Dialect), body.Data.Database)
		assert.Equal(t, res.Header.Get("X-Request-ID"), body.RequestID)
	})
}

func TestAIProviderWiring(t *testing.T) {
	env := igny8test.NewSQLite(t)
	_, err := env.App.TextAI().Complete(context.Background(), ai.TextRequest{Messages: []ai.Message{{Role: "user", Content: "hi"}}})
	require.Error(t, err)
	assert.Equal(t, "AI provider not configured", errs.As(err).Message, "no fake output without a provider")

	fake := aitest.New(t)
	fake.Reply(`{"ok": true}`)
	env = igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.OpenAI = ai.OpenAIConfig{BaseURL: fake.URL(), APIKey: fake.APIKey(), Model: "gpt-test"}
	}))
	res, err := env.App.TextAI().Complete(context.Background(), ai.TextRequest{JSON: true,
		Messages: []ai.Message{{Role: "user", Content: "answer in json"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"ok": true}`, res.Content)
}

// An AI function runs with the account's prompt override and model
// settings, through the system module's resolution.
func TestAIRunnerUsesAccountPrompt(t *testing.T) {
	fake := aitest.New(t)
	fake.Reply(`{"title": "ok"}`)
	env := igny8test.NewSQLite(t, igny8test.WithConfig(func(c *igny8.Config) {
		c.OpenAI = ai.OpenAIConfig{BaseURL: fake.URL(), APIKey: fake.APIKey()}
	}))
	a := env.NewAccount()
	_, err := env.App.System().SavePrompt(env.Ctx(), a.Tenant, "idea", "Account prompt in JSON about {{.topic}}")
	require.NoError(t, err)
	r, err := env.App.AIRunner(env.Ctx(), a.Tenant)
	require.NoError(t, err)
	fn := ai.Function[map[string]string]{Name: "generate_ideas", PromptType: "idea", DefaultPrompt: "Default prompt about {{.topic}}",
		Parse: ai.DecodeJSON[map[string]string]}
	res, err := ai.Run(env.Ctx(), r, a.Tenant, fn, map[string]any{"topic": "teeth"})
	require.NoError(t, err)
	assert.Equal(t, "ok", res.Output["title"])
	body := fake.Requests()[0].Body
	assert.Contains(t, fmt.Sprint(body["messages"]), "Account prompt in JSON about teeth")
	assert.Equal(t, "gpt-4o-mini", body["model"], "the registry's default text model")
}
