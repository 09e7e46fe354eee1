package httpapi

import (
	"strings"

	"github.com/gorilla/mux"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/system"
)

type promptSaveRequest struct {
	PromptType string `json:"prompt_type"`
	Prompt     string `json:"prompt"`
}

type promptResetRequest struct {
	PromptType string `json:"prompt_type"`
}

type moduleRequest struct {
	Module  string `json:"module"`
	Enabled bool   `json:"enabled"`
}

func (a *api) listPrompts(c *call) (any, error) {
	return a.system.ListPrompts(c.r.Context(), c.tenant)
}

// promptByType answers the prompt in effect for a type: the account's
// override, else the global one (built-in defaults belong to the domains
// that run the prompt).
func (a *api) promptByType(c *call) (any, error) {
	return a.system.ResolvePrompt(c.r.Context(), c.tenant, mux.Vars(c.r)["type"], "")
}

func (a *api) savePrompt(c *call) (any, error) {
	in := c.body.(*promptSaveRequest)
	if strings.TrimSpace(in.PromptType) == "" {
		return nil, errs.Field("prompt_type", "is required")
	}
	return a.system.SavePrompt(c.r.Context(), c.tenant, in.PromptType, in.Prompt)
}

func (a *api) resetPrompt(c *call) (any, error) {
	in := c.body.(*promptResetRequest)
	if strings.TrimSpace(in.PromptType) == "" {
		return nil, errs.Field("prompt_type", "is required")
	}
	if err := a.system.ResetPrompt(c.r.Context(), c.tenant, in.PromptType); err != nil {
		return nil, err
	}
	return messaged{message: "prompt reset to the default"}, nil
}

func (a *api) aiSettings(c *call) (any, error) {
	return a.system.EffectiveAISettings(c.r.Context(), c.tenant)
}

func (a *api) saveAISettings(c *call) (any, error) {
	return a.system.SaveAISettings(c.r.Context(), c.tenant, *c.body.(*system.AISettingsInput))
}

func (a *api) globalAISettings(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	return a.system.GlobalAISettings(c.r.Context())
}

func (a *api) saveGlobalAISettings(c *call) (any, error) {
	if err := requireOperator(c); err != nil {
		return nil, err
	}
	return a.system.SaveGlobalAISettings(c.r.Context(), *c.body.(*system.GlobalAISettings))
}

func (a *api) aiModels(c *call) (any, error) {
	return a.system.ListModels(c.r.Context(), c.r.URL.Query().Get("kind"))
}

func (a *api) modules(c *call) (any, error) {
	return a.system.Modules(c.r.Context(), c.tenant)
}

func (a *api) setModule(c *call) (any, error) {
	in := c.body.(*moduleRequest)
	if err := a.system.SetModule(c.r.Context(), c.tenant, in.Module, in.Enabled); err != nil {
		return nil, err
	}
	return a.system.Modules(c.r.Context(), c.tenant)
}

func (a *api) listAuthors(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.system.AuthorsPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createAuthor(c *call) (any, error) {
	return a.system.CreateAuthor(c.r.Context(), c.tenant, *c.body.(*system.AuthorInput))
}

func (a *api) getAuthor(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.system.GetAuthor(c.r.Context(), c.tenant, id)
}

func (a *api) updateAuthor(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.system.UpdateAuthor(c.r.Context(), c.tenant, id, *c.body.(*system.AuthorUpdate))
}

func (a *api) deleteAuthor(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.system.DeleteAuthor(c.r.Context(), c.tenant, id)
}

func (a *api) listStrategies(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.system.StrategiesPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createStrategy(c *call) (any, error) {
	return a.system.CreateStrategy(c.r.Context(), c.tenant, *c.body.(*system.StrategyInput))
}

func (a *api) getStrategy(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.system.GetStrategy(c.r.Context(), c.tenant, id)
}

func (a *api) updateStrategy(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.system.UpdateStrategy(c.r.Context(), c.tenant, id, *c.body.(*system.StrategyUpdate))
}

func (a *api) deleteStrategy(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.system.DeleteStrategy(c.r.Context(), c.tenant, id)
}
