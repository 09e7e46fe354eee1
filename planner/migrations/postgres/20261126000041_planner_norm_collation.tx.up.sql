-- keyword_norm and name_norm are only ever compared for equality (the
-- per-sector uniqueness of live rows, duplicate checks, lookups by name),
-- never sorted, so their collation decides cost alone: under the
-- database's linguistic collation every comparison in their unique indexes
-- is a libc strcoll call, under "C" a byte comparison, which makes each
-- keyword insert (100,000 at a time in a CSV import) and each lookup
-- cheaper. Equality does not change (a deterministic collation holds two
-- texts equal only when their bytes are), and SQLite already compares
-- these columns bytewise (BINARY).
--
-- A collation change keeps the table as it is (no rewrite); only the
-- indexes over the column are rebuilt.
ALTER TABLE igny8_keywords ALTER COLUMN keyword_norm TYPE text COLLATE "C";

--bun:split

ALTER TABLE igny8_clusters ALTER COLUMN name_norm TYPE text COLLATE "C";
