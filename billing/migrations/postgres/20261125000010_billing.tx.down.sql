DROP TABLE IF EXISTS igny8_credit_costs;
--bun:split
DROP TABLE IF EXISTS igny8_credit_usage_logs;
--bun:split
DROP TABLE IF EXISTS igny8_credit_transactions;
--bun:split
DROP FUNCTION IF EXISTS igny8_billing_append_only();
