// Package seed builds the benchmark dataset: N accounts, each with an owner,
// sites and sectors created through the library (igny8.App.Tenancy, so they
// are exactly what the product would create), and keywords, clusters and
// ideas generated deterministically from a seed and written in bulk —
// pgx CopyFrom on PostgreSQL, bun batch inserts on SQLite — because the
// planner service is not there yet and 100,000 single inserts would take
// minutes. Cluster aggregates (keywords_count, volume, difficulty,
// ideas_count) are computed from the rows written, so they agree with
// them.
//
// A bench_seed row records the configuration a database was seeded with;
// Ensure reuses a database whose record and counts match and reports
// anything else so the caller can start over on a fresh one.
package seed
