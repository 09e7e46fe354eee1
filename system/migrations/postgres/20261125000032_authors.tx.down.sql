DROP TABLE IF EXISTS igny8_strategies;
--bun:split
DROP TABLE IF EXISTS igny8_author_profiles;
