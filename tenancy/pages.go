package tenancy

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
)

// The list specs below declare, per list, what ?search=, ?ordering= and the
// filters may touch. The HTTP layer parses requests with them and the page
// methods apply the parsed query inside the tenant scope.

// SiteListSpec is the list of sites.
func SiteListSpec() store.ListSpec {
	return store.ListSpec{
		Search:          []string{"?TableAlias.name", "?TableAlias.domain"},
		Ordering:        map[string]string{"id": "?TableAlias.id", "name": "?TableAlias.name", "created_at": "?TableAlias.created_at"},
		DefaultOrdering: []string{"id"},
		Filters: []store.Filter{
			{Param: "is_active", Column: "?TableAlias.is_active", Kind: store.Bool},
			{Param: "platform_type", Column: "?TableAlias.platform_type", Choices: []string{"wordpress", "shopify", "custom"}},
			{Param: "industry_id", Column: "?TableAlias.industry_id", Kind: store.Int},
		},
	}
}

// SitesPage is one page of the sites t may see.
func (s *Service) SitesPage(ctx context.Context, t Tenant, lq store.ListQuery) (store.Page[Site], error) {
	q, err := scopeSiteColumn(s.db.NewSelect().Model((*Site)(nil)), t, "id")
	if err != nil {
		return store.Page[Site]{}, err
	}
	p, err := store.ListPage[Site](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("tenancy: list sites: %w", err)
	}
	return p, nil
}

// SectorListSpec is the list of sectors (filter by site_id).
func SectorListSpec() store.ListSpec {
	return store.ListSpec{
		Search:          []string{"?TableAlias.name"},
		Ordering:        map[string]string{"id": "?TableAlias.id", "name": "?TableAlias.name", "created_at": "?TableAlias.created_at"},
		DefaultOrdering: []string{"id"},
		Filters: []store.Filter{
			{Param: "site_id", Column: "?TableAlias.site_id", Kind: store.Int},
			{Param: "is_active", Column: "?TableAlias.is_active", Kind: store.Bool},
		},
	}
}

// SectorsPage is one page of the sectors of the sites t may see.
func (s *Service) SectorsPage(ctx context.Context, t Tenant, lq store.ListQuery) (store.Page[Sector], error) {
	q, err := ScopeSite(s.db.NewSelect().Model((*Sector)(nil)), t)
	if err != nil {
		return store.Page[Sector]{}, err
	}
	p, err := store.ListPage[Sector](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("tenancy: list sectors: %w", err)
	}
	return p, nil
}

// UserListSpec is the team list.
func UserListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.email", "?TableAlias.username", "?TableAlias.first_name", "?TableAlias.last_name"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "email": "?TableAlias.email", "role": "?TableAlias.role",
			"created_at": "?TableAlias.created_at", "last_login": "?TableAlias.last_login",
		},
		DefaultOrdering: []string{"id"},
		Filters: []store.Filter{
			{Param: "role", Column: "?TableAlias.role", Choices: []string{"developer", "owner", "admin", "editor", "viewer", "system_bot"}},
			{Param: "is_active", Column: "?TableAlias.is_active", Kind: store.Bool},
		},
	}
}

// UsersPage is one page of t's account's users (viewer and up).
func (s *Service) UsersPage(ctx context.Context, t Tenant, lq store.ListQuery) (store.Page[User], error) {
	if err := t.require(RoleViewer); err != nil {
		return store.Page[User]{}, err
	}
	q, err := ScopeAccount(s.db.NewSelect().Model((*User)(nil)), t)
	if err != nil {
		return store.Page[User]{}, err
	}
	p, err := store.ListPage[User](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("tenancy: list users: %w", err)
	}
	return p, nil
}

// SeedKeywordListSpec is the global keyword library (keywords-library):
// sector_ids filters by industry sector, as the original's endpoint did.
func SeedKeywordListSpec() store.ListSpec {
	return store.ListSpec{
		Search: []string{"?TableAlias.keyword"},
		Ordering: map[string]string{
			"id": "?TableAlias.id", "keyword": "?TableAlias.keyword", "volume": "?TableAlias.volume",
			"difficulty": "?TableAlias.difficulty", "created_at": "?TableAlias.created_at",
		},
		DefaultOrdering: []string{"-volume"},
		Filters: []store.Filter{
			{Param: "sector_ids", Column: "?TableAlias.industry_sector_id", Op: store.In, Kind: store.Int},
			{Param: "industry_sector_id", Column: "?TableAlias.industry_sector_id", Kind: store.Int},
			{Param: "industry_id", Column: "?TableAlias.industry_id", Kind: store.Int},
			{Param: "intent", Column: "?TableAlias.intent", Choices: []string{"informational", "commercial", "transactional", "navigational"}},
			{Param: "volume_min", Column: "?TableAlias.volume", Op: store.Gte, Kind: store.Int},
			{Param: "volume_max", Column: "?TableAlias.volume", Op: store.Lte, Kind: store.Int},
			{Param: "difficulty_min", Column: "?TableAlias.difficulty", Op: store.Gte, Kind: store.Int},
			{Param: "difficulty_max", Column: "?TableAlias.difficulty", Op: store.Lte, Kind: store.Int},
		},
	}
}

// SeedKeywordsPage is one page of the active keyword library (global data).
func (s *Service) SeedKeywordsPage(ctx context.Context, lq store.ListQuery) (store.Page[SeedKeyword], error) {
	q := s.db.NewSelect().Model((*SeedKeyword)(nil)).Where("?TableAlias.is_active = ?", true)
	p, err := store.ListPage[SeedKeyword](ctx, q, lq)
	if err != nil {
		return p, fmt.Errorf("tenancy: list seed keywords: %w", err)
	}
	return p, nil
}

// SectorStat is the size of one industry sector's keyword library.
type SectorStat struct {
	IndustrySectorID int64  `bun:"industry_sector_id" json:"industry_sector_id"`
	Name             string `bun:"name" json:"name"`
	Keywords         int    `bun:"keywords" json:"keywords"`
	TotalVolume      int64  `bun:"total_volume" json:"total_volume"`
}

// SeedKeywordSectorStats counts the active library keywords per industry
// sector (the keywords-library sector_stats action), optionally for some
// sectors only.
func (s *Service) SeedKeywordSectorStats(ctx context.Context, industrySectorIDs []int64) ([]SectorStat, error) {
	var stats []SectorStat
	q := s.db.NewSelect().TableExpr("igny8_industry_sectors AS isec").
		ColumnExpr("isec.id AS industry_sector_id, isec.name AS name").
		ColumnExpr("count(sk.id) AS keywords, coalesce(sum(sk.volume), 0) AS total_volume").
		Join("LEFT JOIN igny8_seed_keywords AS sk ON sk.industry_sector_id = isec.id AND sk.is_active = ?", true).
		Where("isec.is_active = ?", true).
		GroupExpr("isec.id, isec.name").OrderExpr("isec.id")
	if len(industrySectorIDs) > 0 {
		q = q.Where("isec.id IN (?)", bun.In(industrySectorIDs))
	}
	if err := q.Scan(ctx, &stats); err != nil {
		return nil, fmt.Errorf("tenancy: seed keyword stats: %w", err)
	}
	return stats, nil
}
