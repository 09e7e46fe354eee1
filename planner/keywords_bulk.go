package planner

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/tenancy"
)

// KeywordBulkUpdate changes the status, cluster or disabled flag of many
// keywords at once. A null cluster_id takes them out of their clusters.
type KeywordBulkUpdate struct {
	IDs       []int64               `json:"ids"`
	Status    *KeywordStatus        `json:"status"`
	ClusterID nullable.Value[int64] `json:"cluster_id"`
	Disabled  *bool                 `json:"disabled"`
}

// BulkUpdateKeywords applies in to the keywords of in.IDs t may see. A
// cluster must be in the same site and sector as every keyword moved into
// it; one that is not fails the whole call, naming the keyword.
func (s *Service) BulkUpdateKeywords(ctx context.Context, t tenancy.Tenant, in KeywordBulkUpdate) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if len(in.IDs) > 0 && in.Status == nil && !in.ClusterID.Set && in.Disabled == nil {
		return nil, errs.Field("status", "give status, cluster_id or disabled to change")
	}
	if in.Status != nil && !in.Status.Valid() {
		return nil, errs.Field("status", "must be new, mapped or used")
	}
	return s.bulk(ctx, t, (*Keyword)(nil), in.IDs, "bulk update keywords", func(ctx context.Context, tx bun.Tx, found []int64) (int, error) {
		var rows []Keyword
		q, err := scoped(tx, &rows, t)
		if err != nil {
			return 0, err
		}
		if err := q.Where("?TableAlias.id IN (?)", bun.In(found)).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
			return 0, fmt.Errorf("planner: load keywords: %w", err)
		}
		touched := make([]int64, 0, 2*len(rows))
		var target *Cluster
		if c := in.ClusterID.Ptr(); c != nil {
			if target, err = getCluster(ctx, tx, t, *c, true); err != nil {
				if errs.Is(err, errs.NotFound) {
					return 0, errs.Field("cluster_id", fmt.Sprintf("cluster %d not found", *c))
				}
				return 0, err
			}
			touched = append(touched, target.ID)
		}
		for i := range rows {
			k := &rows[i]
			touched = append(touched, derefID(k.ClusterID))
			if in.ClusterID.Set {
				if target != nil && (target.SiteID != k.SiteID || target.SectorID != k.SectorID) {
					return 0, errs.Field("cluster_id", fmt.Sprintf("keyword %d is in another site or sector than cluster %d", k.ID, target.ID))
				}
				k.ClusterID = in.ClusterID.Ptr()
				switch {
				case k.Status == KeywordUsed:
				case k.ClusterID != nil:
					k.Status = KeywordMapped
				default:
					k.Status = KeywordNew
				}
			}
			if in.Status != nil {
				if err := checkStatus(*in.Status, k.ClusterID != nil, fmt.Sprintf("keyword %d: ", k.ID)); err != nil {
					return 0, err
				}
				k.Status = *in.Status
			}
			if in.Disabled != nil {
				k.Disabled = *in.Disabled
			}
			k.UpdatedAt = timeNow()
		}
		if err := saveKeywordStates(ctx, tx, t, rows); err != nil {
			return 0, err
		}
		return len(rows), refreshClusters(ctx, tx, t, touched)
	})
}

// SeedAdoption asks for seed keywords of the library to be added to one
// sector of a site.
type SeedAdoption struct {
	SiteID         int64   `json:"site_id"`
	SectorID       int64   `json:"sector_id"`
	SeedKeywordIDs []int64 `json:"seed_keyword_ids"`
}

// SeedAdoptionResult counts what an adoption did. Skipped seeds were
// already keywords of the sector; Invalid ones do not exist, are inactive
// or belong to another industry sector; OverLimit ones did not fit the
// plan's max_keywords.
type SeedAdoptionResult struct {
	Added     int     `json:"added"`
	Skipped   int     `json:"skipped"`
	OverLimit int     `json:"over_limit"`
	Invalid   []int64 `json:"invalid"`
}

// AddFromSeed adopts seed keywords into a sector (the original's
// bulk_add_from_seed): each becomes a keyword with the seed's text and
// values, skipping those already there.
func (s *Service) AddFromSeed(ctx context.Context, t tenancy.Tenant, in SeedAdoption) (*SeedAdoptionResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	v.Check(in.SiteID > 0, "site_id", "is required")
	v.Check(in.SectorID > 0, "sector_id", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	ids, err := checkIDs(in.SeedKeywordIDs)
	if err != nil {
		return nil, errs.Field("seed_keyword_ids", errs.As(err).Message)
	}
	res := &SeedAdoptionResult{Invalid: []int64{}}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, sector, err := tenancy.ResolveSiteSector(ctx, tx, t, in.SiteID, in.SectorID)
		if err != nil {
			return err
		}
		var seeds []tenancy.SeedKeyword
		q := tx.NewSelect().Model(&seeds).Where("?TableAlias.id IN (?)", bun.In(ids)).Where("?TableAlias.is_active = ?", true)
		if sector.IndustrySectorID == nil {
			q = q.Where("1 = 0")
		} else {
			q = q.Where("?TableAlias.industry_sector_id = ?", *sector.IndustrySectorID)
		}
		if err := q.OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
			return fmt.Errorf("planner: load seed keywords: %w", err)
		}
		valid := make(map[int64]bool, len(seeds))
		rows := make([]Keyword, 0, len(seeds))
		for i := range seeds {
			seed := &seeds[i]
			valid[seed.ID] = true
			k := Keyword{
				SiteSectorScoped: tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, SiteID: in.SiteID, SectorID: in.SectorID},
				SeedKeywordID:    &seed.ID, Keyword: seed.Keyword, Norm: Normalize(seed.Keyword), Status: KeywordNew,
				AttributeValues: []byte("[]"),
			}
			k.applySeed(seed)
			rows = append(rows, k)
		}
		for _, id := range ids {
			if !valid[id] {
				res.Invalid = append(res.Invalid, id)
			}
		}
		out, err := addKeywords(ctx, tx, t, rows)
		if err != nil {
			return err
		}
		for _, o := range out.outcome {
			switch o {
			case addedRow:
				res.Added++
			case duplicateRow:
				res.Skipped++
			case overQuota:
				res.OverLimit++
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("planner: add keywords from the library: %w", err)
	}
	return res, nil
}
