-- System settings: AI prompts (platform-wide and per-account overrides of the
-- prompts the domains build in), the AI model registry, AI settings
-- (platform-wide and per-account) and the per-account module switches.
--
-- Rules enforced here, not only in Go: every tenant row carries account_id
-- and is removed with its account; every tenant unique index leads with
-- account_id; account_id never changes (igny8_immutable_columns trigger);
-- an account's AI models must be rows of the registry (a deleted model falls
-- back to the inherited one: ON DELETE SET NULL).

-- Platform-wide overrides of a built-in prompt, one per prompt type. Only
-- platform operators write them.
CREATE TABLE igny8_global_ai_prompts (
  prompt_type   text        NOT NULL PRIMARY KEY CONSTRAINT igny8_global_ai_prompts_prompt_type_check CHECK (prompt_type <> '' AND char_length(prompt_type) <= 100),
  prompt        text        NOT NULL CONSTRAINT igny8_global_ai_prompts_prompt_check CHECK (prompt <> '' AND char_length(prompt) <= 20000),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by_id bigint      REFERENCES igny8_users (id) ON DELETE SET NULL
);

--bun:split

-- An account's override of a prompt type (wins over the global one).
CREATE TABLE igny8_ai_prompts (
  id          bigserial   PRIMARY KEY,
  account_id  bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  prompt_type text        NOT NULL CONSTRAINT igny8_ai_prompts_prompt_type_check CHECK (prompt_type <> '' AND char_length(prompt_type) <= 100),
  prompt      text        NOT NULL CONSTRAINT igny8_ai_prompts_prompt_check CHECK (prompt <> '' AND char_length(prompt) <= 20000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, prompt_type)
);

--bun:split

CREATE TRIGGER igny8_ai_prompts_immutable BEFORE UPDATE ON igny8_ai_prompts
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

-- The AI model registry: data, not code. Prices are what the provider
-- charges us, in micro-dollars (millionths of a USD): per 1M tokens for text
-- models, per image for image models. Credits are what a call costs the
-- account: tokens_per_credit for text, credits_per_image for images.
CREATE TABLE igny8_ai_models (
  id                 bigserial   PRIMARY KEY,
  name               text        NOT NULL UNIQUE CONSTRAINT igny8_ai_models_name_check CHECK (name <> '' AND char_length(name) <= 100),
  display_name       text        NOT NULL DEFAULT '',
  provider           text        NOT NULL CONSTRAINT igny8_ai_models_provider_check CHECK (provider IN ('openai', 'anthropic', 'runware', 'bria', 'other')),
  kind               text        NOT NULL CONSTRAINT igny8_ai_models_kind_check CHECK (kind IN ('text', 'image')),
  tokens_per_credit  integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_ai_models_tokens_per_credit_check CHECK (tokens_per_credit >= 0 AND (kind <> 'text' OR tokens_per_credit > 0)),
  credits_per_image  integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_ai_models_credits_per_image_check CHECK (credits_per_image >= 0 AND (kind <> 'image' OR credits_per_image > 0)),
  input_price_micro  bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_ai_models_input_price_micro_check CHECK (input_price_micro >= 0),
  output_price_micro bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_ai_models_output_price_micro_check CHECK (output_price_micro >= 0),
  image_price_micro  bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_ai_models_image_price_micro_check CHECK (image_price_micro >= 0),
  is_active          boolean     NOT NULL DEFAULT true,
  -- The default model of its kind; it must be active.
  is_default         boolean     NOT NULL DEFAULT false CONSTRAINT igny8_ai_models_is_default_check CHECK (NOT is_default OR is_active),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

--bun:split

-- At most one default model per kind.
CREATE UNIQUE INDEX igny8_ai_models_default_uq ON igny8_ai_models (kind) WHERE is_default;

--bun:split

-- Platform-wide AI settings: one row (id = 1), seeded by
-- 20261125000031_ai_models. Temperature is in thousandths (700 = 0.7).
CREATE TABLE igny8_global_ai_settings (
  id                  integer     NOT NULL PRIMARY KEY CONSTRAINT igny8_global_ai_settings_id_check CHECK (id = 1),
  default_text_model  text        NOT NULL REFERENCES igny8_ai_models (name) ON UPDATE CASCADE,
  default_image_model text        NOT NULL REFERENCES igny8_ai_models (name) ON UPDATE CASCADE,
  temperature_milli   integer     NOT NULL DEFAULT 700 CONSTRAINT igny8_global_ai_settings_temperature_milli_check CHECK (temperature_milli BETWEEN 0 AND 2000),
  max_tokens          integer     NOT NULL DEFAULT 8192 CONSTRAINT igny8_global_ai_settings_max_tokens_check CHECK (max_tokens BETWEEN 1 AND 128000),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

--bun:split

-- An account's AI settings; NULL inherits the global value.
CREATE TABLE igny8_ai_settings (
  id                bigserial   PRIMARY KEY,
  account_id        bigint      NOT NULL UNIQUE REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  text_model        text        REFERENCES igny8_ai_models (name) ON UPDATE CASCADE ON DELETE SET NULL,
  image_model       text        REFERENCES igny8_ai_models (name) ON UPDATE CASCADE ON DELETE SET NULL,
  temperature_milli integer     CONSTRAINT igny8_ai_settings_temperature_milli_check CHECK (temperature_milli BETWEEN 0 AND 2000),
  max_tokens        integer     CONSTRAINT igny8_ai_settings_max_tokens_check CHECK (max_tokens BETWEEN 1 AND 128000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

--bun:split

CREATE TRIGGER igny8_ai_settings_immutable BEFORE UPDATE ON igny8_ai_settings
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

-- Module switches of an account. No row means the module's default:
-- linker and optimizer are off (inactive in the original), the others on.
CREATE TABLE igny8_module_settings (
  id         bigserial   PRIMARY KEY,
  account_id bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  module     text        NOT NULL CONSTRAINT igny8_module_settings_module_check CHECK (module IN ('planner', 'writer', 'automation', 'linker', 'optimizer', 'publisher')),
  enabled    boolean     NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, module)
);

--bun:split

CREATE TRIGGER igny8_module_settings_immutable BEFORE UPDATE ON igny8_module_settings
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');
