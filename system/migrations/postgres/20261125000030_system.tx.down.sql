DROP TABLE IF EXISTS igny8_module_settings;
--bun:split
DROP TABLE IF EXISTS igny8_ai_settings;
--bun:split
DROP TABLE IF EXISTS igny8_global_ai_settings;
--bun:split
DROP TABLE IF EXISTS igny8_ai_models;
--bun:split
DROP TABLE IF EXISTS igny8_ai_prompts;
--bun:split
DROP TABLE IF EXISTS igny8_global_ai_prompts;
