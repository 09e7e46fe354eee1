package planner

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/igny8/igny8-go/ai"
	"github.com/igny8/igny8-go/errs"
)

// Operation names: the AI function, its credit cost row and its task kind.
const (
	OpAutoCluster   = "auto_cluster"
	OpGenerateIdeas = "generate_ideas"
)

// clusterAnswer is the output contract of auto_cluster.
type clusterAnswer struct {
	Clusters []struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Keywords    []string `json:"keywords"`
	} `json:"clusters"`
}

const clusterSystem = "You are an SEO strategist who groups search keywords into topic clusters. You answer with one JSON object and nothing else."

const clusterPrompt = `Group the keywords below into topic clusters for the website section "{{.sector}}".
Put keywords in one cluster when one page could satisfy all of them: group by search intent, use case, function, persona and context. A cluster has 3 to 10 keywords where possible; a keyword belongs to at most one cluster; leave out keywords that fit no cluster.
{{if .existing_clusters}}Reuse these existing cluster names when a group fits one of them: {{.existing_clusters}}.
{{end}}
Keywords (one per line):
{{range .keywords}}{{.}}
{{end}}
Answer with JSON exactly in this shape:
{"clusters": [{"name": "short cluster name", "description": "one sentence on what the cluster covers", "keywords": ["keyword as given", "..."]}]}`

// autoClusterFunction parses strictly: a clusters array must be there and
// every cluster needs a name and a keyword list (empty lists are allowed
// here and reported when saving, so one empty group does not cost a retry).
func autoClusterFunction() ai.Function[clusterAnswer] {
	return ai.Function[clusterAnswer]{
		Name: OpAutoCluster, PromptType: "clustering", DefaultPrompt: clusterPrompt, System: clusterSystem,
		Parse: func(content string) (clusterAnswer, error) {
			out, err := ai.DecodeJSON[clusterAnswer](content)
			if err != nil {
				return out, err
			}
			if out.Clusters == nil {
				return out, errs.E(errs.Invalid, `the answer has no "clusters" array`)
			}
			for i, c := range out.Clusters {
				if strings.TrimSpace(c.Name) == "" {
					return out, errs.E(errs.Invalid, "cluster %d has no name", i+1)
				}
				if c.Keywords == nil {
					return out, errs.E(errs.Invalid, `cluster %q has no "keywords" array`, c.Name)
				}
			}
			return out, nil
		},
	}
}

// ideaAnswer is the output contract of generate_ideas.
type ideaAnswer struct {
	Ideas []ideaOut `json:"ideas"`
}

type ideaOut struct {
	ClusterID          int64           `json:"cluster_id"`
	Title              string          `json:"title"`
	Description        string          `json:"description"`
	Outline            json.RawMessage `json:"outline"`
	ContentType        string          `json:"content_type"`
	ContentStructure   string          `json:"content_structure"`
	TargetKeywords     []string        `json:"target_keywords"`
	EstimatedWordCount int             `json:"estimated_word_count"`
}

const ideasSystem = "You are an SEO content strategist who plans articles for topic clusters. You answer with one JSON object and nothing else."

const ideasPrompt = `Plan content ideas for each topic cluster below: 3 to 7 ideas per cluster.
For each idea give a title, a description, an outline of 6 to 10 H2 sections (each with what it covers), 1 or 2 primary keywords and 2 or 3 more keywords it covers (taken from the cluster's keywords), and the word count the topic needs.
{{range .clusters}}
Cluster {{.id}}: {{.name}}{{if .description}} ({{.description}}){{end}}
Keywords: {{.keywords}}
{{end}}
content_type is one of post, page, product, taxonomy; content_structure is one of article, guide, comparison, review, listicle, landing_page, business_page, service_page, general, cluster_hub, product_page, category_archive, tag_archive, attribute_archive.
Answer with JSON exactly in this shape:
{"ideas": [{"cluster_id": 0, "title": "", "description": "", "outline": {"sections": [{"h2": "", "covers": ""}]}, "content_type": "post", "content_structure": "article", "target_keywords": [""], "estimated_word_count": 1500}]}`

// generateIdeasFunction checks every idea names a cluster that was asked
// for and has a title; the rest is validated when saving.
func generateIdeasFunction(clusters map[int64]bool) ai.Function[ideaAnswer] {
	return ai.Function[ideaAnswer]{
		Name: OpGenerateIdeas, PromptType: "ideas", DefaultPrompt: ideasPrompt, System: ideasSystem,
		Parse: func(content string) (ideaAnswer, error) {
			out, err := ai.DecodeJSON[ideaAnswer](content)
			if err != nil {
				return out, err
			}
			if len(out.Ideas) == 0 {
				return out, errs.E(errs.Invalid, `the answer has no ideas in an "ideas" array`)
			}
			for i, idea := range out.Ideas {
				if !clusters[idea.ClusterID] {
					return out, errs.E(errs.Invalid, "idea %d names cluster_id %d, which is not one of the clusters given", i+1, idea.ClusterID)
				}
				if strings.TrimSpace(idea.Title) == "" {
					return out, errs.E(errs.Invalid, "idea %d has no title", i+1)
				}
			}
			return out, nil
		},
	}
}

// matchKey folds keyword text the way models mangle it: case, spacing and
// punctuation ("Running-Shoes!" matches "running shoes").
func matchKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// estimateTokens guesses a call's usage for the credit pre-check: the
// prompt's fixed part plus a share per item, and an answer of similar size.
func estimateTokens(items, perItem int) (prompt, completion int64) {
	return int64(400 + items*perItem), int64(100 + items*perItem)
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
