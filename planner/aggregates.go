package planner

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/tenancy"
)

// refreshClusters recomputes the aggregates of the given clusters from
// their live keywords and ideas, in one statement whatever the number of
// clusters (never a query per row), and derives the status: mapped while
// the cluster has keywords, new otherwise. Every change that moves,
// deletes or restores a keyword or an idea calls it inside its transaction,
// with the clusters on both sides of the move.
//
// Recomputing rather than adding deltas keeps the numbers right whatever
// path changed the rows, and costs one indexed scan per touched cluster.
func refreshClusters(ctx context.Context, idb bun.IDB, t tenancy.Tenant, ids []int64) error {
	ids = uniquePositive(ids)
	if len(ids) == 0 {
		return nil
	}
	const live = "k.cluster_id = ?TableAlias.id AND k.deleted_at IS NULL"
	q, err := tenancy.ScopeAccount(idb.NewUpdate().Model((*Cluster)(nil)), t)
	if err != nil {
		return err
	}
	_, err = q.
		Set("keywords_count = (SELECT count(*) FROM igny8_keywords AS k WHERE "+live+")").
		Set("volume = (SELECT coalesce(sum(k.volume), 0) FROM igny8_keywords AS k WHERE "+live+")").
		Set("difficulty = (SELECT CAST(coalesce(round(avg(k.difficulty)), 0) AS INTEGER) FROM igny8_keywords AS k WHERE "+live+")").
		Set("ideas_count = (SELECT count(*) FROM igny8_content_ideas AS i WHERE i.cluster_id = ?TableAlias.id AND i.deleted_at IS NULL)").
		Set("status = CASE WHEN EXISTS (SELECT 1 FROM igny8_keywords AS k WHERE "+live+") THEN 'mapped' ELSE 'new' END").
		Set("updated_at = ?", timeNow()).
		Where("?TableAlias.id IN (?)", bun.In(ids)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("planner: refresh cluster aggregates: %w", err)
	}
	return nil
}

// uniquePositive drops zero ids and repeats, keeping the order.
func uniquePositive(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
