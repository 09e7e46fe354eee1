package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

// plannerEnv is an account with one site of two sectors and a client per
// kind of caller: the owner, an editor and a viewer (both granted the
// site), and the site's API key.
type plannerEnv struct {
	env                        *igny8test.Env
	acct                       *igny8test.Account
	site                       *tenancy.Site
	sectors                    []tenancy.Sector
	owner, editor, viewer, key *igny8test.Client
}

func newPlannerEnv(t *testing.T, env *igny8test.Env) *plannerEnv {
	t.Helper()
	p := &plannerEnv{env: env, acct: env.NewAccount(igny8test.OnPlan("scale"))}
	p.site, p.sectors = env.NewSite(p.acct, "Running", "Cycling")
	p.owner = env.Login(p.acct.Owner.Email, igny8test.Password)
	for _, role := range []tenancy.Role{tenancy.RoleEditor, tenancy.RoleViewer} {
		u, _ := env.NewUser(p.acct, role)
		require.NoError(t, env.App.Tenancy().GrantSiteAccess(env.Ctx(), p.acct.Tenant, u.ID, p.site.ID))
		c := env.Login(u.Email, igny8test.Password)
		if role == tenancy.RoleEditor {
			p.editor = c
		} else {
			p.viewer = c
		}
	}
	key, err := env.App.Tenancy().CreateAPIKey(env.Ctx(), p.acct.Tenant, p.site.ID, "wordpress")
	require.NoError(t, err)
	p.key = env.Client()
	p.key.APIKey = key.Key
	return p
}

func (p *plannerEnv) sector() int64 { return p.sectors[0].ID }

// createdID requires a 201 and returns the new object's id.
func createdID(t *testing.T, res *igny8test.Response) int64 {
	t.Helper()
	requireStatus(t, res, http.StatusCreated)
	id, ok := res.Envelope["data"].(map[string]any)["id"].(float64)
	require.True(t, ok, "no id in %s", res.Body)
	return int64(id)
}

func (p *plannerEnv) keyword(t *testing.T, text string, volume, difficulty int, intent string, cluster int64) int64 {
	t.Helper()
	body := map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "keyword": text, "volume": volume, "difficulty": difficulty, "intent": intent}
	if cluster != 0 {
		body["cluster_id"] = cluster
	}
	return createdID(t, p.editor.Post("/api/v1/planner/keywords/", body))
}

func (p *plannerEnv) cluster(t *testing.T, name string) int64 {
	t.Helper()
	return createdID(t, p.editor.Post("/api/v1/planner/clusters/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "name": name}))
}

func (p *plannerEnv) idea(t *testing.T, title string, cluster int64, keywords ...int64) int64 {
	t.Helper()
	body := map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "title": title, "keyword_ids": keywords}
	if cluster != 0 {
		body["cluster_id"] = cluster
	}
	return createdID(t, p.editor.Post("/api/v1/planner/ideas/", body))
}

func getKeyword(t *testing.T, c *igny8test.Client, id int64) planner.Keyword {
	t.Helper()
	res := c.Get(fmt.Sprintf("/api/v1/planner/keywords/%d/", id))
	requireStatus(t, res, http.StatusOK)
	var k planner.Keyword
	require.NoError(t, res.Data(&k))
	return k
}

func getCluster(t *testing.T, c *igny8test.Client, id int64) planner.Cluster {
	t.Helper()
	res := c.Get(fmt.Sprintf("/api/v1/planner/clusters/%d/", id))
	requireStatus(t, res, http.StatusOK)
	var cl planner.Cluster
	require.NoError(t, res.Data(&cl))
	return cl
}

func getIdea(t *testing.T, c *igny8test.Client, id int64) planner.Idea {
	t.Helper()
	res := c.Get(fmt.Sprintf("/api/v1/planner/ideas/%d/", id))
	requireStatus(t, res, http.StatusOK)
	var i planner.Idea
	require.NoError(t, res.Data(&i))
	return i
}

func bulkResult(t *testing.T, res *igny8test.Response) planner.BulkResult {
	t.Helper()
	requireStatus(t, res, http.StatusOK)
	var out planner.BulkResult
	require.NoError(t, res.Data(&out))
	return out
}

// keywordTexts lists a keyword page's texts in order.
func keywordTexts(t *testing.T, res *igny8test.Response) []string {
	t.Helper()
	requireStatus(t, res, http.StatusOK)
	var rows []planner.Keyword
	require.NoError(t, res.Data(&rows))
	out := make([]string, 0, len(rows))
	for _, k := range rows {
		out = append(out, k.Keyword)
	}
	return out
}

// postFile sends body with its own content type (CSV uploads).
func postFile(c *igny8test.Client, path, contentType string, body []byte) *igny8test.Response {
	c.Header.Set("Content-Type", contentType)
	defer c.Header.Del("Content-Type")
	return c.Do(http.MethodPost, path, body)
}

func multipartCSV(t *testing.T, text string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "keywords.csv")
	require.NoError(t, err)
	_, err = fw.Write([]byte(text))
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

func TestPlannerKeywordEndpoints(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)
	shoes := p.cluster(t, "Shoes")

	id := p.keyword(t, "best running shoes", 1200, 40, "informational", shoes)
	k := getKeyword(t, p.viewer, id)
	assert.Equal(t, "best running shoes", k.Keyword)
	assert.Equal(t, planner.KeywordMapped, k.Status, "a keyword created in a cluster is mapped")
	assert.Equal(t, &shoes, k.ClusterID)
	assert.Equal(t, 1, getCluster(t, p.viewer, shoes).KeywordsCount)

	// The same text, folded, is a conflict in the sector.
	res := p.editor.Post("/api/v1/planner/keywords/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "keyword": "Best  Running Shoes"})
	requireStatus(t, res, http.StatusConflict)
	assert.Contains(t, errorsOf(res), "keyword")
	res = p.editor.Post("/api/v1/planner/keywords/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "difficulty": 101})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "keyword")
	assert.Contains(t, errorsOf(res), "difficulty")

	// PATCH: a null cluster_id takes the keyword out of its cluster; null
	// for a value of the account's own keyword is refused; unknown fields
	// are refused.
	path := fmt.Sprintf("/api/v1/planner/keywords/%d/", id)
	res = p.editor.Patch(path, map[string]any{"cluster_id": nil, "intent": "commercial"})
	requireStatus(t, res, http.StatusOK)
	k = getKeyword(t, p.viewer, id)
	assert.Nil(t, k.ClusterID)
	assert.Equal(t, planner.KeywordNew, k.Status)
	assert.Equal(t, tenancy.IntentCommercial, k.Intent)
	assert.Equal(t, 1200, k.Volume, "absent fields stay")
	assert.Equal(t, 0, getCluster(t, p.viewer, shoes).KeywordsCount)
	res = p.editor.Patch(path, map[string]any{"volume": nil})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "volume")
	res = p.editor.Patch(path, map[string]any{"account_id": 1})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "account_id")

	// Viewers read but never write; the row is untouched.
	requireStatus(t, p.viewer.Get("/api/v1/planner/keywords/"), http.StatusOK)
	for _, res := range []*igny8test.Response{
		p.viewer.Post("/api/v1/planner/keywords/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "keyword": "viewer keyword"}),
		p.viewer.Patch(path, map[string]any{"volume": 1}),
		p.viewer.Delete(path),
		p.viewer.Post("/api/v1/planner/keywords/bulk_delete/", map[string]any{"ids": []int64{id}}),
		p.viewer.Post("/api/v1/planner/keywords/bulk_update/", map[string]any{"ids": []int64{id}, "disabled": true}),
		p.viewer.Post("/api/v1/planner/keywords/restore/", map[string]any{"ids": []int64{id}}),
	} {
		requireStatus(t, res, http.StatusForbidden)
	}
	k = getKeyword(t, p.owner, id)
	assert.Equal(t, 1200, k.Volume)
	assert.False(t, k.Disabled)

	// The site's API key (the WordPress plugin) reads and writes.
	res = p.key.Get("/api/v1/planner/keywords/")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"])
	createdID(t, p.key.Post("/api/v1/planner/keywords/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "keyword": "plugin keyword"}))

	// Delete is soft: gone from reads until restored.
	requireStatus(t, p.editor.Delete(path), http.StatusNoContent)
	requireStatus(t, p.viewer.Get(path), http.StatusNotFound)
	requireStatus(t, p.editor.Delete(path), http.StatusNotFound)
	assert.Equal(t, []string{"plugin keyword"}, keywordTexts(t, p.viewer.Get("/api/v1/planner/keywords/")))
	out := bulkResult(t, p.editor.Post("/api/v1/planner/keywords/restore/", map[string]any{"ids": []int64{id, 999999}}))
	assert.Equal(t, 1, out.Affected)
	assert.Equal(t, []int64{999999}, out.NotFound)
	assert.Equal(t, "best running shoes", getKeyword(t, p.viewer, id).Keyword)
}

func TestPlannerKeywordListAndFilterOptions(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)
	shoes, socks := p.cluster(t, "Shoes"), p.cluster(t, "Socks")
	p.keyword(t, "alpha shoes", 100, 10, "informational", shoes)
	p.keyword(t, "beta shoes", 300, 50, "commercial", shoes)
	p.keyword(t, "gamma socks", 200, 30, "transactional", socks)
	p.keyword(t, "delta", 50, 70, "informational", 0)
	p.keyword(t, "epsilon", 400, 90, "navigational", 0)

	// Ordering and pagination: count, absolute next/previous.
	res := p.viewer.Get("/api/v1/planner/keywords/?ordering=-volume&page_size=2")
	assert.Equal(t, []string{"epsilon", "beta shoes"}, keywordTexts(t, res))
	assert.Equal(t, float64(5), res.Envelope["count"])
	require.NotNil(t, res.Envelope["next"])
	assert.Contains(t, res.Envelope["next"], "page=2")
	assert.Nil(t, res.Envelope["previous"])
	res = p.viewer.Get("/api/v1/planner/keywords/?ordering=-volume&page_size=2&page=3")
	assert.Equal(t, []string{"delta"}, keywordTexts(t, res))
	assert.Nil(t, res.Envelope["next"])
	assert.NotNil(t, res.Envelope["previous"])

	// Filters and search.
	for query, want := range map[string][]string{
		"search=shoes":                               {"alpha shoes", "beta shoes"},
		"status=mapped":                              {"alpha shoes", "beta shoes", "gamma socks"},
		"unclustered=true":                           {"delta", "epsilon"},
		fmt.Sprintf("cluster_id=%d", socks):          {"gamma socks"},
		"intent=informational,commercial":            {"alpha shoes", "beta shoes", "delta"},
		"volume_min=150&volume_max=350":              {"beta shoes", "gamma socks"},
		"difficulty_max=30":                          {"alpha shoes", "gamma socks"},
		fmt.Sprintf("site_id=%d", p.site.ID):         {"alpha shoes", "beta shoes", "delta", "epsilon", "gamma socks"},
		fmt.Sprintf("sector_id=%d", p.sectors[1].ID): {},
	} {
		got := keywordTexts(t, p.viewer.Get("/api/v1/planner/keywords/?ordering=keyword&"+query))
		assert.Equal(t, want, got, query)
	}
	for query, field := range map[string]string{
		"ordering=password": "ordering", "status=lost": "status", "page_size=1000": "page_size", "volume_min=x": "volume_min",
	} {
		res := p.viewer.Get("/api/v1/planner/keywords/?" + query)
		requireStatus(t, res, http.StatusBadRequest)
		assert.Contains(t, errorsOf(res), field, query)
	}

	options := func(query string) planner.FilterOptions {
		t.Helper()
		res := p.viewer.Get("/api/v1/planner/keywords/filter_options/?" + query)
		requireStatus(t, res, http.StatusOK)
		var out planner.FilterOptions
		require.NoError(t, res.Data(&out))
		for param, opts := range out {
			require.NotEmpty(t, opts, param)
			assert.Equal(t, planner.Option{Value: "", Label: "All"}, opts[0], "%s starts with All", param)
		}
		return out
	}
	all := planner.Option{Value: "", Label: "All"}
	got := options("")
	assert.Equal(t, []planner.Option{all, {Value: "mapped", Label: "Mapped"}, {Value: "new", Label: "New"}}, got["status"])
	assert.Equal(t, []planner.Option{all, {Value: fmt.Sprint(shoes), Label: "Shoes"}, {Value: fmt.Sprint(socks), Label: "Socks"}}, got["cluster_id"])
	assert.Len(t, got["intent"], 5)

	// A facet ignores its own filter (so the other choices stay offered)
	// but follows the others and the search.
	got = options("status=new")
	assert.Equal(t, []planner.Option{all, {Value: "mapped", Label: "Mapped"}, {Value: "new", Label: "New"}}, got["status"])
	assert.Equal(t, []planner.Option{all, {Value: "informational", Label: "Informational"}, {Value: "navigational", Label: "Navigational"}}, got["intent"])
	assert.Equal(t, []planner.Option{all}, got["cluster_id"])
	got = options("search=shoes")
	assert.Equal(t, []planner.Option{all, {Value: "commercial", Label: "Commercial"}, {Value: "informational", Label: "Informational"}}, got["intent"])
	assert.Equal(t, []planner.Option{all, {Value: fmt.Sprint(shoes), Label: "Shoes"}}, got["cluster_id"])
	res = p.viewer.Get("/api/v1/planner/keywords/filter_options/?status=lost")
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "status")
}

func TestPlannerClustersAndIdeas(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)

	// Clusters: create, unique names per sector, change, list.
	shoes := createdID(t, p.editor.Post("/api/v1/planner/clusters/", map[string]any{
		"site_id": p.site.ID, "sector_id": p.sector(), "name": "Running Shoes", "description": "All about shoes",
	}))
	res := p.editor.Post("/api/v1/planner/clusters/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "name": "running  shoes"})
	requireStatus(t, res, http.StatusConflict)
	assert.Contains(t, errorsOf(res), "name")
	createdID(t, p.editor.Post("/api/v1/planner/clusters/", map[string]any{"site_id": p.site.ID, "sector_id": p.sectors[1].ID, "name": "Running Shoes"}))
	clusterPath := fmt.Sprintf("/api/v1/planner/clusters/%d/", shoes)
	res = p.editor.Patch(clusterPath, map[string]any{"name": "Trail Shoes"})
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, "Trail Shoes", res.Envelope["data"].(map[string]any)["name"])
	requireStatus(t, p.viewer.Patch(clusterPath, map[string]any{"name": "Viewer"}), http.StatusForbidden)
	res = p.viewer.Get("/api/v1/planner/clusters/?search=trail")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"])
	res = p.viewer.Get(fmt.Sprintf("/api/v1/planner/clusters/?sector_id=%d&status=new", p.sectors[1].ID))
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"])

	kw := p.keyword(t, "trail running shoes", 500, 35, "commercial", shoes)
	cl := getCluster(t, p.viewer, shoes)
	assert.Equal(t, planner.ClusterMapped, cl.Status)
	assert.Equal(t, 1, cl.KeywordsCount)
	assert.Equal(t, int64(500), cl.Volume)

	res = p.viewer.Get("/api/v1/planner/clusters/filter_options/?status=new")
	requireStatus(t, res, http.StatusOK)
	var opts planner.FilterOptions
	require.NoError(t, res.Data(&opts))
	assert.Equal(t, []planner.Option{{Value: "", Label: "All"}, {Value: "mapped", Label: "Mapped"}, {Value: "new", Label: "New"}}, opts["status"])

	// Ideas: create with cluster and keywords, change, list, filter options.
	res = p.editor.Post("/api/v1/planner/ideas/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "title": "x", "content_type": "video"})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "content_type")
	ideaID := createdID(t, p.editor.Post("/api/v1/planner/ideas/", map[string]any{
		"site_id": p.site.ID, "sector_id": p.sector(), "title": "The trail shoe guide", "cluster_id": shoes,
		"keyword_ids": []int64{kw}, "content_type": "page", "content_structure": "guide", "outline": map[string]any{"h2": []string{"Fit", "Grip"}},
	}))
	idea := getIdea(t, p.viewer, ideaID)
	assert.Equal(t, []int64{kw}, idea.KeywordIDs)
	assert.Equal(t, &shoes, idea.ClusterID)
	assert.JSONEq(t, `{"h2": ["Fit", "Grip"]}`, string(idea.Outline))
	assert.Equal(t, 1, getCluster(t, p.viewer, shoes).IdeasCount)
	p.idea(t, "Socks for runners", 0)

	ideaPath := fmt.Sprintf("/api/v1/planner/ideas/%d/", ideaID)
	res = p.editor.Patch(ideaPath, map[string]any{"cluster_id": nil, "estimated_word_count": 1800})
	requireStatus(t, res, http.StatusOK)
	idea = getIdea(t, p.viewer, ideaID)
	assert.Nil(t, idea.ClusterID)
	assert.Equal(t, 1800, idea.EstimatedWordCount)
	assert.Equal(t, 0, getCluster(t, p.viewer, shoes).IdeasCount)

	res = p.viewer.Get("/api/v1/planner/ideas/?content_type=page")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"])
	res = p.viewer.Get("/api/v1/planner/ideas/?search=socks&ordering=-title")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"])
	res = p.viewer.Get("/api/v1/planner/ideas/filter_options/?content_type=page")
	requireStatus(t, res, http.StatusOK)
	require.NoError(t, res.Data(&opts))
	assert.Equal(t, []planner.Option{{Value: "", Label: "All"}, {Value: "page", Label: "Page"}, {Value: "post", Label: "Post"}}, opts["content_type"],
		"content_type ignores its own filter")
	assert.Equal(t, []planner.Option{{Value: "", Label: "All"}, {Value: "guide", Label: "Guide"}}, opts["content_structure"],
		"content_structure follows the content_type filter")

	// Soft delete and restore, one by one and in bulk.
	requireStatus(t, p.editor.Delete(ideaPath), http.StatusNoContent)
	requireStatus(t, p.viewer.Get(ideaPath), http.StatusNotFound)
	out := bulkResult(t, p.editor.Post("/api/v1/planner/ideas/restore/", map[string]any{"ids": []int64{ideaID}}))
	assert.Equal(t, 1, out.Affected)
	requireStatus(t, p.viewer.Get(ideaPath), http.StatusOK)

	requireStatus(t, p.editor.Delete(clusterPath), http.StatusNoContent)
	requireStatus(t, p.viewer.Get(clusterPath), http.StatusNotFound)
	assert.Nil(t, getKeyword(t, p.viewer, kw).ClusterID, "a deleted cluster's keywords leave it")
	out = bulkResult(t, p.editor.Post("/api/v1/planner/clusters/restore/", map[string]any{"ids": []int64{shoes}}))
	assert.Equal(t, 1, out.Affected)
	assert.Equal(t, "Trail Shoes", getCluster(t, p.viewer, shoes).Name)
}

func TestPlannerBulkActions(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)
	other := newPlannerEnv(t, env)
	c1 := p.cluster(t, "Mine")
	k1, k2, k3 := p.keyword(t, "one", 1, 1, "informational", 0), p.keyword(t, "two", 2, 2, "informational", 0), p.keyword(t, "three", 3, 3, "informational", 0)
	i1 := p.idea(t, "My idea", c1)
	theirCluster := other.cluster(t, "Theirs")
	theirKeyword := other.keyword(t, "their keyword", 5, 5, "informational", theirCluster)
	theirIdea := other.idea(t, "Their idea", theirCluster, theirKeyword)
	post := func(path string, body map[string]any) planner.BulkResult {
		t.Helper()
		return bulkResult(t, p.editor.Post("/api/v1/planner/"+path, body))
	}

	// Another account's ids come back as not found and stay untouched.
	out := post("keywords/bulk_update/", map[string]any{"ids": []int64{k1, k2, theirKeyword}, "cluster_id": c1})
	assert.Equal(t, planner.BulkResult{Affected: 2, NotFound: []int64{theirKeyword}}, out)
	assert.Equal(t, planner.KeywordMapped, getKeyword(t, p.viewer, k1).Status)
	assert.Equal(t, 2, getCluster(t, p.viewer, c1).KeywordsCount)
	out = post("keywords/bulk_update/", map[string]any{"ids": []int64{k1}, "cluster_id": nil})
	assert.Equal(t, 1, out.Affected)
	assert.Nil(t, getKeyword(t, p.viewer, k1).ClusterID, "a null cluster_id unclusters")
	out = post("keywords/bulk_update/", map[string]any{"ids": []int64{k3, theirKeyword}, "disabled": true})
	assert.Equal(t, []int64{theirKeyword}, out.NotFound)
	assert.True(t, getKeyword(t, p.viewer, k3).Disabled)

	out = post("keywords/bulk_delete/", map[string]any{"ids": []int64{k1, k2, theirKeyword}})
	assert.Equal(t, planner.BulkResult{Affected: 2, NotFound: []int64{theirKeyword}}, out)
	assert.Equal(t, []string{"three"}, keywordTexts(t, p.viewer.Get("/api/v1/planner/keywords/")))
	assert.Equal(t, 0, getCluster(t, p.viewer, c1).KeywordsCount)
	out = post("keywords/restore/", map[string]any{"ids": []int64{k1, k2, theirKeyword}})
	assert.Equal(t, planner.BulkResult{Affected: 2, NotFound: []int64{theirKeyword}}, out)
	assert.Equal(t, 1, getCluster(t, p.viewer, c1).KeywordsCount, "k2 came back into its live cluster")

	out = post("clusters/bulk_update/", map[string]any{"ids": []int64{c1, theirCluster}, "disabled": true})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirCluster}}, out)
	out = post("clusters/bulk_delete/", map[string]any{"ids": []int64{c1, theirCluster}})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirCluster}}, out)
	assert.Nil(t, getKeyword(t, p.viewer, k2).ClusterID)
	assert.Nil(t, getIdea(t, p.viewer, i1).ClusterID)
	out = post("clusters/restore/", map[string]any{"ids": []int64{c1, theirCluster}})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirCluster}}, out)

	out = post("ideas/bulk_update/", map[string]any{"ids": []int64{i1, theirIdea}, "status": "queued"})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirIdea}}, out)
	assert.Equal(t, planner.IdeaQueued, getIdea(t, p.viewer, i1).Status)
	out = post("ideas/bulk_delete/", map[string]any{"ids": []int64{i1, theirIdea}})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirIdea}}, out)
	out = post("ideas/restore/", map[string]any{"ids": []int64{i1, theirIdea}})
	assert.Equal(t, planner.BulkResult{Affected: 1, NotFound: []int64{theirIdea}}, out)

	// The other account's rows are as they were.
	theirs := getKeyword(t, other.owner, theirKeyword)
	assert.False(t, theirs.Disabled)
	assert.Equal(t, &theirCluster, theirs.ClusterID)
	tc := getCluster(t, other.owner, theirCluster)
	assert.False(t, tc.Disabled)
	assert.Equal(t, 1, tc.KeywordsCount)
	assert.Equal(t, 1, tc.IdeasCount)
	ti := getIdea(t, other.owner, theirIdea)
	assert.Equal(t, planner.IdeaNew, ti.Status)
	assert.Equal(t, []int64{theirKeyword}, ti.KeywordIDs)

	// Missing or empty ids are a 400 naming ids, on every bulk action.
	for _, path := range []string{
		"keywords/bulk_delete/", "keywords/bulk_update/", "keywords/restore/",
		"clusters/bulk_delete/", "clusters/bulk_update/", "clusters/restore/",
		"ideas/bulk_delete/", "ideas/bulk_update/", "ideas/restore/",
	} {
		for _, body := range []any{map[string]any{}, map[string]any{"ids": []int64{}}, `{"ids": null}`} {
			res := p.editor.Post("/api/v1/planner/"+path, body)
			requireStatus(t, res, http.StatusBadRequest)
			assert.Contains(t, errorsOf(res), "ids", "%s %v", path, body)
		}
		res := p.editor.Post("/api/v1/planner/"+path, map[string]any{"ids": []string{"x"}})
		requireStatus(t, res, http.StatusBadRequest)
		assert.Contains(t, errorsOf(res), "ids", path)
	}
	res := p.editor.Post("/api/v1/planner/keywords/bulk_update/", map[string]any{"ids": []int64{k1}})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "status", "nothing to change")
}

func TestPlannerAddFromSeed(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	ctx := env.Ctx()
	ten := env.App.Tenancy()
	ind, tmpl, err := ten.CreateIndustry(ctx, tenancy.NewIndustry{Name: "Sport", Sectors: []tenancy.NewIndustrySector{{Name: "Running"}}})
	require.NoError(t, err)
	_, err = ten.AddSeedKeywords(ctx, tmpl[0].ID, []tenancy.NewSeedKeyword{
		{Keyword: "running shoes", Volume: 900, Difficulty: 30, Intent: tenancy.IntentCommercial},
		{Keyword: "marathon plan", Volume: 400, Difficulty: 20},
	})
	require.NoError(t, err)
	p := newPlannerEnv(t, env)
	res := p.viewer.Get(fmt.Sprintf("/api/v1/keywords-library/?industry_id=%d&ordering=keyword", ind.ID))
	requireStatus(t, res, http.StatusOK)
	var seeds []tenancy.SeedKeyword
	require.NoError(t, res.Data(&seeds))
	require.Len(t, seeds, 2)
	site, sectors, err := ten.CreateSite(ctx, p.acct.Tenant, tenancy.NewSite{Name: "Shop", Domain: "shop.example", IndustryID: &ind.ID,
		Sectors: []tenancy.NewSector{{Name: "Run", IndustrySectorID: &tmpl[0].ID}}})
	require.NoError(t, err)

	body := map[string]any{"site_id": site.ID, "sector_id": sectors[0].ID, "seed_keyword_ids": []int64{seeds[0].ID, seeds[1].ID, 987654}}
	res = p.owner.Post("/api/v1/planner/keywords/bulk_add_from_seed/", body)
	requireStatus(t, res, http.StatusOK)
	var out planner.SeedAdoptionResult
	require.NoError(t, res.Data(&out))
	assert.Equal(t, planner.SeedAdoptionResult{Added: 2, Invalid: []int64{987654}}, out)
	res = p.owner.Post("/api/v1/planner/keywords/bulk_add_from_seed/", body)
	require.NoError(t, res.Data(&out))
	assert.Equal(t, 2, out.Skipped)
	assert.Equal(t, 0, out.Added)
	res = p.owner.Get(fmt.Sprintf("/api/v1/planner/keywords/?site_id=%d&ordering=keyword", site.ID))
	assert.Equal(t, []string{"marathon plan", "running shoes"}, keywordTexts(t, res))

	res = p.owner.Post("/api/v1/planner/keywords/bulk_add_from_seed/", map[string]any{"site_id": site.ID, "sector_id": sectors[0].ID})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "seed_keyword_ids")
	requireStatus(t, p.viewer.Post("/api/v1/planner/keywords/bulk_add_from_seed/", body), http.StatusForbidden)
}

func TestPlannerKeywordCSV(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)
	importPath := fmt.Sprintf("/api/v1/planner/keywords/import_csv/?site_id=%d&sector_id=%d", p.site.ID, p.sector())

	// text/csv: a bad row and a duplicate are reported by line, the rest
	// imported; a named cluster is created.
	file := "keyword,volume,difficulty,intent,cluster\n" +
		"running shoes,1200,40,commercial,Shoes\n" +
		"trail shoes,300,500,informational,Shoes\n" +
		"marathon plan,\"1,200\",,,\n" +
		"Running  Shoes,1,1,,\n"
	res := postFile(p.editor, importPath, "text/csv", []byte(file))
	requireStatus(t, res, http.StatusOK)
	var rep planner.CSVReport
	require.NoError(t, res.Data(&rep))
	assert.Equal(t, 2, rep.Created)
	require.Len(t, rep.Rejected, 2, "%s", res.Body)
	assert.Equal(t, 3, rep.Rejected[0].Line)
	assert.Contains(t, rep.Rejected[0].Reason, "difficulty")
	assert.Equal(t, 5, rep.Rejected[1].Line)
	assert.Contains(t, rep.Rejected[1].Reason, "line 2")
	res = p.viewer.Get("/api/v1/planner/clusters/?search=shoes")
	var clusters []planner.Cluster
	require.NoError(t, res.Data(&clusters))
	require.Len(t, clusters, 1)
	assert.Equal(t, 1, clusters[0].KeywordsCount)

	// multipart: the "file" part.
	ct, body := multipartCSV(t, "keyword,difficulty\nwool socks,10\ncotton socks,abc\n")
	res = postFile(p.editor, importPath, ct, body)
	requireStatus(t, res, http.StatusOK)
	require.NoError(t, res.Data(&rep))
	assert.Equal(t, 1, rep.Created)
	require.Len(t, rep.Rejected, 1)
	assert.Equal(t, 3, rep.Rejected[0].Line)
	assert.Contains(t, rep.Rejected[0].Reason, "difficulty")

	// Refusals: no target, not CSV, a missing keyword column, a viewer.
	res = postFile(p.editor, "/api/v1/planner/keywords/import_csv/", "text/csv", []byte(file))
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "site_id")
	assert.Contains(t, errorsOf(res), "sector_id")
	res = postFile(p.editor, importPath+"x", "text/csv", []byte(file))
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "sector_id")
	res = p.editor.Post(importPath, map[string]any{"keyword": "json"})
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "content_type")
	res = postFile(p.editor, importPath, "text/csv", []byte("volume\n10\n"))
	requireStatus(t, res, http.StatusBadRequest)
	requireStatus(t, postFile(p.viewer, importPath, "text/csv", []byte(file)), http.StatusForbidden)

	// Export streams CSV with a header, honouring filters, search and
	// ordering; a bad parameter is still a JSON 400.
	export := func(c *igny8test.Client, query string) [][]string {
		t.Helper()
		res := c.Get("/api/v1/planner/keywords/export_csv/?" + query)
		requireStatus(t, res, http.StatusOK)
		assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
		assert.Contains(t, res.Header.Get("Content-Disposition"), "keywords.csv")
		rows, err := csv.NewReader(bytes.NewReader(res.Body)).ReadAll()
		require.NoError(t, err)
		require.NotEmpty(t, rows)
		assert.Equal(t, []string{"keyword", "volume", "difficulty", "intent", "cluster", "status", "seed_keyword_id", "id", "created_at"}, rows[0])
		return rows[1:]
	}
	column := func(rows [][]string, i int) []string {
		out := []string{}
		for _, r := range rows {
			out = append(out, r[i])
		}
		return out
	}
	rows := export(p.viewer, "ordering=keyword")
	assert.Equal(t, []string{"marathon plan", "running shoes", "wool socks"}, column(rows, 0))
	assert.Equal(t, []string{"1200", "1200", "0"}, column(rows, 1))
	assert.Equal(t, []string{"", "Shoes", ""}, column(rows, 4))
	assert.Equal(t, []string{"new", "mapped", "new"}, column(rows, 5))
	assert.Equal(t, []string{"wool socks", "running shoes", "marathon plan"}, column(export(p.viewer, "ordering=-keyword"), 0))
	assert.Equal(t, []string{"wool socks"}, column(export(p.viewer, "search=socks"), 0))
	assert.Equal(t, []string{"running shoes"}, column(export(p.key, "status=mapped"), 0))
	assert.Empty(t, export(p.viewer, fmt.Sprintf("sector_id=%d", p.sectors[1].ID)))
	res = p.viewer.Get("/api/v1/planner/keywords/export_csv/?ordering=password")
	requireStatus(t, res, http.StatusBadRequest)
	assert.Contains(t, errorsOf(res), "ordering")

	// An exported file imports into another sector as it is.
	res = p.viewer.Get("/api/v1/planner/keywords/export_csv/")
	requireStatus(t, res, http.StatusOK)
	other := fmt.Sprintf("/api/v1/planner/keywords/import_csv/?site_id=%d&sector_id=%d", p.site.ID, p.sectors[1].ID)
	res = postFile(p.editor, other, "text/csv", res.Body)
	requireStatus(t, res, http.StatusOK)
	require.NoError(t, res.Data(&rep))
	assert.Equal(t, 3, rep.Created, "%s", res.Body)
	assert.Empty(t, rep.Rejected)
}

func TestPlannerModuleSwitch(t *testing.T) {
	env := igny8test.New(t, igny8test.WithConfig(igny8test.Unthrottled))
	p := newPlannerEnv(t, env)
	other := newPlannerEnv(t, env)
	id := p.keyword(t, "kept", 1, 1, "informational", 0)
	calls := map[string]func() *igny8test.Response{
		"owner list": func() *igny8test.Response { return p.owner.Get("/api/v1/planner/keywords/") },
		"viewer get": func() *igny8test.Response { return p.viewer.Get(fmt.Sprintf("/api/v1/planner/keywords/%d/", id)) },
		"editor create": func() *igny8test.Response {
			return p.editor.Post("/api/v1/planner/clusters/", map[string]any{"site_id": p.site.ID, "sector_id": p.sector(), "name": "Blocked"})
		},
		"editor bulk": func() *igny8test.Response {
			return p.editor.Post("/api/v1/planner/keywords/bulk_delete/", map[string]any{"ids": []int64{id}})
		},
		"key list":       func() *igny8test.Response { return p.key.Get("/api/v1/planner/ideas/") },
		"filter options": func() *igny8test.Response { return p.viewer.Get("/api/v1/planner/clusters/filter_options/") },
		"export":         func() *igny8test.Response { return p.viewer.Get("/api/v1/planner/keywords/export_csv/") },
		"ai action": func() *igny8test.Response {
			return p.editor.Post("/api/v1/planner/keywords/auto_cluster/", map[string]any{"ids": []int64{id}})
		},
		"import": func() *igny8test.Response {
			return postFile(p.editor, fmt.Sprintf("/api/v1/planner/keywords/import_csv/?site_id=%d&sector_id=%d", p.site.ID, p.sector()), "text/csv", []byte("keyword\nblocked\n"))
		},
	}

	res := p.owner.Post("/api/v1/system/modules/", map[string]any{"module": "planner", "enabled": false})
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, false, res.Envelope["data"].(map[string]any)["planner"])
	for name, call := range calls {
		res := call()
		require.Equal(t, http.StatusForbidden, res.Status, "%s: %s", name, res.Body)
		assert.Contains(t, res.Envelope["error"], "module disabled", name)
		assert.Contains(t, res.Envelope["error"], "planner", name)
	}
	requireStatus(t, env.Client().Get("/api/v1/planner/keywords/"), http.StatusUnauthorized)
	requireStatus(t, other.viewer.Get("/api/v1/planner/keywords/"), http.StatusOK)

	res = p.owner.Post("/api/v1/system/modules/", map[string]any{"module": "planner", "enabled": true})
	requireStatus(t, res, http.StatusOK)
	res = p.owner.Get("/api/v1/planner/keywords/")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(1), res.Envelope["count"], "nothing was deleted while the module was off")
	requireStatus(t, p.viewer.Get("/api/v1/planner/clusters/filter_options/"), http.StatusOK)
}

func TestPlannerAIActionsWithoutProvider(t *testing.T) {
	env := igny8test.New(t) // the default throttle rates, and no AI provider
	p := newPlannerEnv(t, env)
	kw := p.keyword(t, "running shoes", 1, 1, "informational", 0)
	cl := p.cluster(t, "Shoes")

	for path, ids := range map[string][]int64{"keywords/auto_cluster/": {kw}, "clusters/auto_generate_ideas/": {cl}} {
		res := p.editor.Post("/api/v1/planner/"+path, map[string]any{"ids": ids})
		requireStatus(t, res, http.StatusServiceUnavailable)
		assert.Equal(t, "AI provider not configured", res.Envelope["error"], path)
		assert.Equal(t, "10", res.Header.Get("X-Throttle-Limit"), "%s is in the planner_ai scope", path)
		requireStatus(t, p.viewer.Post("/api/v1/planner/"+path, map[string]any{"ids": ids}), http.StatusForbidden)
	}
	assert.Equal(t, "60", p.viewer.Get("/api/v1/planner/keywords/").Header.Get("X-Throttle-Limit"), "CRUD is in the planner scope")
	res := p.owner.Get("/api/v1/system/tasks/")
	requireStatus(t, res, http.StatusOK)
	assert.Equal(t, float64(0), res.Envelope["count"], "no task was recorded")
}

func TestPlannerOpenAPI(t *testing.T) {
	env := igny8test.New(t)
	doc := schemaOf(t, env)

	// nullable.Value fields are documented as their value's type, nullable
	// (the generator alone left them as "any value").
	patch := doc.Paths.Find("/api/v1/planner/keywords/{id}/").Patch
	require.NotNil(t, patch)
	props := patch.RequestBody.Value.Content.Get("application/json").Schema.Value.Properties
	for name, typ := range map[string]string{"cluster_id": "integer", "volume": "integer", "difficulty": "integer", "intent": "string"} {
		s := props[name].Value
		require.NotNil(t, s, name)
		assert.True(t, s.Type.Is(typ), "%s: %v", name, s.Type)
		assert.True(t, s.Nullable, name)
	}
	bulk := doc.Paths.Find("/api/v1/planner/keywords/bulk_update/").Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	assert.True(t, bulk.Properties["cluster_id"].Value.Type.Is("integer"))
	assert.True(t, bulk.Properties["ids"].Value.Type.Is("array"))

	// Module and scope are in the document; the CSV routes say what they
	// take and give; filter options take the list's filters without paging.
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/planner/") {
			continue
		}
		for method, op := range item.Operations() {
			assert.Equal(t, "planner", op.Extensions["x-module"], "%s %s", method, path)
		}
	}
	imp := doc.Paths.Find("/api/v1/planner/keywords/import_csv/").Post
	assert.NotNil(t, imp.RequestBody.Value.Content.Get("text/csv"))
	assert.NotNil(t, imp.RequestBody.Value.Content.Get("multipart/form-data"))
	assert.Equal(t, "planner_ai", doc.Paths.Find("/api/v1/planner/keywords/auto_cluster/").Post.Extensions["x-throttle-scope"])
	assert.NotNil(t, doc.Paths.Find("/api/v1/planner/keywords/auto_cluster/").Post.Responses.Status(http.StatusAccepted))
	exp := doc.Paths.Find("/api/v1/planner/keywords/export_csv/").Get
	assert.NotNil(t, exp.Responses.Status(http.StatusOK).Value.Content.Get("text/csv"))
	fo := doc.Paths.Find("/api/v1/planner/keywords/filter_options/").Get
	assert.NotNil(t, fo.Parameters.GetByInAndName("query", "status"))
	assert.NotNil(t, fo.Parameters.GetByInAndName("query", "search"))
	assert.Nil(t, fo.Parameters.GetByInAndName("query", "page"))
}
