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
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     INTEGER      NOT NULL,
  site_id        INTEGER      NOT NULL,
  sector_id      INTEGER      NOT NULL,
  name           TEXT        NOT NULL CONSTRAINT name_check CHECK (name <> '' AND length(name) <= 255),
  -- name_norm is the name folded for uniqueness (case, spacing).
  name_norm      TEXT        NOT NULL,
  description    TEXT        NOT NULL DEFAULT '' CONSTRAINT description_check CHECK (length(description) <= 20000),
  status         TEXT        NOT NULL DEFAULT 'new' CONSTRAINT status_check CHECK (status IN ('new', 'mapped')),
  disabled       INTEGER     NOT NULL DEFAULT 0,
  -- Aggregates of the live keywords and ideas, kept by the planner service.
  keywords_count INTEGER     NOT NULL DEFAULT 0,
  volume         INTEGER      NOT NULL DEFAULT 0,
  difficulty     INTEGER     NOT NULL DEFAULT 0,
  ideas_count    INTEGER     NOT NULL DEFAULT 0,
  mapped_pages   INTEGER     NOT NULL DEFAULT 0,
  created_at     TEXT        NOT NULL,
  updated_at     TEXT        NOT NULL,
  deleted_at     TEXT,
  FOREIGN KEY (account_id, site_id, sector_id) REFERENCES igny8_sectors (account_id, site_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, site_id, sector_id, id)
);

--bun:split

CREATE UNIQUE INDEX igny8_clusters_name_unique ON igny8_clusters (account_id, site_id, sector_id, name_norm) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_clusters_list_idx ON igny8_clusters (account_id, site_id, sector_id, created_at) WHERE deleted_at IS NULL;

--bun:split

CREATE TRIGGER igny8_clusters_account_id_immutable BEFORE UPDATE OF account_id ON igny8_clusters
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_clusters'); END;

--bun:split

CREATE TRIGGER igny8_clusters_site_id_immutable BEFORE UPDATE OF site_id ON igny8_clusters
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_clusters'); END;

--bun:split

CREATE TRIGGER igny8_clusters_sector_id_immutable BEFORE UPDATE OF sector_id ON igny8_clusters
  FOR EACH ROW WHEN NEW.sector_id IS NOT OLD.sector_id
  BEGIN SELECT RAISE(ABORT, 'column sector_id is immutable on igny8_clusters'); END;

--bun:split

-- volume, difficulty and intent are the effective values: the keyword's own
-- (typed or imported), or the seed keyword's unless overridden (the
-- *_override columns hold the overrides of an adopted seed keyword).
CREATE TABLE igny8_keywords (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id          INTEGER      NOT NULL,
  site_id             INTEGER      NOT NULL,
  sector_id           INTEGER      NOT NULL,
  seed_keyword_id     INTEGER      REFERENCES igny8_seed_keywords (id),
  keyword             TEXT        NOT NULL CONSTRAINT keyword_check CHECK (keyword <> '' AND length(keyword) <= 255),
  -- keyword_norm is the TEXT folded for uniqueness (case, spacing).
  keyword_norm        TEXT        NOT NULL,
  volume              INTEGER     NOT NULL DEFAULT 0 CONSTRAINT volume_check CHECK (volume >= 0),
  difficulty          INTEGER     NOT NULL DEFAULT 0 CONSTRAINT difficulty_check CHECK (difficulty BETWEEN 0 AND 100),
  intent              TEXT        NOT NULL DEFAULT 'informational' CONSTRAINT intent_check CHECK (intent IN ('informational', 'commercial', 'transactional', 'navigational')),
  volume_override     INTEGER     CONSTRAINT volume_override_check CHECK (volume_override >= 0),
  difficulty_override INTEGER     CONSTRAINT difficulty_override_check CHECK (difficulty_override BETWEEN 0 AND 100),
  intent_override     TEXT        CONSTRAINT intent_override_check CHECK (intent_override IN ('informational', 'commercial', 'transactional', 'navigational')),
  attribute_values    TEXT        NOT NULL DEFAULT '[]',
  cluster_id          INTEGER,
  status              TEXT        NOT NULL DEFAULT 'new' CONSTRAINT status_check CHECK (status IN ('new', 'mapped', 'used')),
  disabled            INTEGER     NOT NULL DEFAULT 0,
  created_at          TEXT        NOT NULL,
  updated_at          TEXT        NOT NULL,
  deleted_at          TEXT,
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

CREATE TRIGGER igny8_keywords_account_id_immutable BEFORE UPDATE OF account_id ON igny8_keywords
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_keywords'); END;

--bun:split

CREATE TRIGGER igny8_keywords_site_id_immutable BEFORE UPDATE OF site_id ON igny8_keywords
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_keywords'); END;

--bun:split

CREATE TRIGGER igny8_keywords_sector_id_immutable BEFORE UPDATE OF sector_id ON igny8_keywords
  FOR EACH ROW WHEN NEW.sector_id IS NOT OLD.sector_id
  BEGIN SELECT RAISE(ABORT, 'column sector_id is immutable on igny8_keywords'); END;

--bun:split

-- outline keeps the idea's whole structure as the model gave it (sections,
-- coverage notes): the writer builds the article from it.
CREATE TABLE igny8_content_ideas (
  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id           INTEGER      NOT NULL,
  site_id              INTEGER      NOT NULL,
  sector_id            INTEGER      NOT NULL,
  title                TEXT        NOT NULL CONSTRAINT title_check CHECK (title <> '' AND length(title) <= 255),
  description          TEXT        NOT NULL DEFAULT '' CONSTRAINT description_check CHECK (length(description) <= 20000),
  outline              TEXT        NOT NULL DEFAULT '{}',
  content_type         TEXT        NOT NULL DEFAULT 'post' CONSTRAINT content_type_check CHECK (content_type IN ('post', 'page', 'product', 'taxonomy')),
  content_structure    TEXT        NOT NULL DEFAULT 'article' CONSTRAINT content_structure_check CHECK (content_structure IN ('article', 'guide', 'comparison', 'review', 'listicle', 'landing_page', 'business_page', 'service_page', 'general', 'cluster_hub', 'product_page', 'category_archive', 'tag_archive', 'attribute_archive')),
  target_keywords      TEXT        NOT NULL DEFAULT '[]',
  cluster_id           INTEGER,
  estimated_word_count INTEGER     NOT NULL DEFAULT 0 CONSTRAINT estimated_word_count_check CHECK (estimated_word_count BETWEEN 0 AND 100000),
  status               TEXT        NOT NULL DEFAULT 'new' CONSTRAINT status_check CHECK (status IN ('new', 'queued', 'completed')),
  disabled             INTEGER     NOT NULL DEFAULT 0,
  created_at           TEXT        NOT NULL,
  updated_at           TEXT        NOT NULL,
  deleted_at           TEXT,
  FOREIGN KEY (account_id, site_id, sector_id) REFERENCES igny8_sectors (account_id, site_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id, sector_id, cluster_id) REFERENCES igny8_clusters (account_id, site_id, sector_id, id),
  UNIQUE (account_id, site_id, sector_id, id)
);

--bun:split

CREATE INDEX igny8_content_ideas_list_idx ON igny8_content_ideas (account_id, site_id, sector_id, created_at) WHERE deleted_at IS NULL;

--bun:split

CREATE INDEX igny8_content_ideas_cluster_idx ON igny8_content_ideas (cluster_id) WHERE cluster_id IS NOT NULL;

--bun:split

CREATE TRIGGER igny8_content_ideas_account_id_immutable BEFORE UPDATE OF account_id ON igny8_content_ideas
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_content_ideas'); END;

--bun:split

CREATE TRIGGER igny8_content_ideas_site_id_immutable BEFORE UPDATE OF site_id ON igny8_content_ideas
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_content_ideas'); END;

--bun:split

CREATE TRIGGER igny8_content_ideas_sector_id_immutable BEFORE UPDATE OF sector_id ON igny8_content_ideas
  FOR EACH ROW WHEN NEW.sector_id IS NOT OLD.sector_id
  BEGIN SELECT RAISE(ABORT, 'column sector_id is immutable on igny8_content_ideas'); END;

--bun:split

-- The keywords an idea targets, all in the idea's sector.
CREATE TABLE igny8_content_idea_keywords (
  account_id INTEGER NOT NULL,
  site_id    INTEGER NOT NULL,
  sector_id  INTEGER NOT NULL,
  idea_id    INTEGER NOT NULL,
  keyword_id INTEGER NOT NULL,
  PRIMARY KEY (idea_id, keyword_id),
  FOREIGN KEY (account_id, site_id, sector_id, idea_id) REFERENCES igny8_content_ideas (account_id, site_id, sector_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id, sector_id, keyword_id) REFERENCES igny8_keywords (account_id, site_id, sector_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_content_idea_keywords_keyword_idx ON igny8_content_idea_keywords (keyword_id);

--bun:split

CREATE TRIGGER igny8_content_idea_keywords_account_id_immutable BEFORE UPDATE OF account_id ON igny8_content_idea_keywords
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_content_idea_keywords'); END;

--bun:split

CREATE TRIGGER igny8_content_idea_keywords_site_id_immutable BEFORE UPDATE OF site_id ON igny8_content_idea_keywords
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_content_idea_keywords'); END;

--bun:split

CREATE TRIGGER igny8_content_idea_keywords_sector_id_immutable BEFORE UPDATE OF sector_id ON igny8_content_idea_keywords
  FOR EACH ROW WHEN NEW.sector_id IS NOT OLD.sector_id
  BEGIN SELECT RAISE(ABORT, 'column sector_id is immutable on igny8_content_idea_keywords'); END;
