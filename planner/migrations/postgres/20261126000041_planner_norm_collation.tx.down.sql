ALTER TABLE igny8_clusters ALTER COLUMN name_norm TYPE text COLLATE "default";

--bun:split

ALTER TABLE igny8_keywords ALTER COLUMN keyword_norm TYPE text COLLATE "default";
