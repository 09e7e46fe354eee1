package planner_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
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
