package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/tenancy"
)

// genKeyword, genCluster and genIdea are one sector's rows before ids
// exist; links are indexes within the sector.
type genKeyword struct {
	Text               string
	Volume, Difficulty int
	Intent             tenancy.Intent
	Cluster            int // -1: none
}

type genCluster struct {
	Name, Description string
}

type genIdea struct {
	Title, Structure string
	Cluster          int
	Keywords         []int
	WordCount        int
}

type sectorData struct {
	Keywords []genKeyword
	Clusters []genCluster
	Ideas    []genIdea
}

// generateSector makes the n keywords of sector g with their clusters and
// ideas. Each sector has its own random stream (seed, g), so a sector's
// data does not depend on how many sectors come before it.
func generateSector(c Config, g, n int) sectorData {
	rng := rand.New(rand.NewPCG(c.Seed, uint64(g)+1))
	w := words()
	var d sectorData
	seen := make(map[string]bool, n)
	mapped := 0
	for i := range n {
		text := uniqueKeyword(rng, w, seen, i)
		k := genKeyword{
			Text: text,
			// Log-uniform 10..100,000, like search volumes.
			Volume:     int(math.Round(10 * math.Pow(10, 4*rng.Float64()))),
			Difficulty: rng.IntN(101),
			Intent:     pickIntent(rng),
			Cluster:    -1,
		}
		if rng.IntN(100) < c.MappedPercent {
			k.Cluster = mapped // provisional: the mapped keyword's rank
			mapped++
		}
		d.Keywords = append(d.Keywords, k)
	}
	if mapped == 0 {
		return d
	}
	clusters := (mapped + c.KeywordsPerCluster - 1) / c.KeywordsPerCluster
	for i := range clusters {
		adj, noun := w.adjectives[rng.IntN(len(w.adjectives))], w.nouns[rng.IntN(len(w.nouns))]
		d.Clusters = append(d.Clusters, genCluster{
			Name:        fmt.Sprintf("%s %s %d", title(adj), noun, i+1),
			Description: fmt.Sprintf("Keywords about %s %s.", adj, noun),
		})
	}
	members := make([][]int, clusters)
	for i := range d.Keywords {
		k := &d.Keywords[i]
		if k.Cluster < 0 {
			continue
		}
		// The first keywords fill every cluster once, so none is empty;
		// the rest land at random.
		if k.Cluster >= clusters {
			k.Cluster = rng.IntN(clusters)
		}
		members[k.Cluster] = append(members[k.Cluster], i)
	}
	structures := planner.ContentStructures
	for ci, kws := range members {
		for range rng.IntN(c.MaxIdeasPerCluster + 1) {
			take := min(len(kws), 1+rng.IntN(3))
			start := rng.IntN(len(kws))
			idea := genIdea{
				Cluster:   ci,
				Structure: structures[rng.IntN(len(structures))],
				WordCount: 800 + rng.IntN(1700),
			}
			for j := range take {
				idea.Keywords = append(idea.Keywords, kws[(start+j)%len(kws)])
			}
			idea.Title = "The complete guide to " + d.Keywords[idea.Keywords[0]].Text
			d.Ideas = append(d.Ideas, idea)
		}
	}
	return d
}

// uniqueKeyword draws keywords until one is new in the sector; after a few
// misses (only with far more keywords per sector than the vocabulary
// offers) it appends the keyword's index, which is unique.
func uniqueKeyword(rng *rand.Rand, w vocabulary, seen map[string]bool, i int) string {
	var text string
	for range 20 {
		parts := []string{
			w.modifiers[rng.IntN(len(w.modifiers))],
			w.adjectives[rng.IntN(len(w.adjectives))],
			w.nouns[rng.IntN(len(w.nouns))],
		}
		if s := w.suffixes[rng.IntN(len(w.suffixes))]; s != "" {
			parts = append(parts, s)
		}
		text = strings.Join(parts, " ")
		if !seen[tenancy.NormalizeKeyword(text)] {
			break
		}
		text = ""
	}
	if text == "" {
		text = fmt.Sprintf("keyword %d", i+1)
	}
	seen[tenancy.NormalizeKeyword(text)] = true
	return text
}

// pickIntent weights intents roughly as keyword research tools report them.
func pickIntent(rng *rand.Rand) tenancy.Intent {
	switch r := rng.IntN(10); {
	case r < 4:
		return tenancy.IntentInformational
	case r < 7:
		return tenancy.IntentCommercial
	case r < 9:
		return tenancy.IntentTransactional
	}
	return tenancy.IntentNavigational
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
