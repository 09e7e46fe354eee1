package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

// tenantFixture is one account with a user of every role, a site with a
// sector, and an API key of that site.
type tenantFixture struct {
	acct                 *igny8test.Account
	site                 *tenancy.Site
	sector               tenancy.Sector
	editor               *tenancy.User
	key                  *tenancy.NewAPIKey
	metricID             string
	taskID               int64
	authorID, strategyID int64
	clients              map[string]*igny8test.Client // role or "api_key" → client
	markers              []string                     // strings that only this account's data contains
	password             string
}

func newTenantFixture(t *testing.T, env *igny8test.Env, label string) *tenantFixture {
	t.Helper()
	ctx := env.Ctx()
	svc := env.App.Tenancy()
	f := &tenantFixture{acct: env.NewAccount(igny8test.OnPlan("scale")), clients: map[string]*igny8test.Client{}}
	site, sectors, err := svc.CreateSite(ctx, f.acct.Tenant, tenancy.NewSite{
		Name: "Isolation " + label + " Site", Domain: "iso-" + label + ".example",
		Sectors: []tenancy.NewSector{{Name: "Isolation " + label + " Sector"}},
	})
	require.NoError(t, err)
	f.site, f.sector = site, sectors[0]
	f.clients["owner"] = env.Login(f.acct.Owner.Email, igny8test.Password)
	for _, role := range []tenancy.Role{tenancy.RoleAdmin, tenancy.RoleEditor, tenancy.RoleViewer} {
		u, err := svc.CreateUser(ctx, f.acct.Tenant, tenancy.NewUser{
			Email: fmt.Sprintf("iso-%s-%s@example.com", label, role), Password: igny8test.Password, Role: role,
		})
		require.NoError(t, err)
		if role == tenancy.RoleEditor {
			f.editor = u
			require.NoError(t, svc.GrantSiteAccess(ctx, f.acct.Tenant, u.ID, site.ID))
		}
		if role == tenancy.RoleViewer {
			require.NoError(t, svc.GrantSiteAccess(ctx, f.acct.Tenant, u.ID, site.ID))
		}
		f.clients[string(role)] = env.Login(u.Email, igny8test.Password)
	}
	f.key, err = svc.CreateAPIKey(ctx, f.acct.Tenant, site.ID, "iso "+label)
	require.NoError(t, err)
	keyClient := env.Client()
	keyClient.APIKey = f.key.Key
	f.clients["api_key"] = keyClient
	require.NoError(t, store.InTx(ctx, env.App.DB(), func(ctx context.Context, tx bun.Tx) error {
		p, err := env.App.Tasks().Create(ctx, tx, f.acct.Tenant, "isolation "+label)
		if err == nil {
			f.taskID = p.ID
		}
		return err
	}))
	f.markers = append(f.markers, "isolation "+label)
	_, err = env.App.System().SavePrompt(ctx, f.acct.Tenant, "isolation_prompt", "Isolation "+label+" prompt {{.topic}}")
	require.NoError(t, err)
	author, err := env.App.System().CreateAuthor(ctx, f.acct.Tenant, system.AuthorInput{Name: "Isolation " + label + " author"})
	require.NoError(t, err)
	strategy, err := env.App.System().CreateStrategy(ctx, f.acct.Tenant, system.StrategyInput{Name: "Isolation " + label + " strategy"})
	require.NoError(t, err)
	f.authorID, f.strategyID = author.ID, strategy.ID
	owner := f.clients["owner"]
	owner.Header.Set("X-Debug-Resource-Tracking", "1")
	f.metricID = owner.Get("/api/v1/auth/sites/").Header.Get("X-Resource-Tracking-ID")
	owner.Header.Del("X-Debug-Resource-Tracking")
	require.Len(t, f.metricID, 32)
	f.markers = append(f.markers,
		"Isolation "+label+" Site", "Isolation "+label+" Sector", "iso-"+label+"-",
		f.acct.Owner.Email, f.key.APIKey.Prefix, f.acct.Account.Slug,
	)
	return f
}

// idFor picks the victim's object for a path of the route table.
func (f *tenantFixture) idFor(path string) (string, bool) {
	switch {
	case strings.HasPrefix(path, "/api/v1/auth/users/"), strings.HasPrefix(path, "/api/v1/account/team/"):
		return fmt.Sprint(f.editor.ID), true
	case strings.HasPrefix(path, "/api/v1/auth/sites/"):
		return fmt.Sprint(f.site.ID), true
	case strings.HasPrefix(path, "/api/v1/auth/sectors/"):
		return fmt.Sprint(f.sector.ID), true
	case strings.HasPrefix(path, "/api/v1/auth/api-keys/"):
		return fmt.Sprint(f.key.APIKey.ID), true
	case strings.HasPrefix(path, "/api/v1/system/request-metrics/"):
		return f.metricID, true
	case strings.HasPrefix(path, "/api/v1/system/author-profiles/"):
		return fmt.Sprint(f.authorID), true
	case strings.HasPrefix(path, "/api/v1/system/strategies/"):
		return fmt.Sprint(f.strategyID), true
	case strings.HasPrefix(path, "/api/v1/system/tasks/"):
		return fmt.Sprint(f.taskID), true
	}
	return "", false
}

// bodyFor fills a request body from the operation's schema: every *_id
// property points at the victim's objects.
func (f *tenantFixture) bodyFor(props []string) map[string]any {
	body := map[string]any{}
	for _, p := range props {
		switch p {
		case "site_id":
			body[p] = f.site.ID
		case "user_id":
			body[p] = f.editor.ID
		case "sector_id":
			body[p] = f.sector.ID
		case "name":
			body[p] = "intruder"
		}
	}
	return body
}

// TestCrossTenantIsolation tries every route of the table that names an
// object or a site/sector, as every role of another account and as another
// site's API key, against the first account's objects: each attempt must be
// 404 (or 403 where the role is refused), and no list shows the first
// account's data. Routes come from the OpenAPI document, which is generated
// from the route table, so a new route is covered without editing this test.
func TestCrossTenantIsolation(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	victim := newTenantFixture(t, env, "victim")
	intruder := newTenantFixture(t, env, "intruder")
	doc := schemaOf(t, env)

	tried, leaks := 0, []string{}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Find(path)
		for method, op := range item.Operations() {
			if op.Security == nil || len(*op.Security) == 0 {
				continue // public: no tenant data
			}
			var props []string
			if op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
					for name := range mt.Schema.Value.Properties {
						props = append(props, name)
					}
				}
			}
			target := strings.ReplaceAll(path, "{type}", "isolation_prompt")
			if strings.Contains(path, "{id}") {
				id, ok := victim.idFor(path)
				require.True(t, ok, "the isolation test does not know which object %s names; teach idFor", path)
				target = strings.ReplaceAll(target, "{id}", id)
			}
			q := url.Values{"site_id": {fmt.Sprint(victim.site.ID)}, "user_id": {fmt.Sprint(victim.editor.ID)}}
			for who, c := range intruder.clients {
				var body any
				if method != http.MethodGet && method != http.MethodDelete {
					body = victim.bodyFor(props)
				}
				res := c.Do(method, target+"?"+q.Encode(), body)
				tried++
				namesVictim := strings.Contains(path, "{id}") || hasAny(props, "site_id", "user_id", "sector_id")
				switch {
				case namesVictim && res.Status != http.StatusNotFound && res.Status != http.StatusForbidden:
					leaks = append(leaks, fmt.Sprintf("%s %s as %s: %d %s", method, path, who, res.Status, res.Body))
				case containsAny(string(res.Body), victim.markers):
					leaks = append(leaks, fmt.Sprintf("%s %s as %s shows the victim's data: %s", method, path, who, res.Body))
				}
			}
		}
	}
	require.Empty(t, leaks, "cross-tenant leaks")
	require.Greater(t, tried, 100, "the matrix must have run")

	// The victim's objects are untouched.
	owner := victim.clients["owner"]
	res := owner.Get(fmt.Sprintf("/api/v1/auth/sites/%d/", victim.site.ID))
	require.Equal(t, http.StatusOK, res.Status)
	require.Contains(t, string(res.Body), "Isolation victim Site")
	res = owner.Get(fmt.Sprintf("/api/v1/auth/sectors/?site_id=%d", victim.site.ID))
	require.Equal(t, float64(1), res.Envelope["count"])
	res = owner.Get(fmt.Sprintf("/api/v1/auth/users/%d/", victim.editor.ID))
	require.Equal(t, "editor", res.Envelope["data"].(map[string]any)["role"])
	key := env.Client()
	key.APIKey = victim.key.Key
	require.Equal(t, http.StatusOK, key.Get("/api/v1/auth/me/").Status)
}

func hasAny(list []string, names ...string) bool {
	for _, l := range list {
		for _, n := range names {
			if l == n {
				return true
			}
		}
	}
	return false
}

func containsAny(s string, markers []string) bool {
	for _, m := range markers {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
