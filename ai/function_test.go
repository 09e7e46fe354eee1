package ai_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"text/template"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/ai/aitest"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

// templatePrompts renders the built-in prompt (what the system module does
// when an account has no override).
type templatePrompts struct{}

func (templatePrompts) Prompt(_ context.Context, _ tenancy.Tenant, _, builtin string, vars map[string]any) (string, error) {
	tmpl, err := template.New("p").Option("missingkey=error").Parse(builtin)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, vars); err != nil {
		return "", errs.Field("prompt", err.Error())
	}
	return b.String(), nil
}

type clusters struct {
	Clusters []struct {
		Name     string   `json:"name"`
		Keywords []string `json:"keywords"`
	} `json:"clusters"`
}

var clusterFn = ai.Function[clusters]{
	Name: "auto_cluster", PromptType: "clustering", System: "You group SEO keywords.",
	DefaultPrompt: "Group these keywords into clusters and answer in JSON: {{.keywords}}",
	Parse: func(content string) (clusters, error) {
		out, err := ai.DecodeJSON[clusters](content)
		if err != nil {
			return out, err
		}
		if len(out.Clusters) == 0 {
			return out, errs.E(errs.Invalid, `"clusters" must list at least one cluster`)
		}
		return out, nil
	},
}

var tenant = tenancy.Tenant{AccountID: 1, UserID: 1, Role: tenancy.RoleEditor}

func runner(t *testing.T, srv *aitest.Server) ai.Runner {
	p, err := ai.NewOpenAI(ai.OpenAIConfig{BaseURL: srv.URL(), APIKey: srv.APIKey(), Model: "gpt-test", MaxRetries: -1})
	require.NoError(t, err)
	return ai.Runner{Text: p, Prompts: templatePrompts{}, Model: "gpt-test"}
}

func TestRunParsesAnswer(t *testing.T) {
	srv := aitest.New(t)
	srv.ReplyWithUsage(`{"clusters": [{"name": "Whitening", "keywords": ["teeth whitening"]}]}`, 120, 30)
	res, err := ai.Run(context.Background(), runner(t, srv), tenant, clusterFn, map[string]any{"keywords": "teeth whitening, whitening strips"})
	require.NoError(t, err)
	assert.Equal(t, "Whitening", res.Output.Clusters[0].Name)
	assert.Equal(t, int64(120), res.PromptTokens)
	assert.Equal(t, 1, res.Attempts)
	body := srv.Requests()[0].Body
	assert.Contains(t, fmt.Sprint(body["messages"]), "whitening strips", "the prompt was rendered with the variables")
	assert.Contains(t, fmt.Sprint(body["messages"]), "You group SEO keywords.")
}

func TestMalformedAnswerIsRetriedOnceWithTheError(t *testing.T) {
	srv := aitest.New(t)
	srv.ReplyWithUsage(`{"clusters": "not a list"}`, 100, 10)
	srv.ReplyWithUsage("```json\n{\"clusters\": [{\"name\": \"A\", \"keywords\": [\"a\"]}]}\n```", 150, 20)
	res, err := ai.Run(context.Background(), runner(t, srv), tenant, clusterFn, map[string]any{"keywords": "a"})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Attempts)
	assert.Equal(t, int64(250), res.PromptTokens, "both attempts are paid for")
	second := fmt.Sprint(srv.Requests()[1].Body["messages"])
	assert.Contains(t, second, "cannot be used")
	assert.Contains(t, second, "wrong type")
}

func TestTwiceMalformedFailsClearly(t *testing.T) {
	srv := aitest.New(t)
	srv.Reply(`{"clusters": []}`)
	srv.Reply(`Sure! Here are your clusters.`)
	_, err := ai.Run(context.Background(), runner(t, srv), tenant, clusterFn, map[string]any{"keywords": "a"})
	require.Error(t, err)
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	assert.Contains(t, err.Error(), "could not be used after 2 attempts")
}

func TestProviderFailureIsRetryableUnavailable(t *testing.T) {
	srv := aitest.New(t)
	srv.Fail(http.StatusInternalServerError, `{"error": {"message": "boom", "type": "server_error"}}`)
	_, err := ai.Run(context.Background(), runner(t, srv), tenant, clusterFn, map[string]any{"keywords": "a"})
	require.Error(t, err)
	assert.Equal(t, errs.Unavailable, errs.CodeOf(err))
	assert.True(t, ai.IsRetryable(err))
}

func TestUnknownTemplateVariableFails(t *testing.T) {
	srv := aitest.New(t)
	_, err := ai.Run(context.Background(), runner(t, srv), tenant, clusterFn, map[string]any{"other": "x"})
	require.Error(t, err)
	assert.Equal(t, errs.Invalid, errs.CodeOf(err))
	assert.Empty(t, srv.Requests(), "no call is made with a broken prompt")
}

func TestUnconfiguredProviderAndZeroTenant(t *testing.T) {
	r := ai.Runner{Text: ai.Unconfigured{}, Prompts: templatePrompts{}}
	_, err := ai.Run(context.Background(), r, tenant, clusterFn, map[string]any{"keywords": "a"})
	require.ErrorIs(t, err, ai.ErrNotConfigured)
	_, err = ai.Run(context.Background(), r, tenancy.Tenant{}, clusterFn, map[string]any{"keywords": "a"})
	require.Error(t, err)
}

func TestDecodeJSON(t *testing.T) {
	_, err := ai.DecodeJSON[clusters](`{"clusters": []} trailing`)
	assert.Error(t, err)
	_, err = ai.DecodeJSON[clusters](`[1, 2]`)
	assert.Error(t, err)
	out, err := ai.DecodeJSON[clusters]("```\n{\"clusters\": [{\"name\": \"x\"}]}\n```")
	require.NoError(t, err)
	assert.Equal(t, "x", out.Clusters[0].Name)
	assert.True(t, strings.HasPrefix(clusterFn.Name, "auto"))
}
