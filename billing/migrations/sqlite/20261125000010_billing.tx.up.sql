-- Billing for the embedded SQLite profile: the same tables and rules as the
-- PostgreSQL schema (see there for the reasoning). Timestamps are TEXT written
-- by the application in UTC so they sort as text.
--
-- The ledger and the usage log are append-only: triggers reject UPDATE, and
-- DELETE while the account row still exists. SQLite runs ON DELETE CASCADE
-- after the account row is gone, so purging an account still takes its
-- history with it.

CREATE TABLE igny8_credit_transactions (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  type            TEXT    NOT NULL CONSTRAINT type_check CHECK (type IN ('charge', 'refund', 'grant', 'purchase', 'adjustment', 'plan_renewal')),
  pool            TEXT    NOT NULL CONSTRAINT pool_check CHECK (pool IN ('plan', 'bonus')),
  amount          INTEGER NOT NULL,
  balance_after   INTEGER NOT NULL CONSTRAINT balance_after_check CHECK (balance_after >= 0),
  operation       TEXT    NOT NULL DEFAULT '',
  reference       TEXT    NOT NULL DEFAULT '',
  idempotency_key TEXT    NOT NULL CONSTRAINT idempotency_key_check CHECK (idempotency_key <> ''),
  description     TEXT    NOT NULL DEFAULT '',
  created_by_id   INTEGER,
  created_at      TEXT    NOT NULL,
  CONSTRAINT amount_check CHECK (
    (type = 'charge' AND amount < 0)
    OR (type IN ('grant', 'purchase', 'refund') AND amount > 0)
    OR (type = 'adjustment' AND amount <> 0)
    OR type = 'plan_renewal'),
  UNIQUE (account_id, idempotency_key, pool)
);

--bun:split

CREATE INDEX igny8_credit_transactions_account_created_idx ON igny8_credit_transactions (account_id, created_at);

--bun:split

CREATE TRIGGER igny8_credit_transactions_no_update BEFORE UPDATE ON igny8_credit_transactions
  FOR EACH ROW
  BEGIN SELECT RAISE(ABORT, 'igny8_credit_transactions is append-only: UPDATE is not allowed'); END;

--bun:split

CREATE TRIGGER igny8_credit_transactions_no_delete BEFORE DELETE ON igny8_credit_transactions
  FOR EACH ROW WHEN EXISTS (SELECT 1 FROM igny8_accounts WHERE id = OLD.account_id)
  BEGIN SELECT RAISE(ABORT, 'igny8_credit_transactions is append-only: DELETE is not allowed'); END;

--bun:split

CREATE TABLE igny8_credit_usage_logs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id        INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  operation         TEXT    NOT NULL CONSTRAINT operation_check CHECK (operation <> ''),
  model             TEXT    NOT NULL DEFAULT '',
  units             INTEGER NOT NULL DEFAULT 0 CONSTRAINT units_check CHECK (units >= 0),
  prompt_tokens     INTEGER NOT NULL DEFAULT 0 CONSTRAINT prompt_tokens_check CHECK (prompt_tokens >= 0),
  completion_tokens INTEGER NOT NULL DEFAULT 0 CONSTRAINT completion_tokens_check CHECK (completion_tokens >= 0),
  cost_cents        INTEGER NOT NULL DEFAULT 0 CONSTRAINT cost_cents_check CHECK (cost_cents >= 0),
  credits           INTEGER NOT NULL CONSTRAINT credits_check CHECK (credits >= 0),
  related_type      TEXT    NOT NULL DEFAULT '',
  related_id        INTEGER,
  job_id            TEXT    NOT NULL DEFAULT '',
  idempotency_key   TEXT    NOT NULL CONSTRAINT idempotency_key_check CHECK (idempotency_key <> ''),
  created_at        TEXT    NOT NULL,
  UNIQUE (account_id, idempotency_key)
);

--bun:split

CREATE INDEX igny8_credit_usage_logs_account_created_idx ON igny8_credit_usage_logs (account_id, created_at);

--bun:split

CREATE TRIGGER igny8_credit_usage_logs_no_update BEFORE UPDATE ON igny8_credit_usage_logs
  FOR EACH ROW
  BEGIN SELECT RAISE(ABORT, 'igny8_credit_usage_logs is append-only: UPDATE is not allowed'); END;

--bun:split

CREATE TRIGGER igny8_credit_usage_logs_no_delete BEFORE DELETE ON igny8_credit_usage_logs
  FOR EACH ROW WHEN EXISTS (SELECT 1 FROM igny8_accounts WHERE id = OLD.account_id)
  BEGIN SELECT RAISE(ABORT, 'igny8_credit_usage_logs is append-only: DELETE is not allowed'); END;

--bun:split

-- Global configuration: what one operation costs (see the PostgreSQL file
-- for the formula). Data, not code.
CREATE TABLE igny8_credit_costs (
  operation              TEXT    NOT NULL PRIMARY KEY CONSTRAINT operation_check CHECK (operation <> ''),
  display_name           TEXT    NOT NULL DEFAULT '',
  unit                   TEXT    NOT NULL CONSTRAINT unit_check CHECK (unit IN ('call', 'item', 'word', 'image', 'token')),
  credits_per_unit_milli INTEGER NOT NULL DEFAULT 0 CONSTRAINT credits_per_unit_milli_check CHECK (credits_per_unit_milli >= 0),
  tokens_per_credit      INTEGER NOT NULL DEFAULT 0 CONSTRAINT tokens_per_credit_check CHECK (tokens_per_credit >= 0 AND (unit <> 'token' OR tokens_per_credit > 0)),
  min_credits            INTEGER NOT NULL DEFAULT 0 CONSTRAINT min_credits_check CHECK (min_credits >= 0),
  is_active              INTEGER NOT NULL DEFAULT 1,
  updated_at             TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'))
);
