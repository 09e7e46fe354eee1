package listsql

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// TestSameSQLAsIgny8 renders the query igny8-go's keyword list builds for
// the benchmarked request (planner's spec, the owner's scope, store's list
// machinery, as planner.KeywordsPage does) and checks the ceiling runs the
// same statement. When this fails, igny8-go's query changed: change
// listsql with it, or the ceiling stops being the ceiling of igny8's work.
func TestSameSQLAsIgny8(t *testing.T) {
	env := igny8test.New(t)
	p := Params{AccountID: 7, SiteID: 8, SectorID: 9, Search: "best", Page: 1, PageSize: 25}
	lq, err := store.ParseList(url.Values{
		"site_id": {"8"}, "sector_id": {"9"}, "search": {"best"}, "ordering": {"-volume"}, "page_size": {"25"},
	}, planner.KeywordListSpec(), store.PageLimits{})
	if err != nil {
		t.Fatal(err)
	}
	owner := tenancy.Tenant{AccountID: p.AccountID, UserID: 1, Role: tenancy.RoleOwner}
	q, err := tenancy.ScopeSite(env.App.DB().NewSelect().Model((*planner.Keyword)(nil)), owner)
	if err != nil {
		t.Fatal(err)
	}
	got, args, err := store.PageSQL(q, lq)
	if err != nil {
		t.Fatal(err)
	}
	if got != PageSQL {
		t.Fatalf("igny8-go's page query differs from listsql.PageSQL:\nigny8: %s\nbench: %s", got, PageSQL)
	}
	if g, w := fmt.Sprint(args), fmt.Sprint(p.PageArgs()); g != w {
		t.Fatalf("igny8-go sends %s, the ceiling %s", g, w)
	}
	// The COUNT of a page past the end keeps the WHERE.
	if gotWhere := got[strings.Index(got, "WHERE "):strings.Index(got, " ORDER BY ")]; gotWhere != Where {
		t.Fatalf("WHERE differs:\nigny8: %s\nbench: %s", gotWhere, Where)
	}
}
