package seed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
)

// writePostgres writes the dataset with COPY in one transaction on one of
// db's pgx connections, records the seed and fixes the id sequences.
func writePostgres(ctx context.Context, db *bun.DB, c Config, m Manifest) (Dataset, error) {
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return Dataset{}, fmt.Errorf("seed: connection: %w", err)
	}
	defer conn.Close()
	var d Dataset
	err = store.WithPgx(conn, func(pc *pgx.Conn) error {
		d, err = copyAll(ctx, pc, c, m)
		return err
	})
	if err != nil {
		return Dataset{}, err
	}
	// Fresh statistics, or the first queries plan as if the tables were
	// empty.
	if _, err := db.ExecContext(ctx, `ANALYZE igny8_clusters, igny8_keywords, igny8_content_ideas, igny8_content_idea_keywords`); err != nil {
		return Dataset{}, fmt.Errorf("seed: analyze: %w", err)
	}
	return d, nil
}

func copyAll(ctx context.Context, conn *pgx.Conn, c Config, m Manifest) (d Dataset, err error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return d, fmt.Errorf("seed: begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback(ctx))
		}
	}()
	var base idBase
	if err := tx.QueryRow(ctx, `SELECT (SELECT COALESCE(max(id), 0) FROM igny8_keywords),
		(SELECT COALESCE(max(id), 0) FROM igny8_clusters), (SELECT COALESCE(max(id), 0) FROM igny8_content_ideas)`).
		Scan(&base.keyword, &base.cluster, &base.idea); err != nil {
		return d, fmt.Errorf("seed: read id bases: %w", err)
	}
	if d, err = build(c, m, base); err != nil {
		return d, err
	}
	for _, t := range copyTables(d) {
		n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, t.columns, pgx.CopyFromRows(t.rows))
		if err != nil {
			return d, fmt.Errorf("seed: copy %s: %w", t.name, err)
		}
		if int(n) != len(t.rows) {
			return d, fmt.Errorf("seed: copy %s: %d of %d rows", t.name, n, len(t.rows))
		}
	}
	for _, table := range []string{"igny8_keywords", "igny8_clusters", "igny8_content_ideas"} {
		// Later inserts by the application must not collide with our ids.
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM `+
			pgx.Identifier{table}.Sanitize()+`)) WHERE EXISTS (SELECT 1 FROM `+pgx.Identifier{table}.Sanitize()+`)`, table); err != nil {
			return d, fmt.Errorf("seed: sequence of %s: %w", table, err)
		}
	}
	fp, err := c.fingerprint()
	if err != nil {
		return d, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO bench_seed (id, config) VALUES (1, $1)`, fp); err != nil {
		return d, fmt.Errorf("seed: record seed: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return d, fmt.Errorf("seed: commit: %w", err)
	}
	return d, nil
}

type copyTable struct {
	name    string
	columns []string
	rows    [][]any
}

// copyTables turns the dataset into COPY rows, parents before children.
func copyTables(d Dataset) []copyTable {
	clusters := copyTable{name: "igny8_clusters", columns: []string{"id", "account_id", "site_id", "sector_id", "name", "name_norm",
		"description", "status", "disabled", "keywords_count", "volume", "difficulty", "ideas_count", "mapped_pages", "created_at", "updated_at"}}
	for _, c := range d.Clusters {
		clusters.rows = append(clusters.rows, []any{c.ID, c.AccountID, c.SiteID, c.SectorID, c.Name, c.Norm,
			c.Description, string(c.Status), c.Disabled, c.KeywordsCount, c.Volume, c.Difficulty, c.IdeasCount, c.MappedPages, c.CreatedAt, c.UpdatedAt})
	}
	keywords := copyTable{name: "igny8_keywords", columns: []string{"id", "account_id", "site_id", "sector_id", "keyword", "keyword_norm",
		"volume", "difficulty", "intent", "attribute_values", "cluster_id", "status", "disabled", "created_at", "updated_at"}}
	for _, k := range d.Keywords {
		keywords.rows = append(keywords.rows, []any{k.ID, k.AccountID, k.SiteID, k.SectorID, k.Keyword, k.Norm,
			k.Volume, k.Difficulty, string(k.Intent), []byte(k.AttributeValues), k.ClusterID, string(k.Status), k.Disabled, k.CreatedAt, k.UpdatedAt})
	}
	ideas := copyTable{name: "igny8_content_ideas", columns: []string{"id", "account_id", "site_id", "sector_id", "title", "description",
		"outline", "content_type", "content_structure", "target_keywords", "cluster_id", "estimated_word_count", "status", "disabled", "created_at", "updated_at"}}
	links := copyTable{name: "igny8_content_idea_keywords", columns: []string{"account_id", "site_id", "sector_id", "idea_id", "keyword_id"}}
	for _, i := range d.Ideas {
		targets, _ := json.Marshal(i.TargetKeywords) // []string always encodes
		ideas.rows = append(ideas.rows, []any{i.ID, i.AccountID, i.SiteID, i.SectorID, i.Title, i.Description,
			[]byte(i.Outline), i.ContentType, i.ContentStructure, targets, i.ClusterID, i.EstimatedWordCount, string(i.Status), i.Disabled, i.CreatedAt, i.UpdatedAt})
		for _, kid := range i.KeywordIDs {
			links.rows = append(links.rows, []any{i.AccountID, i.SiteID, i.SectorID, i.ID, kid})
		}
	}
	return []copyTable{clusters, keywords, ideas, links}
}
