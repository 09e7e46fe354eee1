package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Bind marks v as a query parameter. Rendered by bun the usual way it is
// v written into the SQL text, exactly as if v had been passed itself, so
// Bind can be used in any query on either database. Only when store renders
// a query for PostgreSQL's extended protocol (ListPage's page query) does it
// become a placeholder ($1, $2, …) with v sent beside the text: the text
// then no longer changes with the tenant, the filters or the search, so
// PostgreSQL parses and plans it once per connection instead of once per
// request (decision 38). An integer's placeholder is cast to bigint, so a
// value beyond a narrower column's range compares (and matches nothing) as
// its literal does, instead of failing to encode.
func Bind(v any) schema.QueryAppender { return bound{v, v} }

// bindArray is Bind for the values of an IN filter, used as
// "column = ANY(?)" on PostgreSQL: one array parameter, so the text does
// not change with the number or order of the values. literal is how bun
// writes the array into the text (pgdialect.Array), param what pgx sends.
func bindArray(literal, param any) schema.QueryAppender { return bound{literal, param} }

// bound holds the value bun writes into the text and the value sent as a
// parameter. An array, not a struct: bun treats a lone struct argument of
// Where as named arguments and reflects on it.
type bound [2]any

func (b bound) AppendQuery(gen schema.QueryGen, dst []byte) ([]byte, error) {
	p, ok := gen.Dialect().(*bindingDialect)
	if !ok {
		return gen.Append(dst, b[0]), nil
	}
	p.args = append(p.args, b[1])
	dst = strconv.AppendInt(append(dst, '$'), int64(len(p.args)), 10)
	switch b[1].(type) {
	case int, int8, int16, int32, int64, uint8, uint16, uint32:
		dst = append(dst, "::int8"...)
	case []int64:
		dst = append(dst, "::int8[]"...)
	}
	return dst, nil
}

// bindingDialect is PostgreSQL's dialect while a query is rendered with
// placeholders: Bind values find it through the QueryGen and leave their
// value here instead of in the text.
type bindingDialect struct {
	schema.Dialect
	args []any
}

// renderBound renders q for PostgreSQL with its Bind values as placeholders
// and returns the text and the values in placeholder order. Values q holds
// without Bind stay in the text.
func renderBound(q *bun.SelectQuery) (string, []any, error) {
	d := &bindingDialect{Dialect: q.Dialect()}
	b, err := q.AppendQuery(schema.NewQueryGen(d), nil)
	if err != nil {
		return "", nil, fmt.Errorf("store: render query: %w", err)
	}
	return string(b), d.args, nil
}

// queryBound runs the PostgreSQL text query with args as a prepared
// statement, through bun's own DB.QueryContext so that its query hooks
// (tracking, tracing) see the query as they see any other. bun formats
// with its own placeholders and does not pass values on, so the values
// travel beside the text in ctx and the connection (boundConn) attaches
// them when it receives exactly that text.
func queryBound(ctx context.Context, db *bun.DB, query string, args []any) (*sql.Rows, error) {
	ctx = context.WithValue(ctx, boundKey{}, &boundArgs{sql: query, args: args})
	return db.QueryContext(ctx, query)
}

// canBind reports whether db's connections attach queryBound's values:
// only a database opened by Open has them.
func canBind(db *bun.DB) bool {
	_, ok := db.DB.Driver().(boundDriver)
	return ok
}

// boundDriver is the driver of a database opened by Open, which canBind
// recognises.
type boundDriver struct{ driver.Driver }

type boundKey struct{}

type boundArgs struct {
	sql  string
	args []any
}

// boundConn is pgx's database/sql connection that also runs the
// parameterized queries of queryBound. The pool's default stays the simple
// protocol (bun writes values into the text, so texts rarely repeat and
// preparing them would only add a round trip); a bound query asks pgx for
// its statement cache instead, so each text is prepared once per
// connection and its plan reused.
type boundConn struct {
	// Embedded under another name so that stdlib.Conn's Conn method (the
	// pgx connection, which COPY needs) is promoted rather than shadowed.
	*pgxStdConn
	// mode is how bound queries run: pgx's statement cache, unless the
	// DSN turned it off (statement_cache_capacity=0, as some poolers
	// need), and then the extended protocol without preparing.
	mode pgx.QueryExecMode
}

type pgxStdConn = stdlib.Conn

func (c boundConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if b, ok := ctx.Value(boundKey{}).(*boundArgs); ok && len(args) == 0 && b.sql == query {
		args = make([]driver.NamedValue, 0, len(b.args)+1)
		args = append(args, driver.NamedValue{Ordinal: 1, Value: c.mode})
		for i, v := range b.args {
			args = append(args, driver.NamedValue{Ordinal: i + 2, Value: v})
		}
	}
	return c.pgxStdConn.QueryContext(ctx, query, args)
}
