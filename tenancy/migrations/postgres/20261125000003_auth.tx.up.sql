-- Credentials: per-site API keys (WordPress bridge), refresh-token families
-- (rotation with reuse detection) and server-side browser sessions. Only
-- hashes of secrets are stored.

CREATE TABLE igny8_api_keys (
  id            bigserial PRIMARY KEY,
  account_id    bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  site_id       bigint      NOT NULL,
  name          text        NOT NULL DEFAULT '',
  -- The public lookup part of the key; globally unique so a key finds its
  -- row with one index probe. It reveals nothing: the secret part is hashed.
  prefix        text        NOT NULL UNIQUE,
  key_hash      text        NOT NULL,
  created_by_id bigint,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_api_keys_site_idx ON igny8_api_keys (account_id, site_id);

--bun:split

CREATE TRIGGER igny8_api_keys_immutable BEFORE UPDATE ON igny8_api_keys
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'site_id', 'prefix', 'key_hash');

--bun:split

CREATE TABLE igny8_refresh_tokens (
  id          bigserial PRIMARY KEY,
  account_id  bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id     bigint      NOT NULL,
  family      text        NOT NULL,
  -- jti of the refresh JWT; a random 128-bit id.
  jti         text        NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_refresh_tokens_family_idx ON igny8_refresh_tokens (account_id, family);

--bun:split

CREATE INDEX igny8_refresh_tokens_user_idx ON igny8_refresh_tokens (account_id, user_id);

--bun:split

CREATE TRIGGER igny8_refresh_tokens_immutable BEFORE UPDATE ON igny8_refresh_tokens
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'user_id', 'family', 'jti');

--bun:split

CREATE TABLE igny8_sessions (
  id           bigserial PRIMARY KEY,
  account_id   bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id      bigint      NOT NULL,
  -- SHA-256 of the cookie value.
  token_hash   text        NOT NULL UNIQUE,
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_sessions_user_idx ON igny8_sessions (account_id, user_id);

--bun:split

CREATE TRIGGER igny8_sessions_immutable BEFORE UPDATE ON igny8_sessions
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id', 'user_id', 'token_hash');
