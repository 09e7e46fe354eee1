package planner_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
)

// keywordFile is a CSV of n distinct keywords with volume, difficulty and
// intent, deterministic from seed.
func keywordFile(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	words := strings.Fields("best cheap running trail shoes marathon plan training pace chart hill repeats race day nutrition recovery stretch tempo interval women men kids beginner advanced review guide vs near me 2026 how to")
	intents := []string{"informational", "commercial", "transactional", "navigational"}
	var b bytes.Buffer
	b.WriteString("keyword,volume,difficulty,intent\n")
	for i := range n {
		fmt.Fprintf(&b, "%s %s %s %d,%d,%d,%s\n", words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))], i,
			r.IntN(50000), r.IntN(101), intents[r.IntN(4)])
	}
	return b.Bytes()
}

// unlimited moves an account to a plan without a practical keyword limit
// (benchmarks load 100,000 keywords; the sold plans stop at 5,000), on
// either database.
func unlimited(t testing.TB, env *igny8test.Env, accountID int64) {
	ctx := env.Ctx()
	db := env.App.DB()
	var planID int64
	err := db.NewRaw(`INSERT INTO igny8_plans (name, slug, price_cents, billing_cycle, included_credits, max_sites, max_users, max_keywords, max_ahrefs_queries, features, is_active, is_internal, created_at, updated_at)
		VALUES ('Bench', ?, 0, 'monthly', 0, 10, 10, 10000000, 0, '[]', true, true, ?, ?) RETURNING id`, fmt.Sprintf("bench-%d", accountID), time.Now(), time.Now()).Scan(ctx, &planID)
	require.NoError(t, err)
	_, err = db.NewRaw("UPDATE igny8_accounts SET plan_id = ? WHERE id = ?", planID, accountID).Exec(ctx)
	require.NoError(t, err)
}

// rssBytes is the process's resident set size (Linux).
func rssBytes() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// peakRSS samples the RSS while fn runs and returns the peak.
func peakRSS(fn func()) int64 {
	var peak atomic.Int64
	peak.Store(rssBytes())
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if r := rssBytes(); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak.Load()
}

// BenchmarkKeywordImportVsCopy measures the planner's CSV import of
// 100,000 keywords into one sector against two floors on the same
// PostgreSQL, alternating all three in one run (the machine is shared and
// noisy): a plain COPY of the same file into a bare table (no keys, no
// indexes), and a COPY of the same rows straight into igny8_keywords (its
// indexes and foreign keys, none of the import's checks). It reports the
// rates, the ratios and the import's peak RSS above the RSS before it.
//
//	go test -run '^$' -bench KeywordImportVsCopy -benchtime 3x ./planner/
func BenchmarkKeywordImportVsCopy(b *testing.B) {
	rows := 100_000
	if testing.Short() {
		rows = 10_000
	}
	file := keywordFile(rows, 1)
	env := igny8test.New(b)
	ctx := env.Ctx()
	conn, err := pgx.Connect(ctx, env.DatabaseURL)
	require.NoError(b, err)
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, `CREATE TABLE bare_keywords (keyword text, volume integer, difficulty integer, intent text)`)
	require.NoError(b, err)

	f := newFixture(env)
	unlimited(b, env, f.account.Account.ID)
	var copyTime, tableTime, importTime time.Duration
	var peakAbove int64
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		tag, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(file), "COPY bare_keywords FROM STDIN WITH (FORMAT csv, HEADER true)")
		require.NoError(b, err)
		require.EqualValues(b, rows, tag.RowsAffected())
		copyTime += time.Since(start)

		site, sectors := env.NewSite(f.account, "Floor", "Import")
		floor, sector := sectors[0], sectors[1]
		data := make([][]any, 0, rows)
		now := time.Now().UTC()
		for j := range rows {
			kw := fmt.Sprintf("keyword %d", j)
			data = append(data, []any{f.account.Account.ID, site.ID, floor.ID, kw, kw, j, j % 101, "informational", "[]", nil, "new", now, now})
		}
		start = time.Now()
		n, err := conn.CopyFrom(ctx, pgx.Identifier{"igny8_keywords"}, []string{"account_id", "site_id", "sector_id", "keyword", "keyword_norm",
			"volume", "difficulty", "intent", "attribute_values", "cluster_id", "status", "created_at", "updated_at"}, pgx.CopyFromRows(data))
		require.NoError(b, err)
		require.EqualValues(b, rows, n)
		tableTime += time.Since(start)

		data = nil
		debug.FreeOSMemory() // measure from what the process really holds
		before := rssBytes()
		var rep *planner.CSVReport
		start = time.Now()
		peak := peakRSS(func() {
			rep, err = f.svc.ImportKeywordsCSV(ctx, f.t, planner.ImportTarget{SiteID: site.ID, SectorID: sector.ID}, bytes.NewReader(file))
		})
		importTime += time.Since(start)
		require.NoError(b, err)
		require.Equal(b, rows, rep.Created, "%v", rep.Rejected)
		peakAbove = max(peakAbove, peak-before)
	}
	b.StopTimer()
	rate := func(d time.Duration) float64 { return float64(rows*b.N) / d.Seconds() }
	b.ReportMetric(rate(copyTime), "bare-copy-rows/s")
	b.ReportMetric(rate(tableTime), "table-copy-rows/s")
	b.ReportMetric(rate(importTime), "import-rows/s")
	b.ReportMetric(rate(importTime)/rate(copyTime), "import/bare-copy")
	b.ReportMetric(rate(importTime)/rate(tableTime), "import/table-copy")
	b.ReportMetric(float64(peakAbove)/(1<<20), "import-peak-MB")
}
