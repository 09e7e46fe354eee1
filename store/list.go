package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/igny8/igny8-go/errs"
)

// List endpoints are declared once as a ListSpec and parsed per request with
// ParseList, the Go counterpart of DRF's PageNumberPagination, SearchFilter,
// OrderingFilter and django-filter. The rule that keeps them safe: column
// expressions come only from the spec (code), user text only ever reaches SQL
// as a bun placeholder argument.
//
//	var keywordList = store.ListSpec{
//		Search:          []string{"?TableAlias.keyword"},
//		Ordering:        map[string]string{"volume": "?TableAlias.volume", "created_at": "?TableAlias.created_at"},
//		DefaultOrdering: []string{"-created_at"},
//		Filters: []store.Filter{
//			{Param: "status", Column: "?TableAlias.status", Choices: []string{"active", "pending"}},
//			{Param: "volume_min", Column: "?TableAlias.volume", Op: store.Gte, Kind: store.Int},
//		},
//	}
//
//	lq, err := store.ParseList(r.URL.Query(), keywordList, store.PageLimits{DefaultSize: 25, MaxSize: 100})
//	q, err := tenancy.ScopeSite(db.NewSelect().Model((*Keyword)(nil)), t)
//	page, err := store.ListPage[Keyword](ctx, q, lq)
//
// Deliberate differences from DRF: an unknown ordering field is a 400 (DRF
// drops it silently), a page_size over the maximum is a 400 (DRF clamps), and
// a page past the end is an empty page with the true count (DRF answers 404).

// The query parameters every list endpoint understands (DRF's names).
const (
	ParamPage     = "page"
	ParamPageSize = "page_size"
	ParamSearch   = "search"
	ParamOrdering = "ordering"
)

const (
	maxSearchLen = 200 // runes; longer input is an error, not truncated
	maxValueLen  = 200 // runes per filter value
	maxInValues  = 100 // values of one In filter
	maxPage      = 1_000_000_000
)

// ListSpec declares what one list endpoint lets its callers search, order
// and filter by. Every string in it is trusted SQL written by the programmer
// (typically "?TableAlias.<column>"); nothing from the request is ever used
// as a column.
type ListSpec struct {
	// Search lists text column expressions matched case-insensitively with
	// "contains" by ?search=.
	Search []string
	// Ordering maps the public names accepted by ?ordering= to column
	// expressions, e.g. "volume": "?TableAlias.volume".
	Ordering map[string]string
	// DefaultOrdering applies when ?ordering= is absent, in public names,
	// e.g. {"-created_at"}. A unique tiebreak is always added (see Apply).
	DefaultOrdering []string
	Filters         []Filter
}

// FilterOp is how a filter compares its column with the parameter.
type FilterOp int

const (
	Eq     FilterOp = iota // column = value
	In                     // column IN (comma-separated values)
	Gte                    // column >= value
	Lte                    // column <= value
	IsNull                 // true: column IS NULL, false: IS NOT NULL (Kind is ignored)
)

// ValueKind is how a filter parameter is parsed before it reaches SQL.
type ValueKind int

const (
	String ValueKind = iota
	Int              // 64-bit integer
	Bool             // true/false (also 1/0), case-insensitive
	Time             // RFC 3339, or YYYY-MM-DD meaning midnight UTC (as Django does)
)

// Filter declares one query parameter that narrows the list. The zero Op and
// Kind are Eq and String.
type Filter struct {
	Param  string
	Column string
	Op     FilterOp
	Kind   ValueKind
	// Choices, when set, is the allow-list of a String filter's values.
	Choices []string
}

// PageLimits bound ?page_size=. Zero fields mean 25 and 100.
type PageLimits struct {
	DefaultSize, MaxSize int
}

// Order is one ORDER BY term; Column comes from ListSpec.Ordering.
type Order struct {
	Column string
	Desc   bool
}

// FilterValue is one parsed, typed filter parameter.
type FilterValue struct {
	filter Filter
	values []any // one for Eq/Gte/Lte, one or more for In
	null   bool  // for IsNull
}

// Param is the query parameter the value came from.
func (fv FilterValue) Param() string { return fv.filter.Param }

// ListQuery is a validated list request, ready for Apply. It carries the
// spec's search columns itself (set by ParseList) so a query can only be
// applied with the spec it was validated against; build it with ParseList.
type ListQuery struct {
	Page, PageSize int
	Search         string
	Ordering       []Order
	Filters        []FilterValue

	searchIn []string
}

// ParseList reads the page, page_size, search and ordering parameters and
// every filter of spec from values. Bad parameters all come back in one
// errs.Invalid error whose Fields are keyed by parameter name; parameters the
// spec does not declare are ignored, as DRF does. An empty parameter counts as
// absent. A mistake in spec or limits is reported as a plain (internal) error.
func ParseList(values url.Values, spec ListSpec, limits PageLimits) (ListQuery, error) {
	if limits.DefaultSize == 0 {
		limits.DefaultSize = 25
	}
	if limits.MaxSize == 0 {
		limits.MaxSize = 100
	}
	if err := checkSpec(spec, limits); err != nil {
		return ListQuery{}, err
	}

	var v errs.Validation
	lq := ListQuery{Page: 1, PageSize: limits.DefaultSize, searchIn: spec.Search}

	if raw := param(values, ParamPage); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxPage {
			v.Add(ParamPage, "must be a positive integer")
		} else {
			lq.Page = n
		}
	}
	if raw := param(values, ParamPageSize); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > limits.MaxSize {
			v.Add(ParamPageSize, fmt.Sprintf("must be an integer between 1 and %d", limits.MaxSize))
		} else {
			lq.PageSize = n
		}
	}

	lq.Search = strings.TrimSpace(param(values, ParamSearch))
	if msg := checkText(lq.Search, maxSearchLen); msg != "" {
		v.Add(ParamSearch, msg)
	}

	orders, unknown := resolveOrdering(spec, strings.Split(param(values, ParamOrdering), ","))
	for _, name := range unknown {
		v.Add(ParamOrdering, fmt.Sprintf("unknown field %s; allowed: %s", quoteShort(name), allowedOrdering(spec)))
	}
	if len(orders) == 0 {
		// Absent or blank (" , "): the default, as in DRF.
		orders, _ = resolveOrdering(spec, spec.DefaultOrdering) // checked by checkSpec
	}
	lq.Ordering = orders

	for _, f := range spec.Filters {
		raw := param(values, f.Param)
		if raw == "" {
			continue
		}
		fv, msg := parseFilter(f, raw)
		if msg != "" {
			v.Add(f.Param, msg)
			continue
		}
		if fv != nil {
			lq.Filters = append(lq.Filters, *fv)
		}
	}

	if err := v.Err(); err != nil {
		return ListQuery{}, err
	}
	return lq, nil
}

// param returns the last value of name, as Django's QueryDict does.
func param(values url.Values, name string) string {
	vs := values[name]
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// checkSpec catches programming mistakes in a spec, so they fail the first
// request (and the endpoint's tests) loudly instead of misbehaving.
func checkSpec(spec ListSpec, limits PageLimits) error {
	if limits.DefaultSize < 1 || limits.MaxSize < limits.DefaultSize {
		return fmt.Errorf("store: bad PageLimits %+v", limits)
	}
	if _, unknown := resolveOrdering(spec, spec.DefaultOrdering); len(unknown) > 0 {
		return fmt.Errorf("store: ListSpec.DefaultOrdering names %q, which is not in Ordering", unknown)
	}
	seen := map[string]bool{ParamPage: true, ParamPageSize: true, ParamSearch: true, ParamOrdering: true}
	for _, f := range spec.Filters {
		switch {
		case f.Param == "" || f.Column == "":
			return fmt.Errorf("store: filter %+v needs Param and Column", f)
		case seen[f.Param]:
			return fmt.Errorf("store: filter parameter %q is declared twice or reserved", f.Param)
		case f.Op < Eq || f.Op > IsNull || f.Kind < String || f.Kind > Time:
			return fmt.Errorf("store: filter %q has an unknown Op or Kind", f.Param)
		case len(f.Choices) > 0 && f.Kind != String:
			return fmt.Errorf("store: filter %q has Choices but is not a String filter", f.Param)
		}
		seen[f.Param] = true
	}
	return nil
}

// resolveOrdering maps "name"/"-name" terms to columns, skipping blanks and
// repeats, and returns the names it does not know.
func resolveOrdering(spec ListSpec, terms []string) (orders []Order, unknown []string) {
	seen := map[string]bool{}
	for _, term := range terms {
		term = strings.TrimSpace(term)
		name, desc := strings.CutPrefix(term, "-")
		if name == "" {
			continue
		}
		col, ok := spec.Ordering[name]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		if !seen[name] {
			seen[name] = true
			orders = append(orders, Order{Column: col, Desc: desc})
		}
	}
	return orders, unknown
}

func allowedOrdering(spec ListSpec) string {
	names := make([]string, 0, len(spec.Ordering))
	for name := range spec.Ordering {
		names = append(names, name)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// quoteShort quotes user text for an error message, cut so a 10 kB parameter
// is not echoed back whole.
func quoteShort(s string) string {
	const shown = 40
	if utf8.RuneCountInString(s) > shown {
		s = string([]rune(s)[:shown]) + "…"
	}
	return strconv.Quote(s)
}

// checkText rejects text the databases cannot take as a value (NUL bytes,
// invalid UTF-8: both would be a 500 instead of a 400) or that is too long.
func checkText(s string, maxLen int) string { return errs.TextProblem(s, maxLen) }

// parseFilter types raw for f. It returns a message for bad input, and a nil
// value when there is nothing to filter on (e.g. an In of only commas).
func parseFilter(f Filter, raw string) (*FilterValue, string) {
	if f.Op == IsNull {
		b, ok := parseBool(raw)
		if !ok {
			return nil, "must be true or false"
		}
		return &FilterValue{filter: f, null: b}, ""
	}
	items := []string{raw}
	if f.Op == In {
		items = items[:0]
		for item := range strings.SplitSeq(raw, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		if len(items) > maxInValues {
			return nil, fmt.Sprintf("must have at most %d values", maxInValues)
		}
	}
	fv := &FilterValue{filter: f}
	for _, item := range items {
		val, msg := parseValue(f, item)
		if msg != "" {
			return nil, msg
		}
		fv.values = append(fv.values, val)
	}
	if len(fv.values) == 0 {
		return nil, ""
	}
	return fv, ""
}

func parseValue(f Filter, s string) (any, string) {
	switch f.Kind {
	case Int:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, fmt.Sprintf("%s is not an integer", quoteShort(s))
		}
		return n, ""
	case Bool:
		b, ok := parseBool(s)
		if !ok {
			return nil, "must be true or false"
		}
		return b, ""
	case Time:
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), ""
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, ""
		}
		return nil, fmt.Sprintf("%s is not a date (YYYY-MM-DD) or an RFC 3339 time", quoteShort(s))
	}
	if msg := checkText(s, maxValueLen); msg != "" {
		return nil, msg
	}
	if len(f.Choices) > 0 && !slices.Contains(f.Choices, s) {
		return nil, fmt.Sprintf("%s is not a valid choice; allowed: %s", quoteShort(s), strings.Join(f.Choices, ", "))
	}
	return s, ""
}

func parseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// Apply adds lq's filters, search, ordering and page window to q, which
// should already hold the model and the tenant scope. Every condition it adds
// is ANDed with q's own WHERE (the search ORs are grouped), so a search can
// never widen the tenant scope.
//
// The ordering always ends with the primary key of q's model (added unless
// already present) so that rows tying on the sort columns keep one order and
// no row is repeated or skipped between pages.
func (lq ListQuery) Apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = lq.Order(lq.Where(q))
	page, size := lq.window()
	return q.Limit(int64(size)).Offset(int64(page-1) * int64(size))
}

// Order adds only lq's ordering, with the primary-key tiebreak (see
// Apply): for streaming the whole filtered set in list order, as exports do.
func (lq ListQuery) Order(q *bun.SelectQuery) *bun.SelectQuery {
	sqlite := DialectOf(q.DB()) == SQLite
	cols := make([]string, 0, len(lq.Ordering))
	for _, o := range lq.Ordering {
		q = q.OrderExpr(orderTerm(o, sqlite))
		cols = append(cols, o.Column)
	}
	for _, pk := range primaryKeys(q) {
		if !slices.Contains(cols, pk) {
			q = q.OrderExpr(pk + " ASC") // never NULL: no NULLS clause to keep SQLite's rowid order usable
		}
	}
	return q
}

// Where adds only lq's filters and search to q: the filtered set without
// ordering or page window, for aggregates over it (counts, distinct values
// of a facet).
func (lq ListQuery) Where(q *bun.SelectQuery) *bun.SelectQuery {
	for _, fv := range lq.Filters {
		q = fv.apply(q)
	}
	return lq.applySearch(q)
}

// Without returns lq minus the filters read from the given parameters: what
// a facet of a filter_options answer is computed on, so each facet lists
// the values its own filter could switch to.
func (lq ListQuery) Without(params ...string) ListQuery {
	out := lq
	out.Filters = make([]FilterValue, 0, len(lq.Filters))
	for _, fv := range lq.Filters {
		if !slices.Contains(params, fv.Param()) {
			out.Filters = append(out.Filters, fv)
		}
	}
	return out
}

// window is the page and page size to use: a hand-built ListQuery with zero
// values means the first page of 25, never "no limit".
func (lq ListQuery) window() (page, size int) {
	page, size = max(lq.Page, 1), lq.PageSize
	if size < 1 {
		size = 25
	}
	return page, size
}

// orderTerm renders one ORDER BY term. SQLite puts NULLs first in ascending
// order, PostgreSQL last; spelling PostgreSQL's default out on SQLite makes
// both databases return the same order.
func orderTerm(o Order, sqlite bool) string {
	switch {
	case o.Desc && sqlite:
		return o.Column + " DESC NULLS FIRST"
	case o.Desc:
		return o.Column + " DESC"
	case sqlite:
		return o.Column + " ASC NULLS LAST"
	}
	return o.Column + " ASC"
}

// primaryKeys are the tiebreak columns: the model's primary key, or
// ?TableAlias.id when q has no table model. The names come from struct tags,
// and are spelled as specs spell them so a spec's "?TableAlias.id" counts as
// already present.
func primaryKeys(q *bun.SelectQuery) []string {
	tm, ok := q.GetModel().(bun.TableModel)
	if !ok || len(tm.Table().PKs) == 0 {
		return []string{"?TableAlias.id"}
	}
	pks := make([]string, 0, len(tm.Table().PKs))
	for _, f := range tm.Table().PKs {
		pks = append(pks, "?TableAlias."+f.Name)
	}
	return pks
}

func (fv FilterValue) apply(q *bun.SelectQuery) *bun.SelectQuery {
	col := fv.filter.Column
	switch fv.filter.Op {
	case IsNull:
		if fv.null {
			return q.Where(col + " IS NULL")
		}
		return q.Where(col + " IS NOT NULL")
	case In:
		if DialectOf(q.DB()) == Postgres {
			if arr, ok := typedSlice(fv.values); ok {
				return q.Where(col+" = ANY(?)", bindArray(pgdialect.Array(arr), arr))
			}
		}
		return q.Where(col+" IN (?)", bun.In(fv.values))
	case Gte:
		return q.Where(col+" >= ?", Bind(fv.values[0]))
	case Lte:
		return q.Where(col+" <= ?", Bind(fv.values[0]))
	}
	return q.Where(col+" = ?", Bind(fv.values[0]))
}

// typedSlice turns an IN filter's values into the []int64 or []string pgx
// sends as one array parameter.
func typedSlice(values []any) (any, bool) {
	switch values[0].(type) {
	case int64:
		return sliceOf[int64](values), true
	case string:
		return sliceOf[string](values), true
	}
	return nil, false
}

// sliceOf converts values, all of type E (a filter's values share its kind).
func sliceOf[E any](values []any) []E {
	out := make([]E, len(values))
	for i, v := range values {
		out[i] = v.(E)
	}
	return out
}

// likeEscaper makes the user's text match literally inside a LIKE pattern
// whose escape character is a backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// applySearch works like DRF's SearchFilter: the search text is split into
// terms (on spaces and commas, "quoted phrases" kept whole) and every term
// must be contained, case-insensitively, in at least one search column.
// PostgreSQL folds case with ILIKE; SQLite's lower() folds ASCII letters only.
func (lq ListQuery) applySearch(q *bun.SelectQuery) *bun.SelectQuery {
	if len(lq.searchIn) == 0 {
		return q
	}
	before, after := "", ` ILIKE ? ESCAPE '\'`
	if DialectOf(q.DB()) == SQLite {
		before, after = "lower(", `) LIKE lower(?) ESCAPE '\'`
	}
	for _, term := range searchTerms(lq.Search) {
		pattern := "%" + likeEscaper.Replace(term) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			for _, col := range lq.searchIn {
				q = q.WhereOr(before+col+after, Bind(pattern))
			}
			return q
		})
	}
	return q
}

// searchTerms splits s on whitespace and commas, keeping "quoted phrases"
// together without their quotes.
func searchTerms(s string) []string {
	var terms []string
	var cur strings.Builder
	quoted := false
	flush := func() {
		if cur.Len() > 0 {
			terms = append(terms, cur.String())
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '"':
			flush()
			quoted = !quoted
		case !quoted && (r == ',' || unicode.IsSpace(r)):
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return terms
}

// ListPage applies lq to q (do not Apply it yourself) and returns the page
// as a Page: the rows of T and the number of rows matching the filters and
// search across all pages. q names the table, e.g.
// db.NewSelect().Model((*Keyword)(nil)) plus the tenant scope.
//
// The page and the total come from one query: count(*) OVER () is computed
// on the rows the filters and search let through, before LIMIT, so the
// matching rows are found once instead of once for the page and again for
// a separate COUNT (the original's paginator runs both). A page past the
// end has no row to carry the total; only then is a COUNT run.
//
// On PostgreSQL the rows of a model that implements ColumnScanner are
// scanned without reflection (SQLite keeps bun's scanner, which also
// parses the times its driver may hand over as text), and the page query
// is sent with its Bind values as parameters (see PageSQL), so that
// PostgreSQL plans it once per connection rather than on every request.
// A query bound to a transaction or connection (tx.NewSelect()) keeps
// bun's way: only q's database can run the parameterized statement.
func ListPage[T any](ctx context.Context, q *bun.SelectQuery, lq ListQuery) (Page[T], error) {
	counter := lq.Where(q.Clone())
	var items []T
	var total int64
	_, fast := any((*T)(nil)).(ColumnScanner)
	if fast && DialectOf(q.DB()) == Postgres && canBind(q.DB()) && !boundToConn(q) {
		query, args, err := PageSQL(q, lq)
		if err != nil {
			return Page[T]{}, err
		}
		rows, err := queryBound(ctx, q.DB(), query, args)
		if isStalePlan(err) {
			// The table changed under a statement this connection had
			// prepared; pgx has dropped it, so a second try prepares anew.
			rows, err = queryBound(ctx, q.DB(), query, args)
		}
		if err != nil {
			return Page[T]{}, err
		}
		_, size := lq.window()
		if items, total, err = scanPage[T](rows, size); err != nil {
			return Page[T]{}, err
		}
	} else {
		var rows []counted[T]
		if err := pageQuery(q, lq).Scan(ctx, &rows); err != nil {
			return Page[T]{}, err
		}
		items = make([]T, len(rows))
		for i := range rows {
			items[i] = rows[i].Item
		}
		if len(rows) > 0 {
			total = rows[0].Total
		}
	}
	if len(items) > 0 {
		return NewPage(lq, int(total), items), nil
	}
	page, _ := lq.window()
	if page == 1 {
		return NewPage(lq, 0, items), nil
	}
	n, err := counter.Count(ctx)
	if err != nil {
		return Page[T]{}, err
	}
	return NewPage(lq, int(n), items), nil
}

// pageQuery is the one statement ListPage runs for a page: q's model
// columns, the total of the filtered set as igny8_total, lq applied.
func pageQuery(q *bun.SelectQuery, lq ListQuery) *bun.SelectQuery {
	return lq.Apply(withTotal(q))
}

// PageSQL is the page statement as ListPage sends it to PostgreSQL: the text with a
// placeholder for each Bind value (the tenant scope, filter values, search
// patterns) and for the page window, and the values in placeholder order.
// The text depends only on which filters, searches and orderings are used,
// so one prepared statement per connection serves every tenant and page.
// q must not carry a LIMIT or OFFSET of its own (lq holds the window). It
// is exported so benchmarks can hold other implementations to the same
// SQL.
func PageSQL(q *bun.SelectQuery, lq ListQuery) (string, []any, error) {
	query, args, err := renderBound(lq.Order(lq.Where(withTotal(q))))
	if err != nil {
		return "", nil, err
	}
	page, size := lq.window()
	args = append(args, int64(size), int64(page-1)*int64(size))
	n := len(args)
	return query + " LIMIT $" + strconv.Itoa(n-1) + " OFFSET $" + strconv.Itoa(n), args, nil
}

func withTotal(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("?TableColumns").ColumnExpr("count(*) OVER () AS igny8_total")
}

// boundToConn reports whether q runs on a connection or transaction of its
// own (tx.NewSelect(), q.Conn(...)) rather than on its database. bun keeps
// that connection unexported; reading whether it is set needs reflection.
// If bun ever renames the field, the answer is "bound", which only means
// bun's own way (TestListPageParameterized notices).
func boundToConn(q *bun.SelectQuery) bool {
	index, ok := selectConnField()
	if !ok {
		return true
	}
	return !reflect.ValueOf(q).Elem().FieldByIndex(index).IsNil()
}

// selectConnField locates bun.SelectQuery's connection field once.
var selectConnField = sync.OnceValues(func() ([]int, bool) {
	f, ok := reflect.TypeFor[bun.SelectQuery]().FieldByName("conn")
	if !ok || f.Type.Kind() != reflect.Interface {
		return nil, false
	}
	return f.Index, true
})

// isStalePlan reports PostgreSQL's "cached plan must not change result
// type": a column of a prepared statement's table changed type.
func isStalePlan(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "0A000"
}

// counted is a row of T with the total of its query.
type counted[T any] struct {
	Item  T     `bun:"embed:"`
	Total int64 `bun:"igny8_total"`
}

// Page is one page of a list and the total count of the filtered set: what
// the HTTP layer turns into DRF's {count, next, previous, results}.
type Page[T any] struct {
	Count          int
	Page, PageSize int
	Results        []T
}

// NewPage builds a Page; Results is never nil so it encodes as [].
func NewPage[T any](lq ListQuery, count int, results []T) Page[T] {
	if results == nil {
		results = []T{}
	}
	page, size := lq.window()
	return Page[T]{Count: count, Page: page, PageSize: size, Results: results}
}

// HasNext reports whether a later page holds rows.
func (p Page[T]) HasNext() bool { return int64(p.Page)*int64(p.PageSize) < int64(p.Count) }

// HasPrevious reports whether there is an earlier page.
func (p Page[T]) HasPrevious() bool { return p.Page > 1 }
