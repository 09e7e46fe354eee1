CREATE TABLE igny8_task_progress (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id   INTEGER NOT NULL REFERENCES igny8_accounts (id) ON DELETE CASCADE,
  user_id      INTEGER,
  job_id       INTEGER,
  kind         TEXT    NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'queued' CONSTRAINT status_check CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  percent      INTEGER NOT NULL DEFAULT 0 CONSTRAINT percent_check CHECK (percent BETWEEN 0 AND 100),
  message      TEXT    NOT NULL DEFAULT '',
  result       TEXT,
  error        TEXT    NOT NULL DEFAULT '',
  created_at   TEXT    NOT NULL,
  updated_at   TEXT    NOT NULL,
  UNIQUE (account_id, id)
);
--bun:split
CREATE INDEX igny8_task_progress_account_idx ON igny8_task_progress (account_id, created_at);
--bun:split
CREATE TRIGGER igny8_task_progress_account_id_immutable BEFORE UPDATE OF account_id ON igny8_task_progress
  FOR EACH ROW WHEN NEW.account_id IS NOT OLD.account_id
  BEGIN SELECT RAISE(ABORT, 'column account_id is immutable on igny8_task_progress'); END;
