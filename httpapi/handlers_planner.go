package httpapi

import (
	"github.com/igny8/igny8-go/planner"
)

// idsRequest is the body of the bulk actions that only name rows (delete,
// restore). A missing or empty list is left to the service, which answers
// 400 naming "ids" like every other bulk action.
type idsRequest struct {
	IDs []int64 `json:"ids"`
}

// --- keywords ---

func (a *api) listKeywords(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.planner.KeywordsPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createKeyword(c *call) (any, error) {
	return a.planner.CreateKeyword(c.r.Context(), c.tenant, *c.body.(*planner.KeywordInput))
}

func (a *api) getKeyword(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.GetKeyword(c.r.Context(), c.tenant, id)
}

func (a *api) updateKeyword(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.UpdateKeyword(c.r.Context(), c.tenant, id, *c.body.(*planner.KeywordUpdate))
}

func (a *api) deleteKeyword(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.planner.DeleteKeyword(c.r.Context(), c.tenant, id)
}

func (a *api) bulkDeleteKeywords(c *call) (any, error) {
	return a.planner.BulkDeleteKeywords(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) bulkUpdateKeywords(c *call) (any, error) {
	return a.planner.BulkUpdateKeywords(c.r.Context(), c.tenant, *c.body.(*planner.KeywordBulkUpdate))
}

func (a *api) restoreKeywords(c *call) (any, error) {
	return a.planner.RestoreKeywords(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) addKeywordsFromSeed(c *call) (any, error) {
	return a.planner.AddFromSeed(c.r.Context(), c.tenant, *c.body.(*planner.SeedAdoption))
}

func (a *api) keywordFilterOptions(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return a.planner.KeywordFilterOptions(c.r.Context(), c.tenant, lq)
}

// importKeywordsCSV reads the target site and sector from the query string:
// the body is the file itself, so they cannot travel in it.
func (a *api) importKeywordsCSV(c *call) (any, error) {
	siteID, _, err := c.queryInt("site_id")
	if err != nil {
		return nil, err
	}
	sectorID, _, err := c.queryInt("sector_id")
	if err != nil {
		return nil, err
	}
	r, err := csvUpload(c)
	if err != nil {
		return nil, err
	}
	return csvAnswer(a.planner.ImportKeywordsCSV(c.r.Context(), c.tenant, planner.ImportTarget{SiteID: siteID, SectorID: sectorID}, r))
}

// exportKeywordsCSV takes the list's filters, search and ordering, so the
// file holds what the SPA's table shows (every page of it). The query is
// parsed before the status line goes out, so a bad parameter is still a 400.
func (a *api) exportKeywordsCSV(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	startCSV(c.w, "keywords.csv")
	return nil, a.streamErr(c, a.planner.ExportKeywordsCSV(c.r.Context(), c.tenant, lq, c.w))
}

func (a *api) autoCluster(c *call) (any, error) {
	return a.planner.AutoCluster(c.r.Context(), c.tenant, *c.body.(*planner.AutoClusterInput))
}

// --- clusters ---

func (a *api) listClusters(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.planner.ClustersPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createCluster(c *call) (any, error) {
	return a.planner.CreateCluster(c.r.Context(), c.tenant, *c.body.(*planner.ClusterInput))
}

func (a *api) getCluster(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.GetCluster(c.r.Context(), c.tenant, id)
}

func (a *api) updateCluster(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.UpdateCluster(c.r.Context(), c.tenant, id, *c.body.(*planner.ClusterUpdate))
}

func (a *api) deleteCluster(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.planner.DeleteCluster(c.r.Context(), c.tenant, id)
}

func (a *api) bulkDeleteClusters(c *call) (any, error) {
	return a.planner.BulkDeleteClusters(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) bulkUpdateClusters(c *call) (any, error) {
	return a.planner.BulkUpdateClusters(c.r.Context(), c.tenant, *c.body.(*planner.ClusterBulkUpdate))
}

func (a *api) restoreClusters(c *call) (any, error) {
	return a.planner.RestoreClusters(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) clusterFilterOptions(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return a.planner.ClusterFilterOptions(c.r.Context(), c.tenant, lq)
}

func (a *api) generateIdeas(c *call) (any, error) {
	return a.planner.GenerateIdeas(c.r.Context(), c.tenant, *c.body.(*planner.GenerateIdeasInput))
}

// --- ideas ---

func (a *api) listIdeas(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.planner.IdeasPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createIdea(c *call) (any, error) {
	return a.planner.CreateIdea(c.r.Context(), c.tenant, *c.body.(*planner.IdeaInput))
}

func (a *api) getIdea(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.GetIdea(c.r.Context(), c.tenant, id)
}

func (a *api) updateIdea(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.planner.UpdateIdea(c.r.Context(), c.tenant, id, *c.body.(*planner.IdeaUpdate))
}

func (a *api) deleteIdea(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.planner.DeleteIdea(c.r.Context(), c.tenant, id)
}

func (a *api) bulkDeleteIdeas(c *call) (any, error) {
	return a.planner.BulkDeleteIdeas(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) bulkUpdateIdeas(c *call) (any, error) {
	return a.planner.BulkUpdateIdeas(c.r.Context(), c.tenant, *c.body.(*planner.IdeaBulkUpdate))
}

func (a *api) restoreIdeas(c *call) (any, error) {
	return a.planner.RestoreIdeas(c.r.Context(), c.tenant, c.body.(*idsRequest).IDs)
}

func (a *api) ideaFilterOptions(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return a.planner.IdeaFilterOptions(c.r.Context(), c.tenant, lq)
}
