-- Progress of user-visible background tasks (the original's AITaskLog):
-- one row per task, readable by the task's account only.
CREATE TABLE igny8_task_progress (
  id           bigserial PRIMARY KEY,
  account_id   bigint      NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id      bigint,
  job_id       bigint,
  kind         text        NOT NULL,
  status       text        NOT NULL DEFAULT 'queued' CONSTRAINT igny8_task_progress_status_check CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  percent      integer     NOT NULL DEFAULT 0 CONSTRAINT igny8_task_progress_percent_check CHECK (percent BETWEEN 0 AND 100),
  message      text        NOT NULL DEFAULT '',
  result       jsonb,
  error        text        NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, id)
);
--bun:split
CREATE INDEX igny8_task_progress_account_idx ON igny8_task_progress (account_id, created_at);
--bun:split
CREATE TRIGGER igny8_task_progress_immutable BEFORE UPDATE ON igny8_task_progress
  FOR EACH ROW EXECUTE FUNCTION igny8_immutable_columns('account_id');
