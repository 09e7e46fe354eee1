package planner_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// requireCode fails unless err carries code and, when field is not empty,
// names that field.
func requireCode(t *testing.T, err error, code errs.Code, field string) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, errs.CodeOf(err), "error: %v", err)
	if field != "" {
		e := errs.As(err)
		require.NotNil(t, e)
		require.Contains(t, e.Fields, field, "error %v should name field %q", err, field)
	}
}

func ptr[T any](v T) *T { return &v }

// fixture is an account with one site of two sectors.
type fixture struct {
	env     *igny8test.Env
	svc     *planner.Service
	account *igny8test.Account
	t       tenancy.Tenant
	site    *tenancy.Site
	sectors []tenancy.Sector
}

func newFixture(env *igny8test.Env, opts ...igny8test.AccountOption) *fixture {
	a := env.NewAccount(opts...)
	site, sectors := env.NewSite(a, "Alpha", "Beta")
	return &fixture{env: env, svc: env.App.Planner(), account: a, t: a.Tenant, site: site, sectors: sectors}
}

func (f *fixture) sector() int64 { return f.sectors[0].ID }

// keyword adds an own keyword to the first sector.
func (f *fixture) keyword(text string, volume, difficulty int) *planner.Keyword {
	f.env.T.Helper()
	k, err := f.svc.CreateKeyword(f.env.Ctx(), f.t, planner.KeywordInput{
		SiteID: f.site.ID, SectorID: f.sector(), Keyword: text, Volume: &volume, Difficulty: &difficulty,
	})
	require.NoError(f.env.T, err)
	return k
}

func (f *fixture) cluster(name string) *planner.Cluster {
	f.env.T.Helper()
	c, err := f.svc.CreateCluster(f.env.Ctx(), f.t, planner.ClusterInput{SiteID: f.site.ID, SectorID: f.sector(), Name: name})
	require.NoError(f.env.T, err)
	return c
}

func (f *fixture) getCluster(id int64) *planner.Cluster {
	f.env.T.Helper()
	c, err := f.svc.GetCluster(f.env.Ctx(), f.t, id)
	require.NoError(f.env.T, err)
	return c
}

// list parses raw query parameters against spec.
func list(t *testing.T, spec store.ListSpec, query string) store.ListQuery {
	t.Helper()
	values, err := url.ParseQuery(query)
	require.NoError(t, err)
	lq, err := store.ParseList(values, spec, store.PageLimits{})
	require.NoError(t, err)
	return lq
}
