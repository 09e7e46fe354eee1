package seed

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

// epoch is the creation time of the first row; rows are a second apart
// (whole seconds, so every stack prints the same timestamps).
func epoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Dataset is every planner row of a seed, with ids, as written.
type Dataset struct {
	Keywords []planner.Keyword
	Clusters []planner.Cluster
	// Ideas carry their targeted keywords in KeywordIDs.
	Ideas []planner.Idea
}

// idBase is the largest id already used in each table; new rows count up
// from it.
type idBase struct{ keyword, cluster, idea int64 }

// build lays the generated sectors onto the manifest's ids.
func build(c Config, m Manifest, base idBase) (Dataset, error) {
	refs := m.Sectors()
	if len(refs) != c.sectors() {
		return Dataset{}, fmt.Errorf("seed: manifest has %d sectors, config wants %d", len(refs), c.sectors())
	}
	var d Dataset
	for g, ref := range refs {
		sd := generateSector(c, g, c.keywordsIn(g))
		at := func(i int) time.Time {
			return epoch().Add(time.Duration(g)*24*time.Hour + time.Duration(i)*time.Second)
		}
		scope := tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: ref.AccountID}, SiteID: ref.SiteID, SectorID: ref.SectorID}

		firstCluster := len(d.Clusters)
		for i, gc := range sd.Clusters {
			cl := planner.Cluster{
				ID: base.cluster + int64(firstCluster+i) + 1, SiteSectorScoped: scope,
				Name: gc.Name, Norm: tenancy.NormalizeKeyword(gc.Name), Description: gc.Description,
				Status: planner.ClusterNew,
			}
			cl.CreatedAt, cl.UpdatedAt = at(i), at(i)
			d.Clusters = append(d.Clusters, cl)
		}
		clusterOf := func(i int) *planner.Cluster { return &d.Clusters[firstCluster+i] }

		firstKeyword := len(d.Keywords)
		diffSum := map[int]int{}
		for i, gk := range sd.Keywords {
			k := planner.Keyword{
				ID: base.keyword + int64(firstKeyword+i) + 1, SiteSectorScoped: scope,
				Keyword: gk.Text, Norm: tenancy.NormalizeKeyword(gk.Text),
				Volume: gk.Volume, Difficulty: gk.Difficulty, Intent: gk.Intent,
				AttributeValues: json.RawMessage(`[]`), Status: planner.KeywordNew,
			}
			k.CreatedAt, k.UpdatedAt = at(i), at(i)
			if gk.Cluster >= 0 {
				cl := clusterOf(gk.Cluster)
				// A copy: the slice under cl may move as later sectors append.
				id := cl.ID
				k.ClusterID, k.Status = &id, planner.KeywordMapped
				cl.KeywordsCount++
				cl.Volume += int64(gk.Volume)
				cl.Status = planner.ClusterMapped
				diffSum[gk.Cluster] += gk.Difficulty
			}
			d.Keywords = append(d.Keywords, k)
		}
		for ci, sum := range diffSum {
			cl := clusterOf(ci)
			cl.Difficulty = roundedMean(sum, cl.KeywordsCount)
		}

		for i, gi := range sd.Ideas {
			cl := clusterOf(gi.Cluster)
			cl.IdeasCount++
			clusterID := cl.ID
			idea := planner.Idea{
				ID: base.idea + int64(len(d.Ideas)) + 1, SiteSectorScoped: scope,
				Title: gi.Title, Description: "Planned by the benchmark seeder.",
				ContentType: "post", ContentStructure: gi.Structure, ClusterID: &clusterID,
				EstimatedWordCount: gi.WordCount, Status: planner.IdeaNew,
			}
			idea.CreatedAt, idea.UpdatedAt = at(i), at(i)
			for _, ki := range gi.Keywords {
				kw := d.Keywords[firstKeyword+ki]
				idea.KeywordIDs = append(idea.KeywordIDs, kw.ID)
				idea.TargetKeywords = append(idea.TargetKeywords, kw.Keyword)
			}
			outline, err := json.Marshal(map[string]any{"sections": []map[string]string{
				{"heading": "Introduction"}, {"heading": "How to choose"}, {"heading": "Our picks"}, {"heading": "FAQ"},
			}})
			if err != nil {
				return Dataset{}, fmt.Errorf("seed: outline: %w", err)
			}
			idea.Outline = outline
			d.Ideas = append(d.Ideas, idea)
		}
	}
	return d, nil
}

// roundedMean is sum/n rounded half away from zero, as PostgreSQL's
// round(avg(…)) and SQLite's round(avg(…)) do for non-negative values.
func roundedMean(sum, n int) int {
	if n == 0 {
		return 0
	}
	return (2*sum + n) / (2 * n)
}
