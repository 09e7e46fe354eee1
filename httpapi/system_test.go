package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

func TestSystemEndpoints(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		a := env.NewAccount(igny8test.OnPlan("starter"))
		owner := env.Login(a.Owner.Email, igny8test.Password)
		res := owner.Post("/api/v1/system/prompts/save_prompt/", map[string]string{"prompt_type": "clustering", "prompt": "Cluster {{.keywords}} as JSON"})
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		res = owner.Get("/api/v1/system/prompts/by_type/clustering/")
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, "account", res.Envelope["data"].(map[string]any)["source"])
		res = owner.Post("/api/v1/system/prompts/save_prompt/", map[string]string{"prompt_type": "clustering", "prompt": "Broken {{.keywords"})
		require.Equal(t, http.StatusBadRequest, res.Status)
		assert.Contains(t, errorsOf(res), "prompt")
		require.Equal(t, http.StatusOK, owner.Post("/api/v1/system/prompts/reset_prompt/", map[string]string{"prompt_type": "clustering"}).Status)
		require.Equal(t, http.StatusNotFound, owner.Get("/api/v1/system/prompts/by_type/clustering/").Status)

		res = owner.Get("/api/v1/system/ai-settings/")
		require.Equal(t, http.StatusOK, res.Status)
		assert.Equal(t, "gpt-4o-mini", res.Envelope["data"].(map[string]any)["text_model"])
		res = owner.Do(http.MethodPut, "/api/v1/system/ai-settings/", map[string]any{"text_model": "gpt-4o", "temperature_milli": 300})
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, "gpt-4o", res.Envelope["data"].(map[string]any)["text_model"])
		res = owner.Do(http.MethodPut, "/api/v1/system/ai-settings/", map[string]any{"text_model": "no-such-model"})
		require.Equal(t, http.StatusBadRequest, res.Status)
		res = owner.Get("/api/v1/system/ai-models/?kind=image")
		require.Equal(t, http.StatusOK, res.Status)
		assert.Contains(t, string(res.Body), "dall-e-3")

		res = owner.Get("/api/v1/system/modules/")
		require.Equal(t, http.StatusOK, res.Status)
		assert.Equal(t, false, res.Envelope["data"].(map[string]any)["linker"], "linker is off by default")
		res = owner.Post("/api/v1/system/modules/", map[string]any{"module": "linker", "enabled": true})
		require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
		assert.Equal(t, true, res.Envelope["data"].(map[string]any)["linker"])

		_, _ = env.App.Tenancy().CreateUser(env.Ctx(), a.Tenant, tenancy.NewUser{Email: "ed@example.com", Password: igny8test.Password, Role: tenancy.RoleEditor})
		editor := env.Login("ed@example.com", igny8test.Password)
		require.Equal(t, http.StatusForbidden, editor.Post("/api/v1/system/prompts/save_prompt/", map[string]string{"prompt_type": "x", "prompt": "y"}).Status)
		require.Equal(t, http.StatusForbidden, owner.Get("/api/v1/system/admin/ai-settings/").Status, "global settings are for operators")
	})
}

func TestAuthorProfilesAndStrategiesEndpoints(t *testing.T) {
	env := igny8test.NewSQLite(t)
	a := env.NewAccount()
	c := env.Login(a.Owner.Email, igny8test.Password)
	res := c.Post("/api/v1/system/author-profiles/", map[string]any{"name": "Dr. Smile", "tone": "friendly, expert"})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	id := int64(res.Envelope["data"].(map[string]any)["id"].(float64))
	path := "/api/v1/system/author-profiles/" + strconv.FormatInt(id, 10) + "/"
	res = c.Patch(path, map[string]any{"tone": "calm"})
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "calm", res.Envelope["data"].(map[string]any)["tone"])
	require.Equal(t, http.StatusConflict, c.Post("/api/v1/system/author-profiles/", map[string]any{"name": "Dr. Smile"}).Status)
	res = c.Get("/api/v1/system/author-profiles/?search=smile")
	require.Equal(t, float64(1), res.Envelope["count"])
	require.Equal(t, http.StatusNoContent, c.Delete(path).Status)
	require.Equal(t, http.StatusNotFound, c.Get(path).Status)

	res = c.Post("/api/v1/system/strategies/", map[string]any{"name": "Pillar pages", "target_word_count": 50})
	require.Equal(t, http.StatusBadRequest, res.Status)
	assert.Contains(t, errorsOf(res), "target_word_count")
	res = c.Post("/api/v1/system/strategies/", map[string]any{"name": "Pillar pages", "target_word_count": 2500})
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
}
