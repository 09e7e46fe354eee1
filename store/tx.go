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

// ForUpdate locks the selected rows until the transaction ends. PostgreSQL
// needs the row lock to serialise concurrent limit checks (max sites, max
// users); SQLite has no row locks, but igny8 opens every SQLite transaction
// with BEGIN IMMEDIATE, which already serialises writers.
func ForUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if DialectOf(q.DB()) == Postgres {
		return q.For("UPDATE")
	}
	return q
}
