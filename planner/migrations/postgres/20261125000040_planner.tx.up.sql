-- Planner: keywords, clusters and content ideas, each living in one sector
-- of one site. Composite foreign keys keep every row, and every link between
-- rows, inside one (account, site, sector); the columns that place a row are
-- immutable. Rows are soft-deleted (deleted_at); the uniqueness rules and
-- the list indexes only cover live rows.
--
-- account_id has no foreign key of its own: the composite key to the sector
-- (whose account_id references the account, with ON DELETE CASCADE) already
-- guarantees it, and every foreign key costs a lookup per inserted row —
-- CSV imports insert keywords by the hundred thousand.

CREATE TABLE igny8_clusters (
  id             bigserial   PRIMARY KEY,
  account_id     bigint      NOT NULL,
  site_id        bigint      NOT NULL,
  sector_id      bigint      NOT NULL,
  name           text        NOT NULL CONSTRAINT igny8_clusters_name_check CHECK (name <> '' AND char_length(name) <= 255),
  -- name_norm is the name folded for uniqueness (case, spacing).
  name_norm      text        NOT NULL,
  description    text        NOT NULL DEFAULT '' CONSTRAINT igny8_clusters_description_check CHECK (char_length(description) <= 20000),
  status         text        NOT NULL DEFAULT 'new' CONSTRAINT igny8_clusters_status_check CHECK (status IN ('new', 'mapped')),
  disabled       boolean     NOT NULL DEFAULT false,
  -- Aggregates of the live keywords and ideas, kept by the planner service.
  keywords_count integer     NOT NULL DEFAULT 0,
  volume         bigint      NOT NULL DEFAULT 0,
  difficulty     integer     NOT NULL DEFAULT 0,
  ideas_count    integer     NOT NULL DEFAULT 0,
  mapped_pages   integer     NOT NULL DEFAULT 0,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  FOREIGN KEY (account_id, site_id, sector_id) REFERENCES igny8_sectors (account_id, site_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, site_id, sector_id, id)
);

--bun:split

CREATE UNIQUE INDEX igny8_clusters_name_unique ON igny8_clusters (account_id, site_id, sector_id, name_norm) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_clusters_list_idx ON igny8_clusters (account_id, site_id, sector_id, created_at) WHERE deleted_at IS NULL;

--bun:split

CREATE TRIGGER igny8_clusters_immutable BEFORE UPDATE ON igny8_clusters
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id', 'sector_id');

--bun:split

-- volume, difficulty and intent are the effective values: the keyword's own
-- (typed or imported), or the seed keyword's unless overridden (the
-- *_override columns hold the overrides of an adopted seed keyword).
CREATE TABLE igny8_keywords (
  id                  bigserial   PRIMARY KEY,
  account_id          bigint      NOT NULL,
  site_id             bigint      NOT NULL,
  sector_id           bigint      NOT NULL,
  seed_keyword_id     bigint      REFERENCES igny8_seed_keywords (id),
  keyword             text        NOT NULL CONSTRAINT igny8_keywords_keyword_check CHECK (keyword <> '' AND char_length(keyword) <= 255),
  -- keyword_norm is the text folded for uniqueness (case, spacing).
  keyword_norm        text        NOT NULL,
  volume              integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_keywords_volume_check CHECK (volume >= 0),
  difficulty          integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_keywords_difficulty_check CHECK (difficulty BETWEEN 0 AND 100),
  intent              text        NOT NULL DEFAULT 'informational' CONSTRAINT igny8_keywords_intent_check CHECK (intent IN ('informational', 'commercial', 'transactional', 'navigational')),
  volume_override     integer     CONSTRAINT igny8_keywords_volume_override_check CHECK (volume_override >= 0),
  difficulty_override integer     CONSTRAINT igny8_keywords_difficulty_override_check CHECK (difficulty_override BETWEEN 0 AND 100),
  intent_override     text        CONSTRAINT igny8_keywords_intent_override_check CHECK (intent_override IN ('informational', 'commercial', 'transactional', 'navigational')),
  attribute_values    jsonb       NOT NULL DEFAULT '[]',
  cluster_id          bigint,
  status              text        NOT NULL DEFAULT 'new' CONSTRAINT igny8_keywords_status_check CHECK (status IN ('new', 'mapped', 'used')),
  disabled            boolean     NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  FOREIGN KEY (account_id, site_id, sector_id) REFERENCES igny8_sectors (account_id, site_id, id) ON DELETE CASCADE,
  -- A keyword's cluster is in the same sector (MATCH SIMPLE: no cluster is fine).
  FOREIGN KEY (account_id, site_id, sector_id, cluster_id) REFERENCES igny8_clusters (account_id, site_id, sector_id, id),
  UNIQUE (account_id, site_id, sector_id, id)
);

--bun:split

CREATE UNIQUE INDEX igny8_keywords_keyword_unique ON igny8_keywords (account_id, site_id, sector_id, keyword_norm) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_keywords_list_idx ON igny8_keywords (account_id, site_id, sector_id, created_at) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_keywords_cluster_idx ON igny8_keywords (cluster_id) WHERE cluster_id IS NOT NULL;

--bun:split

CREATE INDEX igny8_keywords_seed_idx ON igny8_keywords (seed_keyword_id) WHERE seed_keyword_id IS NOT NULL;

--bun:split

CREATE TRIGGER igny8_keywords_immutable BEFORE UPDATE ON igny8_keywords
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id', 'sector_id');

--bun:split

-- outline keeps the idea's whole structure as the model gave it (sections,
-- coverage notes): the writer builds the article from it.
CREATE TABLE igny8_content_ideas (
  id                   bigserial   PRIMARY KEY,
  account_id           bigint      NOT NULL,
  site_id              bigint      NOT NULL,
  sector_id            bigint      NOT NULL,
  title                text        NOT NULL CONSTRAINT igny8_content_ideas_title_check CHECK (title <> '' AND char_length(title) <= 255),
  description          text        NOT NULL DEFAULT '' CONSTRAINT igny8_content_ideas_description_check CHECK (char_length(description) <= 20000),
  outline              jsonb       NOT NULL DEFAULT '{}',
  content_type         text        NOT NULL DEFAULT 'post' CONSTRAINT igny8_content_ideas_content_type_check CHECK (content_type IN ('post', 'page', 'product', 'taxonomy')),
  content_structure    text        NOT NULL DEFAULT 'article' CONSTRAINT igny8_content_ideas_content_structure_check CHECK (content_structure IN ('article', 'guide', 'comparison', 'review', 'listicle', 'landing_page', 'business_page', 'service_page', 'general', 'cluster_hub', 'product_page', 'category_archive', 'tag_archive', 'attribute_archive')),
  target_keywords      jsonb       NOT NULL DEFAULT '[]',
  cluster_id           bigint,
  estimated_word_count integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_content_ideas_estimated_word_count_check CHECK (estimated_word_count BETWEEN 0 AND 100000),
  status               text        NOT NULL DEFAULT 'new' CONSTRAINT igny8_content_ideas_status_check CHECK (status IN ('new', 'queued', 'completed')),
  disabled             boolean     NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz,
  FOREIGN KEY (account_id, site_id, sector_id) REFERENCES igny8_sectors (account_id, site_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id, sector_id, cluster_id) REFERENCES igny8_clusters (account_id, site_id, sector_id, id),
  UNIQUE (account_id, site_id, sector_id, id)
);

--bun:split

CREATE INDEX igny8_content_ideas_list_idx ON igny8_content_ideas (account_id, site_id, sector_id, created_at) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_content_ideas_cluster_idx ON igny8_content_ideas (cluster_id) WHERE cluster_id IS NOT NULL;

--bun:split

CREATE TRIGGER igny8_content_ideas_immutable BEFORE UPDATE ON igny8_content_ideas
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id', 'sector_id');

--bun:split

-- The keywords an idea targets, all in the idea's sector.
CREATE TABLE igny8_content_idea_keywords (
  account_id bigint NOT NULL,
  site_id    bigint NOT NULL,
  sector_id  bigint NOT NULL,
  idea_id    bigint NOT NULL,
  keyword_id bigint NOT NULL,
  PRIMARY KEY (idea_id, keyword_id),
  FOREIGN KEY (account_id, site_id, sector_id, idea_id) REFERENCES igny8_content_ideas (account_id, site_id, sector_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id, sector_id, keyword_id) REFERENCES igny8_keywords (account_id, site_id, sector_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_content_idea_keywords_keyword_idx ON igny8_content_idea_keywords (keyword_id);

--bun:split

CREATE TRIGGER igny8_content_idea_keywords_immutable BEFORE UPDATE ON igny8_content_idea_keywords
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id', 'sector_id');
