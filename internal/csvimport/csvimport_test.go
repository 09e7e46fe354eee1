package csvimport_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/csvimport"
)

// The format of these tests: a keyword library in miniature.
var format = csvimport.Format{
	What:     "test keywords",
	Columns:  []string{"keyword", "volume", "note"},
	Required: []string{"keyword"},
}

type kwRow struct {
	keyword   string
	volume    int
	hasVolume bool
}

// parseKW rejects a row without keyword or with a volume that is no number,
// through errs.Validation like the real formats.
func parseKW(r csvimport.Row) (kwRow, string) {
	var v errs.Validation
	out := kwRow{keyword: r.Value("keyword")}
	v.Check(out.keyword != "", "keyword", "is required")
	var raw string
	raw, out.hasVolume = r.Get("volume")
	if raw = strings.TrimSpace(raw); raw != "" {
		n, err := strconv.Atoi(raw)
		v.Check(err == nil, "volume", "must be a whole number")
		out.volume = n
	}
	if err := v.Err(); err != nil {
		return out, csvimport.Reason(err)
	}
	return out, ""
}

// fakeDB stands in for a database: it runs fn with a zero bun.Tx (apply
// never uses it) and keeps what apply wrote only when the "transaction"
// commits, so tests see exactly what a database would hold.
type fakeDB struct {
	committed  [][]int // lines of each committed batch, in commit order
	pending    []int   // lines written by the running transaction
	txs        int     // transactions started
	failCommit int     // 1-based transaction whose commit fails (0: none)
	runs       int     // times fn runs per transaction (a retrying runner)
}

var errCommit = errors.New("commit failed")

func (db *fakeDB) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	db.txs++
	runs := max(db.runs, 1)
	for range runs {
		db.pending = nil
		if err := fn(ctx, bun.Tx{}); err != nil {
			return err
		}
	}
	if db.txs == db.failCommit {
		return errCommit
	}
	db.committed = append(db.committed, db.pending)
	return nil
}

func (db *fakeDB) committedLines() []int {
	lines := []int{}
	for _, b := range db.committed {
		lines = append(lines, b...)
	}
	return lines
}

// applyKW "writes" every row, counting keywords with a volume as created
// and the others as unchanged, and rejects the keyword "taken" the way a
// domain rejects rows that only the database can judge.
func (db *fakeDB) applyKW(_ context.Context, _ bun.Tx, batch []csvimport.Line[kwRow], rep *csvimport.Report) error {
	for _, l := range batch {
		if l.Row.keyword == "taken" {
			rep.Rejected = append(rep.Rejected, csvimport.Rejection{Line: l.Line, Reason: "keyword: already taken"})
			continue
		}
		db.pending = append(db.pending, l.Line)
		if l.Row.hasVolume && l.Row.volume > 0 {
			rep.Created++
		} else {
			rep.Unchanged++
		}
	}
	return nil
}

func run(db *fakeDB, opts csvimport.Options, text string) (*csvimport.Report, error) {
	return runReader(db, opts, strings.NewReader(text))
}

func runReader(db *fakeDB, opts csvimport.Options, r io.Reader) (*csvimport.Report, error) {
	return csvimport.Import(context.Background(), r, format, opts, db.inTx, parseKW, db.applyKW)
}

// requireFileError checks err is the Invalid error on "file" that API
// callers see as a validation error, and returns its message.
func requireFileError(t *testing.T, err error) string {
	t.Helper()
	require.Error(t, err)
	e := errs.As(err)
	require.NotNil(t, e, "error %v carries no errs.Error", err)
	require.Equal(t, errs.Invalid, e.Code, "error: %v", err)
	require.Contains(t, e.Fields, "file", "error: %v", err)
	return e.Message
}

func TestImportReadsColumnsByName(t *testing.T) {
	db := &fakeDB{}
	var rows []kwRow
	apply := func(ctx context.Context, tx bun.Tx, batch []csvimport.Line[kwRow], rep *csvimport.Report) error {
		for _, l := range batch {
			rows = append(rows, l.Row)
		}
		return db.applyKW(ctx, tx, batch, rep)
	}
	// Names are trimmed and case-insensitive, in any order.
	rep, err := csvimport.Import(context.Background(), strings.NewReader(" VOLUME ,Keyword\n10, shoes \n,boots\n"),
		format, csvimport.Options{}, db.inTx, parseKW, apply)
	require.NoError(t, err)
	assert.Equal(t, csvimport.Report{Created: 1, Unchanged: 1, Rejected: []csvimport.Rejection{}}, *rep)
	assert.Equal(t, []kwRow{{"shoes", 10, true}, {"boots", 0, true}}, rows)

	// A column missing from the header is absent, not empty.
	rows = nil
	_, err = csvimport.Import(context.Background(), strings.NewReader("keyword\nshoes\n"),
		format, csvimport.Options{}, db.inTx, parseKW, apply)
	require.NoError(t, err)
	assert.Equal(t, []kwRow{{keyword: "shoes"}}, rows)
}

func TestImportByteOrderMark(t *testing.T) {
	// Excel's "CSV UTF-8" starts with a BOM; with a quoted first name it
	// would otherwise be a bare-quote error, unquoted an unknown column.
	for _, text := range []string{
		"\ufeff\"keyword\",volume\r\nshoes,10\r\n",
		"\ufeffkeyword,volume\nshoes,10\n",
	} {
		db := &fakeDB{}
		rep, err := run(db, csvimport.Options{}, text)
		require.NoError(t, err, "%q", text)
		assert.Equal(t, 1, rep.Created, "%q", text)
	}
}

func TestImportWrongDelimiter(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"semicolons", "keyword;volume\nshoes;10\n",
			`line 1: the header has one column "keyword;volume"; the file seems to use ';' between columns — use commas`},
		{"tabs", "keyword\tvolume\tnote\nshoes\t10\tx\n",
			`line 1: the header has one column "keyword\tvolume\tnote"; the file seems to use tabs between columns — use commas`},
		{"more tabs than semicolons", "keyword\tvolume\tnote;x\n",
			"the file seems to use tabs between columns"},
		{"long header cut short", "keyword;" + strings.Repeat("x", 200) + "\n",
			`"keyword;` + strings.Repeat("x", 72) + `…"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := &fakeDB{}
			rep, err := run(db, csvimport.Options{}, tc.file)
			msg := requireFileError(t, err)
			assert.Contains(t, msg, tc.want)
			assert.NotContains(t, msg, "unknown column")
			assert.Zero(t, db.txs)
			assert.Equal(t, csvimport.Report{Rejected: []csvimport.Rejection{}}, *rep)
		})
	}

	// Only a lone column means a wrong delimiter: among several columns a
	// ';' is just an unknown name, and a lone known column is fine.
	_, err := run(&fakeDB{}, csvimport.Options{}, "keyword,vol;ume\n")
	assert.Contains(t, requireFileError(t, err), `unknown column(s) "vol;ume"`)
	rep, err := run(&fakeDB{}, csvimport.Options{}, "keyword\nshoes;boots\n")
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Unchanged)
}

func TestImportBadHeader(t *testing.T) {
	cases := []struct{ name, file, want string }{
		{"empty file", "", "is empty: a header row is required"},
		{"only blank lines", "\n\n", "is empty: a header row is required"},
		{"missing required column", "volume,note\n1,x\n", "missing required column(s) keyword"},
		{"unknown columns", "keyword,colour,Size\nx,red,3\n",
			`unknown column(s) "colour", "Size"; the columns are keyword, volume, note`},
		{"duplicate column", "keyword,Keyword ,volume\nx,y,1\n", "duplicate column(s) keyword"},
		{"invalid UTF-8", "keyword,caf\xe9\nx,y\n", "line 1: the header is not valid UTF-8"},
		{"broken quote", "\"keyword,volume\n", "(nothing was imported)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := &fakeDB{}
			rep, err := run(db, csvimport.Options{}, tc.file)
			assert.Contains(t, requireFileError(t, err), tc.want)
			assert.Contains(t, err.Error(), "import test keywords csv:")
			require.NotNil(t, rep)
			assert.Equal(t, csvimport.Report{Rejected: []csvimport.Rejection{}}, *rep)
			assert.Zero(t, db.txs, "a bad header applies nothing")
		})
	}
}

func TestImportHeaderOnly(t *testing.T) {
	db := &fakeDB{}
	rep, err := run(db, csvimport.Options{}, "keyword,volume\n")
	require.NoError(t, err)
	assert.Equal(t, csvimport.Report{Rejected: []csvimport.Rejection{}}, *rep)
	assert.Zero(t, db.txs, "no transaction for an empty batch")
}

func TestImportRejectsBadRowsWithTheirLine(t *testing.T) {
	db := &fakeDB{}
	file := "keyword,volume,note\n" +
		"good,1,\n" + // 2
		"short,1\n" + // 3 too few columns
		"long,1,x,y\n" + // 4 too many
		"caf\xe9,1,\n" + // 5 invalid UTF-8
		"nul\x00,1,\n" + // 6 NUL
		"taken,1,\n" + // 7 rejected by apply
		",lots,\n" + // 8 rejected by parse: two problems
		"\"multi\nline\",1,\n" + // 9-10 good
		"after,1,\"x\ny\nz\"\n" + // 11-13 good
		"last,,oops,\n" // 14 too many
	rep, err := run(db, csvimport.Options{BatchSize: 4}, file)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Created)
	assert.Equal(t, []csvimport.Rejection{
		{Line: 3, Reason: "has 2 columns, the header has 3"},
		{Line: 4, Reason: "has 4 columns, the header has 3"},
		{Line: 5, Reason: "not valid UTF-8"},
		{Line: 6, Reason: "contains a NUL character"},
		{Line: 7, Reason: "keyword: already taken"},
		{Line: 8, Reason: "keyword: is required; volume: must be a whole number"},
		{Line: 14, Reason: "has 4 columns, the header has 3"},
	}, rep.Rejected, "rejections of parse and apply merged in line order")
	assert.Equal(t, []int{2, 9, 11}, db.committedLines())
}

func TestImportBatchesInOrder(t *testing.T) {
	db := &fakeDB{}
	var b strings.Builder
	b.WriteString("keyword,volume\n")
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&b, "kw%d,%d\n", i, i) // line i+1
	}
	var sizes []int
	apply := func(ctx context.Context, tx bun.Tx, batch []csvimport.Line[kwRow], rep *csvimport.Report) error {
		sizes = append(sizes, len(batch))
		return db.applyKW(ctx, tx, batch, rep)
	}
	rep, err := csvimport.Import(context.Background(), strings.NewReader(b.String()), format,
		csvimport.Options{BatchSize: 3}, db.inTx, parseKW, apply)
	require.NoError(t, err)
	assert.Equal(t, 7, rep.Created)
	assert.Equal(t, []int{3, 3, 1}, sizes)
	assert.Equal(t, [][]int{{2, 3, 4}, {5, 6, 7}, {8}}, db.committed, "one transaction per batch, in file order")
}

func TestImportDefaultBatchSize(t *testing.T) {
	db := &fakeDB{}
	var b strings.Builder
	b.WriteString("keyword\n")
	for i := range 2*csvimport.DefaultBatchSize + 1 {
		fmt.Fprintf(&b, "kw%d\n", i)
	}
	rep, err := run(db, csvimport.Options{}, b.String())
	require.NoError(t, err)
	assert.Equal(t, 2*csvimport.DefaultBatchSize+1, rep.Unchanged)
	require.Len(t, db.committed, 3)
	assert.Len(t, db.committed[0], csvimport.DefaultBatchSize)
	assert.Len(t, db.committed[1], csvimport.DefaultBatchSize)
	assert.Len(t, db.committed[2], 1)
}

// file8 has eight data rows on lines 2-9, two per batch of size 2, with a
// parse rejection in the third batch (line 6).
const file8 = "keyword,volume\nk2,1\nk3,1\nk4,1\nk5,1\n,1\nk7,1\nk8,1\nk9,1\n"

func TestImportApplyFailsMidway(t *testing.T) {
	db := &fakeDB{}
	errDB := errors.New("database down")
	calls := 0
	apply := func(ctx context.Context, tx bun.Tx, batch []csvimport.Line[kwRow], rep *csvimport.Report) error {
		calls++
		if err := db.applyKW(ctx, tx, batch, rep); err != nil {
			return err
		}
		if calls == 3 {
			rep.Rejected = append(rep.Rejected, csvimport.Rejection{Line: 7, Reason: "never reported"})
			return errDB // after counting: the report must not keep those counts
		}
		return nil
	}
	rep, err := csvimport.Import(context.Background(), strings.NewReader(file8), format,
		csvimport.Options{BatchSize: 2}, db.inTx, parseKW, apply)
	require.ErrorIs(t, err, errDB)
	assert.Contains(t, err.Error(), "lines 6-7 (rows up to line 5 were imported)")
	assert.Equal(t, 3, calls, "nothing after the failing batch")
	assert.Equal(t, csvimport.Report{Created: 4, Rejected: []csvimport.Rejection{}}, *rep,
		"only the committed batches (lines 2-5), not the failed one's counts or rejections")
	assert.Equal(t, []int{2, 3, 4, 5}, db.committedLines())
}

func TestImportCommitFails(t *testing.T) {
	// apply succeeds but the second transaction does not commit: its counts
	// were never merged.
	db := &fakeDB{failCommit: 2}
	rep, err := run(db, csvimport.Options{BatchSize: 2}, file8)
	require.ErrorIs(t, err, errCommit)
	assert.Contains(t, err.Error(), "lines 4-5 (rows up to line 3 were imported)")
	assert.Equal(t, csvimport.Report{Created: 2, Rejected: []csvimport.Rejection{}}, *rep)
	assert.Equal(t, []int{2, 3}, db.committedLines())
}

func TestImportFirstBatchFails(t *testing.T) {
	db := &fakeDB{failCommit: 1}
	rep, err := run(db, csvimport.Options{BatchSize: 2}, file8)
	require.ErrorIs(t, err, errCommit)
	assert.Contains(t, err.Error(), "lines 2-3 (nothing was imported)")
	assert.Equal(t, csvimport.Report{Rejected: []csvimport.Rejection{}}, *rep)
}

func TestImportRetriedTransactionCountsOnce(t *testing.T) {
	db := &fakeDB{runs: 2}
	rep, err := run(db, csvimport.Options{BatchSize: 2}, file8)
	require.NoError(t, err)
	assert.Equal(t, csvimport.Report{Created: 7, Rejected: []csvimport.Rejection{{Line: 6, Reason: "keyword: is required"}}}, *rep)
}

func TestImportBatchSizeOne(t *testing.T) {
	db := &fakeDB{failCommit: 3}
	rep, err := run(db, csvimport.Options{BatchSize: 1}, file8)
	require.ErrorIs(t, err, errCommit)
	assert.Contains(t, err.Error(), "lines 4-4 (rows up to line 3 were imported)")
	assert.Equal(t, 2, rep.Created)
}

func TestImportMaxRows(t *testing.T) {
	// The limit is reached in the middle of a batch: the rows of that batch
	// are not applied, and the error says where the import stopped.
	db := &fakeDB{}
	rep, err := run(db, csvimport.Options{BatchSize: 2, MaxRows: 5}, file8)
	assert.Equal(t, "has more than 5 rows (rows up to line 5 were imported)", requireFileError(t, err))
	assert.Equal(t, csvimport.Report{Created: 4, Rejected: []csvimport.Rejection{}}, *rep)
	assert.Equal(t, []int{2, 3, 4, 5}, db.committedLines())

	// Exactly MaxRows rows pass.
	db = &fakeDB{}
	rep, err = run(db, csvimport.Options{BatchSize: 2, MaxRows: 8}, file8)
	require.NoError(t, err)
	assert.Equal(t, 7, rep.Created)
}

func TestImportMalformedMidFile(t *testing.T) {
	db := &fakeDB{}
	file := "keyword,volume\nk2,1\nk3,1\nk4,1\nbare \"quote,1\nk6,1\n"
	rep, err := run(db, csvimport.Options{BatchSize: 2}, file)
	msg := requireFileError(t, err)
	assert.Contains(t, msg, "line 5:")
	assert.Contains(t, msg, "(rows up to line 3 were imported)")
	assert.Equal(t, 2, rep.Created, "the batch holding the malformed line is not applied")
	assert.Equal(t, []int{2, 3}, db.committedLines())
}

// failingReader returns text and then err, like a dropped upload.
type failingReader struct {
	text string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, r.err
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

func TestImportReaderFails(t *testing.T) {
	errNet := errors.New("connection reset")
	db := &fakeDB{}
	rep, err := runReader(db, csvimport.Options{BatchSize: 2}, &failingReader{text: "keyword\na\nb\nc\n", err: errNet})
	require.ErrorIs(t, err, errNet)
	assert.Nil(t, errs.As(err), "not the caller's fault: no validation error")
	assert.Contains(t, err.Error(), "read after line 3")
	assert.Equal(t, 2, rep.Unchanged)
}

func TestImportCancelled(t *testing.T) {
	db := &fakeDB{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := csvimport.Import(ctx, strings.NewReader(file8), format, csvimport.Options{}, db.inTx, parseKW, db.applyKW)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, db.txs)
	assert.Equal(t, csvimport.Report{Rejected: []csvimport.Rejection{}}, *rep)
}

func TestReason(t *testing.T) {
	var v errs.Validation
	v.Add("volume", "must be a whole number")
	v.Add("keyword", "is required")
	v.Add("keyword", "is too short")
	assert.Equal(t, "keyword: is required, is too short; volume: must be a whole number", csvimport.Reason(v.Err()),
		"every problem, sorted by column")
	assert.Equal(t, "plain", csvimport.Reason(errors.New("plain")))
	assert.Equal(t, "", csvimport.Reason(nil))
}

func TestFileError(t *testing.T) {
	err := csvimport.FileError(format, "is broken")
	assert.Equal(t, "is broken", requireFileError(t, err))
	assert.Contains(t, err.Error(), "import test keywords csv: invalid: is broken")
}

func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(csvimport.Report{Created: 1, Rejected: []csvimport.Rejection{{Line: 3, Reason: "not valid UTF-8"}}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"created":1,"updated":0,"unchanged":0,"rejected":[{"line":3,"reason":"not valid UTF-8"}]}`, string(b))
}
