// Package jobs will wire background work on River: one client per App on
// the domain's own database (PostgreSQL or SQLite), typed job args carrying
// the account id, insertion inside the caller's transaction, per-kind time
// limits and retries, unique and periodic (leader-elected) jobs, and the
// task-progress records the API exposes.
package jobs
