package planner

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// AddWorkers registers the planner's job workers, which run on s.
func AddWorkers(w *river.Workers, s *Service) {
	river.AddWorker(w, &autoClusterWorker{s: s})
	river.AddWorker(w, &generateIdeasWorker{s: s})
}

type autoClusterWorker struct {
	river.WorkerDefaults[AutoClusterArgs]
	s *Service
}

func (w *autoClusterWorker) Timeout(*river.Job[AutoClusterArgs]) time.Duration { return aiJobTimeout }

func (w *autoClusterWorker) Work(ctx context.Context, job *river.Job[AutoClusterArgs]) error {
	s := w.s
	return runAIJob(ctx, s, job, func(ctx context.Context, t tenancy.Tenant) error {
		pid := job.Args.ProgressID
		_ = s.ai.Tasks.Running(ctx, t, pid, 10, "loading keywords")
		rows, err := s.loadKeywords(ctx, s.db, t, job.Args.KeywordIDs)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return s.ai.Tasks.Complete(ctx, s.db, t, pid, "no keywords left to cluster", ClusterResult{Unmatched: []string{}})
		}
		existing, err := s.clusterNamesOf(ctx, t, job.Args.SiteID, job.Args.SectorID)
		if err != nil {
			return err
		}
		texts := make([]string, len(rows))
		for i, k := range rows {
			texts[i] = k.Keyword
		}
		runner, err := s.ai.Runner(ctx, t)
		if err != nil {
			return err
		}
		_ = s.ai.Tasks.Running(ctx, t, pid, 30, "asking the model to cluster "+strconv.Itoa(len(rows))+" keywords")
		res, err := ai.Run(ctx, runner, t, autoClusterFunction(), map[string]any{
			"keywords": texts, "sector": sectorLabel(ctx, s.db, t, job.Args.SectorID), "existing_clusters": joinQuoted(existing),
		})
		if err != nil {
			return err
		}
		_ = s.ai.Tasks.Running(ctx, t, pid, 80, "saving clusters")
		return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			out, err := saveClusters(ctx, tx, t, job.Args.SiteID, job.Args.SectorID, job.Args.KeywordIDs, res.Output)
			if err != nil {
				return err
			}
			charge, err := s.ai.Billing.ChargeInTx(ctx, tx, t, chargeRequest(OpAutoCluster, job.ID, res, "keywords"))
			if err != nil {
				return err
			}
			out.Credits = charge.Credits
			msg := fmt.Sprintf("%d keywords in %d clusters (%d new)", out.KeywordsMapped, out.Clusters, out.ClustersCreated)
			return s.ai.Tasks.Complete(ctx, tx, t, pid, msg, out)
		})
	})
}

// chargeRequest is the charge of one AI job, keyed by the job.
func chargeRequest[Out any](op string, jobID int64, res *ai.Result[Out], related string) billing.ChargeRequest {
	id := strconv.FormatInt(jobID, 10)
	return billing.ChargeRequest{
		Operation: op, IdempotencyKey: chargeKey(jobID), Reference: "job " + id, JobID: id, RelatedType: related,
		Usage:      billing.Usage{PromptTokens: res.PromptTokens, CompletionTokens: res.CompletionTokens, Model: res.Model},
		DurationMS: res.Duration.Milliseconds(),
	}
}

// ClusterResult is the summary of an auto_cluster task.
type ClusterResult struct {
	Clusters        int     `json:"clusters"`
	ClustersCreated int     `json:"clusters_created"`
	ClusterIDs      []int64 `json:"cluster_ids"`
	KeywordsMapped  int     `json:"keywords_mapped"`
	// Unmatched are keywords the model named that are not among the ones
	// sent (or were already placed in an earlier cluster of the answer).
	Unmatched []string `json:"unmatched"`
	// EmptyClusters are groups the model gave without any usable keyword;
	// they are not created.
	EmptyClusters []string `json:"empty_clusters"`
	Credits       int64    `json:"credits"`
}

// saveClusters applies the model's answer: clusters are matched by name
// (case and spacing ignored) or created, keywords matched back to the ids
// sent (case, spacing and punctuation ignored), moved into their cluster
// and marked mapped, and the aggregates of every cluster touched
// refreshed. It runs in the caller's transaction with the charge.
func saveClusters(ctx context.Context, tx bun.Tx, t tenancy.Tenant, siteID, sectorID int64, ids []int64, answer clusterAnswer) (*ClusterResult, error) {
	var rows []Keyword
	q, err := scoped(tx, &rows, t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id IN (?)", bun.In(ids)).Where("?TableAlias.site_id = ?", siteID).
		Where("?TableAlias.sector_id = ?", sectorID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("planner: load keywords: %w", err)
	}
	byKey := make(map[string]*Keyword, len(rows))
	for i := range rows {
		byKey[matchKey(rows[i].Keyword)] = &rows[i]
	}
	res := &ClusterResult{Unmatched: []string{}, EmptyClusters: []string{}, ClusterIDs: []int64{}}
	placed := map[int64]bool{}
	touched := []int64{}
	clusters := map[string]*Cluster{} // by name_norm, for duplicate names in one answer
	for _, c := range answer.Clusters {
		var members []*Keyword
		for _, text := range c.Keywords {
			k := byKey[matchKey(text)]
			if k == nil || placed[k.ID] {
				res.Unmatched = append(res.Unmatched, text)
				continue
			}
			placed[k.ID] = true
			members = append(members, k)
		}
		name := strings.TrimSpace(c.Name)
		if len(members) == 0 {
			res.EmptyClusters = append(res.EmptyClusters, name)
			continue
		}
		var v errs.Validation
		name = text(&v, "name", name, maxNameLen, true)
		desc := text(&v, "description", c.Description, maxDescriptionLen, false)
		if err := v.Err(); err != nil {
			return nil, fmt.Errorf("cluster %q: %w", c.Name, err)
		}
		cl := clusters[Normalize(name)]
		if cl == nil {
			if cl, err = findOrCreateCluster(ctx, tx, t, siteID, sectorID, name, desc, res); err != nil {
				return nil, err
			}
			clusters[cl.Norm] = cl
			res.Clusters++
			res.ClusterIDs = append(res.ClusterIDs, cl.ID)
		}
		for _, k := range members {
			touched = append(touched, derefID(k.ClusterID))
			k.ClusterID = &cl.ID
			if k.Status != KeywordUsed {
				k.Status = KeywordMapped
			}
			k.UpdatedAt = timeNow()
		}
		touched = append(touched, cl.ID)
		res.KeywordsMapped += len(members)
	}
	moved := make([]Keyword, 0, len(placed))
	for i := range rows {
		if placed[rows[i].ID] {
			moved = append(moved, rows[i])
		}
	}
	if len(moved) > 0 {
		if err := saveKeywordStates(ctx, tx, t, moved); err != nil {
			return nil, err
		}
	}
	return res, refreshClusters(ctx, tx, t, touched)
}

// findOrCreateCluster returns the live cluster of that name in the sector,
// or creates it.
func findOrCreateCluster(ctx context.Context, tx bun.Tx, t tenancy.Tenant, siteID, sectorID int64, name, desc string, res *ClusterResult) (*Cluster, error) {
	var c Cluster
	q, err := scoped(tx, &c, t)
	if err != nil {
		return nil, err
	}
	// Locked like requireCluster's: a concurrent delete cannot leave the
	// keywords about to move in inside a deleted cluster.
	err = store.ForUpdate(q.Where("?TableAlias.site_id = ?", siteID).Where("?TableAlias.sector_id = ?", sectorID).
		Where("?TableAlias.name_norm = ?", Normalize(name)).Limit(1)).Scan(ctx)
	if err == nil {
		return &c, nil
	}
	if !isNoRows(err) {
		return nil, fmt.Errorf("planner: find cluster: %w", err)
	}
	nc := newCluster(t, siteID, sectorID, name, desc)
	if err := insertCluster(ctx, tx, nc); err != nil {
		return nil, err
	}
	res.ClustersCreated++
	return nc, nil
}

// clusterNamesOf lists the sector's live cluster names (for the prompt, so
// the model reuses them).
func (s *Service) clusterNamesOf(ctx context.Context, t tenancy.Tenant, siteID, sectorID int64) ([]string, error) {
	q, err := scoped(s.db, (*Cluster)(nil), t)
	if err != nil {
		return nil, err
	}
	var names []string
	err = q.Column("name").Where("?TableAlias.site_id = ?", siteID).Where("?TableAlias.sector_id = ?", sectorID).
		OrderExpr("?TableAlias.name").Limit(200).Scan(ctx, &names)
	if err != nil {
		return nil, fmt.Errorf("planner: cluster names: %w", err)
	}
	return names, nil
}

// sectorLabel names the sector for a prompt ("" when it cannot be read).
func sectorLabel(ctx context.Context, idb bun.IDB, t tenancy.Tenant, sectorID int64) string {
	var name string
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model((*tenancy.Sector)(nil)), t)
	if err != nil {
		return ""
	}
	if err := q.Column("name").Where("?TableAlias.id = ?", sectorID).Scan(ctx, &name); err != nil {
		return ""
	}
	return name
}
