package httpapi_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
)

// BenchmarkKeywordList is one request of `make bench`'s keyword list served
// in process by the full stack: JWT, account gate, throttle on Redis (limits
// raised, the limiter still runs), request id, JSON access log (discarded),
// envelope, on PostgreSQL with a sector of 1,666 keywords. It measures
// igny8's own CPU and allocations per request without the network; the
// database's time is in ns/op too, so compare runs, not absolute figures.
//
//	go test -run '^$' -bench KeywordList -benchmem -cpuprofile cpu.out ./httpapi/
func BenchmarkKeywordList(b *testing.B) {
	env := igny8test.New(b, igny8test.WithRedis(b, ""), igny8test.Unthrottled, igny8test.WithConfig(func(c *igny8.Config) {
		c.Logger = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}))
	acct := env.NewAccount(igny8test.OnPlan("scale"))
	site, sectors := env.NewSite(acct, "Running")
	r := rand.New(rand.NewPCG(1, 1))
	words := strings.Fields("best cheap running trail shoes marathon plan training pace chart hill repeats race day nutrition recovery")
	var file bytes.Buffer
	file.WriteString("keyword,volume,difficulty,intent\n")
	for i := range 1666 {
		fmt.Fprintf(&file, "%s %s %s %d,%d,%d,commercial\n", words[r.IntN(len(words))], words[r.IntN(len(words))], words[r.IntN(len(words))], i, r.IntN(50000), r.IntN(101))
	}
	report, err := env.App.Planner().ImportKeywordsCSV(env.Ctx(), acct.Tenant, planner.ImportTarget{SiteID: site.ID, SectorID: sectors[0].ID}, &file)
	require.NoError(b, err)
	require.Equal(b, 1666, report.Created)
	token := env.Login(acct.Owner.Email, igny8test.Password).Token
	h := env.App.Handler()
	target := fmt.Sprintf("/api/v1/planner/keywords/?site_id=%d&sector_id=%d&search=ru&ordering=-volume&page_size=25", site.ID, sectors[0].ID)
	serve := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	first := serve()
	require.Equal(b, http.StatusOK, first.Code, first.Body.String())
	require.Contains(b, first.Body.String(), `"results":[{`)

	b.ReportAllocs()
	for b.Loop() {
		if rec := serve(); rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
