package planner

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// IdeaInput is a content idea to create in one sector of a site.
type IdeaInput struct {
	SiteID             int64           `json:"site_id"`
	SectorID           int64           `json:"sector_id"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	Outline            json.RawMessage `json:"outline"`
	ContentType        string          `json:"content_type"`
	ContentStructure   string          `json:"content_structure"`
	ClusterID          *int64          `json:"cluster_id"`
	KeywordIDs         []int64         `json:"keyword_ids"`
	TargetKeywords     []string        `json:"target_keywords"`
	EstimatedWordCount int             `json:"estimated_word_count"`
}

// IdeaUpdate changes an idea; absent fields stay. A null cluster_id
// unlinks the cluster; keyword_ids replaces the targeted keywords.
type IdeaUpdate struct {
	Title              *string               `json:"title"`
	Description        *string               `json:"description"`
	Outline            json.RawMessage       `json:"outline"`
	ContentType        *string               `json:"content_type"`
	ContentStructure   *string               `json:"content_structure"`
	ClusterID          nullable.Value[int64] `json:"cluster_id"`
	KeywordIDs         *[]int64              `json:"keyword_ids"`
	EstimatedWordCount *int                  `json:"estimated_word_count"`
	Status             *IdeaStatus           `json:"status"`
	Disabled           *bool                 `json:"disabled"`
}

const maxIdeaKeywords = 50

func checkIdea(v *errs.Validation, i *Idea) {
	i.Title = text(v, "title", i.Title, maxNameLen, true)
	i.Description = text(v, "description", i.Description, maxDescriptionLen, false)
	if i.ContentType == "" {
		i.ContentType = "post"
	}
	if i.ContentStructure == "" {
		i.ContentStructure = "article"
	}
	v.Check(slices.Contains(ContentTypes, i.ContentType), "content_type", "must be one of post, page, product, taxonomy")
	v.Check(slices.Contains(ContentStructures, i.ContentStructure), "content_structure", "is not a known content structure")
	v.Check(i.EstimatedWordCount >= 0 && i.EstimatedWordCount <= 100000, "estimated_word_count", "must be between 0 and 100000")
	if len(i.Outline) == 0 || string(i.Outline) == "null" {
		i.Outline = json.RawMessage("{}")
	} else if !json.Valid(i.Outline) || len(i.Outline) > 100000 {
		v.Add("outline", "must be JSON of at most 100000 bytes")
	}
	if i.TargetKeywords == nil {
		i.TargetKeywords = []string{}
	}
	v.Check(len(i.TargetKeywords) <= maxIdeaKeywords, "target_keywords", fmt.Sprintf("must list at most %d keywords", maxIdeaKeywords))
	for n, kw := range i.TargetKeywords {
		i.TargetKeywords[n] = text(v, "target_keywords", kw, maxKeywordLen, true)
	}
	v.Check(len(i.KeywordIDs) <= maxIdeaKeywords, "keyword_ids", fmt.Sprintf("must list at most %d keywords", maxIdeaKeywords))
	for _, id := range i.KeywordIDs {
		if id <= 0 {
			v.Add("keyword_ids", "must be positive ids")
			break
		}
	}
	i.KeywordIDs = uniquePositive(i.KeywordIDs)
}

// CreateIdea adds an idea (status new) with its targeted keywords, which
// must be live keywords of the idea's sector.
func (s *Service) CreateIdea(ctx context.Context, t tenancy.Tenant, in IdeaInput) (*Idea, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	i := &Idea{
		SiteSectorScoped: tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, SiteID: in.SiteID, SectorID: in.SectorID},
		Title:            in.Title, Description: in.Description, Outline: in.Outline, ContentType: in.ContentType,
		ContentStructure: in.ContentStructure, TargetKeywords: in.TargetKeywords, ClusterID: in.ClusterID,
		EstimatedWordCount: in.EstimatedWordCount, Status: IdeaNew, KeywordIDs: in.KeywordIDs,
	}
	var v errs.Validation
	v.Check(in.SiteID > 0, "site_id", "is required")
	v.Check(in.SectorID > 0, "sector_id", "is required")
	checkIdea(&v, i)
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, _, err := tenancy.ResolveSiteSector(ctx, tx, t, in.SiteID, in.SectorID); err != nil {
			return err
		}
		return insertIdeas(ctx, tx, t, []*Idea{i})
	})
	if err != nil {
		return nil, fmt.Errorf("planner: create idea: %w", err)
	}
	return i, nil
}

// insertIdeas stores ideas (validated, site+sector resolved) with their
// keyword links and refreshes their clusters' counts.
func insertIdeas(ctx context.Context, tx bun.Tx, t tenancy.Tenant, ideas []*Idea) error {
	var clusters []int64
	for _, i := range ideas {
		if i.ClusterID != nil {
			if err := requireCluster(ctx, tx, t, *i.ClusterID, i.SiteID, i.SectorID, "cluster_id"); err != nil {
				return err
			}
			clusters = append(clusters, *i.ClusterID)
		}
		if _, err := tx.NewInsert().Model(i).Returning("id, created_at, updated_at").Exec(ctx); err != nil {
			return store.MapError(err)
		}
		if err := linkKeywords(ctx, tx, t, i); err != nil {
			return err
		}
	}
	return refreshClusters(ctx, tx, t, clusters)
}

// linkKeywords replaces i's keyword links with i.KeywordIDs, each a live
// keyword of i's sector.
func linkKeywords(ctx context.Context, tx bun.Tx, t tenancy.Tenant, i *Idea) error {
	dq, err := tenancy.ScopeAccount(tx.NewDelete().Model((*ideaKeyword)(nil)), t)
	if err != nil {
		return err
	}
	if _, err := dq.Where("?TableAlias.idea_id = ?", i.ID).Exec(ctx); err != nil {
		return fmt.Errorf("planner: unlink keywords: %w", err)
	}
	if i.KeywordIDs == nil {
		i.KeywordIDs = []int64{}
	}
	if len(i.KeywordIDs) == 0 {
		return nil
	}
	q, err := scoped(tx, (*Keyword)(nil), t)
	if err != nil {
		return err
	}
	n, err := q.Where("?TableAlias.id IN (?)", bun.In(i.KeywordIDs)).Where("?TableAlias.site_id = ?", i.SiteID).
		Where("?TableAlias.sector_id = ?", i.SectorID).Count(ctx)
	if err != nil {
		return fmt.Errorf("planner: check keywords: %w", err)
	}
	if int(n) != len(i.KeywordIDs) {
		return errs.Field("keyword_ids", "every keyword must be a keyword of the idea's site and sector")
	}
	links := make([]ideaKeyword, 0, len(i.KeywordIDs))
	for _, k := range i.KeywordIDs {
		links = append(links, ideaKeyword{AccountID: t.AccountID, SiteID: i.SiteID, SectorID: i.SectorID, IdeaID: i.ID, KeywordID: k})
	}
	if _, err := tx.NewInsert().Model(&links).Exec(ctx); err != nil {
		return fmt.Errorf("planner: link keywords: %w", store.MapError(err))
	}
	return nil
}

// loadKeywordIDs fills KeywordIDs of ideas with one query.
func loadKeywordIDs(ctx context.Context, idb bun.IDB, t tenancy.Tenant, ideas []Idea) error {
	if len(ideas) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(ideas))
	byID := make(map[int64]*Idea, len(ideas))
	for n := range ideas {
		ideas[n].KeywordIDs = []int64{}
		ids = append(ids, ideas[n].ID)
		byID[ideas[n].ID] = &ideas[n]
	}
	var links []ideaKeyword
	// Keywords deleted since are not targeted any more (restoring one
	// brings its link back).
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model(&links), t)
	if err != nil {
		return err
	}
	err = q.Where("?TableAlias.idea_id IN (?)", bun.In(ids)).
		Where("?TableAlias.keyword_id IN (SELECT k.id FROM igny8_keywords AS k WHERE k.account_id = ? AND k.deleted_at IS NULL)", t.AccountID).
		OrderExpr("?TableAlias.idea_id, ?TableAlias.keyword_id").Scan(ctx)
	if err != nil {
		return fmt.Errorf("planner: load idea keywords: %w", err)
	}
	for _, l := range links {
		byID[l.IdeaID].KeywordIDs = append(byID[l.IdeaID].KeywordIDs, l.KeywordID)
	}
	return nil
}

// GetIdea returns a live idea t may see, with its keywords.
func (s *Service) GetIdea(ctx context.Context, t tenancy.Tenant, id int64) (*Idea, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	return getIdea(ctx, s.db, t, id, false)
}

func getIdea(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, lock bool) (*Idea, error) {
	i, err := getOne[Idea](ctx, idb, t, id, lock, "idea")
	if err != nil {
		return nil, err
	}
	one := []Idea{*i}
	if err := loadKeywordIDs(ctx, idb, t, one); err != nil {
		return nil, err
	}
	return &one[0], nil
}

// UpdateIdea changes an idea.
func (s *Service) UpdateIdea(ctx context.Context, t tenancy.Tenant, id int64, in IdeaUpdate) (*Idea, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if in.Status != nil && !in.Status.Valid() {
		return nil, errs.Field("status", "must be new, queued or completed")
	}
	var i *Idea
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if i, err = getIdea(ctx, tx, t, id, true); err != nil {
			return err
		}
		oldCluster := derefID(i.ClusterID)
		set(&i.Title, in.Title)
		set(&i.Description, in.Description)
		set(&i.ContentType, in.ContentType)
		set(&i.ContentStructure, in.ContentStructure)
		set(&i.EstimatedWordCount, in.EstimatedWordCount)
		set(&i.Status, in.Status)
		set(&i.Disabled, in.Disabled)
		if in.Outline != nil {
			i.Outline = in.Outline
		}
		if in.ClusterID.Set {
			i.ClusterID = in.ClusterID.Ptr()
		}
		if in.KeywordIDs != nil {
			i.KeywordIDs = *in.KeywordIDs
		}
		var v errs.Validation
		checkIdea(&v, i)
		if err := v.Err(); err != nil {
			return err
		}
		if i.ClusterID != nil && derefID(i.ClusterID) != oldCluster {
			if err := requireCluster(ctx, tx, t, *i.ClusterID, i.SiteID, i.SectorID, "cluster_id"); err != nil {
				return err
			}
		}
		if err := saveRow(ctx, tx, t, i); err != nil {
			return err
		}
		if in.KeywordIDs != nil {
			if err := linkKeywords(ctx, tx, t, i); err != nil {
				return err
			}
		}
		return refreshClusters(ctx, tx, t, []int64{oldCluster, derefID(i.ClusterID)})
	})
	if err != nil {
		return nil, fmt.Errorf("planner: update idea %d: %w", id, err)
	}
	return i, nil
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// DeleteIdea soft-deletes an idea.
func (s *Service) DeleteIdea(ctx context.Context, t tenancy.Tenant, id int64) error {
	return deleteOne(ctx, t, id, "idea", s.BulkDeleteIdeas)
}

// BulkDeleteIdeas soft-deletes ideas and updates their clusters' counts.
func (s *Service) BulkDeleteIdeas(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	return s.setIdeasDeleted(ctx, t, ids, true)
}

// RestoreIdeas brings soft-deleted ideas back (their cluster link is kept
// only while the cluster is live: deleting a cluster unlinks its ideas).
func (s *Service) RestoreIdeas(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	return s.setIdeasDeleted(ctx, t, ids, false)
}

func (s *Service) setIdeasDeleted(ctx context.Context, t tenancy.Tenant, ids []int64, deleted bool) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	ids, err := checkIDs(ids)
	if err != nil {
		return nil, err
	}
	res := &BulkResult{NotFound: []int64{}}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var rows []Idea
		q, err := scoped(tx, &rows, t)
		if err != nil {
			return err
		}
		if !deleted {
			q = q.WhereDeleted()
		}
		if err := store.ForUpdate(q.Column("id", "cluster_id").Where("?TableAlias.id IN (?)", bun.In(ids)).OrderExpr("?TableAlias.id")).Scan(ctx); err != nil {
			return fmt.Errorf("planner: find ideas: %w", err)
		}
		have := map[int64]bool{}
		found := make([]int64, 0, len(rows))
		clusters := make([]int64, 0, len(rows))
		for _, r := range rows {
			have[r.ID] = true
			found = append(found, r.ID)
			clusters = append(clusters, derefID(r.ClusterID))
		}
		for _, id := range ids {
			if !have[id] {
				res.NotFound = append(res.NotFound, id)
			}
		}
		if len(found) == 0 {
			return nil
		}
		var n int64
		if deleted {
			dq, err := tenancy.ScopeAccount(tx.NewDelete().Model((*Idea)(nil)), t)
			if err != nil {
				return err
			}
			r, err := dq.Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
			if err != nil {
				return fmt.Errorf("planner: delete ideas: %w", err)
			}
			n, _ = r.RowsAffected()
		} else {
			uq, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Idea)(nil)).WhereAllWithDeleted(), t)
			if err != nil {
				return err
			}
			r, err := uq.Set("deleted_at = NULL").Set("updated_at = ?", timeNow()).Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
			if err != nil {
				return fmt.Errorf("planner: restore ideas: %w", err)
			}
			n, _ = r.RowsAffected()
		}
		res.Affected = int(n)
		return refreshClusters(ctx, tx, t, clusters)
	})
	if err != nil {
		return nil, fmt.Errorf("planner: ideas: %w", err)
	}
	return res, nil
}

// IdeaBulkUpdate changes the status or disabled flag of many ideas.
type IdeaBulkUpdate struct {
	IDs      []int64     `json:"ids"`
	Status   *IdeaStatus `json:"status"`
	Disabled *bool       `json:"disabled"`
}

// BulkUpdateIdeas applies in to the ideas of in.IDs t may see.
func (s *Service) BulkUpdateIdeas(ctx context.Context, t tenancy.Tenant, in IdeaBulkUpdate) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	if len(in.IDs) > 0 && in.Status == nil && in.Disabled == nil {
		return nil, errs.Field("status", "give status or disabled to change")
	}
	if in.Status != nil && !in.Status.Valid() {
		return nil, errs.Field("status", "must be new, queued or completed")
	}
	return s.bulk(ctx, t, (*Idea)(nil), in.IDs, "bulk update ideas", func(ctx context.Context, tx bun.Tx, found []int64) (int, error) {
		q, err := tenancy.ScopeAccount(tx.NewUpdate().Model((*Idea)(nil)), t)
		if err != nil {
			return 0, err
		}
		if in.Status != nil {
			q = q.Set("status = ?", *in.Status)
		}
		if in.Disabled != nil {
			q = q.Set("disabled = ?", *in.Disabled)
		}
		r, err := q.Set("updated_at = ?", timeNow()).Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("planner: update ideas: %w", err)
		}
		return affected(r), nil
	})
}
