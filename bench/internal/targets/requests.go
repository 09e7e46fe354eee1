package targets

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/igny8/igny8-go/bench/internal/loadgen"
	"github.com/igny8/igny8-go/bench/internal/seed"
)

// ListPath is the keyword list of igny8-go and of the DRF project.
const ListPath = "/api/v1/planner/keywords/"

// Variant is one request of the mix, by position in a manifest (so it
// means the same data whatever ids a database gave).
type Variant struct {
	Tenant, Site, Sector int
	Search               string
}

// Variants is every (tenant, site, sector, search term) of m, ordered so
// that consecutive requests belong to different tenants.
func Variants(m seed.Manifest, terms []string) []Variant {
	var out []Variant
	if len(m.Tenants) == 0 {
		return nil
	}
	sites, sectors := len(m.Tenants[0].Sites), 0
	if sites > 0 {
		sectors = len(m.Tenants[0].Sites[0].Sectors)
	}
	for _, term := range terms {
		for k := range sectors {
			for s := range sites {
				for t := range m.Tenants {
					out = append(out, Variant{Tenant: t, Site: s, Sector: k, Search: term})
				}
			}
		}
	}
	return out
}

// query is the list's query string, identical for every target but for
// the ceiling's account_id (it has no authentication to learn it from).
func query(m seed.Manifest, v Variant, withAccount bool) (string, error) {
	if v.Tenant >= len(m.Tenants) || v.Site >= len(m.Tenants[v.Tenant].Sites) || v.Sector >= len(m.Tenants[v.Tenant].Sites[v.Site].Sectors) {
		return "", fmt.Errorf("targets: variant %+v is not in the manifest", v)
	}
	t := m.Tenants[v.Tenant]
	site := t.Sites[v.Site]
	q := url.Values{}
	if withAccount {
		q.Set("account_id", fmt.Sprint(t.AccountID))
	}
	q.Set("site_id", fmt.Sprint(site.ID))
	q.Set("sector_id", fmt.Sprint(site.Sectors[v.Sector]))
	q.Set("search", v.Search)
	q.Set("ordering", "-volume")
	q.Set("page_size", "25")
	return q.Encode(), nil
}

// BearerRequests builds the requests of an authenticated target (igny8-go,
// DRF): tokens[i] is tenant i's access token.
func BearerRequests(base string, m seed.Manifest, tokens []string, vs []Variant) ([]loadgen.Request, error) {
	if len(tokens) != len(m.Tenants) {
		return nil, fmt.Errorf("targets: %d tokens for %d tenants", len(tokens), len(m.Tenants))
	}
	headers := make([]http.Header, len(tokens))
	for i, tok := range tokens {
		headers[i] = http.Header{"Authorization": {"Bearer " + tok}, "Accept": {"application/json"}}
	}
	out := make([]loadgen.Request, 0, len(vs))
	for _, v := range vs {
		q, err := query(m, v, false)
		if err != nil {
			return nil, err
		}
		out = append(out, loadgen.Request{URL: base + ListPath + "?" + q, Header: headers[v.Tenant]})
	}
	return out, nil
}

// CeilingRequests builds the ceiling's requests (account in the query).
func CeilingRequests(base, path string, m seed.Manifest, vs []Variant) ([]loadgen.Request, error) {
	h := http.Header{"Accept": {"application/json"}}
	out := make([]loadgen.Request, 0, len(vs))
	for _, v := range vs {
		q, err := query(m, v, true)
		if err != nil {
			return nil, err
		}
		out = append(out, loadgen.Request{URL: base + path + "?" + q, Header: h})
	}
	return out, nil
}
