package tracking

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// openDB returns a bun DB on a fresh SQLite file with the hook installed and
// a table to query.
func openDB(t *testing.T) *bun.DB {
	t.Helper()
	sqldb, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "x.db"))
	require.NoError(t, err)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { _ = db.Close() })
	db.AddQueryHook(QueryHook{})
	_, err = db.ExecContext(context.Background(), "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
	require.NoError(t, err)
	return db
}

type item struct {
	bun.BaseModel `bun:"table:items"`
	ID            int64  `bun:"id,pk,autoincrement"`
	Name          string `bun:"name"`
}

func TestQueryHookCountsOnlyTrackedQueries(t *testing.T) {
	db := openDB(t)
	tr := Start()
	tracked := WithTracker(context.Background(), tr)
	untracked := context.Background()

	// Tracked: an insert, a model select and a raw query.
	_, err := db.NewInsert().Model(&item{Name: "a"}).Exec(tracked)
	require.NoError(t, err)
	var items []item
	require.NoError(t, db.NewSelect().Model(&items).Scan(tracked))
	require.Len(t, items, 1)
	var n int
	require.NoError(t, db.QueryRowContext(tracked, "SELECT count(*) FROM items").Scan(&n))
	require.Equal(t, 1, n)

	// Untracked: the same kinds of queries without a Tracker in ctx.
	_, err = db.NewInsert().Model(&item{Name: "b"}).Exec(untracked)
	require.NoError(t, err)
	count, err := db.NewSelect().Model((*item)(nil)).Count(untracked)
	require.NoError(t, err)
	require.EqualValues(t, 2, count)

	m := tr.Finish("GET", "/items", 200, 1)
	assert.Equal(t, int64(3), m.DBQueries)
	assert.Positive(t, m.DBTimeMS)
	assert.LessOrEqual(t, m.DBTimeMS, m.DurationMS, "sequential queries fit in the request")
}

func TestQueryHookCountsFailedQueries(t *testing.T) {
	db := openDB(t)
	tr := Start()
	ctx := WithTracker(context.Background(), tr)
	_, err := db.ExecContext(ctx, "SELECT * FROM no_such_table")
	require.Error(t, err)
	assert.Equal(t, int64(1), tr.Finish("GET", "/", 500, 1).DBQueries)
}

func TestQueryHookConcurrentQueries(t *testing.T) {
	db := openDB(t)
	_, err := db.NewInsert().Model(&item{Name: "seed"}).Exec(context.Background())
	require.NoError(t, err)

	tr := Start()
	tracked := WithTracker(context.Background(), tr)
	const workers, perWorker = 8, 10
	var wg sync.WaitGroup
	errc := make(chan error, 2*workers*perWorker)
	for range workers {
		// One tracked and one untracked goroutine each: the untracked ones
		// share the hook and must not touch the Tracker.
		for _, ctx := range []context.Context{tracked, context.Background()} {
			wg.Go(func() {
				for range perWorker {
					var n int
					errc <- db.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n)
				}
			})
		}
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		require.NoError(t, err)
	}
	m := tr.Finish("GET", "/parallel", 200, 1)
	assert.Equal(t, int64(workers*perWorker), m.DBQueries)
	assert.Positive(t, m.DBTimeMS)
}
