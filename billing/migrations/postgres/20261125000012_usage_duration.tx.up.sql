-- How long the provider call(s) of a charged operation took, for the usage
-- history (the AI framework's Result.Duration; 0 for non-AI charges).
ALTER TABLE igny8_credit_usage_logs ADD COLUMN duration_ms bigint NOT NULL DEFAULT 0 CONSTRAINT igny8_credit_usage_logs_duration_ms_check CHECK (duration_ms >= 0);
