package seed

import (
	"reflect"
	"strings"
	"testing"
)

func TestBuildIsDeterministic(t *testing.T) {
	c := small()
	m := fakeManifest(c)
	a, err := build(c, m, idBase{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := build(c, m, idBase{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same config, different data")
	}
	c.Seed++
	other, err := build(c, m, idBase{})
	if err != nil {
		t.Fatal(err)
	}
	if other.Keywords[0].Keyword == a.Keywords[0].Keyword && other.Keywords[1].Keyword == a.Keywords[1].Keyword {
		t.Fatal("another seed gave the same keywords")
	}
	// Ids count up from the base.
	shifted, err := build(small(), m, idBase{keyword: 100, cluster: 10, idea: 5})
	if err != nil {
		t.Fatal(err)
	}
	if shifted.Keywords[0].ID != 101 || shifted.Clusters[0].ID != 11 || shifted.Ideas[0].ID != 6 {
		t.Fatalf("ids %d/%d/%d", shifted.Keywords[0].ID, shifted.Clusters[0].ID, shifted.Ideas[0].ID)
	}
}

func TestSearchTermsFillAPageInEverySector(t *testing.T) {
	c := Defaults()
	for g := range 3 {
		d := generateSector(c, g, c.keywordsIn(g))
		for _, term := range SearchTerms() {
			n := 0
			for _, k := range d.Keywords {
				if strings.Contains(strings.ToLower(k.Text), term) {
					n++
				}
			}
			if n < 25 || n > len(d.Keywords)/2 {
				t.Errorf("sector %d: %q matches %d of %d keywords", g, term, n, len(d.Keywords))
			}
		}
	}
}

func TestRoundedMean(t *testing.T) {
	for _, c := range []struct{ sum, n, want int }{{0, 0, 0}, {5, 2, 3}, {4, 3, 1}, {5, 3, 2}, {7, 2, 4}, {100, 1, 100}} {
		if got := roundedMean(c.sum, c.n); got != c.want {
			t.Errorf("roundedMean(%d, %d) = %d, want %d", c.sum, c.n, got, c.want)
		}
	}
}

func fakeManifest(c Config) Manifest {
	var m Manifest
	id := int64(0)
	for range c.Accounts {
		id++
		t := Tenant{AccountID: id, UserID: id}
		for range c.SitesPerAccount {
			id++
			s := Site{ID: id}
			for range c.SectorsPerSite {
				id++
				s.Sectors = append(s.Sectors, id)
			}
			t.Sites = append(t.Sites, s)
		}
		m.Tenants = append(m.Tenants, t)
	}
	return m
}
