package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
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
	// Planner rows: live ones, and soft-deleted ones that restore could
	// bring back.
	keywordID, clusterID, ideaID                      int64
	deletedKeywordID, deletedClusterID, deletedIdeaID int64
	clients                                           map[string]*igny8test.Client // role or "api_key" → client
	markers                                           []string                     // strings that only this account's data contains
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
	f.plannerRows(t, env, label)
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

// plannerRows gives the account a keyword in a cluster, an idea targeting
// both, and one deleted row of each kind; every name carries the account's
// "isolation <label>" marker.
func (f *tenantFixture) plannerRows(t *testing.T, env *igny8test.Env, label string) {
	t.Helper()
	ctx, svc, tn := env.Ctx(), env.App.Planner(), f.acct.Tenant
	cluster, err := svc.CreateCluster(ctx, tn, planner.ClusterInput{SiteID: f.site.ID, SectorID: f.sector.ID, Name: "isolation " + label + " cluster"})
	require.NoError(t, err)
	keyword, err := svc.CreateKeyword(ctx, tn, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector.ID, Keyword: "isolation " + label + " keyword", ClusterID: &cluster.ID})
	require.NoError(t, err)
	idea, err := svc.CreateIdea(ctx, tn, planner.IdeaInput{SiteID: f.site.ID, SectorID: f.sector.ID, Title: "isolation " + label + " idea",
		ClusterID: &cluster.ID, KeywordIDs: []int64{keyword.ID}})
	require.NoError(t, err)
	f.keywordID, f.clusterID, f.ideaID = keyword.ID, cluster.ID, idea.ID

	gone, err := svc.CreateCluster(ctx, tn, planner.ClusterInput{SiteID: f.site.ID, SectorID: f.sector.ID, Name: "isolation " + label + " deleted cluster"})
	require.NoError(t, err)
	require.NoError(t, svc.DeleteCluster(ctx, tn, gone.ID))
	goneKeyword, err := svc.CreateKeyword(ctx, tn, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sector.ID, Keyword: "isolation " + label + " deleted keyword"})
	require.NoError(t, err)
	require.NoError(t, svc.DeleteKeyword(ctx, tn, goneKeyword.ID))
	goneIdea, err := svc.CreateIdea(ctx, tn, planner.IdeaInput{SiteID: f.site.ID, SectorID: f.sector.ID, Title: "isolation " + label + " deleted idea"})
	require.NoError(t, err)
	require.NoError(t, svc.DeleteIdea(ctx, tn, goneIdea.ID))
	f.deletedKeywordID, f.deletedClusterID, f.deletedIdeaID = goneKeyword.ID, gone.ID, goneIdea.ID
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
	case strings.HasPrefix(path, "/api/v1/planner/keywords/"):
		return fmt.Sprint(f.keywordID), true
	case strings.HasPrefix(path, "/api/v1/planner/clusters/"):
		return fmt.Sprint(f.clusterID), true
	case strings.HasPrefix(path, "/api/v1/planner/ideas/"):
		return fmt.Sprint(f.ideaID), true
	}
	return "", false
}

// bulkIDsFor names the victim's rows a bulk action of path gets: a live and
// a deleted one, so both delete/update and restore have something to hit.
func (f *tenantFixture) bulkIDsFor(path string) []int64 {
	switch {
	case strings.HasPrefix(path, "/api/v1/planner/keywords/"):
		return []int64{f.keywordID, f.deletedKeywordID}
	case strings.HasPrefix(path, "/api/v1/planner/clusters/"):
		return []int64{f.clusterID, f.deletedClusterID}
	case strings.HasPrefix(path, "/api/v1/planner/ideas/"):
		return []int64{f.ideaID, f.deletedIdeaID}
	}
	return nil
}

// bodyFor fills a request body from the operation's schema: every *_id
// property points at the victim's objects, and the other required fields
// are valid, so that the request reaches the ownership check instead of
// stopping at validation.
func (f *tenantFixture) bodyFor(path string, props []string) map[string]any {
	body := map[string]any{}
	for _, p := range props {
		switch p {
		case "site_id":
			body[p] = f.site.ID
		case "user_id":
			body[p] = f.editor.ID
		case "sector_id":
			body[p] = f.sector.ID
		case "name", "keyword", "title":
			body[p] = "intruder"
		case "ids":
			body[p] = f.bulkIDsFor(path)
		case "cluster_id":
			body[p] = f.clusterID
		case "keyword_ids":
			body[p] = []int64{f.keywordID}
		case "seed_keyword_ids":
			body[p] = []int64{1}
		case "disabled":
			body[p] = true
		}
	}
	return body
}

// bulkAnswerIsolated reports whether a bulk action's answer treated every
// id as unknown: changed nothing, listed all of them in not_found.
func bulkAnswerIsolated(res *igny8test.Response, ids []int64) bool {
	var data struct {
		Affected *int    `json:"affected"`
		NotFound []int64 `json:"not_found"`
	}
	if res.Data(&data) != nil || data.Affected == nil || *data.Affected != 0 {
		return false
	}
	for _, id := range ids {
		if !slices.Contains(data.NotFound, id) {
			return false
		}
	}
	return true
}

// idsNotFound reports whether res is a 400 saying the named ids were not
// found (the AI actions refuse the whole call that way).
func idsNotFound(res *igny8test.Response) bool {
	msgs, _ := errorsOf(res)["ids"].([]any)
	return res.Status == http.StatusBadRequest && len(msgs) > 0 && strings.Contains(fmt.Sprint(msgs...), "not found")
}

// TestCrossTenantIsolation tries every route of the table that names an
// object or a site/sector, as every role of another account and as another
// site's API key, against the first account's objects: each attempt must be
// 404 (or 403 where the role is refused), and no list shows the first
// account's data. Routes come from the OpenAPI document, which is generated
// from the route table, so a new route is covered without editing this test.
func TestCrossTenantIsolation(t *testing.T) {
	// An AI provider is configured (at an address nobody answers) so that
	// the AI actions get past "AI provider not configured" to the check of
	// whose ids they were given.
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled), igny8test.WithConfig(func(c *igny8.Config) {
		c.OpenAI.BaseURL = "http://127.0.0.1:9/v1"
	}))
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
			csvBody := false
			if op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
					for name := range mt.Schema.Value.Properties {
						props = append(props, name)
					}
				}
				csvBody = op.RequestBody.Value.Content.Get("text/csv") != nil
			}
			target := strings.ReplaceAll(path, "{type}", "isolation_prompt")
			if strings.Contains(path, "{id}") {
				id, ok := victim.idFor(path)
				require.True(t, ok, "the isolation test does not know which object %s names; teach idFor", path)
				target = strings.ReplaceAll(target, "{id}", id)
			}
			q := url.Values{"site_id": {fmt.Sprint(victim.site.ID)}, "sector_id": {fmt.Sprint(victim.sector.ID)}, "user_id": {fmt.Sprint(victim.editor.ID)}}
			for who, c := range intruder.clients {
				var body any
				switch {
				case csvBody:
					// Uploads go to the site and sector of the query string.
					body = "keyword\nintruder keyword\n"
					c.Header.Set("Content-Type", "text/csv")
				case method != http.MethodGet && method != http.MethodDelete:
					body = victim.bodyFor(path, props)
				}
				res := c.Do(method, target+"?"+q.Encode(), body)
				c.Header.Del("Content-Type")
				tried++
				namesVictim := strings.Contains(path, "{id}") || hasAny(props, "site_id", "user_id", "sector_id") || csvBody
				refused := res.Status == http.StatusNotFound || res.Status == http.StatusForbidden
				switch {
				case namesVictim && !refused:
					leaks = append(leaks, fmt.Sprintf("%s %s as %s: %d %s", method, path, who, res.Status, res.Body))
				case hasAny(props, "ids") && !refused && !idsNotFound(res) &&
					!(res.Status == http.StatusOK && bulkAnswerIsolated(res, victim.bulkIDsFor(path))):
					leaks = append(leaks, fmt.Sprintf("%s %s as %s touched the victim's ids: %d %s", method, path, who, res.Status, res.Body))
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

	// The victim's planner rows: the live ones still live, unchanged and
	// linked; the deleted ones still deleted.
	var kw planner.Keyword
	require.NoError(t, owner.Get(fmt.Sprintf("/api/v1/planner/keywords/%d/", victim.keywordID)).Data(&kw))
	require.Equal(t, "isolation victim keyword", kw.Keyword)
	require.False(t, kw.Disabled)
	require.Equal(t, &victim.clusterID, kw.ClusterID)
	var cl planner.Cluster
	require.NoError(t, owner.Get(fmt.Sprintf("/api/v1/planner/clusters/%d/", victim.clusterID)).Data(&cl))
	require.Equal(t, "isolation victim cluster", cl.Name)
	require.False(t, cl.Disabled)
	require.Equal(t, 1, cl.KeywordsCount)
	require.Equal(t, 1, cl.IdeasCount)
	var idea planner.Idea
	require.NoError(t, owner.Get(fmt.Sprintf("/api/v1/planner/ideas/%d/", victim.ideaID)).Data(&idea))
	require.Equal(t, "isolation victim idea", idea.Title)
	require.False(t, idea.Disabled)
	require.Equal(t, []int64{victim.keywordID}, idea.KeywordIDs)
	for _, p := range []string{
		fmt.Sprintf("/api/v1/planner/keywords/%d/", victim.deletedKeywordID),
		fmt.Sprintf("/api/v1/planner/clusters/%d/", victim.deletedClusterID),
		fmt.Sprintf("/api/v1/planner/ideas/%d/", victim.deletedIdeaID),
	} {
		require.Equal(t, http.StatusNotFound, owner.Get(p).Status, p)
	}
	res = owner.Get(fmt.Sprintf("/api/v1/planner/keywords/?site_id=%d", victim.site.ID))
	require.Equal(t, float64(1), res.Envelope["count"], "no intruder keyword landed in the victim's site: %s", res.Body)
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
