DELETE FROM igny8_global_ai_settings WHERE id = 1;
--bun:split
-- Accounts that chose one of these models inherit again (ON DELETE SET NULL).
DELETE FROM igny8_ai_models WHERE name IN ('gpt-4o-mini', 'gpt-4o', 'dall-e-3');
