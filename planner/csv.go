package planner

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/csvimport"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// CSVReport is the outcome of a keyword import: rows created, and rows
// rejected with their line and reason (bad values, duplicates inside the
// file or against the sector, the plan's limit).
type CSVReport = csvimport.Report

// CSVRejection is one rejected row of an import.
type CSVRejection = csvimport.Rejection

// ImportTarget is the site and sector a CSV file's keywords go into.
type ImportTarget struct {
	SiteID   int64 `json:"site_id"`
	SectorID int64 `json:"sector_id"`
}

// The keyword CSV columns: import reads them (keyword required, the rest
// optional and in any order); export writes them and a few read-only ones.
const (
	colKeyword    = "keyword"
	colVolume     = "volume"
	colDifficulty = "difficulty"
	colIntent     = "intent"
	colCluster    = "cluster"
)

// exportOnly are the read-only columns an export adds; import accepts and
// ignores them so an exported file can be imported into another sector.
var exportOnly = []string{"status", "seed_keyword_id", "id", "created_at"}

var keywordCSV = csvimport.Format{
	What:     "keywords",
	Columns:  append([]string{colKeyword, colVolume, colDifficulty, colIntent, colCluster}, exportOnly...),
	Required: []string{colKeyword},
}

// importBatch is the number of rows committed per transaction: each batch
// takes the account's keyword lock once, so bigger batches mean fewer
// limit checks, smaller ones shorter lock holds.
const importBatch = 5000

// keywordCSVRow is one valid row of the file.
type keywordCSVRow struct {
	keyword, norm      string
	volume, difficulty int
	intent             tenancy.Intent
	cluster            string
}

func parseKeywordCSVRow(r csvimport.Row) (keywordCSVRow, string) {
	var v errs.Validation
	out := keywordCSVRow{intent: tenancy.IntentInformational}
	out.keyword = text(&v, colKeyword, csvUnsafe(r.Value(colKeyword)), maxKeywordLen, true)
	out.norm = Normalize(out.keyword)
	out.volume = csvInt(&v, colVolume, r.Value(colVolume), 0, 1<<31-1)
	out.difficulty = csvInt(&v, colDifficulty, r.Value(colDifficulty), 0, 100)
	if raw := strings.ToLower(r.Value(colIntent)); raw != "" {
		out.intent = tenancy.Intent(raw)
		v.Check(out.intent.Valid(), colIntent, "must be informational, commercial, transactional or navigational")
	}
	out.cluster = text(&v, colCluster, csvUnsafe(r.Value(colCluster)), maxNameLen, false)
	if err := v.Err(); err != nil {
		return out, csvimport.Reason(err)
	}
	return out, ""
}

// csvInt parses an optional whole number in [lo, hi]; "1,200" and "1200.0"
// (spreadsheet formatting) are accepted.
func csvInt(v *errs.Validation, field, raw string, lo, hi int) int {
	if raw == "" {
		return 0
	}
	raw = strings.ReplaceAll(raw, ",", "")
	raw = strings.TrimSuffix(raw, ".0")
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		v.Add(field, fmt.Sprintf("%q is not a whole number", raw))
	case n < lo || n > hi:
		v.Add(field, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
	return n
}

// ImportKeywordsCSV streams a CSV file of keywords into one sector of a
// site: columns keyword (required), volume, difficulty, intent and cluster
// (a cluster name of the sector, created when missing). Rows are committed
// in batches, so memory stays flat whatever the file's size; bad rows,
// duplicates (inside the file or already in the sector) and rows beyond the
// plan's max_keywords are rejected with their line and reason while the
// rest are imported. Imported keywords are the account's own: they never
// enter the global library.
func (s *Service) ImportKeywordsCSV(ctx context.Context, t tenancy.Tenant, target ImportTarget, r io.Reader) (*CSVReport, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	v.Check(target.SiteID > 0, "site_id", "is required")
	v.Check(target.SectorID > 0, "sector_id", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if _, _, err := tenancy.ResolveSiteSector(ctx, s.db, t, target.SiteID, target.SectorID); err != nil {
		return nil, err
	}
	firstLine := map[string]int{} // normalised keyword → line it was first seen on
	// careful is set once a batch met a keyword already in the sector: a
	// file that repeats stored keywords usually repeats many, so the later
	// batches check before loading rather than load and roll back.
	careful := false
	// Each batch runs in its own transaction with a COPY-capable copier
	// (PostgreSQL); apply reads the current batch's copier.
	var copier store.Copier
	inTx := func(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
		return store.InTxWithCopy(ctx, s.db, func(ctx context.Context, tx bun.Tx, c store.Copier) error {
			copier = c
			return fn(ctx, tx)
		})
	}
	apply := func(ctx context.Context, tx bun.Tx, batch []csvimport.Line[keywordCSVRow], rep *csvimport.Report) error {
		if _, _, err := tenancy.ResolveSiteSector(ctx, tx, t, target.SiteID, target.SectorID); err != nil {
			return err
		}
		rows := make([]Keyword, 0, len(batch))
		lines := make([]int, 0, len(batch))
		clusterOf := make([]string, 0, len(batch)) // normalised cluster name per row
		names := map[string]string{}
		for _, l := range batch {
			if first, dup := firstLine[l.Row.norm]; dup {
				rep.Rejected = append(rep.Rejected, CSVRejection{Line: l.Line, Reason: fmt.Sprintf("duplicate of line %d", first)})
				continue
			}
			firstLine[l.Row.norm] = l.Line
			if l.Row.cluster != "" {
				names[Normalize(l.Row.cluster)] = l.Row.cluster
			}
			rows = append(rows, Keyword{
				SiteSectorScoped: tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, SiteID: target.SiteID, SectorID: target.SectorID},
				Keyword:          l.Row.keyword, Norm: l.Row.norm, Volume: l.Row.volume, Difficulty: l.Row.difficulty,
				Intent: l.Row.intent, AttributeValues: []byte("[]"), Status: KeywordNew,
			})
			lines = append(lines, l.Line)
			clusterOf = append(clusterOf, Normalize(l.Row.cluster))
		}
		clusters, created, err := ensureClusters(ctx, tx, t, target, names)
		if err != nil {
			return err
		}
		var touched []int64
		for i := range rows {
			if c := clusters[clusterOf[i]]; c != 0 {
				rows[i].ClusterID, rows[i].Status = &c, KeywordMapped
				touched = append(touched, c)
			}
		}
		out, err := loadKeywords(ctx, tx, t, rows, copier, &careful)
		if err != nil {
			return err
		}
		for i, o := range out.outcome {
			switch o {
			case addedRow:
				rep.Created++
			case duplicateRow:
				rep.Rejected = append(rep.Rejected, CSVRejection{Line: lines[i], Reason: "already a keyword of this sector"})
			case overQuota:
				rep.Rejected = append(rep.Rejected, CSVRejection{Line: lines[i],
					Reason: fmt.Sprintf("over the plan's limit of %d keywords", out.plan.MaxKeywords)})
			}
		}
		if err := refreshClusters(ctx, tx, t, touched); err != nil {
			return err
		}
		return dropEmpty(ctx, tx, t, created)
	}
	rep, err := csvimport.Import(ctx, r, keywordCSV, csvimport.Options{BatchSize: importBatch}, inTx, parseKeywordCSVRow, apply)
	if err != nil {
		return rep, fmt.Errorf("planner: %w", err)
	}
	return rep, nil
}

// loadKeywords is addKeywords for one batch of an import, whose rows have
// distinct texts. On PostgreSQL, when the plan has room for every row and
// no earlier batch met a stored keyword (*careful unset), it COPYs the
// batch at once inside a savepoint and lets the unique index find the
// duplicates: files mostly bring new keywords, and looking every text up
// first costs about a third of the load itself. A batch that does repeat a
// live keyword of the sector is rolled back to the savepoint and loaded
// the way addKeywords does (the existing texts looked up under the
// account's lock, the plan's room filled in file order), so the outcome of
// every row is the same either way; *careful is then set for the rest of
// the file.
func loadKeywords(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword, copier store.Copier, careful *bool) (*addResult, error) {
	if copier == nil {
		// SQLite: addKeywords' INSERT … ON CONFLICT checks and inserts at once.
		return addKeywords(ctx, tx, t, rows)
	}
	res, room, err := startAdd(ctx, tx, t, rows)
	if err != nil || len(rows) == 0 {
		return res, err
	}
	candidates := make([]int, len(rows))
	for i := range candidates {
		candidates[i] = i
	}
	if !*careful && len(rows) <= room {
		err := store.InTx(ctx, tx, func(ctx context.Context, _ bun.Tx) error {
			return copyKeywords(ctx, copier, rows, candidates, res)
		})
		if !isStoredKeyword(err) {
			return res, err
		}
		*careful = true
	}
	if candidates, err = keepRoom(ctx, tx, t, rows, candidates, room, res); err != nil {
		return nil, err
	}
	if len(candidates) == 0 {
		return res, nil
	}
	return res, copyKeywords(ctx, copier, rows, candidates, res)
}

// isStoredKeyword tells whether err is the violation of the unique index
// over the live keywords' texts of a sector.
func isStoredKeyword(err error) bool {
	return store.ViolatesConstraint(err, "igny8_keywords_keyword_unique")
}

// ensureClusters returns the ids of the named clusters of the target
// sector (keyed by normalised name), creating the missing ones, and which
// it created.
func ensureClusters(ctx context.Context, tx bun.Tx, t tenancy.Tenant, target ImportTarget, names map[string]string) (map[string]int64, []int64, error) {
	ids := make(map[string]int64, len(names))
	var created []int64
	if len(names) == 0 {
		return ids, nil, nil
	}
	norms := make([]string, 0, len(names))
	for n := range names {
		norms = append(norms, n)
	}
	var found []Cluster
	q, err := scoped(tx, &found, t)
	if err != nil {
		return nil, nil, err
	}
	err = store.ForUpdate(q.Column("id", "name_norm").Where("?TableAlias.site_id = ?", target.SiteID).Where("?TableAlias.sector_id = ?", target.SectorID).
		Where("?TableAlias.name_norm IN (?)", bun.In(norms)).OrderExpr("?TableAlias.id")).Scan(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("planner: find clusters: %w", err)
	}
	for _, c := range found {
		ids[c.Norm] = c.ID
	}
	for norm, name := range names {
		if ids[norm] != 0 {
			continue
		}
		c := newCluster(t, target.SiteID, target.SectorID, name, "")
		if err := insertCluster(ctx, tx, c); err != nil {
			return nil, nil, err
		}
		ids[norm] = c.ID
		created = append(created, c.ID)
	}
	return ids, created, nil
}

// dropEmpty removes clusters this batch created that got no keyword (every
// row naming them was rejected): an import must not leave clusters behind
// for rows it did not import.
func dropEmpty(ctx context.Context, tx bun.Tx, t tenancy.Tenant, created []int64) error {
	if len(created) == 0 {
		return nil
	}
	q, err := tenancy.ScopeAccount(tx.NewDelete().Model((*Cluster)(nil)).ForceDelete(), t)
	if err != nil {
		return err
	}
	if _, err := q.Where("?TableAlias.id IN (?)", bun.In(created)).Where("?TableAlias.keywords_count = 0").Exec(ctx); err != nil {
		return fmt.Errorf("planner: drop empty clusters: %w", err)
	}
	return nil
}

// exportRow is a keyword with its cluster's name, for the CSV export.
type exportRow struct {
	Keyword     `bun:",extend"`
	ClusterName *string `bun:"cluster_name"`
}

// ExportKeywordsCSV writes the keywords t may see that match lq's filters
// and search, in lq's order (all pages), as CSV: the import columns first,
// so an export can be imported again, then status, seed_keyword_id, id and
// created_at. Rows stream from the database to w.
func (s *Service) ExportKeywordsCSV(ctx context.Context, t tenancy.Tenant, lq store.ListQuery, w io.Writer) error {
	if err := requireRead(t); err != nil {
		return err
	}
	q, err := scoped(s.db, (*exportRow)(nil), t)
	if err != nil {
		return err
	}
	q = lq.Order(lq.Where(q.ColumnExpr("?TableAlias.*").
		ColumnExpr("(SELECT c.name FROM igny8_clusters AS c WHERE c.id = ?TableAlias.cluster_id AND c.deleted_at IS NULL) AS cluster_name")))
	rows, err := q.Rows(ctx)
	if err != nil {
		return fmt.Errorf("planner: export keywords: %w", err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{colKeyword, colVolume, colDifficulty, colIntent, colCluster}, exportOnly...)); err != nil {
		return fmt.Errorf("planner: export keywords: %w", err)
	}
	n := 0
	for rows.Next() {
		var r exportRow
		if err := s.db.ScanRow(ctx, rows, &r); err != nil {
			return fmt.Errorf("planner: export keywords: %w", err)
		}
		seed := ""
		if r.SeedKeywordID != nil {
			seed = strconv.FormatInt(*r.SeedKeywordID, 10)
		}
		rec := []string{csvSafe(r.Keyword.Keyword), strconv.Itoa(r.Volume), strconv.Itoa(r.Difficulty), string(r.Intent),
			csvSafe(deref(r.ClusterName, "")), string(r.Status), seed, strconv.FormatInt(r.ID, 10), r.CreatedAt.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("planner: export keywords: %w", err)
		}
		if n++; n%1000 == 0 {
			if cw.Flush(); cw.Error() != nil {
				return fmt.Errorf("planner: export keywords: %w", cw.Error())
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("planner: export keywords: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formulas: a cell starting with = + - or @
// would run as a formula when the export is opened in Excel or Sheets
// (CSV injection), so it gets a leading apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// formulaStart are the first characters spreadsheets read as a formula.
const formulaStart = "=+-@\t\r"

// csvUnsafe undoes csvSafe, so an export imports back to the same text.
func csvUnsafe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStart, rune(s[1])) {
		return s[1:]
	}
	return s
}
