package planner_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

// TestKeywordListsUseIndexes loads 100,000 keywords over 10 accounts and
// checks that the list queries the API runs — tenant-scoped, filtered,
// searched, ordered, paged, and their counts — never scan the whole
// keywords table: PostgreSQL's plans must start from an index.
func TestKeywordListsUseIndexes(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 keywords")
	}
	env := igny8test.New(t)
	ctx := env.Ctx()
	conn, err := pgx.Connect(ctx, env.DatabaseURL)
	require.NoError(t, err)
	defer conn.Close(context.Background())

	var fixtures []*fixture
	for a := range 10 {
		f := newFixture(env)
		unlimited(t, env, f.account.Account.ID)
		fixtures = append(fixtures, f)
		for s, sector := range f.sectors {
			rows := make([][]any, 0, 5000)
			now := time.Now().UTC()
			for i := range 5000 {
				kw := fmt.Sprintf("keyword %d %d %d", a, s, i)
				rows = append(rows, []any{f.account.Account.ID, f.site.ID, sector.ID, kw, kw, (i * 7919) % 50000, i % 101,
					"informational", "[]", nil, "new", now, now})
			}
			_, err := conn.CopyFrom(ctx, pgx.Identifier{"igny8_keywords"}, []string{"account_id", "site_id", "sector_id", "keyword", "keyword_norm",
				"volume", "difficulty", "intent", "attribute_values", "cluster_id", "status", "created_at", "updated_at"}, pgx.CopyFromRows(rows))
			require.NoError(t, err)
		}
	}
	_, err = conn.Exec(ctx, "ANALYZE igny8_keywords")
	require.NoError(t, err)

	f := fixtures[3]
	_, editor := env.NewUser(f.account, tenancy.RoleEditor) // sees only granted sites
	for _, who := range []tenancy.Tenant{f.t, editor} {
		for _, raw := range []string{
			"",
			fmt.Sprintf("site_id=%d&sector_id=%d&search=keyword 3&ordering=-volume", f.site.ID, f.sector()),
			fmt.Sprintf("sector_id=%d&status=new&volume_min=100&difficulty_max=50&ordering=keyword", f.sector()),
			"search=99&ordering=difficulty&page=3",
			fmt.Sprintf("site_id=%d&intent=informational,commercial&ordering=-created_at&page_size=100", f.site.ID),
		} {
			lq := list(t, planner.KeywordListSpec(), raw)
			q, err := tenancy.ScopeSite(env.App.DB().NewSelect().Model((*planner.Keyword)(nil)), who)
			require.NoError(t, err)
			page := lq.Apply(q.Clone()).String()
			count := lq.Where(q.Clone()).ColumnExpr("count(*)").String()
			for _, sql := range []string{page, count} {
				var lines []string
				rows, err := conn.Query(ctx, "EXPLAIN "+sql)
				require.NoError(t, err)
				for rows.Next() {
					var line string
					require.NoError(t, rows.Scan(&line))
					lines = append(lines, line)
				}
				require.NoError(t, rows.Err())
				plan := strings.Join(lines, "\n")
				require.NotContains(t, plan, "Seq Scan on igny8_keywords", "query %q (%s):\n%s", raw, sql, plan)
				require.Contains(t, plan, "Index", "query %q:\n%s", raw, plan)
			}
		}
	}
}
