package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Dialect names the two databases igny8 supports.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options tune the connection pool. Zero values pick sensible defaults.
type Options struct {
	// MaxOpenConns caps open connections (PostgreSQL default 20, SQLite 8;
	// an in-memory SQLite database always uses 1 so every query sees the
	// same database).
	MaxOpenConns int
}

// Target is a parsed DSN: which dialect, and the driver-level DSN.
type Target struct {
	Dialect Dialect
	// DSN is what the driver receives (pgx connection string or a modernc
	// "file:" URI with pragmas).
	DSN string
	// Path is the SQLite file path ("" for PostgreSQL and in-memory).
	Path   string
	memory bool
}

// ParseDSN decides the dialect from a DSN:
//
//	postgres://… or postgresql://…   PostgreSQL (pgx)
//	sqlite://relative/or/abs/path    SQLite file (sqlite:///abs/path also works)
//	file:path?…                      SQLite file, passed through with pragmas added
//	:memory:                         SQLite in memory (one connection)
func ParseDSN(dsn string) (Target, error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case dsn == "":
		return Target{}, fmt.Errorf("store: empty database DSN")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Target{Dialect: Postgres, DSN: dsn}, nil
	case dsn == ":memory:":
		return Target{Dialect: SQLite, DSN: sqliteDSN(":memory:", nil), memory: true}, nil
	case strings.HasPrefix(dsn, "sqlite://"):
		rest := strings.TrimPrefix(dsn, "sqlite://")
		path, rawQuery, _ := strings.Cut(rest, "?")
		if path == "" {
			return Target{}, fmt.Errorf("store: sqlite DSN %q has no path", dsn)
		}
		if path == ":memory:" {
			return Target{Dialect: SQLite, DSN: sqliteDSN(":memory:", nil), memory: true}, nil
		}
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return Target{}, fmt.Errorf("store: sqlite DSN query: %w", err)
		}
		return Target{Dialect: SQLite, DSN: sqliteDSN(path, q), Path: path}, nil
	case strings.HasPrefix(dsn, "file:"):
		path, rawQuery, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return Target{}, fmt.Errorf("store: sqlite DSN query: %w", err)
		}
		memory := path == ":memory:" || q.Get("mode") == "memory"
		t := Target{Dialect: SQLite, DSN: sqliteDSN(path, q), memory: memory}
		if !memory {
			t.Path = path
		}
		return t, nil
	default:
		return Target{}, fmt.Errorf("store: unsupported database DSN %q: want postgres://…, sqlite://path, file:path or :memory:", RedactDSN(dsn))
	}
}

// sqliteDSN adds the pragmas igny8 relies on: WAL so readers never block the
// writer, a busy timeout so writers queue instead of failing, foreign keys
// (off by default in SQLite) and BEGIN IMMEDIATE so a transaction takes the
// write lock up front instead of failing on a read→write upgrade.
func sqliteDSN(path string, q url.Values) string {
	if q == nil {
		q = url.Values{}
	}
	pragmas := map[string]string{
		"busy_timeout": "busy_timeout(10000)",
		"journal_mode": "journal_mode(WAL)",
		"foreign_keys": "foreign_keys(1)",
		"synchronous":  "synchronous(NORMAL)",
	}
	for _, p := range q["_pragma"] {
		name, _, _ := strings.Cut(p, "(")
		delete(pragmas, strings.ToLower(name))
	}
	for _, name := range []string{"busy_timeout", "journal_mode", "foreign_keys", "synchronous"} {
		if p, ok := pragmas[name]; ok {
			if path == ":memory:" && name == "journal_mode" {
				continue
			}
			q.Add("_pragma", p)
		}
	}
	if q.Get("_txlock") == "" {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open connects to the database named by dsn (see ParseDSN) and checks that
// it answers. For SQLite the parent directory of the file is created.
func Open(ctx context.Context, dsn string, opts Options) (*bun.DB, error) {
	target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *bun.DB
	switch target.Dialect {
	case Postgres:
		db, err = openPostgres(ctx, target, opts)
	case SQLite:
		db, err = openSQLite(target, opts)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", RedactDSN(dsn), err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, target Target, opts Options) (*bun.DB, error) {
	cfg, err := pgxpool.ParseConfig(target.DSN)
	if err != nil {
		return nil, fmt.Errorf("store: parse PostgreSQL DSN: %w", err)
	}
	maxConns := opts.MaxOpenConns
	if maxConns <= 0 {
		maxConns = 20
	}
	cfg.MaxConns = int32(maxConns)
	// bun writes every value into the SQL text, so statements almost never
	// repeat: pgx's default (prepare each new text, then execute it: two
	// round trips and a cache entry per text) only adds work. The simple
	// protocol sends the text once. Queries with arguments (River's) are
	// still safe: pgx quotes them client-side.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	// Only list pages are prepared (decision 38), in few shapes: a smaller
	// statement cache than pgx's 512 bounds what the prepared statements
	// hold on the server (tens of KB each, per connection) should shapes
	// multiply. A DSN's own statement_cache_capacity wins.
	if !strings.Contains(target.DSN, "statement_cache_capacity") {
		cfg.ConnConfig.StatementCacheCapacity = 64
	}
	mode := pgx.QueryExecModeCacheStatement
	switch {
	case cfg.ConnConfig.StatementCacheCapacity > 0:
	case cfg.ConnConfig.DescriptionCacheCapacity > 0:
		mode = pgx.QueryExecModeCacheDescribe
	default:
		mode = pgx.QueryExecModeDescribeExec
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL pool: %w", err)
	}
	// The same connector stdlib.OpenDBFromPool uses, but closing the
	// *sql.DB (bun.DB.Close) must also close the pgx pool, or every closed
	// App would keep its connections until the process ends.
	sqldb := sql.OpenDB(closingConnector{Connector: stdlib.GetPoolConnector(pool), pool: pool, mode: mode})
	// pgx's pool alone limits and queues: database/sql neither caps nor
	// keeps connections, so each query takes one from pgx and gives it back
	// when done. When every connection is busy, database/sql would hand a
	// freed one to a random waiter, and a few requests then waited several
	// turns (the list's p99 under load); pgx's pool serves waiters in
	// order. With no idle connections of its own, database/sql also never
	// sits on one while a query waits in pgx's queue.
	sqldb.SetMaxOpenConns(0)
	sqldb.SetMaxIdleConns(0)
	db := bun.NewDB(sqldb, pgdialect.New())
	return db, nil
}

// closingConnector closes the pgx pool when database/sql closes the DB
// (sql.DB.Close calls Close on a connector that has one).
type closingConnector struct {
	driver.Connector
	pool *pgxpool.Pool
	mode pgx.QueryExecMode // of bound queries (boundConn)
}

// Driver is pgx's, marked so that ListPage knows the connections attach
// bound values (canBind).
func (c closingConnector) Driver() driver.Driver { return boundDriver{c.Connector.Driver()} }

func (c closingConnector) Close() error {
	c.pool.Close()
	return nil
}

// Connect hands database/sql pgx's connection wrapped as a boundConn, so
// that queryBound's parameterized queries reach pgx with their values.
func (c closingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(*stdlib.Conn)
	if !ok {
		_ = conn.Close()
		return nil, fmt.Errorf("store: pgx connector returned %T, not *stdlib.Conn", conn)
	}
	return boundConn{pgxStdConn: pc, mode: c.mode}, nil
}

func openSQLite(target Target, opts Options) (*bun.DB, error) {
	if target.Path != "" {
		if dir := filepath.Dir(target.Path); dir != "." && dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("store: create data directory %s: %w", dir, err)
			}
		}
	}
	sqldb, err := sql.Open("sqlite", target.DSN)
	if err != nil {
		return nil, fmt.Errorf("store: open SQLite: %w", err)
	}
	maxConns := opts.MaxOpenConns
	if maxConns <= 0 {
		maxConns = 8
	}
	if target.memory {
		// Every connection to ":memory:" is a separate database.
		maxConns = 1
	}
	sqldb.SetMaxOpenConns(maxConns)
	sqldb.SetMaxIdleConns(maxConns)
	sqldb.SetConnMaxIdleTime(0)
	sqldb.SetConnMaxLifetime(0)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// DialectOf tells which database idb talks to.
func DialectOf(idb bun.IDB) Dialect {
	if idb.Dialect().Name() == dialect.PG {
		return Postgres
	}
	return SQLite
}

// RedactDSN returns dsn with any password (in the user info or a
// password= parameter) replaced by "xxxxx". A DSN that does not parse is not
// echoed at all: it may hold a password in a place we cannot find.
func RedactDSN(dsn string) string {
	if dsn == "" || dsn == ":memory:" {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "<unparseable DSN>"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}
