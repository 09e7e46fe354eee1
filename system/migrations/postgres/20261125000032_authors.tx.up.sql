-- Author profiles (a writing persona: tone, language, structure) and content
-- strategies (guidance and a target length) that the writer puts into its
-- prompts. Both belong to one account and are removed with it; their unique
-- index leads with account_id; account_id never changes
-- (igny8_immutable_columns trigger). Lengths are checked here as well as in
-- Go (domain reference §2.4, §3.6).

CREATE TABLE igny8_author_profiles (
  id                 bigserial   PRIMARY KEY,
  account_id         bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name               text        NOT NULL CONSTRAINT igny8_author_profiles_name_check CHECK (name <> '' AND char_length(name) <= 255),
  description        text        NOT NULL DEFAULT '' CONSTRAINT igny8_author_profiles_description_check CHECK (char_length(description) <= 20000),
  tone               text        NOT NULL DEFAULT '' CONSTRAINT igny8_author_profiles_tone_check CHECK (char_length(tone) <= 255),
  language           text        NOT NULL DEFAULT 'en' CONSTRAINT igny8_author_profiles_language_check CHECK (language <> '' AND char_length(language) <= 35),
  structure_template text        NOT NULL DEFAULT '' CONSTRAINT igny8_author_profiles_structure_template_check CHECK (char_length(structure_template) <= 20000),
  is_active          boolean     NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

--bun:split

CREATE TRIGGER igny8_author_profiles_immutable BEFORE UPDATE ON igny8_author_profiles
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

-- target_word_count NULL means the strategy sets no length.
CREATE TABLE igny8_strategies (
  id                bigserial   PRIMARY KEY,
  account_id        bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name              text        NOT NULL CONSTRAINT igny8_strategies_name_check CHECK (name <> '' AND char_length(name) <= 255),
  description       text        NOT NULL DEFAULT '' CONSTRAINT igny8_strategies_description_check CHECK (char_length(description) <= 20000),
  prompt_guidance   text        NOT NULL DEFAULT '' CONSTRAINT igny8_strategies_prompt_guidance_check CHECK (char_length(prompt_guidance) <= 20000),
  target_word_count integer     CONSTRAINT igny8_strategies_target_word_count_check CHECK (target_word_count BETWEEN 100 AND 20000),
  is_active         boolean     NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, name)
);

--bun:split

CREATE TRIGGER igny8_strategies_immutable BEFORE UPDATE ON igny8_strategies
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');
