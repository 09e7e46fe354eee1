package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

func TestParseDSN(t *testing.T) {
	cases := []struct {
		dsn     string
		dialect store.Dialect
		path    string
	}{
		{"postgres://u:p@localhost:5432/db?sslmode=disable", store.Postgres, ""},
		{"postgresql://localhost/db", store.Postgres, ""},
		{"sqlite://data/igny8.db", store.SQLite, "data/igny8.db"},
		{"sqlite:///var/lib/igny8/igny8.db", store.SQLite, "/var/lib/igny8/igny8.db"},
		{"file:igny8.db?_pragma=busy_timeout(1)", store.SQLite, "igny8.db"},
		{":memory:", store.SQLite, ""},
	}
	for _, tc := range cases {
		target, err := store.ParseDSN(tc.dsn)
		require.NoError(t, err, tc.dsn)
		assert.Equal(t, tc.dialect, target.Dialect, tc.dsn)
		assert.Equal(t, tc.path, target.Path, tc.dsn)
		if tc.dialect == store.SQLite {
			assert.Contains(t, target.DSN, "_txlock=immediate")
			assert.Contains(t, target.DSN, "foreign_keys")
		}
	}
	target, err := store.ParseDSN("file:x.db?_pragma=busy_timeout(1)")
	require.NoError(t, err)
	assert.NotContains(t, target.DSN, "busy_timeout%2810000%29", "a caller's pragma wins")

	for _, bad := range []string{"", "mysql://localhost/db", "sqlite://", "redis://x"} {
		_, err := store.ParseDSN(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "postgres://u:xxxxx@h/db", store.RedactDSN("postgres://u:secret@h/db"))
	assert.NotContains(t, store.RedactDSN("postgres://h/db?user=u&password=s3cret"), "s3cret")
	assert.Equal(t, "<unparseable DSN>", store.RedactDSN("postgres://igny8:s3cr#t@db/x%zz"))
}

func TestOpenSQLiteCreatesDirectoryAndSetsPragmas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "dir")
	db, err := store.Open(context.Background(), "sqlite://"+filepath.Join(dir, "x.db"), store.Options{})
	require.NoError(t, err)
	defer db.Close()
	_, err = os.Stat(dir)
	require.NoError(t, err)
	var fk int
	var mode string
	require.NoError(t, db.NewRaw("PRAGMA foreign_keys").Scan(context.Background(), &fk))
	require.NoError(t, db.NewRaw("PRAGMA journal_mode").Scan(context.Background(), &mode))
	assert.Equal(t, 1, fk)
	assert.Equal(t, "wal", mode)
	assert.Equal(t, store.SQLite, store.DialectOf(db))
}

// testMigrations is a two-step schema for exercising the migrator.
func testMigrations(d store.Dialect) (fs.FS, error) {
	idType := "bigserial PRIMARY KEY"
	if d == store.SQLite {
		idType = "INTEGER PRIMARY KEY AUTOINCREMENT"
	}
	return fstest.MapFS{
		"20200101000001_widgets.tx.up.sql":   {Data: []byte("CREATE TABLE widgets (id " + idType + ", name text NOT NULL UNIQUE, qty integer NOT NULL CONSTRAINT qty_check CHECK (qty >= 0))")},
		"20200101000001_widgets.tx.down.sql": {Data: []byte("DROP TABLE widgets")},
		"20200101000002_parts.tx.up.sql":     {Data: []byte("CREATE TABLE parts (id " + idType + ", widget_id bigint NOT NULL REFERENCES widgets (id))\n--bun:split\nCREATE INDEX parts_widget_idx ON parts (widget_id)")},
		"20200101000002_parts.tx.down.sql":   {Data: []byte("DROP TABLE parts")},
	}, nil
}

func TestMigratorUpDownStatusUnlock(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		db := env.App.DB()
		m, err := store.NewMigrator(db, testMigrations)
		require.NoError(t, err)

		// The App already applied its own migrations into igny8_migrations;
		// ours are pending.
		pending, err := m.Pending(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, pending)

		applied, err := m.Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"20200101000001_widgets", "20200101000002_parts"}, applied)
		again, err := m.Up(ctx)
		require.NoError(t, err)
		assert.Empty(t, again)

		st, err := m.Status(ctx)
		require.NoError(t, err)
		for _, s := range st {
			assert.True(t, s.Applied, s.Name)
		}

		rolled, err := m.Down(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"20200101000002_parts", "20200101000001_widgets"}, rolled)
		pending, err = m.Pending(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, pending)

		// A lock left by a crashed run blocks the next run until unlocked.
		_, err = db.ExecContext(ctx, "INSERT INTO igny8_migration_locks (table_name) VALUES ('igny8_migrations')")
		require.NoError(t, err)
		m.SetLockWait(300 * time.Millisecond)
		_, err = m.Up(ctx)
		require.ErrorIs(t, err, store.ErrLocked)
		require.NoError(t, m.Unlock(ctx))
		applied, err = m.Up(ctx)
		require.NoError(t, err)
		assert.Len(t, applied, 2)
	})
}

func TestConcurrentMigratorsApplyOnce(t *testing.T) {
	env := igny8test.New(t)
	ctx := env.Ctx()
	var wg sync.WaitGroup
	results := make([][]string, 4)
	errList := make([]error, 4)
	for i := range results {
		wg.Go(func() {
			db, err := store.Open(ctx, env.DatabaseURL, store.Options{MaxOpenConns: 2})
			if err != nil {
				errList[i] = err
				return
			}
			defer db.Close()
			m, err := store.NewMigrator(db, testMigrations)
			if err != nil {
				errList[i] = err
				return
			}
			results[i], errList[i] = m.Up(ctx)
		})
	}
	wg.Wait()
	total := 0
	for i := range results {
		require.NoError(t, errList[i])
		total += len(results[i])
	}
	assert.Equal(t, 2, total, "each migration applied exactly once across racing migrators")
}

type widget struct {
	bun.BaseModel `bun:"table:widgets"`
	ID            int64  `bun:"id,pk,autoincrement"`
	Name          string `bun:"name"`
	Qty           int    `bun:"qty"`
}

type part struct {
	bun.BaseModel `bun:"table:parts"`
	ID            int64 `bun:"id,pk,autoincrement"`
	WidgetID      int64 `bun:"widget_id"`
}

func TestMapErrorAndInTx(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := env.Ctx()
		db := env.App.DB()
		m, err := store.NewMigrator(db, testMigrations)
		require.NoError(t, err)
		_, err = m.Up(ctx)
		require.NoError(t, err)

		_, err = db.NewInsert().Model(&widget{Name: "a", Qty: 1}).Exec(ctx)
		require.NoError(t, err)

		err = store.MapError(insert(ctx, db, &widget{Name: "a", Qty: 1}))
		assertField(t, err, errs.Conflict, "name")
		// Read from the constraint's name, through MapError's wrapping
		// (PostgreSQL only: SQLite does not name the constraint).
		assert.Equal(t, env.Dialect == store.Postgres, store.ViolatesConstraint(err, "widgets_name_key"), "%v", err)
		assert.False(t, store.ViolatesConstraint(err, "widgets_pkey"))
		err = store.MapError(insert(ctx, db, &widget{Name: "b", Qty: -1}))
		assertField(t, err, errs.Invalid, "qty")
		err = store.MapError(insert(ctx, db, &part{WidgetID: 999}))
		require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", err)
		err = store.MapError(db.NewSelect().Model(&widget{}).Where("name = ?", "zzz").Scan(ctx))
		require.Equal(t, errs.NotFound, errs.CodeOf(err))

		// A failing transaction leaves nothing behind.
		err = store.InTx(ctx, db, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewInsert().Model(&widget{Name: "in-tx", Qty: 1}).Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewInsert().Model(&widget{Name: "a", Qty: 1}).Exec(ctx)
			return err
		})
		assertField(t, err, errs.Conflict, "name")
		exists, err := db.NewSelect().Model((*widget)(nil)).Where("name = ?", "in-tx").Exists(ctx)
		require.NoError(t, err)
		assert.False(t, exists)

		plain := errors.New("plain")
		assert.Same(t, plain, store.MapError(plain))
	})
}

func insert(ctx context.Context, db bun.IDB, model any) error {
	_, err := db.NewInsert().Model(model).Exec(ctx)
	return err
}

func assertField(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	require.Equal(t, code, errs.CodeOf(err), "%v", err)
	e := errs.As(err)
	require.NotNil(t, e)
	assert.Contains(t, e.Fields, field, "%v", err)
}

// Closing the database closes the PostgreSQL pool: no connection of a
// closed App stays open.
func TestClosingReleasesPostgresConnections(t *testing.T) {
	ctx := context.Background()
	dsn := igny8test.New(t).DatabaseURL
	count := func(db *bun.DB) int {
		var n int
		require.NoError(t, db.NewRaw("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'igny8-leak-check'").Scan(ctx, &n))
		return n
	}
	admin, err := store.Open(ctx, dsn, store.Options{MaxOpenConns: 1})
	require.NoError(t, err)
	defer admin.Close()
	db, err := store.Open(ctx, dsn+"&application_name=igny8-leak-check", store.Options{MaxOpenConns: 4})
	require.NoError(t, err)
	require.NoError(t, db.PingContext(ctx))
	require.Positive(t, count(admin))
	require.NoError(t, db.Close())
	require.Eventually(t, func() bool { return count(admin) == 0 }, 5*time.Second, 20*time.Millisecond)
}
