DROP TABLE IF EXISTS igny8_password_reset_tokens;
--bun:split
DROP TABLE IF EXISTS igny8_site_user_access;
--bun:split
DROP TABLE IF EXISTS igny8_sectors;
--bun:split
DROP TABLE IF EXISTS igny8_sites;
--bun:split
DROP TABLE IF EXISTS igny8_seed_keywords;
--bun:split
DROP TABLE IF EXISTS igny8_industry_sectors;
--bun:split
DROP TABLE IF EXISTS igny8_industries;
--bun:split
DROP TABLE IF EXISTS igny8_subscriptions;
--bun:split
DROP TABLE IF EXISTS igny8_users;
--bun:split
DROP TABLE IF EXISTS igny8_accounts;
--bun:split
DROP TABLE IF EXISTS igny8_plans;
