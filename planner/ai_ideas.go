package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/tenancy"
)

type generateIdeasWorker struct {
	river.WorkerDefaults[GenerateIdeasArgs]
	s *Service
}

func (w *generateIdeasWorker) Timeout(*river.Job[GenerateIdeasArgs]) time.Duration {
	return aiJobTimeout
}

// IdeasResult is the summary of a generate_ideas task.
type IdeasResult struct {
	Ideas   int     `json:"ideas"`
	IdeaIDs []int64 `json:"idea_ids"`
	// Skipped are ideas of the answer that could not be used, with why.
	Skipped []string `json:"skipped"`
	Credits int64    `json:"credits"`
}

func (w *generateIdeasWorker) Work(ctx context.Context, job *river.Job[GenerateIdeasArgs]) error {
	s := w.s
	return runAIJob(ctx, s, job, func(ctx context.Context, t tenancy.Tenant) error {
		pid := job.Args.ProgressID
		_ = s.ai.Tasks.Running(ctx, t, pid, 10, "loading clusters")
		var clusters []Cluster
		q, err := scoped(s.db, &clusters, t)
		if err != nil {
			return err
		}
		if err := q.Where("?TableAlias.id IN (?)", bun.In(job.Args.ClusterIDs)).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
			return fmt.Errorf("planner: load clusters: %w", err)
		}
		if len(clusters) == 0 {
			return s.ai.Tasks.Complete(ctx, s.db, t, pid, "no clusters left", IdeasResult{IdeaIDs: []int64{}, Skipped: []string{}})
		}
		members, err := clusterKeywords(ctx, s.db, t, clusters)
		if err != nil {
			return err
		}
		asked := map[int64]bool{}
		vars := make([]map[string]any, 0, len(clusters))
		for _, c := range clusters {
			asked[c.ID] = true
			texts := make([]string, 0, len(members[c.ID]))
			for _, k := range members[c.ID] {
				texts = append(texts, k.Keyword)
			}
			vars = append(vars, map[string]any{"id": c.ID, "name": c.Name, "description": c.Description, "keywords": strings.Join(texts, ", ")})
		}
		runner, err := s.ai.Runner(ctx, t)
		if err != nil {
			return err
		}
		_ = s.ai.Tasks.Running(ctx, t, pid, 30, fmt.Sprintf("asking the model for ideas for %d clusters", len(clusters)))
		res, err := ai.Run(ctx, runner, t, generateIdeasFunction(asked), map[string]any{"clusters": vars})
		if err != nil {
			return err
		}
		_ = s.ai.Tasks.Running(ctx, t, pid, 80, "saving ideas")
		return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			out, err := saveIdeas(ctx, tx, t, clusters, members, res.Output)
			if err != nil {
				return err
			}
			charge, err := s.ai.Billing.ChargeInTx(ctx, tx, t, chargeRequest(OpGenerateIdeas, job.ID, res, "clusters"))
			if err != nil {
				return err
			}
			out.Credits = charge.Credits
			return s.ai.Tasks.Complete(ctx, tx, t, pid, fmt.Sprintf("%d ideas for %d clusters", out.Ideas, len(clusters)), out)
		})
	})
}

// clusterKeywords returns the live keywords of each cluster, in one query.
func clusterKeywords(ctx context.Context, idb bun.IDB, t tenancy.Tenant, clusters []Cluster) (map[int64][]Keyword, error) {
	ids := make([]int64, len(clusters))
	for i, c := range clusters {
		ids[i] = c.ID
	}
	var rows []Keyword
	q, err := scoped(idb, &rows, t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.cluster_id IN (?)", bun.In(ids)).OrderExpr("?TableAlias.volume DESC, ?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("planner: load cluster keywords: %w", err)
	}
	out := make(map[int64][]Keyword, len(clusters))
	for _, k := range rows {
		out[*k.ClusterID] = append(out[*k.ClusterID], k)
	}
	return out, nil
}

// saveIdeas stores the model's ideas (status new) in their clusters'
// site+sector, links the target keywords found among the cluster's
// keywords, and refreshes the clusters' idea counts. An idea that fails
// validation is skipped with the reason; the rest are saved.
func saveIdeas(ctx context.Context, tx bun.Tx, t tenancy.Tenant, clusters []Cluster, members map[int64][]Keyword, answer ideaAnswer) (*IdeasResult, error) {
	byID := make(map[int64]*Cluster, len(clusters))
	for i := range clusters {
		byID[clusters[i].ID] = &clusters[i]
	}
	res := &IdeasResult{IdeaIDs: []int64{}, Skipped: []string{}}
	ideas := make([]*Idea, 0, len(answer.Ideas))
	for n, out := range answer.Ideas {
		c := byID[out.ClusterID]
		keyOf := map[string]int64{}
		for _, k := range members[c.ID] {
			keyOf[matchKey(k.Keyword)] = k.ID
		}
		var linked []int64
		for _, kw := range out.TargetKeywords {
			if id, ok := keyOf[matchKey(kw)]; ok && !slices.Contains(linked, id) {
				linked = append(linked, id)
			}
		}
		outline := out.Outline
		if len(outline) == 0 || string(outline) == "null" {
			outline = json.RawMessage("{}")
		}
		i := &Idea{
			SiteSectorScoped: c.SiteSectorScoped, Title: out.Title, Description: out.Description, Outline: outline,
			ContentType: out.ContentType, ContentStructure: out.ContentStructure, TargetKeywords: trimAll(out.TargetKeywords),
			ClusterID: &c.ID, EstimatedWordCount: out.EstimatedWordCount, Status: IdeaNew, KeywordIDs: linked,
		}
		i.SiteSectorScoped.Timestamps = tenancy.Timestamps{}
		var v errs.Validation
		checkIdea(&v, i)
		if err := v.Err(); err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("idea %d (%q): %s", n+1, out.Title, errText(err)))
			continue
		}
		ideas = append(ideas, i)
	}
	if len(ideas) == 0 {
		return nil, errs.E(errs.Invalid, "none of the model's ideas could be used: %s", strings.Join(res.Skipped, "; "))
	}
	if err := insertIdeas(ctx, tx, t, ideas); err != nil {
		return nil, err
	}
	for _, i := range ideas {
		res.IdeaIDs = append(res.IdeaIDs, i.ID)
	}
	res.Ideas = len(ideas)
	return res, nil
}

func trimAll(s []string) []string {
	out := make([]string, 0, len(s))
	for _, x := range s {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
