package system

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// Prompt limits.
const (
	// MaxPromptLen is the longest prompt text, in characters.
	MaxPromptLen = 20000
	// MaxPromptTypeLen is the longest prompt type name.
	MaxPromptTypeLen = 100
	// MaxAccountPrompts bounds the overrides one account may keep, so that
	// arbitrary prompt types cannot fill the table.
	MaxAccountPrompts = 50
)

var promptTypePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// checkPromptType validates a prompt type name, e.g. "content_generation".
func checkPromptType(promptType string) error {
	var v errs.Validation
	switch {
	case promptType == "":
		v.Add("prompt_type", "is required")
	case len(promptType) > MaxPromptTypeLen:
		v.Add("prompt_type", fmt.Sprintf("must be at most %d characters", MaxPromptTypeLen))
	case !promptTypePattern.MatchString(promptType):
		v.Add("prompt_type", "must be lower-case letters, digits and underscores, starting with a letter")
	}
	return v.Err()
}

// checkPrompt validates a prompt text before it is stored: not blank, at
// most MaxPromptLen characters, and a template RenderPrompt accepts.
func checkPrompt(text string) error {
	var v errs.Validation
	if strings.TrimSpace(text) == "" {
		v.Add("prompt", "is required")
	} else if checkText(&v, "prompt", text, MaxPromptLen) {
		if _, err := parsePrompt(text); err != nil {
			return err
		}
	}
	return v.Err()
}

// ResolvePrompt returns the prompt of promptType that applies to t's
// account: its own override, else the platform's, else builtin (the text the
// calling domain ships). With no override and an empty builtin it is
// errs.NotFound naming "prompt_type".
func (s *Service) ResolvePrompt(ctx context.Context, t tenancy.Tenant, promptType, builtin string) (Prompt, error) {
	if err := requireRead(t); err != nil {
		return Prompt{}, err
	}
	if err := checkPromptType(promptType); err != nil {
		return Prompt{}, err
	}
	var own AccountPrompt
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model(&own), t)
	if err != nil {
		return Prompt{}, err
	}
	err = q.Where("?TableAlias.prompt_type = ?", promptType).Limit(1).Scan(ctx)
	switch {
	case err == nil:
		return own.resolved(), nil
	case !errors.Is(err, sql.ErrNoRows):
		return Prompt{}, fmt.Errorf("system: resolve prompt %s: %w", promptType, err)
	}
	var global GlobalPrompt
	err = s.db.NewSelect().Model(&global).Where("?TableAlias.prompt_type = ?", promptType).Limit(1).Scan(ctx)
	switch {
	case err == nil:
		return global.resolved(), nil
	case !errors.Is(err, sql.ErrNoRows):
		return Prompt{}, fmt.Errorf("system: resolve prompt %s: %w", promptType, err)
	}
	if builtin == "" {
		return Prompt{}, errs.FieldCode(errs.NotFound, "prompt_type", fmt.Sprintf("no prompt of type %q", promptType))
	}
	return Prompt{Type: promptType, Text: builtin, Source: SourceDefault}, nil
}

func (p *AccountPrompt) resolved() Prompt {
	return Prompt{Type: p.PromptType, Text: p.Prompt, Source: SourceAccount, UpdatedAt: p.UpdatedAt}
}

func (p *GlobalPrompt) resolved() Prompt {
	return Prompt{Type: p.PromptType, Text: p.Prompt, Source: SourceGlobal, UpdatedAt: p.UpdatedAt}
}

// SavePrompt stores t's account override of promptType (admin). The text
// must be non-blank, at most MaxPromptLen characters and a template that
// RenderPrompt accepts; problems are errs.Invalid naming "prompt".
func (s *Service) SavePrompt(ctx context.Context, t tenancy.Tenant, promptType, text string) (Prompt, error) {
	if err := requireAdmin(t); err != nil {
		return Prompt{}, err
	}
	if err := checkPromptType(promptType); err != nil {
		return Prompt{}, err
	}
	if err := checkPrompt(text); err != nil {
		return Prompt{}, err
	}
	row := AccountPrompt{PromptType: promptType, Prompt: text}
	row.AccountID = t.AccountID
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q, err := tenancy.ScopeAccount(tx.NewSelect().Model((*AccountPrompt)(nil)), t)
		if err != nil {
			return err
		}
		exists, err := q.Where("?TableAlias.prompt_type = ?", promptType).Exists(ctx)
		if err != nil {
			return err
		}
		if !exists {
			if q, err = tenancy.ScopeAccount(tx.NewSelect().Model((*AccountPrompt)(nil)), t); err != nil {
				return err
			}
			n, err := q.Count(ctx)
			if err != nil {
				return err
			}
			if n >= MaxAccountPrompts {
				return errs.Field("prompt_type", fmt.Sprintf("an account may override at most %d prompt types", MaxAccountPrompts))
			}
		}
		_, err = tx.NewInsert().Model(&row).
			On("CONFLICT (account_id, prompt_type) DO UPDATE").
			Set("prompt = EXCLUDED.prompt").
			Set("updated_at = EXCLUDED.updated_at").
			Returning("*").Exec(ctx)
		return err
	})
	if err != nil {
		return Prompt{}, fmt.Errorf("system: save prompt %s: %w", promptType, err)
	}
	return row.resolved(), nil
}

// ResetPrompt deletes t's account override of promptType (admin), so the
// global override or the built-in text applies again. Resetting a prompt
// that has no override does nothing.
func (s *Service) ResetPrompt(ctx context.Context, t tenancy.Tenant, promptType string) error {
	if err := requireAdmin(t); err != nil {
		return err
	}
	if err := checkPromptType(promptType); err != nil {
		return err
	}
	q, err := tenancy.ScopeAccount(s.db.NewDelete().Model((*AccountPrompt)(nil)), t)
	if err != nil {
		return err
	}
	if _, err := q.Where("?TableAlias.prompt_type = ?", promptType).Exec(ctx); err != nil {
		return fmt.Errorf("system: reset prompt %s: %w", promptType, store.MapError(err))
	}
	return nil
}

// ListPrompts returns, by type, every stored prompt that applies to t's
// account: its own overrides and the global overrides it does not
// override. Built-in texts are not listed (the domains own them).
func (s *Service) ListPrompts(ctx context.Context, t tenancy.Tenant) ([]Prompt, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	var own []AccountPrompt
	q, err := tenancy.ScopeAccount(s.db.NewSelect().Model(&own), t)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("system: list prompts: %w", err)
	}
	global, err := s.ListGlobalPrompts(ctx)
	if err != nil {
		return nil, err
	}
	byType := make(map[string]Prompt, len(own)+len(global))
	for _, p := range global {
		byType[p.Type] = p
	}
	for i := range own {
		byType[own[i].PromptType] = own[i].resolved()
	}
	out := make([]Prompt, 0, len(byType))
	for _, p := range byType {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out, nil
}

// SaveGlobalPrompt stores the platform's override of promptType (operator
// only; no Tenant). operatorID is the user who made the change, 0 if none.
func (s *Service) SaveGlobalPrompt(ctx context.Context, promptType, text string, operatorID int64) (Prompt, error) {
	if err := checkPromptType(promptType); err != nil {
		return Prompt{}, err
	}
	if err := checkPrompt(text); err != nil {
		return Prompt{}, err
	}
	if operatorID < 0 {
		return Prompt{}, errs.Field("updated_by_id", "must be a user id")
	}
	row := GlobalPrompt{PromptType: promptType, Prompt: text, UpdatedAt: s.now()}
	if operatorID > 0 {
		row.UpdatedByID = &operatorID
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&row).
			On("CONFLICT (prompt_type) DO UPDATE").
			Set("prompt = EXCLUDED.prompt").
			Set("updated_at = EXCLUDED.updated_at").
			Set("updated_by_id = EXCLUDED.updated_by_id").
			Exec(ctx)
		return err
	})
	if err != nil {
		return Prompt{}, fmt.Errorf("system: save global prompt %s: %w", promptType, err)
	}
	return row.resolved(), nil
}

// ResetGlobalPrompt deletes the platform's override of promptType (operator
// only), so the built-in text applies where no account overrides it.
func (s *Service) ResetGlobalPrompt(ctx context.Context, promptType string) error {
	if err := checkPromptType(promptType); err != nil {
		return err
	}
	if _, err := s.db.NewDelete().Model((*GlobalPrompt)(nil)).
		Where("?TableAlias.prompt_type = ?", promptType).Exec(ctx); err != nil {
		return fmt.Errorf("system: reset global prompt %s: %w", promptType, store.MapError(err))
	}
	return nil
}

// ListGlobalPrompts returns the platform's overrides by type.
func (s *Service) ListGlobalPrompts(ctx context.Context) ([]Prompt, error) {
	var rows []GlobalPrompt
	if err := s.db.NewSelect().Model(&rows).OrderExpr("?TableAlias.prompt_type").Scan(ctx); err != nil {
		return nil, fmt.Errorf("system: list global prompts: %w", err)
	}
	out := make([]Prompt, 0, len(rows))
	for i := range rows {
		out = append(out, rows[i].resolved())
	}
	return out, nil
}

// Prompt resolves the prompt of promptType for t (account → global →
// builtin) and renders it with vars: the ai.Prompter the AI function
// framework uses.
func (s *Service) Prompt(ctx context.Context, t tenancy.Tenant, promptType, builtin string, vars map[string]any) (string, error) {
	p, err := s.ResolvePrompt(ctx, t, promptType, builtin)
	if err != nil {
		return "", err
	}
	return RenderPrompt(p.Text, vars)
}
