package seed

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/planner"
)

// ideaKeywordRow is a row of igny8_content_idea_keywords (planner keeps
// its own model unexported).
type ideaKeywordRow struct {
	bun.BaseModel `bun:"table:igny8_content_idea_keywords"`

	AccountID int64 `bun:"account_id"`
	SiteID    int64 `bun:"site_id"`
	SectorID  int64 `bun:"sector_id"`
	IdeaID    int64 `bun:"idea_id"`
	KeywordID int64 `bun:"keyword_id"`
}

// sqliteBatch rows per INSERT: 20 columns × 500 stays far below SQLite's
// 32,766 bound parameters.
const sqliteBatch = 500

// writeSQLite inserts the dataset through bun with the planner's own
// models (so values are encoded the way the application encodes them), in
// one transaction.
func writeSQLite(ctx context.Context, db *bun.DB, c Config, m Manifest) (Dataset, error) {
	var d Dataset
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var base idBase
		if err := tx.NewRaw(`SELECT (SELECT COALESCE(max(id), 0) FROM igny8_keywords),
			(SELECT COALESCE(max(id), 0) FROM igny8_clusters), (SELECT COALESCE(max(id), 0) FROM igny8_content_ideas)`).
			Scan(ctx, &base.keyword, &base.cluster, &base.idea); err != nil {
			return fmt.Errorf("seed: read id bases: %w", err)
		}
		var err error
		if d, err = build(c, m, base); err != nil {
			return err
		}
		var links []ideaKeywordRow
		for _, i := range d.Ideas {
			for _, kid := range i.KeywordIDs {
				links = append(links, ideaKeywordRow{AccountID: i.AccountID, SiteID: i.SiteID, SectorID: i.SectorID, IdeaID: i.ID, KeywordID: kid})
			}
		}
		if err := insertBatches(ctx, tx, "igny8_clusters", d.Clusters); err != nil {
			return err
		}
		if err := insertBatches(ctx, tx, "igny8_keywords", d.Keywords); err != nil {
			return err
		}
		if err := insertBatches(ctx, tx, "igny8_content_ideas", d.Ideas); err != nil {
			return err
		}
		if err := insertBatches(ctx, tx, "igny8_content_idea_keywords", links); err != nil {
			return err
		}
		fp, err := c.fingerprint()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_seed (id, config) VALUES (1, ?)`, fp); err != nil {
			return fmt.Errorf("seed: record seed: %w", err)
		}
		return nil
	})
	if err != nil {
		return Dataset{}, err
	}
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		return Dataset{}, fmt.Errorf("seed: analyze: %w", err)
	}
	return d, nil
}

func insertBatches[T planner.Keyword | planner.Cluster | planner.Idea | ideaKeywordRow](ctx context.Context, tx bun.Tx, table string, rows []T) error {
	for start := 0; start < len(rows); start += sqliteBatch {
		batch := rows[start:min(start+sqliteBatch, len(rows))]
		if _, err := tx.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("seed: insert into %s: %w", table, err)
		}
	}
	return nil
}
