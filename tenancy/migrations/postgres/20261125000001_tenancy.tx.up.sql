-- Tenancy core: plans, accounts, users, subscriptions, the global industry
-- catalogue, sites, sectors, site grants and password reset tokens.
-- Rules enforced here, not only in Go: every tenant row carries account_id;
-- composite foreign keys keep a row from pointing at another account's parent;
-- every tenant unique index leads with account_id; the scope columns of a row
-- never change (igny8_immutable_columns trigger).

CREATE FUNCTION igny8_immutable_columns() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text;
  old_row jsonb := to_jsonb(OLD);
  new_row jsonb := to_jsonb(NEW);
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF new_row -> col IS DISTINCT FROM old_row -> col THEN
      RAISE EXCEPTION 'column % is immutable on %', col, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END LOOP;
  RETURN NEW;
END
$$;

--bun:split

CREATE TABLE igny8_plans (
  id                 bigserial PRIMARY KEY,
  name               text        NOT NULL CONSTRAINT igny8_plans_name_check CHECK (name <> ''),
  slug               text        NOT NULL UNIQUE CONSTRAINT igny8_plans_slug_check CHECK (slug <> ''),
  price_cents        bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_plans_price_cents_check CHECK (price_cents >= 0),
  billing_cycle      text        NOT NULL DEFAULT 'monthly' CONSTRAINT igny8_plans_billing_cycle_check CHECK (billing_cycle IN ('monthly', 'annual')),
  included_credits   bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_plans_included_credits_check CHECK (included_credits >= 0),
  extra_credit_price_cents bigint NOT NULL DEFAULT 0 CONSTRAINT igny8_plans_extra_credit_price_cents_check CHECK (extra_credit_price_cents >= 0),
  allow_credit_topup boolean     NOT NULL DEFAULT true,
  max_sites          integer     NOT NULL DEFAULT 1 CONSTRAINT igny8_plans_max_sites_check CHECK (max_sites >= 1),
  max_users          integer     NOT NULL DEFAULT 1 CONSTRAINT igny8_plans_max_users_check CHECK (max_users >= 1),
  max_keywords       integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_plans_max_keywords_check CHECK (max_keywords >= 0),
  max_ahrefs_queries integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_plans_max_ahrefs_queries_check CHECK (max_ahrefs_queries >= 0),
  features           jsonb       NOT NULL DEFAULT '[]',
  stripe_product_id  text        NOT NULL DEFAULT '',
  stripe_price_id    text        NOT NULL DEFAULT '',
  is_active          boolean     NOT NULL DEFAULT true,
  is_internal        boolean     NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

--bun:split

CREATE TABLE igny8_accounts (
  id                 bigserial PRIMARY KEY,
  name               text        NOT NULL CONSTRAINT igny8_accounts_name_check CHECK (name <> ''),
  slug               text        NOT NULL UNIQUE CONSTRAINT igny8_accounts_slug_check CHECK (slug <> ''),
  owner_id           bigint,
  plan_id            bigint      NOT NULL REFERENCES igny8_plans (id),
  credits            bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_accounts_credits_check CHECK (credits >= 0),
  bonus_credits      bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_accounts_bonus_credits_check CHECK (bonus_credits >= 0),
  status             text        NOT NULL DEFAULT 'trial' CONSTRAINT igny8_accounts_status_check CHECK (status IN ('active', 'suspended', 'trial', 'cancelled')),
  account_timezone   text        NOT NULL DEFAULT 'UTC',
  stripe_customer_id text        NOT NULL DEFAULT '',
  paypal_customer_id text        NOT NULL DEFAULT '',
  retention_days     integer     NOT NULL DEFAULT 30 CONSTRAINT igny8_accounts_retention_days_check CHECK (retention_days >= 1),
  is_system          boolean     NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz
);

--bun:split

CREATE TABLE igny8_users (
  id          bigserial PRIMARY KEY,
  account_id  bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  -- Login is by email across all accounts, so email is the one deliberate
  -- global unique index on a tenant table.
  email       text        NOT NULL UNIQUE CONSTRAINT igny8_users_email_check CHECK (email <> ''),
  username    text        NOT NULL CONSTRAINT igny8_users_username_check CHECK (username <> ''),
  first_name  text        NOT NULL DEFAULT '',
  last_name   text        NOT NULL DEFAULT '',
  role        text        NOT NULL CONSTRAINT igny8_users_role_check CHECK (role IN ('developer', 'owner', 'admin', 'editor', 'viewer', 'system_bot')),
  is_active   boolean     NOT NULL DEFAULT true,
  password    text        NOT NULL DEFAULT '',
  last_login  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, id),
  UNIQUE (account_id, username)
);

--bun:split

-- The owner must be a user of the same account.
ALTER TABLE igny8_accounts ADD CONSTRAINT igny8_accounts_owner_fk
  FOREIGN KEY (id, owner_id) REFERENCES igny8_users (account_id, id) DEFERRABLE INITIALLY DEFERRED;

--bun:split

CREATE TABLE igny8_subscriptions (
  id                       bigserial PRIMARY KEY,
  account_id               bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  plan_id                  bigint      NOT NULL REFERENCES igny8_plans (id),
  status                   text        NOT NULL CONSTRAINT igny8_subscriptions_status_check CHECK (status IN ('trialing', 'active', 'past_due', 'pending_payment', 'canceled')),
  current_period_start     timestamptz NOT NULL,
  current_period_end       timestamptz NOT NULL,
  cancel_at_period_end     boolean     NOT NULL DEFAULT false,
  payment_method           text        NOT NULL DEFAULT '' CONSTRAINT igny8_subscriptions_payment_method_check CHECK (payment_method IN ('', 'stripe', 'paypal', 'bank_transfer')),
  external_subscription_id text        NOT NULL DEFAULT '',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT igny8_subscriptions_period_check CHECK (current_period_end >= current_period_start)
);

--bun:split

-- One live subscription per account.
CREATE UNIQUE INDEX igny8_subscriptions_live_uq ON igny8_subscriptions (account_id)
  WHERE status IN ('trialing', 'active', 'past_due', 'pending_payment');

--bun:split

CREATE INDEX igny8_subscriptions_external_idx ON igny8_subscriptions (external_subscription_id)
  WHERE external_subscription_id <> '';

--bun:split

CREATE TABLE igny8_industries (
  id          bigserial PRIMARY KEY,
  name        text        NOT NULL UNIQUE CONSTRAINT igny8_industries_name_check CHECK (name <> ''),
  slug        text        NOT NULL UNIQUE CONSTRAINT igny8_industries_slug_check CHECK (slug <> ''),
  description text        NOT NULL DEFAULT '',
  is_active   boolean     NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

--bun:split

CREATE TABLE igny8_industry_sectors (
  id          bigserial PRIMARY KEY,
  industry_id bigint      NOT NULL REFERENCES igny8_industries (id) ON DELETE CASCADE,
  name        text        NOT NULL CONSTRAINT igny8_industry_sectors_name_check CHECK (name <> ''),
  slug        text        NOT NULL CONSTRAINT igny8_industry_sectors_slug_check CHECK (slug <> ''),
  description text        NOT NULL DEFAULT '',
  is_active   boolean     NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (industry_id, slug),
  UNIQUE (industry_id, id)
);

--bun:split

CREATE TABLE igny8_seed_keywords (
  id                 bigserial PRIMARY KEY,
  industry_id        bigint      NOT NULL,
  industry_sector_id bigint      NOT NULL,
  keyword            text        NOT NULL CONSTRAINT igny8_seed_keywords_keyword_check CHECK (keyword <> ''),
  volume             integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_seed_keywords_volume_check CHECK (volume >= 0),
  difficulty         integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_seed_keywords_difficulty_check CHECK (difficulty BETWEEN 0 AND 100),
  intent             text        NOT NULL DEFAULT 'informational' CONSTRAINT igny8_seed_keywords_intent_check CHECK (intent IN ('informational', 'commercial', 'transactional', 'navigational')),
  is_active          boolean     NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (industry_id, industry_sector_id) REFERENCES igny8_industry_sectors (industry_id, id) ON DELETE CASCADE,
  UNIQUE (industry_sector_id, keyword)
);

--bun:split

CREATE TABLE igny8_sites (
  id            bigserial PRIMARY KEY,
  account_id    bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  name          text        NOT NULL CONSTRAINT igny8_sites_name_check CHECK (name <> ''),
  domain        text        NOT NULL DEFAULT '',
  slug          text        NOT NULL CONSTRAINT igny8_sites_slug_check CHECK (slug <> ''),
  industry_id   bigint      REFERENCES igny8_industries (id),
  is_active     boolean     NOT NULL DEFAULT true,
  platform_type text        NOT NULL DEFAULT 'wordpress' CONSTRAINT igny8_sites_platform_type_check CHECK (platform_type IN ('wordpress', 'shopify', 'custom')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, id),
  UNIQUE (account_id, slug)
);

--bun:split

CREATE TRIGGER igny8_sites_immutable BEFORE UPDATE ON igny8_sites
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

CREATE TABLE igny8_sectors (
  id                 bigserial PRIMARY KEY,
  account_id         bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  site_id            bigint      NOT NULL,
  industry_sector_id bigint      REFERENCES igny8_industry_sectors (id),
  name               text        NOT NULL CONSTRAINT igny8_sectors_name_check CHECK (name <> ''),
  description        text        NOT NULL DEFAULT '',
  is_active          boolean     NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- A sector cannot point at another account's site.
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, site_id, id),
  UNIQUE (account_id, site_id, name)
);

--bun:split

CREATE TRIGGER igny8_sectors_immutable BEFORE UPDATE ON igny8_sectors
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id');

--bun:split

CREATE TRIGGER igny8_users_immutable BEFORE UPDATE ON igny8_users
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

CREATE TRIGGER igny8_subscriptions_immutable BEFORE UPDATE ON igny8_subscriptions
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');

--bun:split

CREATE TABLE igny8_site_user_access (
  id            bigserial PRIMARY KEY,
  account_id    bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id       bigint      NOT NULL,
  site_id       bigint      NOT NULL,
  granted_by_id bigint,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE,
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE,
  UNIQUE (account_id, user_id, site_id)
);

--bun:split

CREATE TRIGGER igny8_site_user_access_immutable BEFORE UPDATE ON igny8_site_user_access
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'user_id', 'site_id');

--bun:split

CREATE TABLE igny8_password_reset_tokens (
  id          bigserial PRIMARY KEY,
  account_id  bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id     bigint      NOT NULL,
  -- SHA-256 of the token; the token itself is never stored. A global unique
  -- index on a hash reveals nothing about other accounts.
  token_hash  text        NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE,
  CONSTRAINT igny8_password_reset_tokens_expires_at_check CHECK (expires_at <= created_at + interval '1 hour')
);

--bun:split

CREATE INDEX igny8_password_reset_tokens_user_idx ON igny8_password_reset_tokens (account_id, user_id, created_at);

--bun:split

CREATE TRIGGER igny8_password_reset_tokens_immutable BEFORE UPDATE ON igny8_password_reset_tokens
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'user_id');
