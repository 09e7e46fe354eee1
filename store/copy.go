package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// Copier bulk-loads rows into table with PostgreSQL's COPY protocol, inside
// the transaction it was handed with. It is several times faster than a
// multi-row INSERT for thousands of rows (no SQL text to build and parse),
// but it has no ON CONFLICT: the caller must know the rows fit.
type Copier func(ctx context.Context, table string, columns []string, rows [][]any) (int64, error)

// InTxWithCopy is InTx for bulk loads: on PostgreSQL fn also gets a Copier
// that runs on the transaction's own connection; on SQLite, which has no
// COPY, the Copier is nil and fn inserts the usual way.
//
// database/sql has no way to reach the driver connection of a *sql.Tx, so
// the transaction is opened on a dedicated *sql.Conn whose driver
// connection (pgx's) the Copier borrows through Conn.Raw: the COPY runs in
// the same session, hence in the transaction.
func InTxWithCopy(ctx context.Context, db *bun.DB, fn func(ctx context.Context, tx bun.Tx, copy Copier) error) error {
	if DialectOf(db) != Postgres {
		return InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, nil) })
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: dedicated connection: %w", err)
	}
	defer conn.Close()
	copier := func(ctx context.Context, table string, columns []string, rows [][]any) (int64, error) {
		var n int64
		err := WithPgx(conn.Conn, func(c *pgx.Conn) error {
			var err error
			n, err = c.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return n, fmt.Errorf("store: copy into %s: %w", table, MapError(err))
		}
		return n, nil
	}
	return InTx(ctx, conn, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, copier) })
}

// WithPgx runs fn with the pgx connection behind conn, a connection of a
// PostgreSQL database opened by Open: for what only pgx can do (COPY).
// conn stays reserved for the caller meanwhile, so fn runs in conn's
// session and transaction.
func WithPgx(conn *sql.Conn, fn func(*pgx.Conn) error) error {
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(interface{ Conn() *pgx.Conn }) // boundConn, or pgx's own
		if !ok {
			return fmt.Errorf("store: needs a PostgreSQL connection of pgx, not %T", driverConn)
		}
		return fn(c.Conn())
	})
}
