package ceiling

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/igny8/igny8-go/bench/internal/seed"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
)

// TestPageMatchesSeededData seeds a small dataset on a fresh schema and
// checks the ceiling's page against the rows the seeder wrote: the count,
// the order (-volume, id), the fields of each keyword and the envelope.
func TestPageMatchesSeededData(t *testing.T) {
	env := igny8test.New(t)
	ctx := t.Context()
	c := seed.Defaults()
	c.Accounts, c.SitesPerAccount, c.SectorsPerSite, c.Keywords = 2, 1, 1, 600
	m, d, err := seed.Seed(ctx, env.App, c)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, env.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	srv := httptest.NewServer(&Handler{Pool: pool, PublicURL: "http://bench.example"})
	defer srv.Close()

	ref := m.Sectors()[1] // the second account: its rows must not leak into the first's
	const term = "FOR"    // upper case: the search folds case
	var want []planner.Keyword
	for _, k := range d.Keywords {
		if k.AccountID == ref.AccountID && k.SectorID == ref.SectorID && strings.Contains(strings.ToLower(k.Keyword), strings.ToLower(term)) {
			want = append(want, k)
		}
	}
	slices.SortFunc(want, func(a, b planner.Keyword) int {
		if a.Volume != b.Volume {
			return b.Volume - a.Volume
		}
		return int(a.ID - b.ID)
	})
	if len(want) <= 25 {
		t.Fatalf("dataset too small for a second page: %d matches", len(want))
	}

	for page := 1; page <= 2; page++ {
		url := fmt.Sprintf("%s%s?account_id=%d&site_id=%d&sector_id=%d&search=%s&ordering=-volume&page_size=25&page=%d",
			srv.URL, Path, ref.AccountID, ref.SiteID, ref.SectorID, term, page)
		raw := get(t, url, http.StatusOK)
		var body struct {
			Success   bool              `json:"success"`
			Count     int               `json:"count"`
			Next      *string           `json:"next"`
			Previous  *string           `json:"previous"`
			Results   []json.RawMessage `json:"results"`
			RequestID string            `json:"request_id"`
		}
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		if !body.Success || body.Count != len(want) || len(body.RequestID) != 32 {
			t.Fatalf("page %d: success=%v count=%d (want %d) request_id=%q", page, body.Success, body.Count, len(want), body.RequestID)
		}
		if (page == 1) != (body.Previous == nil) || body.Next == nil || !strings.HasPrefix(*body.Next, "http://bench.example"+Path) {
			t.Fatalf("page %d: next=%v previous=%v", page, deref(body.Next), deref(body.Previous))
		}
		expect := want[(page-1)*25 : min(page*25, len(want))]
		if len(body.Results) != len(expect) {
			t.Fatalf("page %d: %d results, want %d", page, len(body.Results), len(expect))
		}
		for i, r := range body.Results {
			// Field for field what encoding/json makes of planner.Keyword.
			wantJSON, err := json.Marshal(expect[i])
			if err != nil {
				t.Fatal(err)
			}
			if string(r) != string(wantJSON) {
				t.Fatalf("page %d row %d:\n got %s\nwant %s", page, i, r, wantJSON)
			}
		}
	}

	// The keys of a row are planner.Keyword's JSON, nothing else.
	var rows struct {
		Results []map[string]any `json:"results"`
	}
	raw := get(t, fmt.Sprintf("%s%s?account_id=%d&site_id=%d&sector_id=%d&search=for", srv.URL, Path, ref.AccountID, ref.SiteID, ref.SectorID), http.StatusOK)
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range rows.Results[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"account_id", "attribute_values", "cluster_id", "created_at", "difficulty", "difficulty_override", "disabled", "id",
		"intent", "intent_override", "keyword", "sector_id", "seed_keyword_id", "site_id", "status", "updated_at", "volume", "volume_override"}
	if !slices.Equal(keys, wantKeys) {
		t.Fatalf("row keys %v", keys)
	}

	// Another account's id with this sector finds nothing.
	raw = get(t, fmt.Sprintf("%s%s?account_id=%d&site_id=%d&sector_id=%d&search=for", srv.URL, Path, m.Tenants[0].AccountID, ref.SiteID, ref.SectorID), http.StatusOK)
	if !strings.Contains(string(raw), `"count":0`) {
		t.Fatalf("cross-account page: %s", raw)
	}
}

func TestBadParameters(t *testing.T) {
	srv := httptest.NewServer(&Handler{PublicURL: "http://x"})
	defer srv.Close()
	for _, q := range []string{"", "account_id=1&site_id=1", "account_id=1&site_id=1&sector_id=x",
		"account_id=1&site_id=1&sector_id=1&ordering=volume", "account_id=1&site_id=1&sector_id=1&page_size=101"} {
		get(t, srv.URL+Path+"?"+q, http.StatusBadRequest)
	}
	get(t, srv.URL+"/other", http.StatusNotFound)
}

func get(t *testing.T, url string, status int) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if resp.StatusCode != status {
		t.Fatalf("%s: %d %s, want %d", url, resp.StatusCode, raw, status)
	}
	return raw
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
