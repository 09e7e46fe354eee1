package planner

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// ClusterInput is a cluster to create in one sector of a site.
type ClusterInput struct {
	SiteID      int64  `json:"site_id"`
	SectorID    int64  `json:"sector_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// ClusterUpdate changes a cluster; absent fields stay. The status and the
// counts are derived from the cluster's keywords and ideas.
type ClusterUpdate struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Disabled    *bool   `json:"disabled"`
}

const (
	maxNameLen        = 255
	maxDescriptionLen = 20000
)

// CreateCluster adds an empty cluster (status new). Names are unique per
// site+sector, ignoring case and spacing.
func (s *Service) CreateCluster(ctx context.Context, t tenancy.Tenant, in ClusterInput) (*Cluster, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	v.Check(in.SiteID > 0, "site_id", "is required")
	v.Check(in.SectorID > 0, "sector_id", "is required")
	name := text(&v, "name", in.Name, maxNameLen, true)
	desc := text(&v, "description", in.Description, maxDescriptionLen, false)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := newCluster(t, in.SiteID, in.SectorID, name, desc)
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, _, err := tenancy.ResolveSiteSector(ctx, tx, t, in.SiteID, in.SectorID); err != nil {
			return err
		}
		return insertCluster(ctx, tx, c)
	})
	if err != nil {
		return nil, fmt.Errorf("planner: create cluster: %w", err)
	}
	return c, nil
}

func newCluster(t tenancy.Tenant, siteID, sectorID int64, name, desc string) *Cluster {
	return &Cluster{
		SiteSectorScoped: tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, SiteID: siteID, SectorID: sectorID},
		Name:             name, Norm: Normalize(name), Description: desc, Status: ClusterNew,
	}
}

func insertCluster(ctx context.Context, idb bun.IDB, c *Cluster) error {
	if _, err := idb.NewInsert().Model(c).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		if errs.Is(store.MapError(err), errs.Conflict) {
			return errs.FieldCode(errs.Conflict, "name", fmt.Sprintf("a cluster named %q already exists in this sector", c.Name))
		}
		return store.MapError(err)
	}
	return nil
}

// GetCluster returns a live cluster t may see.
func (s *Service) GetCluster(ctx context.Context, t tenancy.Tenant, id int64) (*Cluster, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	return getCluster(ctx, s.db, t, id, false)
}

func getCluster(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, lock bool) (*Cluster, error) {
	return getOne[Cluster](ctx, idb, t, id, lock, "cluster")
}

// UpdateCluster renames, describes or disables a cluster.
func (s *Service) UpdateCluster(ctx context.Context, t tenancy.Tenant, id int64, in ClusterUpdate) (*Cluster, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	var name, desc string
	if in.Name != nil {
		name = text(&v, "name", *in.Name, maxNameLen, true)
	}
	if in.Description != nil {
		desc = text(&v, "description", *in.Description, maxDescriptionLen, false)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c *Cluster
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if c, err = getCluster(ctx, tx, t, id, true); err != nil {
			return err
		}
		if in.Name != nil {
			c.Name, c.Norm = name, Normalize(name)
		}
		if in.Description != nil {
			c.Description = desc
		}
		if in.Disabled != nil {
			c.Disabled = *in.Disabled
		}
		err = saveRow(ctx, tx, t, c, "name", "name_norm", "description", "disabled", "updated_at")
		if errs.Is(err, errs.Conflict) {
			return errs.FieldCode(errs.Conflict, "name", fmt.Sprintf("a cluster named %q already exists in this sector", c.Name))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("planner: update cluster %d: %w", id, err)
	}
	return c, nil
}

// DeleteCluster soft-deletes a cluster (see BulkDeleteClusters).
func (s *Service) DeleteCluster(ctx context.Context, t tenancy.Tenant, id int64) error {
	return deleteOne(ctx, t, id, "cluster", s.BulkDeleteClusters)
}

// BulkDeleteClusters soft-deletes clusters. Their keywords leave them
// (back to status new, unless used) and their ideas lose the link: a
// deleted cluster must not hold live rows that lists and counts would show
// under a cluster nobody can see.
func (s *Service) BulkDeleteClusters(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	return s.bulkLocked(ctx, t, (*Cluster)(nil), ids, "delete clusters", lockMembers(t), func(ctx context.Context, tx bun.Tx, found []int64) (int, error) {
		if err := detachFromClusters(ctx, tx, t, found); err != nil {
			return 0, err
		}
		q, err := tenancy.ScopeAccount(tx.NewDelete().Model((*Cluster)(nil)), t)
		if err != nil {
			return 0, err
		}
		r, err := q.Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("planner: delete clusters: %w", err)
		}
		return affected(r), nil
	})
}

// lockMembers locks the account's keywords and ideas in the given clusters
// (in id order) before the clusters themselves: keyword and idea changes
// lock their own row first and their cluster after, and a cluster deletion
// must take the locks in that same order.
func lockMembers(t tenancy.Tenant) func(ctx context.Context, tx bun.Tx, clusterIDs []int64) error {
	return func(ctx context.Context, tx bun.Tx, clusterIDs []int64) error {
		for _, model := range []any{(*Keyword)(nil), (*Idea)(nil)} {
			q, err := tenancy.ScopeAccount(tx.NewSelect().Model(model).WhereAllWithDeleted(), t)
			if err != nil {
				return err
			}
			var ids []int64
			err = store.ForUpdate(q.Column("id").Where("?TableAlias.cluster_id IN (?)", bun.In(clusterIDs)).
				OrderExpr("?TableAlias.id")).Scan(ctx, &ids)
			if err != nil {
				return fmt.Errorf("planner: lock cluster members: %w", err)
			}
		}
		return nil
	}
}

// detachFromClusters takes every keyword (live or deleted) and idea out of
// the given clusters.
func detachFromClusters(ctx context.Context, tx bun.Tx, t tenancy.Tenant, clusterIDs []int64) error {
	kq, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Keyword)(nil)).WhereAllWithDeleted(), t)
	if err != nil {
		return err
	}
	_, err = kq.Set("cluster_id = NULL").
		Set("status = CASE WHEN ?TableAlias.status = 'used' THEN 'used' ELSE 'new' END").
		Set("updated_at = ?", timeNow()).
		Where("?TableAlias.cluster_id IN (?)", bun.In(clusterIDs)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("planner: detach keywords: %w", err)
	}
	iq, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Idea)(nil)).WhereAllWithDeleted(), t)
	if err != nil {
		return err
	}
	_, err = iq.Set("cluster_id = NULL").Set("updated_at = ?", timeNow()).
		Where("?TableAlias.cluster_id IN (?)", bun.In(clusterIDs)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("planner: detach ideas: %w", err)
	}
	return nil
}

// RestoreClusters brings soft-deleted clusters back, empty (their keywords
// and ideas left them at deletion). A name meanwhile taken again in the
// sector is a conflict that restores nothing.
func (s *Service) RestoreClusters(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	ids, err := checkIDs(ids)
	if err != nil {
		return nil, err
	}
	res := &BulkResult{NotFound: []int64{}}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var found []int64
		q, err := scoped(tx, (*Cluster)(nil), t)
		if err != nil {
			return err
		}
		if err := q.WhereDeleted().Column("id").Where("?TableAlias.id IN (?)", bun.In(ids)).Scan(ctx, &found); err != nil {
			return fmt.Errorf("planner: find deleted clusters: %w", err)
		}
		have := map[int64]bool{}
		for _, id := range found {
			have[id] = true
		}
		for _, id := range ids {
			if !have[id] {
				res.NotFound = append(res.NotFound, id)
			}
		}
		if len(found) == 0 {
			return nil
		}
		uq, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Cluster)(nil)).WhereAllWithDeleted(), t)
		if err != nil {
			return err
		}
		r, err := uq.Set("deleted_at = NULL").Set("updated_at = ?", timeNow()).Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
		if err != nil {
			if errs.Is(store.MapError(err), errs.Conflict) {
				return errs.FieldCode(errs.Conflict, "ids", "a cluster of that name exists again in its sector; rename it first")
			}
			return store.MapError(err)
		}
		n, _ := r.RowsAffected()
		res.Affected = int(n)
		return refreshClusters(ctx, tx, t, found)
	})
	if err != nil {
		return nil, fmt.Errorf("planner: restore clusters: %w", err)
	}
	return res, nil
}

// ClusterBulkUpdate disables or enables many clusters.
type ClusterBulkUpdate struct {
	IDs      []int64 `json:"ids"`
	Disabled *bool   `json:"disabled"`
}

// BulkUpdateClusters applies in to the clusters of in.IDs t may see.
func (s *Service) BulkUpdateClusters(ctx context.Context, t tenancy.Tenant, in ClusterBulkUpdate) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if in.Disabled == nil && len(in.IDs) > 0 {
		return nil, errs.Field("disabled", "is required")
	}
	return s.bulk(ctx, t, (*Cluster)(nil), in.IDs, "bulk update clusters", func(ctx context.Context, tx bun.Tx, found []int64) (int, error) {
		q, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Cluster)(nil)), t)
		if err != nil {
			return 0, err
		}
		r, err := q.Set("disabled = ?", *in.Disabled).Set("updated_at = ?", timeNow()).Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("planner: update clusters: %w", err)
		}
		return affected(r), nil
	})
}
