package planner

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

var intents = []string{"informational", "commercial", "transactional", "navigational"}

// KeywordListSpec is what the keyword list can be searched, ordered and
// filtered by. Volume and difficulty are the effective values (override or
// seed), stored on the row so the filters use plain columns.
func KeywordListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.keyword"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "created_at": "?TableAlias.created_at", "keyword": "?TableAlias.keyword",
			"volume": "?TableAlias.volume", "difficulty": "?TableAlias.difficulty", "status": "?TableAlias.status",
		},
		DefaultOrdering: []string{"-created_at"},
		Filters: []store.Filter{
			{Param: "site_id", Column: "?TableAlias.site_id", Kind: store.Int},
			{Param: "sector_id", Column: "?TableAlias.sector_id", Kind: store.Int},
			{Param: "status", Column: "?TableAlias.status", Op: store.In, Choices: []string{"new", "mapped", "used"}},
			{Param: "cluster_id", Column: "?TableAlias.cluster_id", Op: store.In, Kind: store.Int},
			{Param: "unclustered", Column: "?TableAlias.cluster_id", Op: store.IsNull},
			{Param: "intent", Column: "?TableAlias.intent", Op: store.In, Choices: intents},
			{Param: "seed_keyword_id", Column: "?TableAlias.seed_keyword_id", Kind: store.Int},
			{Param: "disabled", Column: "?TableAlias.disabled", Kind: store.Bool},
			{Param: "difficulty_min", Column: "?TableAlias.difficulty", Op: store.Gte, Kind: store.Int},
			{Param: "difficulty_max", Column: "?TableAlias.difficulty", Op: store.Lte, Kind: store.Int},
			{Param: "volume_min", Column: "?TableAlias.volume", Op: store.Gte, Kind: store.Int},
			{Param: "volume_max", Column: "?TableAlias.volume", Op: store.Lte, Kind: store.Int},
		},
	}
}

// ClusterListSpec is what the cluster list can be searched, ordered and
// filtered by.
func ClusterListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.name"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "created_at": "?TableAlias.created_at", "name": "?TableAlias.name",
			"keywords_count": "?TableAlias.keywords_count", "volume": "?TableAlias.volume",
			"difficulty": "?TableAlias.difficulty", "ideas_count": "?TableAlias.ideas_count",
		},
		DefaultOrdering: []string{"-created_at"},
		Filters: []store.Filter{
			{Param: "site_id", Column: "?TableAlias.site_id", Kind: store.Int},
			{Param: "sector_id", Column: "?TableAlias.sector_id", Kind: store.Int},
			{Param: "status", Column: "?TableAlias.status", Op: store.In, Choices: []string{"new", "mapped"}},
			{Param: "disabled", Column: "?TableAlias.disabled", Kind: store.Bool},
		},
	}
}

// IdeaListSpec is what the idea list can be searched, ordered and filtered
// by.
func IdeaListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.title"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "created_at": "?TableAlias.created_at", "title": "?TableAlias.title",
			"estimated_word_count": "?TableAlias.estimated_word_count", "status": "?TableAlias.status",
		},
		DefaultOrdering: []string{"-created_at"},
		Filters: []store.Filter{
			{Param: "site_id", Column: "?TableAlias.site_id", Kind: store.Int},
			{Param: "sector_id", Column: "?TableAlias.sector_id", Kind: store.Int},
			{Param: "status", Column: "?TableAlias.status", Op: store.In, Choices: []string{"new", "queued", "completed"}},
			{Param: "cluster_id", Column: "?TableAlias.cluster_id", Op: store.In, Kind: store.Int},
			{Param: "content_type", Column: "?TableAlias.content_type", Op: store.In, Choices: ContentTypes},
			{Param: "content_structure", Column: "?TableAlias.content_structure", Op: store.In, Choices: ContentStructures},
			{Param: "disabled", Column: "?TableAlias.disabled", Kind: store.Bool},
		},
	}
}

// KeywordsPage lists the live keywords t may see (lq from KeywordListSpec).
func (s *Service) KeywordsPage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Keyword], error) {
	return page[Keyword](ctx, s.db, t, lq, nil)
}

// ClustersPage lists the live clusters t may see.
func (s *Service) ClustersPage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Cluster], error) {
	return page[Cluster](ctx, s.db, t, lq, nil)
}

// IdeasPage lists the live ideas t may see, with their keywords (one more
// query for the whole page).
func (s *Service) IdeasPage(ctx context.Context, t tenancy.Tenant, lq store.ListQuery) (store.Page[Idea], error) {
	return page(ctx, s.db, t, lq, func(ctx context.Context, rows []Idea) error {
		return loadKeywordIDs(ctx, s.db, t, rows)
	})
}

func page[T any](ctx context.Context, db *bun.DB, t tenancy.Tenant, lq store.ListQuery, fill func(context.Context, []T) error) (store.Page[T], error) {
	if err := requireRead(t); err != nil {
		return store.Page[T]{}, err
	}
	q, err := scoped(db, (*T)(nil), t)
	if err != nil {
		return store.Page[T]{}, err
	}
	p, err := store.ListPage[T](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("planner: list: %w", err)
	}
	if fill != nil {
		if err := fill(ctx, p.Results); err != nil {
			return p, err
		}
	}
	return p, nil
}
