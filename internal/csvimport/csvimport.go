package csvimport

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/igny8/igny8-go/errs"
	"github.com/uptrace/bun"
)

const (
	// DefaultBatchSize rows are committed per transaction: big enough to
	// amortise the round trips, small enough that a batch (and its
	// transaction) stays short and light.
	DefaultBatchSize = 500
	// DefaultMaxRows bounds one file so a runaway upload cannot run for
	// hours. It is a multiple of DefaultBatchSize, so reaching it leaves no
	// half batch.
	DefaultMaxRows = 1_000_000
)

// Format describes the columns of one CSV format.
type Format struct {
	What     string   // e.g. "seed keywords", used in error messages
	Columns  []string // known column names (lower case)
	Required []string // columns the header must have
}

// Report is the outcome of a CSV import. Every data row of the committed
// batches is counted exactly once: created, updated, unchanged or rejected.
type Report struct {
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Rejected  []Rejection `json:"rejected"`
}

// Rejection is a row that was not imported and why.
type Rejection struct {
	// Line is the 1-based line of the file where the row starts (the header
	// is line 1; a quoted field spanning lines counts every line).
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Line is a parsed row and the line it starts on, so apply can reject it
// (or name it in an error) after the fact.
type Line[R any] struct {
	Line int
	Row  R
}

// Options tunes an import; the zero value gives the defaults.
type Options struct {
	BatchSize int // rows per transaction; DefaultBatchSize when ≤ 0
	MaxRows   int // data rows per file; DefaultMaxRows when ≤ 0
}

// TxRunner runs fn in one transaction (e.g. store.InTx on a *bun.DB). It
// may run fn more than once (a retry); only the last run counts.
type TxRunner func(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error

// header maps the known columns to their index in the file's rows.
type header struct {
	index map[string]int
	width int
}

// Row gives a parser access to one record by column name, so formats can
// accept their columns in any order.
type Row struct {
	rec    []string
	header *header
}

// Get returns the raw cell of col and whether the file has that column:
// formats tell "absent" (keep the stored value) from "empty" (the default).
func (r Row) Get(col string) (string, bool) {
	i, ok := r.header.index[col]
	if !ok {
		return "", false
	}
	return r.rec[i], true
}

// Value is the trimmed cell of col ("" when the column is absent), for the
// many columns where absent and empty mean the same.
func (r Row) Value(col string) string {
	v, _ := r.Get(col)
	return strings.TrimSpace(v)
}

// FileError is the error about the file as a whole: Invalid, naming the
// field "file" so API callers see it like any validation error.
func FileError(f Format, msg string) error {
	return fmt.Errorf("csvimport: import %s csv: %w", f.What, errs.Field("file", msg))
}

// Reason turns a validation error into the reason of a rejected row,
// listing every problem (sorted by column, so reasons are stable).
func Reason(err error) string {
	if err == nil {
		return ""
	}
	e := errs.As(err)
	if e == nil || len(e.Fields) == 0 {
		return err.Error()
	}
	parts := make([]string, 0, len(e.Fields))
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		parts = append(parts, field+": "+strings.Join(e.Fields[field], ", "))
	}
	return strings.Join(parts, "; ")
}

// Import reads the header of r, parses the data rows one by one (rejecting
// bad ones with their line) and hands every opts.BatchSize parsed rows to
// apply inside one transaction of inTx. apply counts what each row did in
// rep and may reject rows too (with their Line).
//
// The returned report is never nil and only ever covers committed batches.
// A bad header returns an error and applies nothing; a malformed file, a
// failing apply or transaction, too many rows or a cancelled ctx return an
// error together with the report of the batches committed before.
func Import[R any](
	ctx context.Context, r io.Reader, f Format, opts Options, inTx TxRunner,
	parse func(Row) (R, string),
	apply func(ctx context.Context, tx bun.Tx, batch []Line[R], rep *Report) error,
) (*Report, error) {
	batchSize, maxRows := opts.BatchSize, opts.MaxRows
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}

	report := &Report{Rejected: []Rejection{}}
	cr := newReader(r)
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return report, FileError(f, "is empty: a header row is required")
	}
	if err != nil {
		return report, readError(f, err, 1)
	}
	h, err := parseHeader(f, rec)
	if err != nil {
		return report, err
	}

	var (
		batch         = make([]Line[R], 0, batchSize)
		rejected      []Rejection // rejected by parsing, in the current batch
		rows          int         // data rows read
		firstLine     int         // first line of the current batch
		lastLine      = 1         // line of the last row read
		lastCommitted = 1         // last line of the last committed batch
	)
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("csvimport: import %s csv: %w", f.What, err)
		}
		var part Report
		if len(batch) > 0 {
			err := inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
				part = Report{} // a retried fn must not count the batch twice
				return apply(ctx, tx, batch, &part)
			})
			if err != nil {
				return fmt.Errorf("csvimport: import %s csv: lines %d-%d (%s): %w",
					f.What, firstLine, lastLine, importedSoFar(lastCommitted), err)
			}
		}
		report.Created += part.Created
		report.Updated += part.Updated
		report.Unchanged += part.Unchanged
		merged := append(rejected, part.Rejected...)
		slices.SortStableFunc(merged, func(a, b Rejection) int { return a.Line - b.Line })
		report.Rejected = append(report.Rejected, merged...)
		lastCommitted = lastLine
		batch, rejected = batch[:0], nil
		return nil
	}

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return report, readError(f, err, lastCommitted)
		}
		rows++
		if rows > maxRows {
			return report, FileError(f, fmt.Sprintf("has more than %d rows (%s)", maxRows, importedSoFar(lastCommitted)))
		}
		lastLine, _ = cr.FieldPos(0)
		if (rows-1)%batchSize == 0 {
			firstLine = lastLine
		}
		reason := checkRecord(rec, h.width)
		var row R
		if reason == "" {
			row, reason = parse(Row{rec: rec, header: h})
		}
		if reason != "" {
			rejected = append(rejected, Rejection{Line: lastLine, Reason: reason})
		} else {
			batch = append(batch, Line[R]{Line: lastLine, Row: row})
		}
		if rows%batchSize == 0 {
			if err := flush(); err != nil {
				return report, err
			}
		}
	}
	if err := flush(); err != nil {
		return report, err
	}
	return report, nil
}

// utf8BOM is what Excel and other Windows tools put before "UTF-8" CSV.
const utf8BOM = "\ufeff"

// newReader skips a leading UTF-8 BOM, which would otherwise become part of
// the first column name (and a bare-quote error if that name is quoted), and
// returns a reader that keeps one record in memory at a time.
func newReader(r io.Reader) *csv.Reader {
	br := bufio.NewReader(r)
	// A Peek error (a file shorter than the BOM) is seen again by the csv
	// reader, which reads from br.
	if b, _ := br.Peek(len(utf8BOM)); bytes.Equal(b, []byte(utf8BOM)) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	// Rows of the wrong width are rejected one by one (with a reason) rather
	// than failing the whole file, so the reader must not enforce the width.
	cr.FieldsPerRecord = -1
	return cr
}

// importedSoFar tells the operator which part of a failed file is in the
// database, so they know the rest must be imported again.
func importedSoFar(lastCommitted int) string {
	if lastCommitted <= 1 {
		return "nothing was imported"
	}
	return fmt.Sprintf("rows up to line %d were imported", lastCommitted)
}

// readError turns an error of the csv reader into the error returned by an
// import: a structural problem names the line, anything else (the
// underlying reader failing) is passed on with context.
func readError(f Format, err error, lastCommitted int) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return FileError(f, fmt.Sprintf("line %d: %v (%s)", pe.Line, pe.Err, importedSoFar(lastCommitted)))
	}
	return fmt.Errorf("csvimport: import %s csv: read after line %d: %w", f.What, lastCommitted, err)
}

// parseHeader checks the header row against the format: names are trimmed
// and case-insensitive, order is free, unknown, duplicate and missing
// required columns are errors (a misspelt column would otherwise be
// silently ignored).
func parseHeader(f Format, rec []string) (*header, error) {
	h := &header{index: make(map[string]int, len(rec)), width: len(rec)}
	var unknown, dup []string
	for i, raw := range rec {
		if !utf8.ValidString(raw) {
			return nil, FileError(f, "line 1: the header is not valid UTF-8")
		}
		name := strings.ToLower(strings.TrimSpace(raw))
		switch _, seen := h.index[name]; {
		case !slices.Contains(f.Columns, name):
			unknown = append(unknown, strconv.Quote(strings.TrimSpace(raw)))
		case seen:
			dup = append(dup, name)
		default:
			h.index[name] = i
		}
	}
	if len(rec) == 1 && len(unknown) == 1 {
		if msg := wrongDelimiter(rec[0]); msg != "" {
			return nil, FileError(f, msg)
		}
	}
	if len(unknown) > 0 {
		return nil, FileError(f, fmt.Sprintf("unknown column(s) %s; the columns are %s",
			strings.Join(unknown, ", "), strings.Join(f.Columns, ", ")))
	}
	if len(dup) > 0 {
		return nil, FileError(f, "duplicate column(s) "+strings.Join(dup, ", "))
	}
	var missing []string
	for _, col := range f.Required {
		if _, ok := h.index[col]; !ok {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		return nil, FileError(f, "missing required column(s) "+strings.Join(missing, ", "))
	}
	return h, nil
}

// maxQuotedHeader bounds how much of a one-column header an error repeats:
// with the wrong delimiter that column is the whole first line.
const maxQuotedHeader = 80

// wrongDelimiter explains a one-column header that holds ';' or tabs: a
// file saved with another delimiter (Excel in many European locales writes
// ';', "CSV" exports from other tools use tabs) would otherwise be reported
// as one unknown column, which does not tell the operator what to fix.
func wrongDelimiter(col string) string {
	semicolons, tabs := strings.Count(col, ";"), strings.Count(col, "\t")
	if semicolons == 0 && tabs == 0 {
		return ""
	}
	delim := "';'"
	if tabs > semicolons {
		delim = "tabs"
	}
	shown := strings.TrimSpace(col)
	if utf8.RuneCountInString(shown) > maxQuotedHeader {
		shown = string([]rune(shown)[:maxQuotedHeader]) + "…"
	}
	return fmt.Sprintf("line 1: the header has one column %s; the file seems to use %s between columns — use commas",
		strconv.Quote(shown), delim)
}

// checkRecord applies the checks every format shares. A NUL is refused
// here because PostgreSQL cannot store it in text: letting it through would
// fail the whole batch instead of one row.
func checkRecord(rec []string, width int) string {
	if len(rec) != width {
		return fmt.Sprintf("has %d columns, the header has %d", len(rec), width)
	}
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return "not valid UTF-8"
		}
		if strings.IndexByte(f, 0) >= 0 {
			return "contains a NUL character"
		}
	}
	return ""
}
