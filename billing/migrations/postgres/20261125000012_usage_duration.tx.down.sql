ALTER TABLE igny8_credit_usage_logs DROP COLUMN duration_ms;
