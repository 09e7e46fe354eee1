package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

func TestInTxWithCopy(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		db := env.App.DB()
		_, err := db.ExecContext(ctx, "CREATE TABLE copy_target (name text NOT NULL UNIQUE, qty integer NOT NULL)")
		require.NoError(t, err)
		count := func() int {
			n, err := db.NewSelect().Table("copy_target").Count(ctx)
			require.NoError(t, err)
			return int(n)
		}
		rows := [][]any{{"a", 1}, {"b", 2}}
		errRollback := errors.New("roll back")

		err = store.InTxWithCopy(ctx, db, func(ctx context.Context, tx bun.Tx, copy store.Copier) error {
			if env.Dialect == store.SQLite {
				require.Nil(t, copy, "SQLite has no COPY")
				return errRollback
			}
			n, err := copy(ctx, "copy_target", []string{"name", "qty"}, rows)
			require.NoError(t, err)
			require.EqualValues(t, 2, n)
			// The copied rows are visible inside the transaction …
			var seen int
			require.NoError(t, tx.NewSelect().Table("copy_target").ColumnExpr("count(*)").Scan(ctx, &seen))
			require.Equal(t, 2, seen)
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		require.Zero(t, count(), "… and gone with its rollback")
		if env.Dialect == store.SQLite {
			return
		}

		require.NoError(t, store.InTxWithCopy(ctx, db, func(ctx context.Context, tx bun.Tx, copy store.Copier) error {
			_, err := copy(ctx, "copy_target", []string{"name", "qty"}, rows)
			return err
		}))
		require.Equal(t, 2, count())

		// A constraint violation comes back mapped, naming the field.
		err = store.InTxWithCopy(ctx, db, func(ctx context.Context, tx bun.Tx, copy store.Copier) error {
			_, err := copy(ctx, "copy_target", []string{"name", "qty"}, [][]any{{"a", 3}})
			return err
		})
		assertField(t, err, "conflict", "name")
		require.Equal(t, 2, count())
	})
}
