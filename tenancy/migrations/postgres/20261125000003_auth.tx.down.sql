DROP TABLE IF EXISTS igny8_sessions;
--bun:split
DROP TABLE IF EXISTS igny8_refresh_tokens;
--bun:split
DROP TABLE IF EXISTS igny8_api_keys;
