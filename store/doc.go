// Package store opens the database igny8 runs on and holds what every domain
// store shares: the dialect switch (PostgreSQL in production, SQLite as the
// embedded default), the transaction helper, the mapping of constraint
// violations to errs codes, the few dialect-specific query helpers, and the
// migration runner that applies each domain's embedded SQL.
//
// Domain packages keep their own tables and migrations; store knows nothing
// about accounts or keywords.
package store
