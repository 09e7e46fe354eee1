package seed

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

// small is a dataset that seeds in well under a second: 2 accounts × 1
// site × 2 sectors, 403 keywords (an uneven split on purpose).
func small() Config {
	c := Defaults()
	c.Accounts, c.SitesPerAccount, c.SectorsPerSite, c.Keywords = 2, 1, 2, 403
	c.KeywordsPerCluster = 10
	return c
}

func TestSeedCountsAndAggregates(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		ctx := t.Context()
		c := small()
		m, seeded, err := Ensure(ctx, env.App, c)
		if err != nil || !seeded {
			t.Fatalf("Ensure on an empty database: seeded=%v err=%v", seeded, err)
		}
		db := env.App.DB()
		count := func(query string, args ...any) int {
			t.Helper()
			var n int
			if err := db.NewRaw(query, args...).Scan(ctx, &n); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return n
		}
		if len(m.Tenants) != 2 || len(m.Sectors()) != 4 {
			t.Fatalf("manifest: %d tenants, %d sectors", len(m.Tenants), len(m.Sectors()))
		}
		if n := count(`SELECT count(*) FROM igny8_users WHERE email LIKE ?`, "%@"+EmailDomain); n != 2 {
			t.Fatalf("%d seeded users, want 2", n)
		}
		if n := count(`SELECT count(*) FROM igny8_keywords`); n != 403 {
			t.Fatalf("%d keywords, want 403", n)
		}
		for g, ref := range m.Sectors() {
			n := count(`SELECT count(*) FROM igny8_keywords WHERE account_id = ? AND site_id = ? AND sector_id = ?`, ref.AccountID, ref.SiteID, ref.SectorID)
			if n != c.keywordsIn(g) {
				t.Fatalf("sector %d has %d keywords, want %d", g, n, c.keywordsIn(g))
			}
		}
		if n := count(`SELECT count(*) FROM igny8_clusters`); n == 0 {
			t.Fatal("no clusters")
		}
		if n := count(`SELECT count(*) FROM igny8_content_ideas`); n == 0 {
			t.Fatal("no ideas")
		}
		// The aggregates as planner's refreshClusters computes them.
		const live = "k.cluster_id = c.id AND k.deleted_at IS NULL"
		bad := count(`SELECT count(*) FROM igny8_clusters AS c WHERE
			c.keywords_count <> (SELECT count(*) FROM igny8_keywords AS k WHERE ` + live + `)
			OR c.volume <> (SELECT coalesce(sum(k.volume), 0) FROM igny8_keywords AS k WHERE ` + live + `)
			OR c.difficulty <> (SELECT CAST(coalesce(round(avg(k.difficulty)), 0) AS INTEGER) FROM igny8_keywords AS k WHERE ` + live + `)
			OR c.ideas_count <> (SELECT count(*) FROM igny8_content_ideas AS i WHERE i.cluster_id = c.id AND i.deleted_at IS NULL)
			OR c.status <> CASE WHEN EXISTS (SELECT 1 FROM igny8_keywords AS k WHERE ` + live + `) THEN 'mapped' ELSE 'new' END`)
		if bad != 0 {
			t.Fatalf("%d clusters disagree with their keywords and ideas", bad)
		}
		if n := count(`SELECT count(*) FROM igny8_keywords WHERE (status = 'mapped') <> (cluster_id IS NOT NULL)`); n != 0 {
			t.Fatalf("%d keywords whose status disagrees with cluster_id", n)
		}
		if n := count(`SELECT count(*) FROM igny8_content_idea_keywords AS ik JOIN igny8_content_ideas AS i ON i.id = ik.idea_id
			JOIN igny8_keywords AS k ON k.id = ik.keyword_id WHERE k.cluster_id IS NULL OR k.cluster_id <> i.cluster_id`); n != 0 {
			t.Fatalf("%d idea keywords outside the idea's cluster", n)
		}
		var rows []struct {
			Keyword string `bun:"keyword"`
			Norm    string `bun:"keyword_norm"`
		}
		if err := db.NewRaw(`SELECT keyword, keyword_norm FROM igny8_keywords`).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Norm != tenancy.NormalizeKeyword(r.Keyword) {
				t.Fatalf("keyword_norm %q of %q", r.Norm, r.Keyword)
			}
		}

		// Seeded users sign in with the configured password.
		if _, _, err := env.App.Tenancy().Authenticate(ctx, Email(1), c.Password); err != nil {
			t.Fatalf("seeded owner cannot sign in: %v", err)
		}

		// A second Ensure reuses; another config is refused.
		again, seeded, err := Ensure(ctx, env.App, c)
		if err != nil || seeded || len(again.Sectors()) != 4 || again.Tenants[1].AccountID != m.Tenants[1].AccountID {
			t.Fatalf("reuse: seeded=%v err=%v manifest=%+v", seeded, err, again)
		}
		other := c
		other.Seed++
		if _, _, err := Ensure(ctx, env.App, other); !errors.Is(err, ErrMismatch) {
			t.Fatalf("another seed on the same database: %v, want ErrMismatch", err)
		}
	})
}

func TestSQLiteDirIsReusedAndRecreated(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	o := Options{Config: small(), SQLiteDir: dir, Log: io.Discard}
	first, err := SQLite(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Config.Seed = 7 // another dataset: the dir is recreated
	second, err := SQLite(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Sectors()) != 4 || len(second.Sectors()) != 4 {
		t.Fatalf("sectors %d, %d", len(first.Sectors()), len(second.Sectors()))
	}
}

func TestRefusesSharedDatabases(t *testing.T) {
	for _, name := range []string{"test", "postgres", ""} {
		if _, err := EnsureDatabase(t.Context(), "postgres://127.0.0.1:1/postgres", name); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Fatalf("database %q: %v", name, err)
		}
	}
}
