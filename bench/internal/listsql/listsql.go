package listsql

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

// Columns are every column of planner.Keyword in the order bun selects them
// (embedded bases flattened in place), so a row scans the same way here as
// in igny8-go.
const Columns = `"kw"."id", "kw"."account_id", "kw"."created_at", "kw"."updated_at", "kw"."site_id", "kw"."sector_id", ` +
	`"kw"."seed_keyword_id", "kw"."keyword", "kw"."keyword_norm", "kw"."volume", "kw"."difficulty", "kw"."intent", ` +
	`"kw"."volume_override", "kw"."difficulty_override", "kw"."intent_override", "kw"."attribute_values", ` +
	`"kw"."cluster_id", "kw"."status", "kw"."disabled", "kw"."deleted_at"`

// Where is the tenant scope, the site and sector filters, the search (one
// term, "contains", case-insensitive, with store's escaping) and the
// soft-delete rule, character for character as store.PageSQL renders
// igny8-go's query (TestSameSQLAsIgny8 holds it to that). $1 account, $2
// site, $3 sector, $4 the LIKE pattern.
const Where = `WHERE ("kw".account_id = $1::int8) AND ("kw".site_id = $2::int8) AND ("kw".sector_id = $3::int8) ` +
	`AND (("kw".keyword ILIKE $4 ESCAPE '\')) AND "kw"."deleted_at" IS NULL`

// PageSQL selects one page and the total of all pages (count(*) OVER (),
// computed before LIMIT), as store.ListPage does: $5 limit, $6 offset. The
// id tiebreak is what store.ListQuery.Apply always adds, so pages never
// overlap.
const PageSQL = `SELECT ` + Columns + `, count(*) OVER () AS igny8_total FROM "igny8_keywords" AS "kw" ` + Where +
	` ORDER BY "kw".volume DESC, "kw".id ASC LIMIT $5 OFFSET $6`

// CountSQL counts the rows of every page: store.ListPage runs it only for a
// page past the end, which has no row to carry the total.
const CountSQL = `SELECT count(*) FROM "igny8_keywords" AS "kw" ` + Where

// Params chooses the page.
type Params struct {
	AccountID, SiteID, SectorID int64
	// Search is one term matched as a substring, case-insensitively.
	Search         string
	Page, PageSize int
}

// PageArgs are the arguments of PageSQL.
func (p Params) PageArgs() []any {
	page, size := max(p.Page, 1), p.PageSize
	if size < 1 {
		size = 25
	}
	return []any{p.AccountID, p.SiteID, p.SectorID, Pattern(p.Search), size, (page - 1) * size}
}

// CountArgs are the arguments of CountSQL.
func (p Params) CountArgs() []any {
	return []any{p.AccountID, p.SiteID, p.SectorID, Pattern(p.Search)}
}

// Pattern makes a "contains" LIKE pattern of term that matches it literally
// (backslash is the escape character, as in store's search).
func Pattern(term string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term) + "%"
}

// Scan reads the rows of PageSQL into keywords and the total they carry
// (0 when there is no row).
func Scan(rows pgx.Rows) ([]planner.Keyword, int64, error) {
	defer rows.Close()
	out := []planner.Keyword{}
	var total int64
	for rows.Next() {
		k, err := scanRow(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("listsql: read page: %w", err)
	}
	return out, total, nil
}

func scanRow(rows pgx.Rows, total *int64) (planner.Keyword, error) {
	var (
		k                    planner.Keyword
		intent, status       string
		intentOverride       *string
		attributes           []byte
		deletedAt            *time.Time
		createdAt, updatedAt time.Time
	)
	err := rows.Scan(&k.ID, &k.AccountID, &createdAt, &updatedAt, &k.SiteID, &k.SectorID,
		&k.SeedKeywordID, &k.Keyword, &k.Norm, &k.Volume, &k.Difficulty, &intent,
		&k.VolumeOverride, &k.DifficultyOverride, &intentOverride, &attributes,
		&k.ClusterID, &status, &k.Disabled, &deletedAt, total)
	if err != nil {
		return k, fmt.Errorf("listsql: scan keyword: %w", err)
	}
	// UTC like the application writes them, so JSON says "Z" whatever the
	// server's local zone.
	k.CreatedAt, k.UpdatedAt = createdAt.UTC(), updatedAt.UTC()
	k.Intent, k.Status = tenancy.Intent(intent), planner.KeywordStatus(status)
	if intentOverride != nil {
		io := tenancy.Intent(*intentOverride)
		k.IntentOverride = &io
	}
	k.AttributeValues = json.RawMessage(attributes)
	if deletedAt != nil {
		k.DeletedAt = *deletedAt
	}
	return k, nil
}
