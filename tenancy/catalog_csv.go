package tenancy

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/csvimport"
	"github.com/uptrace/bun"
)

// CSV admin utilities for the global catalogue: operators maintain the
// industry templates and the seed-keyword library as spreadsheets. Like
// CreateIndustry they take no Tenant; the caller is a trusted operator.
//
// Imports stream through internal/csvimport: one transaction per batch, and
// a failure part-way leaves the earlier batches committed (the returned
// report covers exactly those). Re-importing a file is therefore made
// idempotent here: rows are upserted on their natural key and rows that
// change nothing are counted as unchanged.

const (
	// csvExportPage rows are read per query by the exports (keyset pages).
	csvExportPage = 1000
	// maxKeywordLen is the longest library keyword, in characters.
	maxKeywordLen = 255
)

// Column names of the two CSV formats.
const (
	colIndustry     = "industry"
	colIndustrySlug = "industry_slug"
	colSector       = "sector"
	colSectorSlug   = "sector_slug"
	colDescription  = "description"
	colKeyword      = "keyword"
	colVolume       = "volume"
	colDifficulty   = "difficulty"
	colIntent       = "intent"
)

// CSVReport is the outcome of a CSV import. Every data row of the committed
// batches is counted exactly once: created, updated, unchanged or rejected.
type CSVReport = csvimport.Report

// CSVRejection is a row that was not imported and why; Line is the 1-based
// line of the file where the row starts (the header is line 1).
type CSVRejection = csvimport.Rejection

// The formats double as the exports' header rows (Columns, in export order),
// so an export always re-imports.
func industriesCSVFormat() csvimport.Format {
	return csvimport.Format{
		What:     "industries",
		Columns:  []string{colIndustry, colIndustrySlug, colSector, colSectorSlug, colDescription},
		Required: []string{colIndustry},
	}
}

func seedKeywordsCSVFormat() csvimport.Format {
	return csvimport.Format{
		What:     "seed keywords",
		Columns:  []string{colKeyword, colIndustry, colSector, colVolume, colDifficulty, colIntent},
		Required: []string{colKeyword, colIndustry, colSector},
	}
}

// ImportIndustriesCSV upserts industries and their sector templates from a
// CSV file with the columns industry (required), industry_slug, sector,
// sector_slug and description, in any order. Industries are matched by slug
// (default Slugify(industry)) and sector templates by (industry, slug); the
// description applies to the sector when the row names one, else to the
// industry. A column missing from the header leaves that value of existing
// rows alone.
//
// Bad rows are rejected in the report while the others are imported. A bad
// header returns an error and writes nothing; a malformed file or a database
// failure returns an error together with the report of the batches already
// committed.
func (s *Service) ImportIndustriesCSV(ctx context.Context, r io.Reader) (*CSVReport, error) {
	return csvimport.Import(ctx, r, industriesCSVFormat(), csvimport.Options{}, s.inTx, parseIndustryCSVRow, s.applyIndustryBatch)
}

// ImportSeedKeywordsCSV upserts seed keywords from a CSV file with the
// columns keyword, industry (slug or name), sector (slug or name within the
// industry), volume (≥ 0, default 0), difficulty (0–100, default 0) and
// intent (default informational), in any order. Keywords are normalised
// (NormalizeKeyword) and matched on (industry sector, keyword); existing ones
// get volume, difficulty and intent updated. An empty cell means the default;
// a column missing from the header keeps the stored value of existing
// keywords. Errors are reported as for ImportIndustriesCSV.
func (s *Service) ImportSeedKeywordsCSV(ctx context.Context, r io.Reader) (*CSVReport, error) {
	return csvimport.Import(ctx, r, seedKeywordsCSVFormat(), csvimport.Options{}, s.inTx, parseSeedKeywordCSVRow, s.applySeedKeywordBatch)
}

// slugOrDerived returns the slug given in a row, checked, or the one derived
// from name when the cell is empty.
func slugOrDerived(v *errs.Validation, field, given, name string) string {
	if given != "" {
		checkSlug(v, field, given)
		return given
	}
	if name == "" {
		return "" // the name is already reported as missing
	}
	slug := Slugify(name)
	if slug == "" {
		v.Add(field, "is required when the name has no letters or digits")
	}
	return slug
}

// ---------------------------------------------------------------------------
// Industries

// industryCSVRow is one valid row of the industries format.
type industryCSVRow struct {
	name, slug             string
	sectorName, sectorSlug string // empty: the row is about the industry only
	description            string
	hasDescription         bool // the file has the description column
}

func parseIndustryCSVRow(r csvimport.Row) (industryCSVRow, string) {
	var v errs.Validation
	var out industryCSVRow
	out.name = requireName(&v, colIndustry, r.Value(colIndustry))
	out.slug = slugOrDerived(&v, colIndustrySlug, r.Value(colIndustrySlug), out.name)
	sector, sectorSlug := r.Value(colSector), r.Value(colSectorSlug)
	if sector != "" || sectorSlug != "" {
		out.sectorName = requireName(&v, colSector, sector)
		out.sectorSlug = slugOrDerived(&v, colSectorSlug, sectorSlug, out.sectorName)
	}
	desc, ok := r.Get(colDescription)
	out.description, out.hasDescription = strings.TrimSpace(desc), ok
	if err := v.Err(); err != nil {
		return out, csvimport.Reason(err)
	}
	return out, ""
}

// sectorKey identifies a sector template: unique (industry_id, slug).
type sectorKey struct {
	industryID int64
	slug       string
}

// industryBatch is the state of the catalogue as the rows of one batch are
// applied in file order: the industries and sectors the batch can touch are
// loaded once, then each row is compared with (and applied to) this state.
// That gives duplicates the "later row wins" rule and counts each row as if
// the file were applied row by row.
type industryBatch struct {
	tx      bun.Tx
	now     time.Time
	bySlug  map[string]*Industry
	byName  map[string]string // industry name → slug, for the unique name
	sectors map[sectorKey]*IndustrySector
}

func (s *Service) applyIndustryBatch(ctx context.Context, tx bun.Tx, batch []csvimport.Line[industryCSVRow], rep *CSVReport) error {
	b := &industryBatch{
		tx: tx, now: s.now(),
		bySlug: map[string]*Industry{}, byName: map[string]string{}, sectors: map[sectorKey]*IndustrySector{},
	}
	if err := b.load(ctx, batch); err != nil {
		return err
	}
	for _, l := range batch {
		outcome, reason, err := b.apply(ctx, l.Row)
		if err != nil {
			return fmt.Errorf("line %d: %w", l.Line, err)
		}
		switch outcome {
		case csvCreated:
			rep.Created++
		case csvUpdated:
			rep.Updated++
		case csvUnchanged:
			rep.Unchanged++
		default:
			rep.Rejected = append(rep.Rejected, CSVRejection{Line: l.Line, Reason: reason})
		}
	}
	return nil
}

// load reads every industry the batch names by slug or by name (names are
// unique too, so a row may collide with another slug's industry) and all
// their sector templates.
func (b *industryBatch) load(ctx context.Context, batch []csvimport.Line[industryCSVRow]) error {
	slugs := make([]string, 0, len(batch))
	names := make([]string, 0, len(batch))
	for _, l := range batch {
		slugs = append(slugs, l.Row.slug)
		names = append(names, l.Row.name)
	}
	var industries []Industry
	if err := b.tx.NewSelect().Model(&industries).
		Where("(?TableAlias.slug IN (?) OR ?TableAlias.name IN (?))", bun.List(slugs), bun.List(names)).
		Scan(ctx); err != nil {
		return fmt.Errorf("load industries: %w", err)
	}
	if len(industries) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(industries))
	for i := range industries {
		ind := &industries[i]
		b.bySlug[ind.Slug] = ind
		b.byName[ind.Name] = ind.Slug
		ids = append(ids, ind.ID)
	}
	var sectors []IndustrySector
	if err := b.tx.NewSelect().Model(&sectors).Where("?TableAlias.industry_id IN (?)", bun.List(ids)).
		Scan(ctx); err != nil {
		return fmt.Errorf("load industry sectors: %w", err)
	}
	for i := range sectors {
		sec := &sectors[i]
		b.sectors[sectorKey{sec.IndustryID, sec.Slug}] = sec
	}
	return nil
}

// csvOutcome is what one row did.
type csvOutcome int

const (
	csvRejected csvOutcome = iota
	csvCreated
	csvUpdated
	csvUnchanged
)

// apply upserts the industry of one row, then its sector template. A row is
// "created" when the thing it describes (the sector if it names one, else the
// industry) is new, "updated" when it changed anything. Writes happen row by
// row so the database always matches the in-memory state, which keeps a
// rename that frees a name for a later row from ever tripping the unique
// index on industry names.
func (b *industryBatch) apply(ctx context.Context, row industryCSVRow) (csvOutcome, string, error) {
	ind := b.bySlug[row.slug]
	if owner, taken := b.byName[row.name]; taken && owner != row.slug {
		return csvRejected, fmt.Sprintf("industry: the name %q is already used by the industry %q", row.name, owner), nil
	}
	created, updated := false, false
	ownDescription := row.hasDescription && row.sectorSlug == ""
	if ind == nil {
		ind = &Industry{Name: row.name, Slug: row.slug, IsActive: true}
		if ownDescription {
			ind.Description = row.description
		}
		ind.CreatedAt, ind.UpdatedAt = b.now, b.now
		if _, err := b.tx.NewInsert().Model(ind).Returning("*").Exec(ctx); err != nil {
			return csvRejected, "", fmt.Errorf("create industry %q: %w", row.slug, err)
		}
		b.bySlug[ind.Slug] = ind
		b.byName[ind.Name] = ind.Slug
		// Whatever the row describes is new: a new industry has no sectors.
		created = true
	} else {
		name, desc := row.name, ind.Description
		if ownDescription {
			desc = row.description
		}
		if name != ind.Name || desc != ind.Description {
			delete(b.byName, ind.Name)
			ind.Name, ind.Description = name, desc
			b.byName[ind.Name] = ind.Slug
			if _, err := b.tx.NewUpdate().Model(ind).Column("name", "description", "updated_at").WherePK().
				Exec(ctx); err != nil {
				return csvRejected, "", fmt.Errorf("update industry %q: %w", row.slug, err)
			}
			updated = true
		}
	}

	if row.sectorSlug != "" {
		key := sectorKey{ind.ID, row.sectorSlug}
		sec := b.sectors[key]
		if sec == nil {
			sec = &IndustrySector{IndustryID: ind.ID, Name: row.sectorName, Slug: row.sectorSlug, IsActive: true}
			if row.hasDescription {
				sec.Description = row.description
			}
			sec.CreatedAt, sec.UpdatedAt = b.now, b.now
			if _, err := b.tx.NewInsert().Model(sec).Returning("*").Exec(ctx); err != nil {
				return csvRejected, "", fmt.Errorf("create sector %q of industry %q: %w", row.sectorSlug, row.slug, err)
			}
			b.sectors[key] = sec
			created = true
		} else {
			desc := sec.Description
			if row.hasDescription {
				desc = row.description
			}
			if row.sectorName != sec.Name || desc != sec.Description {
				sec.Name, sec.Description = row.sectorName, desc
				if _, err := b.tx.NewUpdate().Model(sec).Column("name", "description", "updated_at").WherePK().
					Exec(ctx); err != nil {
					return csvRejected, "", fmt.Errorf("update sector %q of industry %q: %w", row.sectorSlug, row.slug, err)
				}
				updated = true
			}
		}
	}
	switch {
	case created:
		return csvCreated, "", nil
	case updated:
		return csvUpdated, "", nil
	}
	return csvUnchanged, "", nil
}

// ---------------------------------------------------------------------------
// Seed keywords

// seedCSVRow is one valid row of the seed-keywords format. The has* flags
// say whether the file has the column: without it, existing keywords keep
// their value.
type seedCSVRow struct {
	industry, sector, keyword           string
	volume, difficulty                  int
	intent                              Intent
	hasVolume, hasDifficulty, hasIntent bool
}

// csvInt parses an optional integer cell (empty means 0) within [lo, hi].
func csvInt(v *errs.Validation, field, raw string, lo, hi int) int {
	if raw == "" {
		return 0
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		v.Add(field, "must be a whole number")
	case n < lo || n > hi:
		v.Add(field, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
	return n
}

func parseSeedKeywordCSVRow(r csvimport.Row) (seedCSVRow, string) {
	var v errs.Validation
	var out seedCSVRow
	out.keyword = NormalizeKeyword(r.Value(colKeyword))
	switch {
	case out.keyword == "":
		v.Add(colKeyword, "is required")
	case utf8.RuneCountInString(out.keyword) > maxKeywordLen:
		v.Add(colKeyword, "must be at most 255 characters")
	case strings.ContainsFunc(out.keyword, unicode.IsControl):
		v.Add(colKeyword, "must not contain control characters")
	}
	out.industry = requireName(&v, colIndustry, r.Value(colIndustry))
	out.sector = requireName(&v, colSector, r.Value(colSector))

	var raw string
	raw, out.hasVolume = r.Get(colVolume)
	// volume is an integer column in PostgreSQL; a larger value would fail
	// the whole batch, so it is a row error here.
	out.volume = csvInt(&v, colVolume, strings.TrimSpace(raw), 0, math.MaxInt32)
	raw, out.hasDifficulty = r.Get(colDifficulty)
	out.difficulty = csvInt(&v, colDifficulty, strings.TrimSpace(raw), 0, 100)
	raw, out.hasIntent = r.Get(colIntent)
	out.intent = Intent(strings.ToLower(strings.TrimSpace(raw)))
	if out.intent == "" {
		out.intent = IntentInformational
	}
	v.Check(out.intent.Valid(), colIntent, "must be informational, commercial, transactional or navigational")
	if err := v.Err(); err != nil {
		return out, csvimport.Reason(err)
	}
	return out, ""
}

// seedKey is the natural key of a seed keyword: unique (industry_sector_id, keyword).
type seedKey struct {
	sectorID int64
	keyword  string
}

// seedState is one keyword as the batch is applied: stored is what the
// database holds (nil for a new keyword), cur what the batch wants, queued
// whether it is already in the write list (a key may appear there only
// once: PostgreSQL refuses an upsert that touches a row twice).
type seedState struct {
	stored *SeedKeyword
	cur    SeedKeyword
	queued bool
}

func (st *seedState) dirty() bool {
	return st.stored == nil || st.cur.Volume != st.stored.Volume ||
		st.cur.Difficulty != st.stored.Difficulty || st.cur.Intent != st.stored.Intent
}

// applySeedKeywordBatch resolves the industry and sector of every row,
// loads the keywords of the batch that already exist with one query, applies
// the rows in file order in memory (later duplicates win, counts are exact)
// and writes the keywords that end up different with one upsert.
func (s *Service) applySeedKeywordBatch(ctx context.Context, tx bun.Tx, batch []csvimport.Line[seedCSVRow], rep *CSVReport) error {
	res, err := loadCatalogResolver(ctx, tx, batch)
	if err != nil {
		return err
	}
	type target struct {
		line   int
		row    *seedCSVRow
		sector *IndustrySector
	}
	targets := make([]target, 0, len(batch))
	for i := range batch {
		l := &batch[i]
		ind := res.industry(l.Row.industry)
		if ind == nil {
			rep.Rejected = append(rep.Rejected, CSVRejection{Line: l.Line,
				Reason: fmt.Sprintf("industry: unknown industry %q", l.Row.industry)})
			continue
		}
		sec := res.sector(ind.ID, l.Row.sector)
		if sec == nil {
			rep.Rejected = append(rep.Rejected, CSVRejection{Line: l.Line,
				Reason: fmt.Sprintf("sector: unknown sector %q in industry %q", l.Row.sector, ind.Slug)})
			continue
		}
		targets = append(targets, target{line: l.Line, row: &l.Row, sector: sec})
	}
	if len(targets) == 0 {
		return nil
	}

	keys := make([]seedKey, 0, len(targets))
	for _, t := range targets {
		keys = append(keys, seedKey{t.sector.ID, t.row.keyword})
	}
	state, err := loadSeedKeywords(ctx, tx, keys)
	if err != nil {
		return err
	}
	var order []seedKey // keywords to write, in the order the file first names them
	for _, t := range targets {
		key := seedKey{t.sector.ID, t.row.keyword}
		st := state[key]
		if st == nil {
			st = &seedState{queued: true, cur: SeedKeyword{
				IndustryID: t.sector.IndustryID, IndustrySectorID: t.sector.ID, Keyword: t.row.keyword,
				Volume: t.row.volume, Difficulty: t.row.difficulty, Intent: t.row.intent, IsActive: true,
			}}
			state[key] = st
			order = append(order, key)
			rep.Created++
			continue
		}
		next := st.cur
		if t.row.hasVolume {
			next.Volume = t.row.volume
		}
		if t.row.hasDifficulty {
			next.Difficulty = t.row.difficulty
		}
		if t.row.hasIntent {
			next.Intent = t.row.intent
		}
		if next.Volume == st.cur.Volume && next.Difficulty == st.cur.Difficulty && next.Intent == st.cur.Intent {
			rep.Unchanged++
			continue
		}
		if !st.queued {
			st.queued = true
			order = append(order, key)
		}
		st.cur = next
		rep.Updated++
	}

	now := s.now()
	rows := make([]SeedKeyword, 0, len(order))
	for _, key := range order {
		st := state[key]
		if !st.dirty() {
			continue // changed and changed back within the batch
		}
		row := st.cur
		// The id is left to the database: for a stored keyword the conflict
		// on (industry_sector_id, keyword) turns the insert into its update.
		row.ID = 0
		row.UpdatedAt = now
		if st.stored == nil {
			row.CreatedAt = now
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).
		On("CONFLICT (industry_sector_id, keyword) DO UPDATE").
		Set("volume = EXCLUDED.volume").
		Set("difficulty = EXCLUDED.difficulty").
		Set("intent = EXCLUDED.intent").
		Set("updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("upsert seed keywords: %w", err)
	}
	return nil
}

// loadSeedKeywords reads the stored keywords among keys with one query. The
// row-value IN takes a VALUES list because SQLite accepts only a subquery on
// the right of a row-value IN; PostgreSQL accepts the same text.
func loadSeedKeywords(ctx context.Context, tx bun.Tx, keys []seedKey) (map[seedKey]*seedState, error) {
	seen := make(map[seedKey]bool, len(keys))
	args := make([]any, 0, 2*len(keys))
	for _, key := range keys {
		if !seen[key] {
			seen[key] = true
			args = append(args, key.sectorID, key.keyword)
		}
	}
	state := make(map[seedKey]*seedState, len(seen))
	if len(args) == 0 {
		return state, nil
	}
	values := strings.TrimSuffix(strings.Repeat("(?, ?), ", len(args)/2), ", ")
	var stored []SeedKeyword
	if err := tx.NewSelect().Model(&stored).
		Where("(?TableAlias.industry_sector_id, ?TableAlias.keyword) IN (VALUES "+values+")", args...).
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("load seed keywords: %w", err)
	}
	for i := range stored {
		k := &stored[i]
		state[seedKey{k.IndustrySectorID, k.Keyword}] = &seedState{stored: k, cur: *k}
	}
	return state, nil
}

// catalogResolver finds the industries and sector templates named in a
// keyword file by slug or by name.
type catalogResolver struct {
	industriesBySlug map[string]*Industry
	industriesByName map[string]*Industry
	sectors          map[int64][]IndustrySector // by industry id, in id order
}

// loadCatalogResolver loads, with two queries, the industries a batch names
// and all their sector templates (a handful per industry).
func loadCatalogResolver(ctx context.Context, tx bun.Tx, batch []csvimport.Line[seedCSVRow]) (*catalogResolver, error) {
	res := &catalogResolver{
		industriesBySlug: map[string]*Industry{}, industriesByName: map[string]*Industry{},
		sectors: map[int64][]IndustrySector{},
	}
	seen := map[string]bool{}
	var keys, slugs []string
	for _, l := range batch {
		if k := l.Row.industry; !seen[k] {
			seen[k] = true
			keys = append(keys, k)
			slugs = append(slugs, strings.ToLower(k))
		}
	}
	if len(keys) == 0 {
		return res, nil
	}
	var industries []Industry
	if err := tx.NewSelect().Model(&industries).
		Where("(?TableAlias.slug IN (?) OR ?TableAlias.name IN (?))", bun.List(slugs), bun.List(keys)).
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("load industries: %w", err)
	}
	if len(industries) == 0 {
		return res, nil
	}
	ids := make([]int64, 0, len(industries))
	for i := range industries {
		ind := &industries[i]
		res.industriesBySlug[ind.Slug] = ind
		res.industriesByName[ind.Name] = ind
		ids = append(ids, ind.ID)
	}
	var sectors []IndustrySector
	if err := tx.NewSelect().Model(&sectors).Where("?TableAlias.industry_id IN (?)", bun.List(ids)).
		OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load industry sectors: %w", err)
	}
	for _, sec := range sectors {
		res.sectors[sec.IndustryID] = append(res.sectors[sec.IndustryID], sec)
	}
	return res, nil
}

// industry resolves a cell: the slug wins (slugs are what exports write),
// then the exact name.
func (r *catalogResolver) industry(key string) *Industry {
	if ind := r.industriesBySlug[strings.ToLower(key)]; ind != nil {
		return ind
	}
	return r.industriesByName[key]
}

// sector resolves a cell within one industry: the slug, then the exact name,
// then the name ignoring case when only one sector matches that way (sector
// names are not unique, so an ambiguous match is no match).
func (r *catalogResolver) sector(industryID int64, key string) *IndustrySector {
	secs := r.sectors[industryID]
	slug := strings.ToLower(key)
	for i := range secs {
		if secs[i].Slug == slug {
			return &secs[i]
		}
	}
	for i := range secs {
		if secs[i].Name == key {
			return &secs[i]
		}
	}
	var found *IndustrySector
	for i := range secs {
		if strings.EqualFold(secs[i].Name, key) {
			if found != nil {
				return nil
			}
			found = &secs[i]
		}
	}
	return found
}

// ---------------------------------------------------------------------------
// Exports

// ExportIndustriesCSV writes the industry catalogue in the import format:
// one row per sector template and, for an industry without sectors or with a
// description of its own, one row without a sector (so the export loses
// nothing and re-imports unchanged). Industries and sectors come in id
// order, read in keyset pages so the catalogue is never held in memory.
func (s *Service) ExportIndustriesCSV(ctx context.Context, w io.Writer) error {
	type pageRow struct {
		IndustryID          int64   `bun:"industry_id"`
		IndustryName        string  `bun:"industry_name"`
		IndustrySlug        string  `bun:"industry_slug"`
		IndustryDescription string  `bun:"industry_description"`
		SectorID            *int64  `bun:"sector_id"`
		SectorName          *string `bun:"sector_name"`
		SectorSlug          *string `bun:"sector_slug"`
		SectorDescription   *string `bun:"sector_description"`
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(industriesCSVFormat().Columns); err != nil {
		return fmt.Errorf("tenancy: export industries csv: %w", err)
	}
	// The cursor is (industry id, sector id or 0): a LEFT JOIN row of an
	// industry without sectors has sector id 0 and sorts first, on both
	// dialects (COALESCE sidesteps their different NULL ordering).
	var lastIndustry, lastSector, written int64
	for {
		var page []pageRow
		err := s.db.NewSelect().Model((*Industry)(nil)).
			ColumnExpr("?TableAlias.id AS industry_id, ?TableAlias.name AS industry_name").
			ColumnExpr("?TableAlias.slug AS industry_slug, ?TableAlias.description AS industry_description").
			ColumnExpr("isec.id AS sector_id, isec.name AS sector_name").
			ColumnExpr("isec.slug AS sector_slug, isec.description AS sector_description").
			Join("LEFT JOIN igny8_industry_sectors AS isec ON isec.industry_id = ?TableAlias.id").
			Where("(?TableAlias.id > ? OR (?TableAlias.id = ? AND COALESCE(isec.id, 0) > ?))",
				lastIndustry, lastIndustry, lastSector).
			OrderExpr("?TableAlias.id, COALESCE(isec.id, 0)").
			Limit(csvExportPage).
			Scan(ctx, &page)
		if err != nil {
			return fmt.Errorf("tenancy: export industries csv: after industry %d: %w", lastIndustry, err)
		}
		for _, r := range page {
			first := r.IndustryID != written
			written = r.IndustryID
			if first && (r.SectorID == nil || r.IndustryDescription != "") {
				if err := cw.Write([]string{r.IndustryName, r.IndustrySlug, "", "", r.IndustryDescription}); err != nil {
					return fmt.Errorf("tenancy: export industries csv: %w", err)
				}
			}
			lastIndustry, lastSector = r.IndustryID, 0
			if r.SectorID == nil {
				continue
			}
			lastSector = *r.SectorID
			if err := cw.Write([]string{r.IndustryName, r.IndustrySlug, *r.SectorName, *r.SectorSlug, *r.SectorDescription}); err != nil {
				return fmt.Errorf("tenancy: export industries csv: %w", err)
			}
		}
		// Flushing per page hands every page to w before the next query, so
		// memory stays at one page whatever w is.
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("tenancy: export industries csv: write: %w", err)
		}
		if len(page) < csvExportPage {
			return nil
		}
	}
}

// ExportSeedKeywordsCSV writes the seed-keyword library in the import format
// (industry and sector as slugs), in id order, reading keyset pages of
// csvExportPage keywords so a library of any size streams through.
func (s *Service) ExportSeedKeywordsCSV(ctx context.Context, w io.Writer) error {
	type pageRow struct {
		ID           int64  `bun:"id"`
		Keyword      string `bun:"keyword"`
		IndustrySlug string `bun:"industry_slug"`
		SectorSlug   string `bun:"sector_slug"`
		Volume       int    `bun:"volume"`
		Difficulty   int    `bun:"difficulty"`
		Intent       string `bun:"intent"`
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(seedKeywordsCSVFormat().Columns); err != nil {
		return fmt.Errorf("tenancy: export seed keywords csv: %w", err)
	}
	record := make([]string, 6)
	var last int64
	for {
		var page []pageRow
		err := s.db.NewSelect().Model((*SeedKeyword)(nil)).
			ColumnExpr("?TableAlias.id, ?TableAlias.keyword, ?TableAlias.volume, ?TableAlias.difficulty, ?TableAlias.intent").
			ColumnExpr("ind.slug AS industry_slug, isec.slug AS sector_slug").
			Join("JOIN igny8_industries AS ind ON ind.id = ?TableAlias.industry_id").
			Join("JOIN igny8_industry_sectors AS isec ON isec.id = ?TableAlias.industry_sector_id").
			Where("?TableAlias.id > ?", last).
			OrderExpr("?TableAlias.id").
			Limit(csvExportPage).
			Scan(ctx, &page)
		if err != nil {
			return fmt.Errorf("tenancy: export seed keywords csv: after id %d: %w", last, err)
		}
		for _, r := range page {
			record[0], record[1], record[2] = r.Keyword, r.IndustrySlug, r.SectorSlug
			record[3], record[4], record[5] = strconv.Itoa(r.Volume), strconv.Itoa(r.Difficulty), r.Intent
			if err := cw.Write(record); err != nil {
				return fmt.Errorf("tenancy: export seed keywords csv: %w", err)
			}
			last = r.ID
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("tenancy: export seed keywords csv: write: %w", err)
		}
		if len(page) < csvExportPage {
			return nil
		}
	}
}
