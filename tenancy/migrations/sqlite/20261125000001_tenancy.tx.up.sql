-- Tenancy core for the embedded SQLite profile; the same rules as the
-- PostgreSQL schema: account_id on every tenant row, composite foreign keys to
-- the parent's (account_id, id), tenant unique indexes led by account_id, and
-- triggers that keep scope columns from changing. Timestamps are written by
-- the application in one format (UTC) so they sort as text.

CREATE TABLE igny8_plans (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  name               TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> ''),
  slug               TEXT    NOT NULL UNIQUE CONSTRAINT slug_check CHECK (slug <> ''),
  price_cents        INTEGER NOT NULL DEFAULT 0 CONSTRAINT price_cents_check CHECK (price_cents >= 0),
  billing_cycle      TEXT    NOT NULL DEFAULT 'monthly' CONSTRAINT billing_cycle_check CHECK (billing_cycle IN ('monthly', 'annual')),
  included_credits   INTEGER NOT NULL DEFAULT 0 CONSTRAINT included_credits_check CHECK (included_credits >= 0),
  extra_credit_price_cents INTEGER NOT NULL DEFAULT 0 CONSTRAINT extra_credit_price_cents_check CHECK (extra_credit_price_cents >= 0),
  allow_credit_topup INTEGER NOT NULL DEFAULT 1,
  max_sites          INTEGER NOT NULL DEFAULT 1 CONSTRAINT max_sites_check CHECK (max_sites >= 1),
  max_users          INTEGER NOT NULL DEFAULT 1 CONSTRAINT max_users_check CHECK (max_users >= 1),
  max_keywords       INTEGER NOT NULL DEFAULT 0 CONSTRAINT max_keywords_check CHECK (max_keywords >= 0),
  max_ahrefs_queries INTEGER NOT NULL DEFAULT 0 CONSTRAINT max_ahrefs_queries_check CHECK (max_ahrefs_queries >= 0),
  features           TEXT    NOT NULL DEFAULT '[]',
  stripe_product_id  TEXT    NOT NULL DEFAULT '',
  stripe_price_id    TEXT    NOT NULL DEFAULT '',
  is_active          INTEGER NOT NULL DEFAULT 1,
  is_internal        INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
  updated_at         TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);

--bun:split

CREATE TABLE igny8_accounts (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  name               TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> ''),
  slug               TEXT    NOT NULL UNIQUE CONSTRAINT slug_check CHECK (slug <> ''),
  owner_id           INTEGER,
  plan_id            INTEGER NOT NULL REFERENCES igny8_plans (id),
  credits            INTEGER NOT NULL DEFAULT 0 CONSTRAINT credits_check CHECK (credits >= 0),
  bonus_credits      INTEGER NOT NULL DEFAULT 0 CONSTRAINT bonus_credits_check CHECK (bonus_credits >= 0),
  status             TEXT    NOT NULL DEFAULT 'trial' CONSTRAINT status_check CHECK (status IN ('active', 'suspended', 'trial', 'cancelled')),
  account_timezone   TEXT    NOT NULL DEFAULT 'UTC',
  stripe_customer_id TEXT    NOT NULL DEFAULT '',
  paypal_customer_id TEXT    NOT NULL DEFAULT '',
  retention_days     INTEGER NOT NULL DEFAULT 30 CONSTRAINT retention_days_check CHECK (retention_days >= 1),
  is_system          INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL,
  deleted_at         TEXT,
  -- The owner must be a user of the same account.
  FOREIGN KEY (id, owner_id) REFERENCES igny8_users (account_id, id) DEFERRABLE INITIALLY DEFERRED
);

--bun:split

CREATE TABLE igny8_users (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  -- Login is by email across all accounts: the one deliberate global unique
  -- index on a tenant table.
  email       TEXT    NOT NULL UNIQUE CONSTRAINT email_check CHECK (email <> ''),
  username    TEXT    NOT NULL CONSTRAINT username_check CHECK (username <> ''),
  first_name  TEXT    NOT NULL DEFAULT '',
  last_name   TEXT    NOT NULL DEFAULT '',
  role        TEXT    NOT NULL CONSTRAINT role_check CHECK (role IN ('developer', 'owner', 'admin', 'editor', 'viewer', 'system_bot')),
  is_active   INTEGER NOT NULL DEFAULT 1,
  password    TEXT    NOT NULL DEFAULT '',
  last_login  TEXT,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  UNIQUE (account_id, id),
  UNIQUE (account_id, username)
);

--bun:split

CREATE TABLE igny8_subscriptions (
  id                       INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id               INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  plan_id                  INTEGER NOT NULL REFERENCES igny8_plans (id),
  status                   TEXT    NOT NULL CONSTRAINT status_check CHECK (status IN ('trialing', 'active', 'past_due', 'pending_payment', 'canceled')),
  current_period_start     TEXT    NOT NULL,
  current_period_end       TEXT    NOT NULL,
  cancel_at_period_end     INTEGER NOT NULL DEFAULT 0,
  payment_method           TEXT    NOT NULL DEFAULT '' CONSTRAINT payment_method_check CHECK (payment_method IN ('', 'stripe', 'paypal', 'bank_transfer')),
  external_subscription_id TEXT    NOT NULL DEFAULT '',
  created_at               TEXT    NOT NULL,
  updated_at               TEXT    NOT NULL,
  CONSTRAINT current_period_end_check CHECK (current_period_end >= current_period_start)
);

--bun:split

CREATE UNIQUE INDEX igny8_subscriptions_live_uq ON igny8_subscriptions (account_id)
  WHERE status IN ('trialing', 'active', 'past_due', 'pending_payment');

--bun:split

CREATE INDEX igny8_subscriptions_external_idx ON igny8_subscriptions (external_subscription_id)
  WHERE external_subscription_id <> '';

--bun:split

CREATE TABLE igny8_industries (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT    NOT NULL UNIQUE CONSTRAINT name_check CHECK (name <> ''),
  slug        TEXT    NOT NULL UNIQUE CONSTRAINT slug_check CHECK (slug <> ''),
  description TEXT    NOT NULL DEFAULT '',
  is_active   INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
);

--bun:split

CREATE TABLE igny8_industry_sectors (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  industry_id INTEGER NOT NULL REFERENCES igny8_industries (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> ''),
  slug        TEXT    NOT NULL CONSTRAINT slug_check CHECK (slug <> ''),
  description TEXT    NOT NULL DEFAULT '',
  is_active   INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL,
  UNIQUE (industry_id, slug),
  UNIQUE (industry_id, id)
);

--bun:split

CREATE TABLE igny8_seed_keywords (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  industry_id        INTEGER NOT NULL,
  industry_sector_id INTEGER NOT NULL,
  keyword            TEXT    NOT NULL CONSTRAINT keyword_check CHECK (keyword <> ''),
  volume             INTEGER NOT NULL DEFAULT 0 CONSTRAINT volume_check CHECK (volume >= 0),
  difficulty         INTEGER NOT NULL DEFAULT 0 CONSTRAINT difficulty_check CHECK (difficulty BETWEEN 0 AND 100),
  intent             TEXT    NOT NULL DEFAULT 'informational' CONSTRAINT intent_check CHECK (intent IN ('informational', 'commercial', 'transactional', 'navigational')),
  is_active          INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL,
  FOREIGN KEY (industry_id, industry_sector_id) REFERENCES igny8_industry_sectors (industry_id, id) ON DELETE CASCADE,
  UNIQUE (industry_sector_id, keyword)
);

--bun:split

CREATE TABLE igny8_sites (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> ''),
  domain        TEXT    NOT NULL DEFAULT '',
  slug          TEXT    NOT NULL CONSTRAINT slug_check CHECK (slug <> ''),
  industry_id   INTEGER REFERENCES igny8_industries (id),
  is_active     INTEGER NOT NULL DEFAULT 1,
  platform_type TEXT    NOT NULL DEFAULT 'wordpress' CONSTRAINT platform_type_check CHECK (platform_type IN ('wordpress', 'shopify', 'custom')),
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL,
  UNIQUE (account_id, id),
  UNIQUE (account_id, slug)
);

--bun:split

CREATE TABLE igny8_sectors (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id         INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  site_id            INTEGER NOT NULL,
  industry_sector_id INTEGER REFERENCES igny8_industry_sectors (id),
  name               TEXT    NOT NULL CONSTRAINT name_check CHECK (name <> ''),
  description        TEXT    NOT NULL DEFAULT '',
  is_active          INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT    NOT NULL,
  updated_at         TEXT    NOT NULL,
  -- A sector cannot point at another account's site.
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, site_id, id),
  UNIQUE (account_id, site_id, name)
);

--bun:split

CREATE TABLE igny8_site_user_access (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id       INTEGER NOT NULL,
  site_id       INTEGER NOT NULL,
  granted_by_id INTEGER,
  created_at    TEXT    NOT NULL,
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, user_id, site_id)
);

--bun:split

CREATE TABLE igny8_password_reset_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL,
  token_hash  TEXT    NOT NULL UNIQUE,
  expires_at  TEXT    NOT NULL,
  used_at     TEXT,
  created_at  TEXT    NOT NULL,
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_password_reset_tokens_user_idx ON igny8_password_reset_tokens (account_id, user_id, created_at);

--bun:split

CREATE TRIGGER igny8_sites_account_id_immutable BEFORE UPDATE OF account_id ON igny8_sites
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_sites'); END;

--bun:split

CREATE TRIGGER igny8_sectors_account_id_immutable BEFORE UPDATE OF account_id ON igny8_sectors
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_sectors'); END;

--bun:split

CREATE TRIGGER igny8_sectors_site_id_immutable BEFORE UPDATE OF site_id ON igny8_sectors
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_sectors'); END;

--bun:split

CREATE TRIGGER igny8_users_account_id_immutable BEFORE UPDATE OF account_id ON igny8_users
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_users'); END;

--bun:split

CREATE TRIGGER igny8_subscriptions_account_id_immutable BEFORE UPDATE OF account_id ON igny8_subscriptions
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_subscriptions'); END;

--bun:split

CREATE TRIGGER igny8_site_user_access_account_id_immutable BEFORE UPDATE OF account_id ON igny8_site_user_access
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_site_user_access'); END;

--bun:split

CREATE TRIGGER igny8_site_user_access_user_id_immutable BEFORE UPDATE OF user_id ON igny8_site_user_access
  FOR EACH ROW WHEN NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'column user_id is immutable on igny8_site_user_access'); END;

--bun:split

CREATE TRIGGER igny8_site_user_access_site_id_immutable BEFORE UPDATE OF site_id ON igny8_site_user_access
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_site_user_access'); END;

--bun:split

CREATE TRIGGER igny8_password_reset_tokens_account_id_immutable BEFORE UPDATE OF account_id ON igny8_password_reset_tokens
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_password_reset_tokens'); END;

--bun:split

CREATE TRIGGER igny8_password_reset_tokens_user_id_immutable BEFORE UPDATE OF user_id ON igny8_password_reset_tokens
  FOR EACH ROW WHEN NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'column user_id is immutable on igny8_password_reset_tokens'); END;
