package planner

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// Option is one choice of a filter drop-down. Value "" is "All".
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// FilterOptions maps a filter parameter to its choices.
type FilterOptions map[string][]Option

// facet is a filter whose choices are the distinct values of a column in
// the filtered set.
type facet struct {
	param  string
	column string
	// cluster marks a facet of cluster ids, labelled with cluster names.
	cluster bool
}

var (
	keywordFacets = []facet{{"status", "?TableAlias.status", false}, {"intent", "?TableAlias.intent", false}, {"cluster_id", "?TableAlias.cluster_id", true}}
	clusterFacets = []facet{{"status", "?TableAlias.status", false}}
	ideaFacets    = []facet{{"status", "?TableAlias.status", false}, {"content_type", "?TableAlias.content_type", false},
		{"content_structure", "?TableAlias.content_structure", false}, {"cluster_id", "?TableAlias.cluster_id", true}}
)

// KeywordFilterOptions answers the keyword list's filter_options: for each
// facet (status, intent, cluster_id) the values present among the keywords
// that match every other filter and the search, so a choice never leads to
// an empty list. Each list starts with "All".
func (s *Service) KeywordFilterOptions(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (FilterOptions, error) {
	return filterOptions(ctx, s.db, t, (*Keyword)(nil), lq, keywordFacets)
}

// ClusterFilterOptions answers the cluster list's filter_options.
func (s *Service) ClusterFilterOptions(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (FilterOptions, error) {
	return filterOptions(ctx, s.db, t, (*Cluster)(nil), lq, clusterFacets)
}

// IdeaFilterOptions answers the idea list's filter_options.
func (s *Service) IdeaFilterOptions(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (FilterOptions, error) {
	return filterOptions(ctx, s.db, t, (*Idea)(nil), lq, ideaFacets)
}

// maxOptions bounds a facet (a sector can have thousands of clusters).
const maxOptions = 500

func filterOptions(ctx context.Context, db *bun.DB, t tenancy.Tenant, model any, lq store.ListQuery, facets []facet) (FilterOptions, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	out := FilterOptions{}
	for _, f := range facets {
		q, err := scoped(db, model, t)
		if err != nil {
			return nil, err
		}
		q = lq.Without(f.param).Where(q).ColumnExpr(f.column + " AS value").Distinct().
			Where(f.column + " IS NOT NULL").OrderExpr("value").Limit(maxOptions)
		opts := []Option{{Value: "", Label: "All"}}
		if f.cluster {
			var ids []int64
			if err := q.Scan(ctx, &ids); err != nil {
				return nil, fmt.Errorf("planner: filter options %s: %w", f.param, err)
			}
			names, err := clusterNames(ctx, db, t, ids)
			if err != nil {
				return nil, err
			}
			for _, id := range ids {
				opts = append(opts, Option{Value: strconv.FormatInt(id, 10), Label: names[id]})
			}
		} else {
			var values []string
			if err := q.Scan(ctx, &values); err != nil {
				return nil, fmt.Errorf("planner: filter options %s: %w", f.param, err)
			}
			for _, v := range values {
				opts = append(opts, Option{Value: v, Label: label(v)})
			}
		}
		out[f.param] = opts
	}
	return out, nil
}

func clusterNames(ctx context.Context, db *bun.DB, t tenancy.Tenant, ids []int64) (map[int64]string, error) {
	names := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return names, nil
	}
	var rows []Cluster
	q, err := tenancy.ScopeAccount(db.NewSelect().Model(&rows), t)
	if err != nil {
		return nil, err
	}
	if err := q.Column("id", "name").Where("?TableAlias.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("planner: cluster names: %w", err)
	}
	for _, c := range rows {
		names[c.ID] = c.Name
	}
	return names, nil
}

// label is a choice's display text: "landing_page" → "Landing page".
func label(v string) string {
	s := strings.ReplaceAll(v, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
