package store_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
)

type listItem struct {
	bun.BaseModel `bun:"table:list_items,alias:li"`
	ID            int64     `bun:"id,pk,autoincrement"`
	Owner         string    `bun:"owner,notnull"`
	Name          string    `bun:"name,notnull"`
	Note          string    `bun:"note,notnull"`
	Status        string    `bun:"status,notnull"`
	Volume        int64     `bun:"volume,notnull"`
	Active        bool      `bun:"active,notnull"`
	Score         *int64    `bun:"score"`
	CreatedAt     time.Time `bun:"created_at,notnull"`
}

var listItemSpec = store.ListSpec{
	Search: []string{"?TableAlias.name", "?TableAlias.note"},
	Ordering: map[string]string{
		"id":         "?TableAlias.id",
		"name":       "?TableAlias.name",
		"volume":     "?TableAlias.volume",
		"score":      "?TableAlias.score",
		"created_at": "?TableAlias.created_at",
	},
	DefaultOrdering: []string{"-volume", "name"},
	Filters: []store.Filter{
		{Param: "status", Column: "?TableAlias.status", Choices: []string{"new", "done"}},
		{Param: "status_in", Column: "?TableAlias.status", Op: store.In, Choices: []string{"new", "done", "old"}},
		{Param: "owner", Column: "?TableAlias.owner"},
		{Param: "ids", Column: "?TableAlias.id", Op: store.In, Kind: store.Int},
		{Param: "volume_min", Column: "?TableAlias.volume", Op: store.Gte, Kind: store.Int},
		{Param: "volume_max", Column: "?TableAlias.volume", Op: store.Lte, Kind: store.Int},
		{Param: "active", Column: "?TableAlias.active", Kind: store.Bool},
		{Param: "score_isnull", Column: "?TableAlias.score", Op: store.IsNull},
		{Param: "created_after", Column: "?TableAlias.created_at", Op: store.Gte, Kind: store.Time},
		{Param: "created_before", Column: "?TableAlias.created_at", Op: store.Lte, Kind: store.Time},
	},
}

var listLimits = store.PageLimits{DefaultSize: 25, MaxSize: 100}

func query(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// fieldErrors asserts err is one errs.Invalid naming exactly the params.
func fieldErrors(t *testing.T, err error, params ...string) map[string][]string {
	t.Helper()
	require.Error(t, err)
	e := errs.As(err)
	require.NotNil(t, e, "%v", err)
	require.Equal(t, errs.Invalid, e.Code, "%v", err)
	got := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		got = append(got, name)
	}
	assert.ElementsMatch(t, params, got, "%v", err)
	return e.Fields
}

func TestParseListDefaults(t *testing.T) {
	lq, err := store.ParseList(query("unknown", "x", "status", "", "search", "  seo  "), listItemSpec, listLimits)
	require.NoError(t, err)
	assert.Equal(t, 1, lq.Page)
	assert.Equal(t, 25, lq.PageSize)
	assert.Equal(t, "seo", lq.Search)
	assert.Equal(t, []store.Order{{Column: "?TableAlias.volume", Desc: true}, {Column: "?TableAlias.name"}}, lq.Ordering)
	assert.Empty(t, lq.Filters, "an empty filter value counts as absent")

	lq, err = store.ParseList(query("page", "3", "page_size", "100", "ordering", " name , -created_at,name,", "volume_min", "5", "ids", "1, 2,,3"), listItemSpec, store.PageLimits{})
	require.NoError(t, err)
	assert.Equal(t, 3, lq.Page)
	assert.Equal(t, 100, lq.PageSize, "zero PageLimits allow 100")
	assert.Equal(t, []store.Order{{Column: "?TableAlias.name"}, {Column: "?TableAlias.created_at", Desc: true}}, lq.Ordering)
	require.Len(t, lq.Filters, 2)
	assert.Equal(t, "ids", lq.Filters[0].Param())
	assert.Equal(t, "volume_min", lq.Filters[1].Param())

	lq, err = store.ParseList(query("page", "1", "page", "2"), listItemSpec, listLimits)
	require.NoError(t, err)
	assert.Equal(t, 2, lq.Page, "the last value wins, as in Django")
}

func TestParseListErrorsNameTheParameter(t *testing.T) {
	cases := []struct {
		values url.Values
		param  string
		msg    string
	}{
		{query("page", "0"), "page", "must be a positive integer"},
		{query("page", "abc"), "page", "must be a positive integer"},
		{query("page", "-1"), "page", "must be a positive integer"},
		{query("page", "99999999999999999999"), "page", "must be a positive integer"},
		{query("page_size", "1000"), "page_size", "must be an integer between 1 and 100"},
		{query("page_size", "0"), "page_size", "must be an integer between 1 and 100"},
		{query("ordering", "foo"), "ordering", `unknown field "foo"; allowed: created_at, id, name, score, volume`},
		{query("ordering", "+name"), "ordering", `unknown field "+name"; allowed: created_at, id, name, score, volume`},
		{query("search", strings.Repeat("a", 201)), "search", "must be at most 200 characters"},
		{query("search", "a\x00b"), "search", "contains invalid characters"},
		{query("search", "\xff"), "search", "contains invalid characters"},
		{query("volume_min", "ten"), "volume_min", `"ten" is not an integer`},
		{query("ids", "1,x"), "ids", `"x" is not an integer`},
		{query("ids", strings.Repeat("1,", 101)), "ids", "must have at most 100 values"},
		{query("active", "maybe"), "active", "must be true or false"},
		{query("score_isnull", "yes"), "score_isnull", "must be true or false"},
		{query("status", "bogus"), "status", `"bogus" is not a valid choice; allowed: new, done`},
		{query("status_in", "new,bogus"), "status_in", `"bogus" is not a valid choice; allowed: new, done, old`},
		{query("owner", strings.Repeat("x", 201)), "owner", "must be at most 200 characters"},
		{query("created_after", "yesterday"), "created_after", `"yesterday" is not a date (YYYY-MM-DD) or an RFC 3339 time`},
	}
	for _, tc := range cases {
		_, err := store.ParseList(tc.values, listItemSpec, listLimits)
		fields := fieldErrors(t, err, tc.param)
		assert.Equal(t, []string{tc.msg}, fields[tc.param], "%v", tc.values)
	}

	// Every bad parameter is reported at once.
	_, err := store.ParseList(query("page", "0", "page_size", "1000", "ordering", "-foo,name,bar",
		"volume_min", "x", "active", "2", "status", "bogus"), listItemSpec, listLimits)
	fields := fieldErrors(t, err, "page", "page_size", "ordering", "volume_min", "active", "status")
	assert.Len(t, fields["ordering"], 2, "both unknown ordering fields")
	assert.Equal(t, "page: must be a positive integer", errs.As(err).Message)

	// A long bad value is not echoed back whole.
	_, err = store.ParseList(query("ordering", strings.Repeat("z", 10_000)), listItemSpec, listLimits)
	fields = fieldErrors(t, err, "ordering")
	assert.Less(t, len(fields["ordering"][0]), 200)
}

func TestParseListRejectsBadSpecs(t *testing.T) {
	bad := []struct {
		spec   store.ListSpec
		limits store.PageLimits
	}{
		{store.ListSpec{DefaultOrdering: []string{"-nope"}}, listLimits},
		{store.ListSpec{Filters: []store.Filter{{Param: "page", Column: "x"}}}, listLimits},
		{store.ListSpec{Filters: []store.Filter{{Param: "a", Column: "x"}, {Param: "a", Column: "y"}}}, listLimits},
		{store.ListSpec{Filters: []store.Filter{{Param: "a"}}}, listLimits},
		{store.ListSpec{Filters: []store.Filter{{Param: "a", Column: "x", Kind: store.Int, Choices: []string{"1"}}}}, listLimits},
		{store.ListSpec{Filters: []store.Filter{{Param: "a", Column: "x", Op: store.FilterOp(42)}}}, listLimits},
		{store.ListSpec{}, store.PageLimits{DefaultSize: 50, MaxSize: 10}},
	}
	for i, tc := range bad {
		_, err := store.ParseList(url.Values{}, tc.spec, tc.limits)
		require.Error(t, err, "case %d", i)
		assert.Equal(t, errs.Internal, errs.CodeOf(err), "a spec mistake is the programmer's, not the caller's: %v", err)
	}
}

func TestPageHelpers(t *testing.T) {
	lq, err := store.ParseList(query("page", "2", "page_size", "10"), listItemSpec, listLimits)
	require.NoError(t, err)
	p := store.NewPage[int](lq, 25, nil)
	assert.NotNil(t, p.Results, "encodes as [] not null")
	assert.True(t, p.HasNext())
	assert.True(t, p.HasPrevious())
	p.Count = 20
	assert.False(t, p.HasNext())
	p = store.NewPage(store.ListQuery{}, 0, []int{})
	assert.Equal(t, 1, p.Page)
	assert.Equal(t, 25, p.PageSize, "a zero ListQuery is a page of 25, never unlimited")
	assert.False(t, p.HasNext())
	assert.False(t, p.HasPrevious())
}

// listEnv creates the list_items table and returns a function listing it
// with query parameters on top of an optional base scope.
func listEnv(t *testing.T, env *igny8test.Env) (bun.IDB, func(v url.Values) (store.Page[listItem], error)) {
	t.Helper()
	ctx := env.Ctx()
	db := env.App.DB()
	_, err := db.NewCreateTable().Model((*listItem)(nil)).Exec(ctx)
	require.NoError(t, err)
	return db, func(v url.Values) (store.Page[listItem], error) {
		lq, err := store.ParseList(v, listItemSpec, listLimits)
		if err != nil {
			return store.Page[listItem]{}, err
		}
		return store.ListPage[listItem](ctx, db.NewSelect().Model((*listItem)(nil)), lq)
	}
}

func seed(t *testing.T, db bun.IDB, items ...*listItem) {
	t.Helper()
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, it := range items {
		if it.Owner == "" {
			it.Owner = "a"
		}
		if it.Status == "" {
			it.Status = "new"
		}
		if it.CreatedAt.IsZero() {
			it.CreatedAt = base.Add(time.Duration(i) * time.Hour)
		}
	}
	_, err := db.NewInsert().Model(&items).Exec(context.Background())
	require.NoError(t, err)
}

func names(p store.Page[listItem]) []string {
	out := make([]string, 0, len(p.Results))
	for _, it := range p.Results {
		out = append(out, it.Name)
	}
	return out
}

func ptr(n int64) *int64 { return &n }

func TestListSearch(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		seed(t, db,
			&listItem{Name: "SEO Tips", Volume: 9},
			&listItem{Name: "cooking", Note: "an seo guide", Volume: 8},
			&listItem{Name: "100% organic", Volume: 7},
			&listItem{Name: "100 organic", Volume: 6},
			&listItem{Name: "a_b", Volume: 5},
			&listItem{Name: "axb", Volume: 4},
			&listItem{Name: `c\d`, Volume: 3},
			&listItem{Name: "cd", Volume: 2},
			&listItem{Name: "seo guide for cooks", Volume: 1},
			&listItem{Owner: "b", Name: "other tenant's seo", Volume: 0},
		)
		search := func(s string, extra ...string) []string {
			t.Helper()
			p, err := list(query(append([]string{"search", s}, extra...)...))
			require.NoError(t, err)
			return names(p)
		}

		assert.Equal(t, []string{"SEO Tips", "cooking", "seo guide for cooks", "other tenant's seo"}, search("sEo"), "case-insensitive, name or note")
		assert.Equal(t, []string{"100% organic"}, search("%"))
		assert.Equal(t, []string{"100% organic"}, search("0%"))
		assert.Equal(t, []string{"a_b"}, search("_"))
		assert.Equal(t, []string{"a_b"}, search("a_b"))
		assert.Equal(t, []string{`c\d`}, search(`\`))
		assert.Equal(t, []string{`c\d`}, search(`c\d`))
		assert.Equal(t, []string{"cooking", "seo guide for cooks"}, search("guide  seo"), "every term must match some column")
		assert.Equal(t, []string{"seo guide for cooks"}, search(`"guide for"`), "a quoted phrase is one term")
		assert.Len(t, search(""), 10)

		// The search ORs stay inside the caller's scope: owner b's row
		// matches the search but not the base WHERE.
		lq, err := store.ParseList(query("search", "seo"), listItemSpec, listLimits)
		require.NoError(t, err)
		p, err := store.ListPage[listItem](env.Ctx(), db.NewSelect().Model((*listItem)(nil)).Where("?TableAlias.owner = ?", "a"), lq)
		require.NoError(t, err)
		assert.Equal(t, []string{"SEO Tips", "cooking", "seo guide for cooks"}, names(p))
		assert.Equal(t, 3, p.Count)
	})
}

func TestListFilters(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		day := func(d int) time.Time { return time.Date(2025, 3, d, 10, 30, 0, 0, time.UTC) }
		seed(t, db,
			&listItem{Name: "a", Status: "new", Volume: 10, Active: true, Score: ptr(1), CreatedAt: day(1)},
			&listItem{Name: "b", Status: "done", Volume: 20, Active: false, CreatedAt: day(2)},
			&listItem{Name: "c", Status: "old", Volume: 30, Active: true, Score: ptr(3), CreatedAt: day(3)},
			&listItem{Name: "d", Status: "new", Volume: 40, Active: false, CreatedAt: day(4)},
		)
		filter := func(kv ...string) []string {
			t.Helper()
			p, err := list(query(append([]string{"ordering", "name"}, kv...)...))
			require.NoError(t, err)
			assert.Equal(t, len(p.Results), p.Count)
			return names(p)
		}
		assert.Equal(t, []string{"a", "d"}, filter("status", "new"))
		assert.Equal(t, []string{"b", "c"}, filter("status_in", "done,old"))
		assert.Equal(t, []string{"a", "c"}, filter("ids", "1,3,99"))
		assert.Equal(t, []string{"c", "d"}, filter("volume_min", "30"))
		assert.Equal(t, []string{"a", "b"}, filter("volume_max", "20"))
		assert.Equal(t, []string{"b", "c"}, filter("volume_min", "15", "volume_max", "35"))
		assert.Equal(t, []string{"a", "c"}, filter("active", "true"))
		assert.Equal(t, []string{"b", "d"}, filter("active", "0"))
		assert.Equal(t, []string{"b", "d"}, filter("score_isnull", "true"))
		assert.Equal(t, []string{"a", "c"}, filter("score_isnull", "false"))
		assert.Equal(t, []string{"b", "c", "d"}, filter("created_after", "2025-03-02"))
		assert.Equal(t, []string{"a", "b"}, filter("created_before", "2025-03-02T12:30:00+02:00"), "converted to UTC: 10:30Z, inclusive")
		assert.Equal(t, []string{"b"}, filter("created_after", "2025-03-02T10:30:00Z", "created_before", "2025-03-02T10:30:00Z"))
		assert.Equal(t, []string{"d"}, filter("status", "new", "active", "false", "search", "D"))
		assert.Empty(t, filter("owner", "nobody"))
	})
}

func TestListOrdering(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		seed(t, db,
			&listItem{Name: "b", Volume: 1, Score: ptr(2)},
			&listItem{Name: "a", Volume: 2},
			&listItem{Name: "c", Volume: 2, Score: ptr(1)},
			&listItem{Name: "d", Volume: 1},
		)
		order := func(ordering string) []string {
			t.Helper()
			v := url.Values{}
			if ordering != "" {
				v.Set("ordering", ordering)
			}
			p, err := list(v)
			require.NoError(t, err)
			return names(p)
		}
		assert.Equal(t, []string{"a", "b", "c", "d"}, order("name"))
		assert.Equal(t, []string{"d", "c", "b", "a"}, order("-name"))
		assert.Equal(t, []string{"d", "b", "c", "a"}, order("volume,-name"))
		assert.Equal(t, []string{"a", "c", "b", "d"}, order(""), "default -volume, name")
		assert.Equal(t, []string{"a", "c", "b", "d"}, order(" , "), "blank ordering means the default")
		assert.Equal(t, []string{"b", "d", "a", "c"}, order("volume"), "ties broken by id")
		assert.Equal(t, []string{"c", "b", "a", "d"}, order("score"), "NULLs last ascending on both databases")
		assert.Equal(t, []string{"a", "d", "b", "c"}, order("-score"), "NULLs first descending on both databases")
		assert.Equal(t, []string{"d", "c", "a", "b"}, order("-id"))
	})
}

func TestListPaginationIsStable(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		const total = 57
		items := make([]*listItem, total)
		for i := range items {
			// Three volumes only: most rows tie on the sort column.
			items[i] = &listItem{Name: fmt.Sprintf("item %02d", i), Volume: int64(i % 3), Status: []string{"new", "done"}[i%2]}
		}
		// One insert with equal created_at values too.
		for _, it := range items {
			it.CreatedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		seed(t, db, items...)

		for _, ordering := range []string{"volume", "-volume", "created_at", "-created_at,volume"} {
			seen := map[int64]bool{}
			pages := 0
			for page := 1; ; page++ {
				p, err := list(query("ordering", ordering, "page_size", "10", "page", fmt.Sprint(page)))
				require.NoError(t, err)
				assert.Equal(t, total, p.Count)
				assert.Equal(t, page > 1, p.HasPrevious())
				for _, it := range p.Results {
					assert.False(t, seen[it.ID], "row %d repeated (ordering %s)", it.ID, ordering)
					seen[it.ID] = true
				}
				pages++
				if !p.HasNext() {
					assert.Len(t, p.Results, total%10)
					break
				}
				assert.Len(t, p.Results, 10)
			}
			assert.Equal(t, 6, pages)
			assert.Len(t, seen, total, "no row missing (ordering %s)", ordering)
		}

		// Past the end: an empty page with the true count.
		p, err := list(query("page", "7", "page_size", "10"))
		require.NoError(t, err)
		assert.Empty(t, p.Results)
		assert.NotNil(t, p.Results)
		assert.Equal(t, total, p.Count)
		assert.False(t, p.HasNext())

		// The count is of the filtered set.
		p, err = list(query("status", "done", "page_size", "5"))
		require.NoError(t, err)
		assert.Equal(t, total/2, p.Count)
		assert.Len(t, p.Results, 5)
		assert.True(t, p.HasNext())

		// Inside a transaction too.
		lq, err := store.ParseList(query("page", "2", "page_size", "50", "ordering", "-id"), listItemSpec, listLimits)
		require.NoError(t, err)
		err = store.InTx(env.Ctx(), db, func(ctx context.Context, tx bun.Tx) error {
			p, err := store.ListPage[listItem](ctx, tx.NewSelect().Model((*listItem)(nil)), lq)
			require.NoError(t, err)
			assert.Equal(t, total, p.Count)
			require.Len(t, p.Results, total-50)
			assert.Equal(t, int64(total-50), p.Results[0].ID)
			return nil
		})
		require.NoError(t, err)
	})
}

// TestListInjection sends SQL-looking text through every list parameter: it
// is data (search, free string filters) or a validation error (ordering,
// typed and choice filters); never SQL.
func TestListInjection(t *testing.T) {
	payloads := []string{
		`'; DROP TABLE list_items; --`,
		`' OR 1=1--`,
		`name desc; delete from list_items`,
		`name desc, (SELECT pg_sleep(5))`,
		`id;DROP TABLE x`,
		`other_table.password`,
		`?TableAlias.id`,
		`\'; --`,
		`ѕео`, // Cyrillic homoglyphs of "seo"
		strings.Repeat("x", 10_000),
	}
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		seed(t, db,
			&listItem{Name: "seo", Volume: 1},
			&listItem{Name: `'; DROP TABLE list_items; --`, Volume: 2},
		)
		for _, bad := range payloads {
			p, err := list(query("search", bad))
			if len(bad) > 200 {
				fieldErrors(t, err, "search")
			} else {
				require.NoError(t, err, bad)
				if bad == payloads[0] {
					assert.Equal(t, []string{bad}, names(p), "found as plain data")
				} else {
					assert.Empty(t, p.Results, bad)
				}
			}

			p, err = list(query("owner", bad))
			if len(bad) > 200 {
				fieldErrors(t, err, "owner")
			} else {
				require.NoError(t, err, bad)
				assert.Empty(t, p.Results, bad)
			}

			for _, param := range []string{"ordering", "status", "status_in", "ids", "volume_min", "active", "score_isnull", "created_after"} {
				_, err := list(query(param, bad))
				fieldErrors(t, err, param)
			}
		}

		n, err := db.NewSelect().Model((*listItem)(nil)).Count(env.Ctx())
		require.NoError(t, err)
		assert.EqualValues(t, 2, n, "the table and its rows are intact")
	})
}

// FuzzParseList: any query string either parses into values taken from the
// spec and the limits, or fails as a validation error; it never panics.
func FuzzParseList(f *testing.F) {
	for _, seed := range []string{
		"", "page=2&page_size=10", "ordering=-volume,name", "ordering=name%20desc;%20delete",
		"search=%27;%20DROP%20TABLE%20x;%20--", "ids=1,2,,3", "status=new&active=TRUE",
		"created_after=2025-01-01&created_before=2025-01-02T03:04:05Z", "page=99999999999", "search=%00",
		"ordering=%2B", "score_isnull=1", "status_in=,,,",
	} {
		f.Add(seed)
	}
	allowed := map[string]bool{}
	for _, col := range listItemSpec.Ordering {
		allowed[col] = true
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		lq, err := store.ParseList(values, listItemSpec, listLimits)
		if err != nil {
			require.Equal(t, errs.Invalid, errs.CodeOf(err), "%v", err)
			return
		}
		require.GreaterOrEqual(t, lq.Page, 1)
		require.True(t, lq.PageSize >= 1 && lq.PageSize <= listLimits.MaxSize)
		require.LessOrEqual(t, len([]rune(lq.Search)), 200)
		for _, o := range lq.Ordering {
			require.True(t, allowed[o.Column], "ordering column %q is not from the spec", o.Column)
		}
	})
}

// queryCounter counts the queries a DB runs.
type queryCounter struct{ n atomic.Int64 }

func (c *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}
func (c *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) { c.n.Add(1) }

// The page carries its total (count(*) OVER ()): one query per list,
// except a page past the end, which has no row to carry it. The count is
// right on every boundary.
func TestListPageCountsOnlyWhenNeeded(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		db, list := listEnv(t, env)
		items := make([]*listItem, 30)
		for i := range items {
			items[i] = &listItem{Name: fmt.Sprintf("item %02d", i)}
		}
		seed(t, db, items...)
		counter := &queryCounter{}
		env.App.DB().AddQueryHook(counter)
		for _, c := range []struct {
			query   string
			results int
			queries int64
		}{
			{"page_size=10", 10, 1},
			{"page_size=10&page=3", 10, 1},
			{"page_size=7&page=5", 2, 1},
			{"page_size=50", 30, 1},
			{"page_size=10&page=9", 0, 2}, // past the end: a COUNT
			{"search=zzz", 0, 1},          // nothing matches: 0
			{"page_size=30", 30, 1},
		} {
			v, err := url.ParseQuery(c.query)
			require.NoError(t, err)
			before := counter.n.Load()
			p, err := list(v)
			require.NoError(t, err)
			require.Len(t, p.Results, c.results, c.query)
			want := 30
			if c.query == "search=zzz" {
				want = 0
			}
			require.Equal(t, want, p.Count, c.query)
			require.Equal(t, c.queries, counter.n.Load()-before, c.query)
		}
	})
}
