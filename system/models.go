package system

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/tenancy"
)

// Where a resolved prompt came from.
const (
	SourceAccount = "account" // the account's override
	SourceGlobal  = "global"  // the platform's override
	SourceDefault = "default" // the built-in text of the calling domain
)

// Prompt is a prompt as it applies to an account.
type Prompt struct {
	Type string `json:"prompt_type"`
	Text string `json:"prompt"`
	// Source is SourceAccount, SourceGlobal or SourceDefault.
	Source string `json:"source"`
	// UpdatedAt is when the override was last saved (zero for a default).
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// AccountPrompt is an account's override of one prompt type.
type AccountPrompt struct {
	bun.BaseModel `bun:"table:igny8_ai_prompts,alias:ai_prompt"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.AccountScoped
	PromptType string `bun:"prompt_type,notnull" json:"prompt_type"`
	Prompt     string `bun:"prompt,notnull" json:"prompt"`
}

// GlobalPrompt is the platform's override of one prompt type.
type GlobalPrompt struct {
	bun.BaseModel `bun:"table:igny8_global_ai_prompts,alias:global_ai_prompt"`

	PromptType  string    `bun:"prompt_type,pk" json:"prompt_type"`
	Prompt      string    `bun:"prompt,notnull" json:"prompt"`
	UpdatedAt   time.Time `bun:"updated_at,notnull" json:"updated_at"`
	UpdatedByID *int64    `bun:"updated_by_id" json:"updated_by_id"`
}

// Model kinds.
const (
	KindText  = "text"
	KindImage = "image"
)

// Model providers.
const (
	ProviderOpenAI    = "openai"
	ProviderAnthropic = "anthropic"
	ProviderRunware   = "runware"
	ProviderBria      = "bria"
	ProviderOther     = "other"
)

// Model is a row of the AI model registry (global data). Prices are what
// the provider charges, in micro-dollars (millionths of a USD): per 1M
// tokens for text models, per image for image models.
type Model struct {
	bun.BaseModel `bun:"table:igny8_ai_models,alias:ai_model"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	Name        string `bun:"name,notnull" json:"name"`
	DisplayName string `bun:"display_name,notnull" json:"display_name"`
	Provider    string `bun:"provider,notnull" json:"provider"`
	// Kind is KindText or KindImage.
	Kind string `bun:"kind,notnull" json:"kind"`
	// TokensPerCredit prices text models: one credit per this many tokens.
	TokensPerCredit int `bun:"tokens_per_credit,notnull" json:"tokens_per_credit"`
	// CreditsPerImage prices image models.
	CreditsPerImage  int   `bun:"credits_per_image,notnull" json:"credits_per_image"`
	InputPriceMicro  int64 `bun:"input_price_micro,notnull" json:"input_price_micro"`
	OutputPriceMicro int64 `bun:"output_price_micro,notnull" json:"output_price_micro"`
	ImagePriceMicro  int64 `bun:"image_price_micro,notnull" json:"image_price_micro"`
	IsActive         bool  `bun:"is_active,notnull" json:"is_active"`
	IsDefault        bool  `bun:"is_default,notnull" json:"is_default"`
	tenancy.Timestamps
}

// Built-in fallbacks when the global settings row is missing (it is seeded;
// domain reference §2.4: temperature 0.7, max_tokens 8192).
const (
	DefaultTemperatureMilli = 700
	DefaultMaxTokens        = 8192
)

// Bounds of the AI settings.
const (
	MaxTemperatureMilli = 2000
	MaxMaxTokens        = 128000
)

// GlobalAISettings is the platform's AI settings (one row).
type GlobalAISettings struct {
	bun.BaseModel `bun:"table:igny8_global_ai_settings,alias:global_ai_settings"`

	ID                int       `bun:"id,pk" json:"-"`
	DefaultTextModel  string    `bun:"default_text_model,notnull" json:"default_text_model"`
	DefaultImageModel string    `bun:"default_image_model,notnull" json:"default_image_model"`
	TemperatureMilli  int       `bun:"temperature_milli,notnull" json:"temperature_milli"`
	MaxTokens         int       `bun:"max_tokens,notnull" json:"max_tokens"`
	UpdatedAt         time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

// AISettingsInput is an account's AI overrides; a nil field (or an empty
// model name) inherits the global value.
type AISettingsInput struct {
	TextModel  *string `json:"text_model"`
	ImageModel *string `json:"image_model"`
	// TemperatureMilli is the temperature in thousandths (700 = 0.7), 0..2000.
	TemperatureMilli *int `json:"temperature_milli"`
	// MaxTokens is 1..128000.
	MaxTokens *int `json:"max_tokens"`
}

// AISettings are the effective AI settings of an account.
type AISettings struct {
	TextModel        string `json:"text_model"`
	ImageModel       string `json:"image_model"`
	TemperatureMilli int    `json:"temperature_milli"`
	MaxTokens        int    `json:"max_tokens"`
	// Account is what the account overrides (nil inherits).
	Account AISettingsInput `json:"account"`
}

// Temperature is TemperatureMilli as the float providers take.
func (a AISettings) Temperature() float64 { return float64(a.TemperatureMilli) / 1000 }

// accountAISettings is a row of igny8_ai_settings.
type accountAISettings struct {
	bun.BaseModel `bun:"table:igny8_ai_settings,alias:ai_settings"`

	ID int64 `bun:"id,pk,autoincrement"`
	tenancy.AccountScoped
	TextModel        *string `bun:"text_model"`
	ImageModel       *string `bun:"image_model"`
	TemperatureMilli *int    `bun:"temperature_milli"`
	MaxTokens        *int    `bun:"max_tokens"`
}

// Modules an account can switch.
const (
	ModulePlanner    = "planner"
	ModuleWriter     = "writer"
	ModuleAutomation = "automation"
	ModuleLinker     = "linker"
	ModuleOptimizer  = "optimizer"
	ModulePublisher  = "publisher"
)

// ModuleSetting is an account's switch of one module; no row means the
// module's default.
type ModuleSetting struct {
	bun.BaseModel `bun:"table:igny8_module_settings,alias:module_setting"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.AccountScoped
	Module  string `bun:"module,notnull" json:"module"`
	Enabled bool   `bun:"enabled,notnull" json:"enabled"`
}
