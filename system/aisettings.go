package system

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

// EffectiveAISettings returns the AI settings that apply to t's account:
// each of its overrides over the global value. A model the account chose
// that is no longer active falls back to the global model, and that, when
// inactive too, to the registry's default of its kind.
func (s *Service) EffectiveAISettings(ctx context.Context, t tenancy.Tenant) (AISettings, error) {
	if err := requireRead(t); err != nil {
		return AISettings{}, err
	}
	out, err := effectiveAISettings(ctx, s.db, t)
	if err != nil {
		return AISettings{}, fmt.Errorf("system: AI settings: %w", err)
	}
	return out, nil
}

func effectiveAISettings(ctx context.Context, idb bun.IDB, t tenancy.Tenant) (AISettings, error) {
	global, err := readGlobalAISettings(ctx, idb)
	if err != nil {
		return AISettings{}, err
	}
	var own accountAISettings
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model(&own), t)
	if err != nil {
		return AISettings{}, err
	}
	if err := q.Limit(1).Scan(ctx); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return AISettings{}, err
	}
	active, err := loadActiveModels(ctx, idb)
	if err != nil {
		return AISettings{}, err
	}
	out := AISettings{
		TextModel:        pickModel(active, KindText, own.TextModel, global.DefaultTextModel),
		ImageModel:       pickModel(active, KindImage, own.ImageModel, global.DefaultImageModel),
		TemperatureMilli: global.TemperatureMilli,
		MaxTokens:        global.MaxTokens,
		Account: AISettingsInput{
			TextModel: own.TextModel, ImageModel: own.ImageModel,
			TemperatureMilli: own.TemperatureMilli, MaxTokens: own.MaxTokens,
		},
	}
	if own.TemperatureMilli != nil {
		out.TemperatureMilli = *own.TemperatureMilli
	}
	if own.MaxTokens != nil {
		out.MaxTokens = *own.MaxTokens
	}
	return out, nil
}

// pickModel is the first active model of kind among the account's choice,
// the global one and the registry default; the global one when none is.
func pickModel(active activeModels, kind string, own *string, global string) string {
	if own != nil && active.is(*own, kind) {
		return *own
	}
	if active.is(global, kind) {
		return global
	}
	if name := active.defaults[kind]; name != "" {
		return name
	}
	return global
}

// readGlobalAISettings reads the global row; a missing row (it is seeded)
// reads as the built-in defaults and the registry's default models.
func readGlobalAISettings(ctx context.Context, idb bun.IDB) (GlobalAISettings, error) {
	var g GlobalAISettings
	err := idb.NewSelect().Model(&g).Where("?TableAlias.id = 1").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return GlobalAISettings{ID: 1, TemperatureMilli: DefaultTemperatureMilli, MaxTokens: DefaultMaxTokens}, nil
	}
	return g, err
}

// normalize turns blank model names into nil (inherit) and validates the
// ranges; the models are checked against the registry by the caller.
func (in AISettingsInput) normalize(v *errs.Validation) AISettingsInput {
	blank := func(p *string) *string {
		if p == nil || strings.TrimSpace(*p) == "" {
			return nil
		}
		s := strings.TrimSpace(*p)
		return &s
	}
	in.TextModel, in.ImageModel = blank(in.TextModel), blank(in.ImageModel)
	if in.TemperatureMilli != nil {
		checkTemperature(v, *in.TemperatureMilli)
	}
	if in.MaxTokens != nil {
		checkMaxTokens(v, *in.MaxTokens)
	}
	return in
}

func checkTemperature(v *errs.Validation, milli int) {
	v.Check(milli >= 0 && milli <= MaxTemperatureMilli, "temperature_milli",
		fmt.Sprintf("must be between 0 and %d (thousandths: 700 is 0.7)", MaxTemperatureMilli))
}

func checkMaxTokens(v *errs.Validation, n int) {
	v.Check(n >= 1 && n <= MaxMaxTokens, "max_tokens", fmt.Sprintf("must be between 1 and %d", MaxMaxTokens))
}

// SaveAISettings replaces t's account overrides with in (admin): a nil field
// or an empty model name inherits the global value. Models must be active
// registry models of the right kind; temperature_milli is 0..2000 and
// max_tokens 1..128000. It returns the effective settings.
func (s *Service) SaveAISettings(ctx context.Context, t tenancy.Tenant, in AISettingsInput) (AISettings, error) {
	if err := requireAdmin(t); err != nil {
		return AISettings{}, err
	}
	var v errs.Validation
	in = in.normalize(&v)
	var out AISettings
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		active, err := loadActiveModels(ctx, tx)
		if err != nil {
			return err
		}
		if in.TextModel != nil {
			active.check(&v, "text_model", *in.TextModel, KindText)
		}
		if in.ImageModel != nil {
			active.check(&v, "image_model", *in.ImageModel, KindImage)
		}
		if err := v.Err(); err != nil {
			return err
		}
		row := accountAISettings{
			TextModel: in.TextModel, ImageModel: in.ImageModel,
			TemperatureMilli: in.TemperatureMilli, MaxTokens: in.MaxTokens,
		}
		row.AccountID = t.AccountID
		_, err = tx.NewInsert().Model(&row).
			On("CONFLICT (account_id) DO UPDATE").
			Set("text_model = EXCLUDED.text_model").
			Set("image_model = EXCLUDED.image_model").
			Set("temperature_milli = EXCLUDED.temperature_milli").
			Set("max_tokens = EXCLUDED.max_tokens").
			Set("updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		if err != nil {
			return err
		}
		out, err = effectiveAISettings(ctx, tx, t)
		return err
	})
	if err != nil {
		return AISettings{}, fmt.Errorf("system: save AI settings: %w", err)
	}
	return out, nil
}

// GlobalAISettings returns the platform's AI settings.
func (s *Service) GlobalAISettings(ctx context.Context) (GlobalAISettings, error) {
	g, err := readGlobalAISettings(ctx, s.db)
	if err != nil {
		return GlobalAISettings{}, fmt.Errorf("system: global AI settings: %w", err)
	}
	return g, nil
}

// SaveGlobalAISettings replaces the platform's AI settings (operator only;
// no Tenant). Both models are required and must be active registry models of
// their kind; they also become the registry's defaults (is_default), so
// DefaultModel and the global settings always agree.
func (s *Service) SaveGlobalAISettings(ctx context.Context, in GlobalAISettings) (GlobalAISettings, error) {
	var v errs.Validation
	in.DefaultTextModel = strings.TrimSpace(in.DefaultTextModel)
	in.DefaultImageModel = strings.TrimSpace(in.DefaultImageModel)
	checkTemperature(&v, in.TemperatureMilli)
	checkMaxTokens(&v, in.MaxTokens)
	row := GlobalAISettings{
		ID: 1, DefaultTextModel: in.DefaultTextModel, DefaultImageModel: in.DefaultImageModel,
		TemperatureMilli: in.TemperatureMilli, MaxTokens: in.MaxTokens, UpdatedAt: s.now(),
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		active, err := loadActiveModels(ctx, tx)
		if err != nil {
			return err
		}
		active.check(&v, "default_text_model", in.DefaultTextModel, KindText)
		active.check(&v, "default_image_model", in.DefaultImageModel, KindImage)
		if err := v.Err(); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(&row).
			On("CONFLICT (id) DO UPDATE").
			Set("default_text_model = EXCLUDED.default_text_model").
			Set("default_image_model = EXCLUDED.default_image_model").
			Set("temperature_milli = EXCLUDED.temperature_milli").
			Set("max_tokens = EXCLUDED.max_tokens").
			Set("updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		if err != nil {
			return err
		}
		for kind, name := range map[string]string{KindText: row.DefaultTextModel, KindImage: row.DefaultImageModel} {
			if err := setDefaultModel(ctx, tx, kind, name, s.now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return GlobalAISettings{}, fmt.Errorf("system: save global AI settings: %w", err)
	}
	return row, nil
}

// setDefaultModel makes name the one default model of kind: the old default
// is cleared first, since the partial unique index allows one per kind.
func setDefaultModel(ctx context.Context, tx bun.Tx, kind, name string, now time.Time) error {
	if _, err := tx.NewUpdate().Model((*Model)(nil)).
		Set("is_default = ?", false).Set("updated_at = ?", now).
		Where("?TableAlias.kind = ?", kind).
		Where("?TableAlias.is_default = ?", true).
		Where("?TableAlias.name <> ?", name).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*Model)(nil)).
		Set("is_default = ?", true).Set("updated_at = ?", now).
		Where("?TableAlias.name = ?", name).
		Where("?TableAlias.is_default = ?", false).Exec(ctx)
	return err
}
