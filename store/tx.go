package store

import (
	"context"

	"github.com/uptrace/bun"
)

// InTx runs fn in a transaction on idb (a nested call on a bun.Tx uses a
// savepoint) and commits when fn returns nil. Constraint violations raised
// anywhere inside come back as errs errors (see MapError), so callers never
// see driver types.
func InTx(ctx context.Context, idb bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return MapError(idb.RunInTx(ctx, nil, fn))
}

// ForUpdate locks the selected rows of q's own table until the transaction
// ends. PostgreSQL needs the row lock to serialise concurrent limit checks
// (max sites, users, keywords); SQLite has no row locks, but igny8 opens
// every SQLite transaction with BEGIN IMMEDIATE, which already serialises
// writers.
//
// The lock is FOR NO KEY UPDATE: it serialises the limit checks among
// themselves but, unlike FOR UPDATE, does not conflict with the FOR KEY
// SHARE locks that inserting a child row (a site, a keyword) takes on its
// parent, so a transaction that inserted children before locking the parent
// cannot deadlock with one that locked first. "OF" keeps the lock off rows
// of joined tables (the plan shared by many accounts).
func ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if DialectOf(q.DB()) == Postgres {
		return q.For("NO KEY UPDATE OF ?TableAlias")
	}
	return q
}
