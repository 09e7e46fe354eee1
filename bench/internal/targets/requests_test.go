package targets

import (
	"strings"
	"testing"

	"github.com/igny8/igny8-go/bench/internal/seed"
)

func manifest() seed.Manifest {
	return seed.Manifest{Tenants: []seed.Tenant{
		{AccountID: 1, Sites: []seed.Site{{ID: 10, Sectors: []int64{100, 101}}}},
		{AccountID: 2, Sites: []seed.Site{{ID: 20, Sectors: []int64{200, 201}}}},
	}}
}

func TestVariantsAlternateTenantsAndCoverEverything(t *testing.T) {
	vs := Variants(manifest(), []string{"a", "b"})
	if len(vs) != 2*2*2 {
		t.Fatalf("%d variants", len(vs))
	}
	for i := 1; i < len(vs); i++ {
		if vs[i].Tenant == vs[i-1].Tenant {
			t.Fatalf("variants %d and %d hit the same tenant: %+v", i-1, i, vs[:i+1])
		}
	}
}

func TestRequestsAreIdenticalButForAuth(t *testing.T) {
	m := manifest()
	vs := Variants(m, []string{"best"})
	bearer, err := BearerRequests("http://a", m, []string{"t1", "t2"}, vs)
	if err != nil {
		t.Fatal(err)
	}
	ceil, err := CeilingRequests("http://b", "/keywords/", m, vs)
	if err != nil {
		t.Fatal(err)
	}
	if got := bearer[1].URL; got != "http://a/api/v1/planner/keywords/?ordering=-volume&page_size=25&search=best&sector_id=200&site_id=20" {
		t.Fatalf("bearer URL %s", got)
	}
	if bearer[1].Header.Get("Authorization") != "Bearer t2" {
		t.Fatalf("tenant 2 must use its own token: %v", bearer[1].Header)
	}
	if got := ceil[1].URL; got != "http://b/keywords/?account_id=2&ordering=-volume&page_size=25&search=best&sector_id=200&site_id=20" {
		t.Fatalf("ceiling URL %s", got)
	}
	if _, err := BearerRequests("http://a", m, []string{"only one"}, vs); err == nil || !strings.Contains(err.Error(), "tokens") {
		t.Fatalf("token count mismatch: %v", err)
	}
}
