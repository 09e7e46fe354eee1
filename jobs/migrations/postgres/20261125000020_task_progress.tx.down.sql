DROP TABLE IF EXISTS igny8_task_progress;
