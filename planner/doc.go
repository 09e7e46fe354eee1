// Package planner is the first stages of the pipeline: keywords (own, or
// adopted from the global seed library), clusters of keywords with their
// aggregates, and content ideas, all living in one sector of one site and
// soft-deleted; CSV import (streamed, COPY batches on PostgreSQL) and
// export; and the AI functions auto_cluster and generate_ideas, run as
// River jobs that save their results and their credit charge in one
// transaction.
//
// Every Service method takes the caller's tenancy.Tenant; rows are read
// through tenancy.ScopeSite, so other accounts' rows (and sites a user was
// not granted) are not found. Viewers read; editors and above, site API
// keys and the system bot write.
package planner
