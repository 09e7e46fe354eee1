// Package jobs runs igny8's background work on River (riverqueue.com), on
// the same database as the domain data: PostgreSQL through River's
// database/sql driver (so a job is inserted in the caller's bun
// transaction), or SQLite in the embedded mode.
//
// A job exists if and only if the rows of the transaction that inserted it
// do. Every job carries the account id (TenantArgs); Tenanted rebuilds the
// tenancy.Tenant in the worker and refuses to run for an account that is no
// longer usable. Time limits cancel the handler's context; retries follow
// River's backoff up to each kind's MaxAttempts; a worker killed mid-job
// leaves the job to River's rescuer. User-visible AI jobs also keep a
// Progress record (queued → running → completed/failed, percent, message,
// result, error) that the API exposes per account.
package jobs
