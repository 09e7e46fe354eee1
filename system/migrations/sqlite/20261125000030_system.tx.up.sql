-- System settings for the embedded SQLite profile: the same tables and rules
-- as the PostgreSQL schema (see there for the reasoning). Timestamps are TEXT
-- written by the application in UTC so they sort as text; booleans are 0/1;
-- account_id is kept immutable by per-column RAISE(ABORT) triggers.

CREATE TABLE igny8_global_ai_prompts (
  prompt_type   TEXT    NOT NULL PRIMARY KEY CONSTRAINT prompt_type_check CHECK (prompt_type <> '' AND length(prompt_type) <= 100),
  prompt        TEXT    NOT NULL CONSTRAINT prompt_check CHECK (prompt <> '' AND length(prompt) <= 20000),
  updated_at    TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
  updated_by_id INTEGER REFERENCES igny8_users (id) ON DELETE SET NULL
);

--bun:split

CREATE TABLE igny8_ai_prompts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  prompt_type TEXT    NOT NULL CONSTRAINT prompt_type_check CHECK (prompt_type <> '' AND length(prompt_type) <= 100),
  prompt      TEXT    NOT NULL CONSTRAINT prompt_check CHECK (prompt <> '' AND length(prompt) <= 20000),
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  UNIQUE (account_id, prompt_type)
);

--bun:split

CREATE TRIGGER igny8_ai_prompts_account_id_immutable BEFORE UPDATE OF account_id ON igny8_ai_prompts
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_ai_prompts'); END;

--bun:split

CREATE TABLE igny8_ai_models (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  name               TEXT    NOT NULL UNIQUE CONSTRAINT name_check CHECK (name <> '' AND length(name) <= 100),
  display_name       TEXT    NOT NULL DEFAULT '',
  provider           TEXT    NOT NULL CONSTRAINT provider_check CHECK (provider IN ('openai', 'anthropic', 'runware', 'bria', 'other')),
  kind               TEXT    NOT NULL CONSTRAINT kind_check CHECK (kind IN ('text', 'image')),
  tokens_per_credit  INTEGER NOT NULL DEFAULT 0 CONSTRAINT tokens_per_credit_check CHECK (tokens_per_credit >= 0 AND (kind <> 'text' OR tokens_per_credit > 0)),
  credits_per_image  INTEGER NOT NULL DEFAULT 0 CONSTRAINT credits_per_image_check CHECK (credits_per_image >= 0 AND (kind <> 'image' OR credits_per_image > 0)),
  input_price_micro  INTEGER NOT NULL DEFAULT 0 CONSTRAINT input_price_micro_check CHECK (input_price_micro >= 0),
  output_price_micro INTEGER NOT NULL DEFAULT 0 CONSTRAINT output_price_micro_check CHECK (output_price_micro >= 0),
  image_price_micro  INTEGER NOT NULL DEFAULT 0 CONSTRAINT image_price_micro_check CHECK (image_price_micro >= 0),
  is_active          INTEGER NOT NULL DEFAULT 1,
  is_default         INTEGER NOT NULL DEFAULT 0 CONSTRAINT is_default_check CHECK (NOT is_default OR is_active),
  created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
  updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);

--bun:split

CREATE UNIQUE INDEX igny8_ai_models_default_uq ON igny8_ai_models (kind) WHERE is_default;

--bun:split

CREATE TABLE igny8_global_ai_settings (
  id                  INTEGER NOT NULL PRIMARY KEY CONSTRAINT id_check CHECK (id = 1),
  default_text_model  TEXT    NOT NULL REFERENCES igny8_ai_models (name) ON UPDATE CASCADE,
  default_image_model TEXT    NOT NULL REFERENCES igny8_ai_models (name) ON UPDATE CASCADE,
  temperature_milli   INTEGER NOT NULL DEFAULT 700 CONSTRAINT temperature_milli_check CHECK (temperature_milli BETWEEN 0 AND 2000),
  max_tokens          INTEGER NOT NULL DEFAULT 8192 CONSTRAINT max_tokens_check CHECK (max_tokens BETWEEN 1 AND 128000),
  updated_at          TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);

--bun:split

CREATE TABLE igny8_ai_settings (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id        INTEGER NOT NULL UNIQUE REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  text_model        TEXT    REFERENCES igny8_ai_models (name) ON UPDATE CASCADE ON DELETE SET NULL,
  image_model       TEXT    REFERENCES igny8_ai_models (name) ON UPDATE CASCADE ON DELETE SET NULL,
  temperature_milli INTEGER CONSTRAINT temperature_milli_check CHECK (temperature_milli BETWEEN 0 AND 2000),
  max_tokens        INTEGER CONSTRAINT max_tokens_check CHECK (max_tokens BETWEEN 1 AND 128000),
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL
);

--bun:split

CREATE TRIGGER igny8_ai_settings_account_id_immutable BEFORE UPDATE OF account_id ON igny8_ai_settings
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_ai_settings'); END;

--bun:split

CREATE TABLE igny8_module_settings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  module     TEXT    NOT NULL CONSTRAINT module_check CHECK (module IN ('planner', 'writer', 'automation', 'linker', 'optimizer', 'publisher')),
  enabled    INTEGER NOT NULL,
  created_at TEXT    NOT NULL,
  updated_at TEXT    NOT NULL,
  UNIQUE (account_id, module)
);

--bun:split

CREATE TRIGGER igny8_module_settings_account_id_immutable BEFORE UPDATE OF account_id ON igny8_module_settings
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_module_settings'); END;
