package planner_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/planner"
)

func rejected(rep *planner.CSVReport) map[int]string {
	out := map[int]string{}
	for _, r := range rep.Rejected {
		out[r.Line] = r.Reason
	}
	return out
}

func TestImportKeywordsCSV(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env)
		ctx := env.Ctx()
		f.keyword("already here", 1, 1)
		target := planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()}

		file := "\ufeffKeyword,Volume,difficulty,intent,cluster\n" + // BOM and a capitalised header
			"running shoes,\"1,200\",40,commercial,Shoes\n" + // line 2
			"Running  Shoes,5,5,,\n" + // 3: duplicate of line 2 (folded)
			"trail shoes,-3,10,,Shoes\n" + // 4: negative volume
			"marathon,lots,10,,\n" + // 5: not a number
			"pace chart,10,101,vague,\n" + // 6: difficulty and intent
			"already here,1,1,,\n" + // 7: in the sector already
			"bad \xff utf8,1,1,,\n" + // 8: invalid UTF-8
			"too,many,columns,here,x,y\n" + // 9: width
			",1,1,,\n" + // 10: empty keyword
			strings.Repeat("x", 10<<20) + ",1,1,,\n" + // 11: a 10 MB line
			"=cmd|calc,7,7,,Shoes\n" + // 12: fine (defused on export)
			"hill repeats,300,20,informational,Training\n" // 13
		rep, err := f.svc.ImportKeywordsCSV(ctx, f.t, target, strings.NewReader(file))
		require.NoError(t, err)
		require.Equal(t, 3, rep.Created)
		got := rejected(rep)
		require.Len(t, got, 9, "%v", got)
		require.Equal(t, "duplicate of line 2", got[3])
		require.Contains(t, got[4], "volume")
		require.Contains(t, got[5], "not a whole number")
		require.Contains(t, got[6], "difficulty")
		require.Contains(t, got[6], "intent")
		require.Equal(t, "already a keyword of this sector", got[7])
		require.Contains(t, got[8], "UTF-8")
		require.Contains(t, got[9], "columns")
		require.Contains(t, got[10], "keyword")
		require.Contains(t, got[11], "keyword")

		page, err := f.svc.ClustersPage(ctx, f.t, list(t, planner.ClusterListSpec(), "ordering=name"))
		require.NoError(t, err)
		require.Len(t, page.Results, 2)
		require.Equal(t, "Shoes", page.Results[0].Name)
		require.Equal(t, 2, page.Results[0].KeywordsCount)
		require.EqualValues(t, 1207, page.Results[0].Volume)
		require.Equal(t, planner.ClusterMapped, page.Results[0].Status)

		// Export: header, the filter applies, formulas are defused, and the
		// file can be imported again (everything is a duplicate then).
		var buf bytes.Buffer
		require.NoError(t, f.svc.ExportKeywordsCSV(ctx, f.t, list(t, planner.KeywordListSpec(), "cluster_id="+fmt.Sprint(page.Results[0].ID)+"&ordering=-volume"), &buf))
		recs, err := csv.NewReader(&buf).ReadAll()
		require.NoError(t, err)
		require.Equal(t, []string{"keyword", "volume", "difficulty", "intent", "cluster", "status", "seed_keyword_id", "id", "created_at"}, recs[0])
		require.Len(t, recs, 3)
		require.Equal(t, []string{"running shoes", "1200", "40", "commercial", "Shoes", "mapped"}, recs[1][:6])
		require.Equal(t, "'=cmd|calc", recs[2][0])

		// A whole export imports again: into the same sector everything is
		// a duplicate, into another sector everything is created.
		buf.Reset()
		require.NoError(t, f.svc.ExportKeywordsCSV(ctx, f.t, list(t, planner.KeywordListSpec(), ""), &buf))
		again, err := f.svc.ImportKeywordsCSV(ctx, f.t, target, bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		require.Zero(t, again.Created)
		require.Len(t, again.Rejected, 4)
		moved, err := f.svc.ImportKeywordsCSV(ctx, f.t, planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sectors[1].ID}, bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		require.Equal(t, 4, moved.Created, "%v", moved.Rejected)
	})
}

func TestImportKeywordsCSVFileErrors(t *testing.T) {
	env := igny8test.New(t)
	f := newFixture(env)
	ctx := env.Ctx()
	target := planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()}
	for name, file := range map[string]string{
		"empty":          "",
		"no keyword":     "volume,difficulty\n1,2\n",
		"semicolons":     "keyword;volume\nshoes;10\n",
		"unknown column": "keyword,colour\nshoes,red\n",
		"broken quote":   "keyword\n\"shoes\n",
	} {
		rep, err := f.svc.ImportKeywordsCSV(ctx, f.t, target, strings.NewReader(file))
		requireCode(t, err, errs.Invalid, "file")
		require.Zero(t, rep.Created, name)
	}
	rep, err := f.svc.ImportKeywordsCSV(ctx, f.t, target, strings.NewReader("keyword;volume\nshoes;10\n"))
	require.Zero(t, rep.Created)
	require.Contains(t, err.Error(), "';'")

	// Another account's sector, and a viewer, are refused before reading.
	other := newFixture(env)
	_, err = other.svc.ImportKeywordsCSV(ctx, other.t, target, strings.NewReader("keyword\nx\n"))
	requireCode(t, err, errs.NotFound, "")
}

func TestImportKeywordsCSVRespectsThePlan(t *testing.T) {
	env := igny8test.New(t)
	f := newFixture(env) // free trial: 500 keywords
	var b strings.Builder
	b.WriteString("keyword\n")
	for i := range 600 {
		fmt.Fprintf(&b, "keyword %d\n", i)
	}
	rep, err := f.svc.ImportKeywordsCSV(env.Ctx(), f.t, planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()}, strings.NewReader(b.String()))
	require.NoError(t, err)
	require.Equal(t, 500, rep.Created)
	require.Len(t, rep.Rejected, 100)
	require.Equal(t, 502, rep.Rejected[0].Line)
	require.Contains(t, rep.Rejected[0].Reason, "limit of 500")
}

// TestImportKeywordsCSVStoredDuplicates covers the rows that repeat a
// keyword of the sector, in every batch of a file (three batches: the
// first loads without a conflict, the second meets a live keyword, the
// third comes after that): each is rejected with its line and nothing else
// of its batch is lost, while the texts of soft-deleted keywords and of
// other sectors' keywords import.
func TestImportKeywordsCSVStoredDuplicates(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		f := newFixture(env)
		unlimited(t, env, f.account.Account.ID)
		ctx := env.Ctx()
		f.keyword("live keyword", 1, 1)
		f.keyword("second live", 1, 1)
		require.NoError(t, f.svc.DeleteKeyword(ctx, f.t, f.keyword("deleted keyword", 1, 1).ID))
		_, err := f.svc.CreateKeyword(ctx, f.t, planner.KeywordInput{SiteID: f.site.ID, SectorID: f.sectors[1].ID, Keyword: "other sector"})
		require.NoError(t, err)

		special := map[int]string{ // line → row
			3000:  "Deleted Keyword,5,5,,Shoes", // batch 1 (lines 2-5001)
			7000:  "live keyword,5,5,,Lonely",   // batch 2 (lines 5002-10001)
			7001:  "new in batch two,5,5,,Shoes",
			9000:  "LIVE  keyword,5,5,,",
			11000: "other sector,5,5,,", // batch 3 (lines 10002-12001)
			12000: "second live,5,5,,",
		}
		var b strings.Builder
		b.WriteString("keyword,volume,difficulty,intent,cluster\n")
		for line := 2; line <= 12001; line++ {
			if row, ok := special[line]; ok {
				b.WriteString(row + "\n")
			} else {
				fmt.Fprintf(&b, "keyword %d,%d,%d,,\n", line, line%1000, line%101)
			}
		}
		target := planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()}
		rep, err := f.svc.ImportKeywordsCSV(ctx, f.t, target, strings.NewReader(b.String()))
		require.NoError(t, err)
		require.Equal(t, []planner.CSVRejection{
			{Line: 7000, Reason: "already a keyword of this sector"},
			{Line: 9000, Reason: "duplicate of line 7000"},
			{Line: 12000, Reason: "already a keyword of this sector"},
		}, rep.Rejected)
		require.Equal(t, 12000-3, rep.Created)

		var live []string
		require.NoError(t, env.App.DB().NewRaw("SELECT keyword FROM igny8_keywords WHERE sector_id = ? AND deleted_at IS NULL", f.sector()).Scan(ctx, &live))
		require.Len(t, live, 12000-3+2)
		require.Contains(t, live, "Deleted Keyword")
		require.Contains(t, live, "new in batch two")
		require.Contains(t, live, "other sector")
		require.Contains(t, live, "keyword 7002")
		require.NotContains(t, live, "LIVE  keyword")

		// The cluster only the rejected row named is not left behind.
		page, err := f.svc.ClustersPage(ctx, f.t, list(t, planner.ClusterListSpec(), "ordering=name"))
		require.NoError(t, err)
		require.Len(t, page.Results, 1)
		require.Equal(t, "Shoes", page.Results[0].Name)
		require.Equal(t, 2, page.Results[0].KeywordsCount)
	})
}

// TestImportKeywordsCSVStoredDuplicateAtTheLimit: a batch that fits the
// plan only because one of its rows repeats a stored keyword imports all
// the others.
func TestImportKeywordsCSVStoredDuplicateAtTheLimit(t *testing.T) {
	env := igny8test.New(t)
	f := newFixture(env) // free trial: 500 keywords
	f.keyword("keyword 250", 1, 1)
	var b strings.Builder
	b.WriteString("keyword\n")
	for i := range 501 {
		fmt.Fprintf(&b, "keyword %d\n", i)
	}
	rep, err := f.svc.ImportKeywordsCSV(env.Ctx(), f.t, planner.ImportTarget{SiteID: f.site.ID, SectorID: f.sector()}, strings.NewReader(b.String()))
	require.NoError(t, err)
	require.Equal(t, 499, rep.Created)
	require.Len(t, rep.Rejected, 2)
	require.Equal(t, planner.CSVRejection{Line: 252, Reason: "already a keyword of this sector"}, rep.Rejected[0])
	require.Equal(t, 502, rep.Rejected[1].Line)
	require.Contains(t, rep.Rejected[1].Reason, "limit of 500")
}

// TestImportKeywordsCSVLimitHoldsUnderConcurrency runs imports of one
// account at once, two of them bringing the same texts into one sector:
// together they fill the plan exactly, and every row of every file is
// either created or rejected as a duplicate or over the limit.
func TestImportKeywordsCSVLimitHoldsUnderConcurrency(t *testing.T) {
	env := igny8test.New(t) // PostgreSQL: the COPY path and row locks
	f := newFixture(env)    // free trial: 500 keywords
	ctx := env.Ctx()
	file := func(prefix string) string {
		var b strings.Builder
		b.WriteString("keyword\n")
		for i := range 200 {
			fmt.Fprintf(&b, "%s %d\n", prefix, i)
		}
		return b.String()
	}
	imports := []struct {
		sector int64
		file   string
	}{ // 800 distinct keywords of the sectors, for 500 places
		{f.sectors[0].ID, file("a")}, {f.sectors[0].ID, file("a")}, {f.sectors[0].ID, file("b")},
		{f.sectors[1].ID, file("a")}, {f.sectors[1].ID, file("c")},
	}
	reports := make([]*planner.CSVReport, len(imports))
	errors := make([]error, len(imports))
	var wg sync.WaitGroup
	for i, in := range imports {
		wg.Go(func() {
			reports[i], errors[i] = f.svc.ImportKeywordsCSV(ctx, f.t, planner.ImportTarget{SiteID: f.site.ID, SectorID: in.sector}, strings.NewReader(in.file))
		})
	}
	wg.Wait()
	created := 0
	for i, rep := range reports {
		require.NoError(t, errors[i])
		require.Equal(t, 200, rep.Created+len(rep.Rejected))
		created += rep.Created
		for _, r := range rep.Rejected {
			if r.Reason != "already a keyword of this sector" {
				require.Contains(t, r.Reason, "limit of 500")
			}
		}
	}
	require.Equal(t, 500, created)
	n, err := env.App.DB().NewSelect().Model((*planner.Keyword)(nil)).Where("account_id = ?", f.account.Account.ID).Count(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 500, n)
}
