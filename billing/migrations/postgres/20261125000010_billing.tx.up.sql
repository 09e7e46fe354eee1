-- Billing: the credits ledger, the per-call usage log and the cost table.
--
-- The balances themselves are the two pools on igny8_accounts (credits = the
-- plan pool, bonus_credits = the bonus pool, both CHECK >= 0). They change
-- only through the billing service, by a conditional UPDATE in the same
-- transaction as the ledger row that records the change, so that
--   balance_after(row n) = balance_after(row n-1) + amount(row n)
-- holds per account and pool (billing.Service.Reconcile checks it).
--
-- Rules enforced here, not only in Go: the ledger and the usage log are
-- append-only (a trigger rejects UPDATE, and DELETE unless the account row
-- itself is being deleted, i.e. the ON DELETE CASCADE of a purged account);
-- every unique index leads with account_id; idempotency keys are unique per
-- account (and per pool on the ledger, since one charge may touch both pools).

CREATE FUNCTION igny8_billing_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM igny8_accounts WHERE id = OLD.account_id) THEN
    -- The account is being deleted: its history goes with it (cascade).
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;

--bun:split

CREATE TABLE igny8_credit_transactions (
  id              bigserial   PRIMARY KEY,
  account_id      bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  type            text        NOT NULL CONSTRAINT igny8_credit_transactions_type_check CHECK (type IN ('charge', 'refund', 'grant', 'purchase', 'adjustment', 'plan_renewal')),
  pool            text        NOT NULL CONSTRAINT igny8_credit_transactions_pool_check CHECK (pool IN ('plan', 'bonus')),
  -- Signed: negative spends. Charges are negative, grants/purchases/refunds
  -- positive, adjustments either way, a plan renewal is the difference to
  -- the plan's allowance (possibly 0).
  amount          bigint      NOT NULL,
  balance_after   bigint      NOT NULL CONSTRAINT igny8_credit_transactions_balance_after_check CHECK (balance_after >= 0),
  operation       text        NOT NULL DEFAULT '',
  reference       text        NOT NULL DEFAULT '',
  idempotency_key text        NOT NULL CONSTRAINT igny8_credit_transactions_idempotency_key_check CHECK (idempotency_key <> ''),
  description     text        NOT NULL DEFAULT '',
  -- No foreign key: the history must survive the user's deletion, and a
  -- SET NULL would be an UPDATE of an append-only row.
  created_by_id   bigint,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT igny8_credit_transactions_amount_check CHECK (
    (type = 'charge' AND amount < 0)
    OR (type IN ('grant', 'purchase', 'refund') AND amount > 0)
    OR (type = 'adjustment' AND amount <> 0)
    OR type = 'plan_renewal'),
  UNIQUE (account_id, idempotency_key, pool)
);

--bun:split

CREATE INDEX igny8_credit_transactions_account_created_idx ON igny8_credit_transactions (account_id, created_at);

--bun:split

CREATE TRIGGER igny8_credit_transactions_append_only BEFORE UPDATE OR DELETE ON igny8_credit_transactions
  FOR EACH ROW EXECUTE FUNCTION igny8_billing_append_only();

--bun:split

CREATE TABLE igny8_credit_usage_logs (
  id                bigserial   PRIMARY KEY,
  account_id        bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  operation         text        NOT NULL CONSTRAINT igny8_credit_usage_logs_operation_check CHECK (operation <> ''),
  model             text        NOT NULL DEFAULT '',
  units             bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_usage_logs_units_check CHECK (units >= 0),
  prompt_tokens     bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_usage_logs_prompt_tokens_check CHECK (prompt_tokens >= 0),
  completion_tokens bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_usage_logs_completion_tokens_check CHECK (completion_tokens >= 0),
  -- What the provider charged us, in cents (decision 4: money in cents).
  cost_cents        bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_usage_logs_cost_cents_check CHECK (cost_cents >= 0),
  credits           bigint      NOT NULL CONSTRAINT igny8_credit_usage_logs_credits_check CHECK (credits >= 0),
  related_type      text        NOT NULL DEFAULT '',
  related_id        bigint,
  job_id            text        NOT NULL DEFAULT '',
  idempotency_key   text        NOT NULL CONSTRAINT igny8_credit_usage_logs_idempotency_key_check CHECK (idempotency_key <> ''),
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, idempotency_key)
);

--bun:split

CREATE INDEX igny8_credit_usage_logs_account_created_idx ON igny8_credit_usage_logs (account_id, created_at);

--bun:split

CREATE TRIGGER igny8_credit_usage_logs_append_only BEFORE UPDATE OR DELETE ON igny8_credit_usage_logs
  FOR EACH ROW EXECUTE FUNCTION igny8_billing_append_only();

--bun:split

-- Global configuration: what one operation costs. Data, not code.
--   unit call:              credits = credits_per_unit_milli / 1000, rounded up
--   unit item|word|image:   credits = ceil(units * credits_per_unit_milli / 1000)
--   unit token:             credits = ceil((prompt + completion tokens) / tokens_per_credit)
-- and never less than min_credits. Thousandths make 0.5 credit per word exact.
CREATE TABLE igny8_credit_costs (
  operation              text        NOT NULL PRIMARY KEY CONSTRAINT igny8_credit_costs_operation_check CHECK (operation <> ''),
  display_name           text        NOT NULL DEFAULT '',
  unit                   text        NOT NULL CONSTRAINT igny8_credit_costs_unit_check CHECK (unit IN ('call', 'item', 'word', 'image', 'token')),
  credits_per_unit_milli bigint      NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_costs_credits_per_unit_milli_check CHECK (credits_per_unit_milli >= 0),
  tokens_per_credit      integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_costs_tokens_per_credit_check CHECK (tokens_per_credit >= 0 AND (unit <> 'token' OR tokens_per_credit > 0)),
  min_credits            integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_costs_min_credits_check CHECK (min_credits >= 0),
  is_active              boolean     NOT NULL DEFAULT true,
  updated_at             timestamptz NOT NULL DEFAULT now()
);
