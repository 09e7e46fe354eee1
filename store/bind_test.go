package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of database/sql
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

// Rendered by bun, a Bind value is exactly the literal the value itself
// would have been.
func TestBindRendersAsItsValue(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db := env.App.DB()
		for _, v := range []any{int64(-7), "it's 50% \\ off", true, nil} {
			plain := db.NewSelect().Model((*listItem)(nil)).Where("?TableAlias.note = ?", v).String()
			bound := db.NewSelect().Model((*listItem)(nil)).Where("?TableAlias.note = ?", store.Bind(v)).String()
			require.Equal(t, plain, bound)
		}
	})
}

// queryLog records the text of every query bun runs.
type queryLog struct {
	mu      sync.Mutex
	queries []string
}

func (l *queryLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (l *queryLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.queries = append(l.queries, e.Query)
}

func (l *queryLog) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.queries[len(l.queries)-1]
}

// On PostgreSQL a ColumnScanner's page goes out with its values as
// parameters — through bun, so query hooks see it — and finds the rows the
// literal query finds, whatever the search text holds. On one connection,
// repeated pages of different tenants' shape are one prepared statement
// whose plan PostgreSQL reuses. A query bound to a transaction stays in it.
func TestListPageParameterized(t *testing.T) {
	env := igny8test.New(t)
	ctx := env.Ctx()
	// One connection, so that pg_prepared_statements (per session) shows
	// what the list queries left behind.
	db, err := store.Open(ctx, env.DatabaseURL, store.Options{MaxOpenConns: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	log := &queryLog{}
	db.AddQueryHook(log)
	_, err = db.NewCreateTable().Model((*listItem)(nil)).Exec(ctx)
	require.NoError(t, err)
	seed(t, db,
		&listItem{Owner: "a", Name: `it's 50% off`, Volume: 5},
		&listItem{Owner: "a", Name: `back\slash_x`, Volume: 4},
		&listItem{Owner: "a", Name: "ÉCOLE été", Volume: 3},
		&listItem{Owner: "b", Name: "it's mine", Volume: 9},
		&listItem{Owner: "a", Name: "plain", Volume: 1, Status: "done"},
	)

	cases := []struct{ owner, search string }{
		{"a", "it's"}, {"a", "50%"}, {"a", `\s`}, {"a", "_x"}, {"a", "école"}, {"b", "it's"}, {"a", ""}, {"c", "it"},
	}
	for _, c := range cases {
		v := query("owner", c.owner, "search", c.search, "status_in", "new")
		lq, err := store.ParseList(v, listItemSpec, listLimits)
		require.NoError(t, err)
		fast, err := store.ListPage[scannedItem](ctx, db.NewSelect().Model((*scannedItem)(nil)), lq)
		require.NoError(t, err)
		sent := log.last()
		require.Contains(t, sent, "$1", "the page query goes out with placeholders")
		require.NotContains(t, sent, "'"+c.owner+"'", "the owner travels as a parameter")
		slow, err := store.ListPage[listItem](ctx, db.NewSelect().Model((*listItem)(nil)), lq)
		require.NoError(t, err)
		require.Contains(t, log.last(), "'"+c.owner+"'", "bun's scanner path keeps literals")
		require.Equal(t, slow.Count, fast.Count, "owner %s search %q", c.owner, c.search)
		require.Len(t, fast.Results, len(slow.Results))
		for i := range slow.Results {
			require.True(t, fast.Results[i].ViaScanDest)
			require.Equal(t, slow.Results[i], fast.Results[i].listItem)
		}
	}

	// Every case above had the same shape: one statement, planned for all.
	var stmts []struct {
		Statement    string `bun:"statement"`
		GenericPlans int64  `bun:"generic_plans"`
		CustomPlans  int64  `bun:"custom_plans"`
	}
	require.NoError(t, db.NewRaw("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements").Scan(ctx, &stmts))
	var pages int
	for _, s := range stmts {
		if strings.Contains(s.Statement, "igny8_total") && strings.Contains(s.Statement, "ILIKE $") {
			pages++
			require.Equal(t, int64(len(cases)-1), s.GenericPlans+s.CustomPlans, "one statement served every search (the empty one has another shape)")
		}
	}
	require.Equal(t, 1, pages, "prepared: %+v", stmts)

	// A query of a transaction sees the transaction's rows. (Run on the
	// database instead, it would wait for the only connection: hence the
	// deadline.)
	txCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err = store.InTx(txCtx, db, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&listItem{Owner: "z", Name: "only in tx", Status: "new"}).Exec(ctx)
		require.NoError(t, err)
		lq, err := store.ParseList(query("owner", "z"), listItemSpec, listLimits)
		require.NoError(t, err)
		p, err := store.ListPage[scannedItem](ctx, tx.NewSelect().Model((*scannedItem)(nil)), lq)
		require.NoError(t, err)
		require.Equal(t, 1, p.Count)
		require.Contains(t, log.last(), "'z'")
		return nil
	})
	require.NoError(t, err)
}

// boundDB is a one-connection PostgreSQL database opened by store.Open
// with dsnSuffix appended to the test database's DSN, holding list_items
// with one row.
func boundDB(t *testing.T, dsnSuffix string) (*bun.DB, context.Context, *igny8test.Env) {
	t.Helper()
	env := igny8test.New(t)
	ctx := env.Ctx()
	db, err := store.Open(ctx, env.DatabaseURL+dsnSuffix, store.Options{MaxOpenConns: 1})
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	_, err = db.NewCreateTable().Model((*listItem)(nil)).Exec(ctx)
	require.NoError(t, err)
	seed(t, db, &listItem{Owner: "a", Name: "x", Volume: 5}, &listItem{Owner: "a", Name: "y", Volume: 6, Status: "done"})
	return db, ctx, env
}

// bothPages lists db through the parameterized path (scannedItem) and
// bun's (listItem) and requires the same answer from both.
func bothPages(t *testing.T, ctx context.Context, db *bun.DB, kv ...string) store.Page[listItem] {
	t.Helper()
	lq, err := store.ParseList(query(kv...), listItemSpec, listLimits)
	require.NoError(t, err)
	fast, err := store.ListPage[scannedItem](ctx, db.NewSelect().Model((*scannedItem)(nil)), lq)
	require.NoError(t, err, "parameterized page")
	slow, err := store.ListPage[listItem](ctx, db.NewSelect().Model((*listItem)(nil)), lq)
	require.NoError(t, err, "bun's page")
	require.Equal(t, slow.Count, fast.Count)
	for i := range slow.Results {
		require.Equal(t, slow.Results[i], fast.Results[i].listItem)
	}
	return slow
}

func preparedPages(t *testing.T, ctx context.Context, db *bun.DB) int {
	t.Helper()
	var n int
	require.NoError(t, db.NewRaw("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%igny8_total%'").Scan(ctx, &n))
	return n
}

// Review findings on the parameterized pages, each once a failure: an
// integer beyond an int4 column's range, IN lists (one statement whatever
// the values), a DSN without statement cache, a database not opened by
// store.Open, and a column type changed under a prepared statement.
func TestListPageParameterizedEdges(t *testing.T) {
	t.Run("int4 overflow", func(t *testing.T) {
		db, ctx, _ := boundDB(t, "")
		_, err := db.ExecContext(ctx, `ALTER TABLE list_items ALTER COLUMN volume TYPE integer`)
		require.NoError(t, err)
		require.Equal(t, 0, bothPages(t, ctx, db, "volume_min", "3000000000").Count)
		require.Equal(t, 2, bothPages(t, ctx, db, "volume_max", "3000000000").Count)
	})
	t.Run("IN lists are one array parameter", func(t *testing.T) {
		db, ctx, _ := boundDB(t, "")
		for i := range 20 {
			bothPages(t, ctx, db, "ids", fmt.Sprintf("%d,%d", i+1, 40-i))
			bothPages(t, ctx, db, "status_in", []string{"new", "done,new", "old,done"}[i%3])
		}
		require.Equal(t, 1, bothPages(t, ctx, db, "ids", "1,7", "status_in", "done,new").Count)
		require.Equal(t, 3, preparedPages(t, ctx, db), "one statement each for ids, status_in and both")
	})
	t.Run("no statement cache", func(t *testing.T) {
		db, ctx, _ := boundDB(t, "&statement_cache_capacity=0")
		require.Equal(t, 1, bothPages(t, ctx, db, "owner", "a", "status", "done").Count)
		require.Equal(t, 0, preparedPages(t, ctx, db))
	})
	t.Run("database not opened by store", func(t *testing.T) {
		_, ctx, env := boundDB(t, "")
		sqldb, err := sql.Open("pgx", env.DatabaseURL)
		require.NoError(t, err)
		db := bun.NewDB(sqldb, pgdialect.New())
		t.Cleanup(func() { _ = db.Close() })
		require.Equal(t, 2, bothPages(t, ctx, db, "owner", "a").Count)
	})
	t.Run("column type changed", func(t *testing.T) {
		db, ctx, _ := boundDB(t, "")
		bothPages(t, ctx, db, "owner", "a")
		_, err := db.ExecContext(ctx, `ALTER TABLE list_items ALTER COLUMN volume TYPE integer`)
		require.NoError(t, err)
		require.Equal(t, 2, bothPages(t, ctx, db, "owner", "a").Count)
	})
}
