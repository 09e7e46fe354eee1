package tenancy_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/igny8test"
	"github.com/igny8/igny8-go/tenancy"
)

// The catalogue used by most CSV tests. Line 4 holds a quoted description
// spanning two lines, so the finance row is on line 6.
const industriesCSV = `Industry, Industry_Slug ,SECTOR,sector_slug,description
Healthcare,,,,"Clinics, hospitals and care"
Healthcare,,Dental Care,,Teeth
Healthcare,,Nutrition,diet,"Food
and diet"
Finance,fin,Loans,,
Retail,,,,
`

// Columns in another order than the export's, names given by slug, by name
// and by name in another case; keywords to be normalised; empty cells.
const keywordsCSV = `intent,keyword,industry,sector,volume,difficulty
commercial,  Dental   IMPLANTS ,healthcare,dental-care,900,40
,teeth whitening,Healthcare,Dental Care,500,
transactional,keto diet,healthcare,nutrition,700,30
navigational,personal loan,fin,LOANS,1200,55
`

func importIndustries(t *testing.T, env *igny8test.Env, text string) *tenancy.CSVReport {
	t.Helper()
	rep, err := env.App.Tenancy().ImportIndustriesCSV(env.Ctx(), strings.NewReader(text))
	require.NoError(t, err)
	return rep
}

func importKeywords(t *testing.T, env *igny8test.Env, text string) *tenancy.CSVReport {
	t.Helper()
	rep, err := env.App.Tenancy().ImportSeedKeywordsCSV(env.Ctx(), strings.NewReader(text))
	require.NoError(t, err)
	return rep
}

// sectorOf finds a sector template by industry and sector slug.
func sectorOf(t *testing.T, env *igny8test.Env, industrySlug, sectorSlug string) tenancy.IndustrySector {
	t.Helper()
	svc, ctx := env.App.Tenancy(), env.Ctx()
	industries, err := svc.ListIndustries(ctx)
	require.NoError(t, err)
	for _, ind := range industries {
		if ind.Slug != industrySlug {
			continue
		}
		sectors, err := svc.ListIndustrySectors(ctx, ind.ID)
		require.NoError(t, err)
		for _, sec := range sectors {
			if sec.Slug == sectorSlug {
				return sec
			}
		}
	}
	t.Fatalf("no sector %s/%s", industrySlug, sectorSlug)
	return tenancy.IndustrySector{}
}

func keywordsOf(t *testing.T, env *igny8test.Env, industrySlug, sectorSlug string) map[string]tenancy.SeedKeyword {
	t.Helper()
	list, err := env.App.Tenancy().ListSeedKeywords(env.Ctx(), sectorOf(t, env, industrySlug, sectorSlug).ID)
	require.NoError(t, err)
	out := map[string]tenancy.SeedKeyword{}
	for _, k := range list {
		out[k.Keyword] = k
	}
	return out
}

func exportIndustries(t *testing.T, env *igny8test.Env) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, env.App.Tenancy().ExportIndustriesCSV(env.Ctx(), &buf))
	return buf.String()
}

func exportKeywords(t *testing.T, env *igny8test.Env) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, env.App.Tenancy().ExportSeedKeywordsCSV(env.Ctx(), &buf))
	return buf.String()
}

func rejectedLines(rep *tenancy.CSVReport) []int {
	lines := []int{}
	for _, r := range rep.Rejected {
		lines = append(lines, r.Line)
	}
	return lines
}

func TestCatalogCSVImport(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc, ctx := env.App.Tenancy(), env.Ctx()
		rep := importIndustries(t, env, industriesCSV)
		assert.Equal(t, tenancy.CSVReport{Created: 5, Rejected: []tenancy.CSVRejection{}}, *rep)

		industries, err := svc.ListIndustries(ctx)
		require.NoError(t, err)
		require.Len(t, industries, 3)
		assert.Equal(t, "Finance", industries[0].Name)
		assert.Equal(t, "fin", industries[0].Slug)
		assert.Equal(t, "healthcare", industries[1].Slug)
		assert.Equal(t, "Clinics, hospitals and care", industries[1].Description)
		assert.Equal(t, "retail", industries[2].Slug)
		sectors, err := svc.ListIndustrySectors(ctx, industries[1].ID)
		require.NoError(t, err)
		require.Len(t, sectors, 2)
		assert.Equal(t, "Dental Care", sectors[0].Name)
		assert.Equal(t, "dental-care", sectors[0].Slug)
		assert.Equal(t, "Teeth", sectors[0].Description)
		assert.Equal(t, "diet", sectors[1].Slug)
		assert.Equal(t, "Food\nand diet", sectors[1].Description)

		rep = importKeywords(t, env, keywordsCSV)
		assert.Equal(t, tenancy.CSVReport{Created: 4, Rejected: []tenancy.CSVRejection{}}, *rep)
		dental := keywordsOf(t, env, "healthcare", "dental-care")
		require.Len(t, dental, 2)
		implants := dental["dental implants"]
		assert.Equal(t, 900, implants.Volume)
		assert.Equal(t, 40, implants.Difficulty)
		assert.Equal(t, tenancy.IntentCommercial, implants.Intent)
		assert.Equal(t, industries[1].ID, implants.IndustryID)
		whitening := dental["teeth whitening"]
		assert.Equal(t, 500, whitening.Volume)
		assert.Equal(t, 0, whitening.Difficulty, "an empty cell is the default")
		assert.Equal(t, tenancy.IntentInformational, whitening.Intent)
		assert.Equal(t, tenancy.IntentTransactional, keywordsOf(t, env, "healthcare", "diet")["keto diet"].Intent)
		assert.Equal(t, 1200, keywordsOf(t, env, "fin", "loans")["personal loan"].Volume)
	})
}

func TestCatalogCSVReimport(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		importIndustries(t, env, industriesCSV)
		importKeywords(t, env, keywordsCSV)

		// The same files again change nothing.
		assert.Equal(t, tenancy.CSVReport{Unchanged: 5, Rejected: []tenancy.CSVRejection{}}, *importIndustries(t, env, industriesCSV))
		assert.Equal(t, tenancy.CSVReport{Unchanged: 4, Rejected: []tenancy.CSVRejection{}}, *importKeywords(t, env, keywordsCSV))

		// Renames and new descriptions are updates; a new sector is created;
		// without a description column descriptions are kept.
		rep := importIndustries(t, env, "industry,industry_slug,sector,sector_slug\n"+
			"Health Care,healthcare,,\n"+ // renamed
			"Health Care,healthcare,Dental Clinics,dental-care\n"+ // sector renamed
			"Health Care,healthcare,Nutrition,diet\n"+ // unchanged now that the industry is renamed
			"Health Care,healthcare,Surgery,\n") // new
		assert.Equal(t, tenancy.CSVReport{Created: 1, Updated: 2, Unchanged: 1, Rejected: []tenancy.CSVRejection{}}, *rep)
		dental := sectorOf(t, env, "healthcare", "dental-care")
		assert.Equal(t, "Dental Clinics", dental.Name)
		assert.Equal(t, "Teeth", dental.Description, "no description column: kept")

		// Keywords: one changed, one identical, one new, and a duplicate
		// within the file (other spelling of the same keyword): the later
		// row wins and counts as an update of the earlier one.
		rep = importKeywords(t, env, "keyword,industry,sector,volume,difficulty,intent\n"+
			"dental implants,healthcare,dental-care,950,40,commercial\n"+
			"teeth whitening,healthcare,dental-care,500,0,informational\n"+
			"braces,healthcare,dental-care,10,5,informational\n"+
			"BRACES ,healthcare,dental-care,20,5,informational\n")
		assert.Equal(t, tenancy.CSVReport{Created: 1, Updated: 2, Unchanged: 1, Rejected: []tenancy.CSVRejection{}}, *rep)
		kws := keywordsOf(t, env, "healthcare", "dental-care")
		assert.Equal(t, 950, kws["dental implants"].Volume)
		assert.Equal(t, 20, kws["braces"].Volume, "the later duplicate wins")

		// Without the volume and intent columns those values are kept.
		rep = importKeywords(t, env, "keyword,industry,sector,difficulty\n"+
			"dental implants,healthcare,dental-care,41\n"+
			"braces,healthcare,dental-care,5\n")
		assert.Equal(t, tenancy.CSVReport{Updated: 1, Unchanged: 1, Rejected: []tenancy.CSVRejection{}}, *rep)
		kws = keywordsOf(t, env, "healthcare", "dental-care")
		assert.Equal(t, 950, kws["dental implants"].Volume)
		assert.Equal(t, 41, kws["dental implants"].Difficulty)
		assert.Equal(t, tenancy.IntentCommercial, kws["dental implants"].Intent)

		// A stored keyword changed, changed back and changed again in one
		// batch is written once (PostgreSQL refuses an upsert touching a
		// row twice), with the last value.
		rep = importKeywords(t, env, "keyword,industry,sector,volume\n"+
			"braces,healthcare,dental-care,30\n"+
			"braces,healthcare,dental-care,20\n"+
			"braces,healthcare,dental-care,40\n")
		assert.Equal(t, tenancy.CSVReport{Updated: 3, Rejected: []tenancy.CSVRejection{}}, *rep)
		assert.Equal(t, 40, keywordsOf(t, env, "healthcare", "dental-care")["braces"].Volume)

		// A rename frees a unique industry name for a later row of the same
		// batch; a name still taken is rejected.
		rep = importIndustries(t, env, "industry,industry_slug\n"+
			"Money,fin\n"+
			"Finance,retail\n"+
			"Money,other\n")
		assert.Equal(t, 2, rep.Updated)
		assert.Equal(t, []int{4}, rejectedLines(rep))
		list, err := env.App.Tenancy().ListIndustries(env.Ctx())
		require.NoError(t, err)
		names := map[string]string{}
		for _, ind := range list {
			names[ind.Slug] = ind.Name
		}
		assert.Equal(t, map[string]string{"fin": "Money", "retail": "Finance", "healthcare": "Health Care"}, names)

		// Duplicate sector rows in one file: the later row wins.
		rep = importIndustries(t, env, "industry,industry_slug,sector,description\n"+
			"Health Care,healthcare,Pharmacy,first\n"+
			"Health Care,healthcare,Pharmacy,second\n")
		assert.Equal(t, tenancy.CSVReport{Created: 1, Updated: 1, Rejected: []tenancy.CSVRejection{}}, *rep)
		assert.Equal(t, "second", sectorOf(t, env, "healthcare", "pharmacy").Description)
	})
}

func TestCatalogCSVRejectsBadRows(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		importIndustries(t, env, industriesCSV)

		// Line 8 starts a row spanning two lines, so later rows are one line
		// further down than their position in the file.
		file := "keyword,industry,sector,volume,difficulty,intent\n" +
			"good one,healthcare,dental-care,10,10,informational\n" + // 2
			"orphan,healthcare,surgery,1,1,informational\n" + // 3 unknown sector
			"hard,healthcare,dental-care,1,101,informational\n" + // 4 difficulty
			"negative,healthcare,dental-care,-5,1,informational\n" + // 5 volume
			"weird,healthcare,dental-care,1,1,curious\n" + // 6 intent
			"short,healthcare\n" + // 7 column count
			"\"multi\nline\",healthcare,dental-care,3,3,\n" + // 8-9 good
			"caf\xe9,healthcare,dental-care,1,1,\n" + // 10 invalid UTF-8 (Latin-1 é)
			"nowhere,atlantis,x,1,1,\n" + // 11 unknown industry
			",healthcare,dental-care,1,1,\n" + // 12 no keyword
			"many,healthcare,dental-care,lots,1,\n" + // 13 not a number
			"good two,Healthcare,Nutrition,5,5,Navigational\n" // 14 good
		rep := importKeywords(t, env, file)
		assert.Equal(t, 3, rep.Created)
		assert.Equal(t, []int{3, 4, 5, 6, 7, 10, 11, 12, 13}, rejectedLines(rep))
		reasons := map[int]string{}
		for _, r := range rep.Rejected {
			reasons[r.Line] = r.Reason
		}
		assert.Contains(t, reasons[3], `unknown sector "surgery"`)
		assert.Contains(t, reasons[4], "difficulty: must be between 0 and 100")
		assert.Contains(t, reasons[5], "volume: must be between 0")
		assert.Contains(t, reasons[6], "intent: must be informational")
		assert.Equal(t, "has 2 columns, the header has 6", reasons[7])
		assert.Equal(t, "not valid UTF-8", reasons[10])
		assert.Contains(t, reasons[11], `unknown industry "atlantis"`)
		assert.Contains(t, reasons[12], "keyword: is required")
		assert.Contains(t, reasons[13], "volume: must be a whole number")

		kws := keywordsOf(t, env, "healthcare", "dental-care")
		assert.Len(t, kws, 2)
		assert.Contains(t, kws, "good one")
		assert.Contains(t, kws, "multi line")
		assert.Equal(t, tenancy.IntentNavigational, keywordsOf(t, env, "healthcare", "diet")["good two"].Intent)

		// Industries: a name taken by another slug, a bad slug, a sector
		// slug without a sector name, a name that yields no slug.
		rep = importIndustries(t, env, "industry,industry_slug,sector,sector_slug\n"+
			"Healthcare,health,,\n"+ // 2 name used by "healthcare"
			"Bad,Not A Slug,,\n"+ // 3
			"Finance,fin,,orphan\n"+ // 4
			"???,,,\n"+ // 5
			"Education,,Schools,\n") // 6 good
		assert.Equal(t, 1, rep.Created)
		assert.Equal(t, []int{2, 3, 4, 5}, rejectedLines(rep))
		assert.Contains(t, rep.Rejected[0].Reason, `already used by the industry "healthcare"`)
		assert.Contains(t, rep.Rejected[1].Reason, "industry_slug:")
		assert.Contains(t, rep.Rejected[2].Reason, "sector: is required")
		assert.Contains(t, rep.Rejected[3].Reason, "industry_slug: is required when the name has no letters or digits")
		sectorOf(t, env, "education", "schools")
	})
}

func TestCatalogCSVBadHeader(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		svc, ctx := env.App.Tenancy(), env.Ctx()
		cases := []struct {
			name, file, want string
			keywords         bool
		}{
			{"missing required column", "industry_slug,sector\nhealth,dental\n", "missing required column(s) industry", false},
			{"unknown column", "industry,colour,Size\nHealth,red,3\n", `unknown column(s) "colour", "Size"`, false},
			{"duplicate column", "industry,Industry\nA,B\n", "duplicate column(s) industry", false},
			{"empty file", "", "a header row is required", false},
			{"keywords without sector", "keyword,industry,volume\nx,healthcare,1\n", "missing required column(s) sector", true},
		}
		for _, tc := range cases {
			var (
				rep *tenancy.CSVReport
				err error
			)
			if tc.keywords {
				rep, err = svc.ImportSeedKeywordsCSV(ctx, strings.NewReader(tc.file))
			} else {
				rep, err = svc.ImportIndustriesCSV(ctx, strings.NewReader(tc.file))
			}
			requireCode(t, err, errs.Invalid, "file")
			assert.Contains(t, err.Error(), tc.want, tc.name)
			require.NotNil(t, rep, tc.name)
			assert.Zero(t, rep.Created+rep.Updated+rep.Unchanged+len(rep.Rejected), tc.name)
		}
		industries, err := svc.ListIndustries(ctx)
		require.NoError(t, err)
		assert.Empty(t, industries, "a bad header writes nothing")
	})
}

func TestCatalogCSVMalformedMidFile(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		importIndustries(t, env, industriesCSV)
		var b strings.Builder
		b.WriteString("keyword,industry,sector,volume\n")
		for i := 2; i <= 700; i++ {
			if i == 650 {
				b.WriteString("bare \"quote,healthcare,dental-care,1\n")
				continue
			}
			fmt.Fprintf(&b, "keyword %d,healthcare,dental-care,%d\n", i, i)
		}
		rep, err := env.App.Tenancy().ImportSeedKeywordsCSV(env.Ctx(), strings.NewReader(b.String()))
		requireCode(t, err, errs.Invalid, "file")
		msg := errs.As(err).Message
		assert.Contains(t, msg, "line 650")
		assert.Contains(t, msg, "rows up to line 501 were imported")
		require.NotNil(t, rep)
		assert.Equal(t, 500, rep.Created, "the first batch (lines 2-501) is committed")
		assert.Len(t, keywordsOf(t, env, "healthcare", "dental-care"), 500,
			"the batch holding the malformed line is not")

		// Fixed and imported again: the committed rows are unchanged.
		fixed := strings.Replace(b.String(), "bare \"quote", "keyword 650", 1)
		rep = importKeywords(t, env, fixed)
		assert.Equal(t, tenancy.CSVReport{Created: 199, Unchanged: 500, Rejected: []tenancy.CSVRejection{}}, *rep)
	})
}

func TestCatalogCSVByteOrderMark(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		rep := importIndustries(t, env, "\ufeffindustry,sector\r\nHealthcare,Dental Care\r\n")
		assert.Equal(t, 1, rep.Created)
		// A quoted first column name after the BOM is no bare quote.
		rep = importKeywords(t, env, "\ufeff\"keyword\",industry,sector\nbraces,healthcare,dental-care\n")
		assert.Equal(t, 1, rep.Created)
		assert.Contains(t, keywordsOf(t, env, "healthcare", "dental-care"), "braces")
	})
}

func TestCatalogCSVRoundTrip(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		importIndustries(t, env, industriesCSV)
		importKeywords(t, env, keywordsCSV)

		industries := exportIndustries(t, env)
		// Healthcare has sectors and a description of its own: the extra
		// row without a sector carries that description.
		assert.Equal(t, "industry,industry_slug,sector,sector_slug,description\n"+
			"Healthcare,healthcare,,,\"Clinics, hospitals and care\"\n"+
			"Healthcare,healthcare,Dental Care,dental-care,Teeth\n"+
			"Healthcare,healthcare,Nutrition,diet,\"Food\nand diet\"\n"+
			"Finance,fin,Loans,loans,\n"+
			"Retail,retail,,,\n", industries)
		keywords := exportKeywords(t, env)
		assert.Equal(t, "keyword,industry,sector,volume,difficulty,intent\n"+
			"dental implants,healthcare,dental-care,900,40,commercial\n"+
			"teeth whitening,healthcare,dental-care,500,0,informational\n"+
			"keto diet,healthcare,diet,700,30,transactional\n"+
			"personal loan,fin,loans,1200,55,navigational\n", keywords)

		rep := importIndustries(t, env, industries)
		assert.Equal(t, tenancy.CSVReport{Unchanged: 5, Rejected: []tenancy.CSVRejection{}}, *rep)
		rep = importKeywords(t, env, keywords)
		assert.Equal(t, tenancy.CSVReport{Unchanged: 4, Rejected: []tenancy.CSVRejection{}}, *rep)

		// Into an empty catalogue (on SQLite, whichever dialect exported),
		// the exports rebuild the same catalogue.
		fresh := igny8test.NewSQLite(t)
		importIndustries(t, fresh, industries)
		importKeywords(t, fresh, keywords)
		assert.Equal(t, industries, exportIndustries(t, fresh))
		assert.Equal(t, keywords, exportKeywords(t, fresh))
		assert.Equal(t, "Clinics, hospitals and care", func() string {
			list, err := fresh.App.Tenancy().ListIndustries(fresh.Ctx())
			require.NoError(t, err)
			return list[1].Description
		}())
	})
}

func TestCatalogCSVExportLargeLibrary(t *testing.T) {
	igny8test.Dialects(t, func(t *testing.T, env *igny8test.Env) {
		importIndustries(t, env, industriesCSV)
		const n = 2500
		var b strings.Builder
		b.WriteString("keyword,industry,sector,volume,difficulty,intent\n")
		for i := range n {
			sector := "dental-care"
			if i%2 == 1 {
				sector = "diet"
			}
			fmt.Fprintf(&b, "keyword %04d,healthcare,%s,%d,%d,commercial\n", i, sector, i, i%101)
		}
		rep := importKeywords(t, env, b.String())
		assert.Equal(t, n, rep.Created)

		// 2,500 rows are three keyset pages (1000, 1000, 500): a row lost or
		// repeated at a page boundary would show here.
		var buf bytes.Buffer
		require.NoError(t, env.App.Tenancy().ExportSeedKeywordsCSV(env.Ctx(), &buf))
		assert.Equal(t, b.String(), buf.String(), "every keyword once, in id (= import) order")

		lines := 0
		sc := bufio.NewScanner(&buf)
		for sc.Scan() {
			lines++
		}
		require.NoError(t, sc.Err())
		assert.Equal(t, n+1, lines)
	})
}

// rowsReader produces a header and then rows lazily, so a test can feed an
// import more rows than it would want to hold in memory.
type rowsReader struct {
	header, row string
	rows        int
	buf         []byte
}

func (r *rowsReader) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && (r.header != "" || r.rows > 0) {
		if r.header != "" {
			r.buf, r.header = append(r.buf, r.header...), ""
			continue
		}
		r.buf = append(r.buf, r.row...)
		r.rows--
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func TestCatalogCSVRowLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million rows")
	}
	env := igny8test.NewSQLite(t)
	// Rows of the wrong width are rejected without touching the database,
	// which keeps a million of them fast.
	r := &rowsReader{header: "keyword,industry,sector\n", row: "x\n", rows: 1_000_001}
	rep, err := env.App.Tenancy().ImportSeedKeywordsCSV(env.Ctx(), r)
	requireCode(t, err, errs.Invalid, "file")
	assert.Contains(t, err.Error(), "more than 1000000 rows")
	assert.Len(t, rep.Rejected, 1_000_000)
	assert.Equal(t, 1_000_001, rep.Rejected[len(rep.Rejected)-1].Line)
}

func TestCatalogCSVCancelled(t *testing.T) {
	env := igny8test.NewSQLite(t)
	ctx, cancel := context.WithCancel(env.Ctx())
	cancel()
	_, err := env.App.Tenancy().ImportIndustriesCSV(ctx, strings.NewReader(industriesCSV))
	require.ErrorIs(t, err, context.Canceled)
	industries, err := env.App.Tenancy().ListIndustries(env.Ctx())
	require.NoError(t, err)
	assert.Empty(t, industries)
}

func TestCSVReportJSON(t *testing.T) {
	b, err := json.Marshal(tenancy.CSVReport{Created: 1, Rejected: []tenancy.CSVRejection{{Line: 3, Reason: "not valid UTF-8"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"created":1,"updated":0,"unchanged":0,"rejected":[{"line":3,"reason":"not valid UTF-8"}]}`, string(b))
}

// A spreadsheet saved with ';' between columns (Excel in many European
// locales) is told apart from a file with an unknown column.
func TestCatalogCSVWrongDelimiter(t *testing.T) {
	env := igny8test.NewSQLite(t)
	rep, err := env.App.Tenancy().ImportSeedKeywordsCSV(env.Ctx(),
		strings.NewReader("keyword;industry;sector\nbraces;healthcare;dental-care\n"))
	requireCode(t, err, errs.Invalid, "file")
	assert.Contains(t, errs.As(err).Message,
		`line 1: the header has one column "keyword;industry;sector"; the file seems to use ';' between columns — use commas`)
	require.NotNil(t, rep)
	assert.Zero(t, rep.Created+rep.Updated+rep.Unchanged+len(rep.Rejected))
}
