-- Credentials: per-site API keys (WordPress bridge), refresh-token families
-- (rotation with reuse detection) and server-side browser sessions. Only
-- hashes of secrets are stored.

CREATE TABLE igny8_api_keys (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    INTEGER      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  site_id       INTEGER      NOT NULL,
  name          TEXT        NOT NULL DEFAULT '',
  -- The public lookup part of the key; globally unique so a key finds its
  -- row with one index probe. It reveals nothing: the secret part is hashed.
  prefix        TEXT        NOT NULL UNIQUE,
  key_hash      TEXT        NOT NULL,
  created_by_id INTEGER,
  last_used_at  TEXT,
  revoked_at    TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  FOREIGN KEY (account_id, site_id) REFERENCES igny8_sites (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_api_keys_site_idx ON igny8_api_keys (account_id, site_id);

--bun:split
CREATE TRIGGER igny8_api_keys_account_id_immutable BEFORE UPDATE OF account_id ON igny8_api_keys
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_api_keys'); END;
--bun:split
CREATE TRIGGER igny8_api_keys_site_id_immutable BEFORE UPDATE OF site_id ON igny8_api_keys
  FOR EACH ROW WHEN NEW.site_id IS NOT OLD.site_id
  BEGIN SELECT RAISE(ABORT, 'column site_id is immutable on igny8_api_keys'); END;
--bun:split
CREATE TRIGGER igny8_api_keys_prefix_immutable BEFORE UPDATE OF prefix ON igny8_api_keys
  FOR EACH ROW WHEN NEW.prefix IS NOT OLD.prefix
  BEGIN SELECT RAISE(ABORT, 'column prefix is immutable on igny8_api_keys'); END;
--bun:split
CREATE TRIGGER igny8_api_keys_key_hash_immutable BEFORE UPDATE OF key_hash ON igny8_api_keys
  FOR EACH ROW WHEN NEW.key_hash IS NOT OLD.key_hash
  BEGIN SELECT RAISE(ABORT, 'column key_hash is immutable on igny8_api_keys'); END;
--bun:split

CREATE TABLE igny8_refresh_tokens (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id     INTEGER      NOT NULL,
  family      TEXT        NOT NULL,
  -- jti of the refresh JWT; a random 128-bit id.
  jti         TEXT        NOT NULL UNIQUE,
  expires_at  TEXT NOT NULL,
  rotated_at  TEXT,
  revoked_at  TEXT,
  created_at  TEXT NOT NULL,
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_refresh_tokens_family_idx ON igny8_refresh_tokens (account_id, family);

--bun:split

CREATE INDEX igny8_refresh_tokens_user_idx ON igny8_refresh_tokens (account_id, user_id);

--bun:split
CREATE TRIGGER igny8_refresh_tokens_account_id_immutable BEFORE UPDATE OF account_id ON igny8_refresh_tokens
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_refresh_tokens'); END;
--bun:split
CREATE TRIGGER igny8_refresh_tokens_user_id_immutable BEFORE UPDATE OF user_id ON igny8_refresh_tokens
  FOR EACH ROW WHEN NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'column user_id is immutable on igny8_refresh_tokens'); END;
--bun:split
CREATE TRIGGER igny8_refresh_tokens_family_immutable BEFORE UPDATE OF family ON igny8_refresh_tokens
  FOR EACH ROW WHEN NEW.family IS NOT OLD.family
  BEGIN SELECT RAISE(ABORT, 'column family is immutable on igny8_refresh_tokens'); END;
--bun:split
CREATE TRIGGER igny8_refresh_tokens_jti_immutable BEFORE UPDATE OF jti ON igny8_refresh_tokens
  FOR EACH ROW WHEN NEW.jti IS NOT OLD.jti
  BEGIN SELECT RAISE(ABORT, 'column jti is immutable on igny8_refresh_tokens'); END;
--bun:split

CREATE TABLE igny8_sessions (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id   INTEGER      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id      INTEGER      NOT NULL,
  -- SHA-256 of the cookie value.
  token_hash   TEXT        NOT NULL UNIQUE,
  expires_at   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  FOREIGN KEY (account_id, user_id) REFERENCES igny8_users (account_id, id) ON DELETE CASCADE
);

--bun:split

CREATE INDEX igny8_sessions_user_idx ON igny8_sessions (account_id, user_id);

--bun:split
CREATE TRIGGER igny8_sessions_account_id_immutable BEFORE UPDATE OF account_id ON igny8_sessions
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_sessions'); END;
--bun:split
CREATE TRIGGER igny8_sessions_user_id_immutable BEFORE UPDATE OF user_id ON igny8_sessions
  FOR EACH ROW WHEN NEW.user_id IS NOT OLD.user_id
  BEGIN SELECT RAISE(ABORT, 'column user_id is immutable on igny8_sessions'); END;
--bun:split
CREATE TRIGGER igny8_sessions_token_hash_immutable BEFORE UPDATE OF token_hash ON igny8_sessions
  FOR EACH ROW WHEN NEW.token_hash IS NOT OLD.token_hash
  BEGIN SELECT RAISE(ABORT, 'column token_hash is immutable on igny8_sessions'); END;
