-- Author profiles and content strategies for the embedded SQLite profile:
-- the same tables and rules as the PostgreSQL schema (see there). Timestamps
-- are TEXT written by the application in UTC; booleans are 0/1; account_id
-- is kept immutable by per-column RAISE(ABORT) triggers.

CREATE TABLE igny8_author_profiles (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id         INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name               TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> '' AND length(name) <= 255),
  description        TEXT    NOT NULL DEFAULT '' CONSTRAINT description_check CHECK (length(description) <= 20000),
  tone               TEXT    NOT NULL DEFAULT '' CONSTRAINT tone_check CHECK (length(tone) <= 255),
  language           TEXT    NOT NULL DEFAULT 'en' CONSTRAINT language_check CHECK (language <> '' AND length(language) <= 35),
  structure_template TEXT    NOT NULL DEFAULT '' CONSTRAINT structure_template_check CHECK (length(structure_template) <= 20000),
  is_active          INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL,
  UNIQUE (account_id, name)
);

--bun:split

CREATE TRIGGER igny8_author_profiles_account_id_immutable BEFORE UPDATE OF account_id ON igny8_author_profiles
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_author_profiles'); END;

--bun:split

CREATE TABLE igny8_strategies (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id        INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name              TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> '' AND length(name) <= 255),
  description       TEXT    NOT NULL DEFAULT '' CONSTRAINT description_check CHECK (length(description) <= 20000),
  prompt_guidance   TEXT    NOT NULL DEFAULT '' CONSTRAINT prompt_guidance_check CHECK (length(prompt_guidance) <= 20000),
  target_word_count INTEGER CONSTRAINT target_word_count_check CHECK (target_word_count BETWEEN 100 AND 20000),
  is_active         INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL,
  UNIQUE (account_id, name)
);

--bun:split

CREATE TRIGGER igny8_strategies_account_id_immutable BEFORE UPDATE OF account_id ON igny8_strategies
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_strategies'); END;
