package planner

import (
	"encoding/json"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// KeywordStatus is where a keyword is in the pipeline.
type KeywordStatus string

const (
	KeywordNew    KeywordStatus = "new"    // not in a cluster yet
	KeywordMapped KeywordStatus = "mapped" // in a cluster
	KeywordUsed   KeywordStatus = "used"   // targeted by content
)

// Valid reports whether s is a keyword status.
func (s KeywordStatus) Valid() bool {
	return s == KeywordNew || s == KeywordMapped || s == KeywordUsed
}

// ClusterStatus is new until the cluster has keywords, then mapped.
type ClusterStatus string

const (
	ClusterNew    ClusterStatus = "new"
	ClusterMapped ClusterStatus = "mapped"
)

// Valid reports whether s is a cluster status.
func (s ClusterStatus) Valid() bool { return s == ClusterNew || s == ClusterMapped }

// IdeaStatus is new, queued once turned into a writer task, completed once
// its content exists.
type IdeaStatus string

const (
	IdeaNew       IdeaStatus = "new"
	IdeaQueued    IdeaStatus = "queued"
	IdeaCompleted IdeaStatus = "completed"
)

// Valid reports whether s is an idea status.
func (s IdeaStatus) Valid() bool { return s == IdeaNew || s == IdeaQueued || s == IdeaCompleted }

// ContentTypes and ContentStructures are the shared choices of ideas, tasks
// and content.
var (
	ContentTypes      = []string{"post", "page", "product", "taxonomy"}
	ContentStructures = []string{"article", "guide", "comparison", "review", "listicle", "landing_page", "business_page",
		"service_page", "general", "cluster_hub", "product_page", "category_archive", "tag_archive", "attribute_archive"}
)

// Keyword is a search term a site targets in one sector: adopted from the
// seed library (SeedKeywordID set) or the account's own. Volume, Difficulty
// and Intent are the effective values; for an adopted keyword the
// *Override fields say which of them the account changed.
type Keyword struct {
	bun.BaseModel `bun:"table:igny8_keywords,alias:kw"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.SiteSectorScoped
	SeedKeywordID      *int64          `bun:"seed_keyword_id" json:"seed_keyword_id"`
	Keyword            string          `bun:"keyword,notnull" json:"keyword"`
	Norm               string          `bun:"keyword_norm,notnull" json:"-"`
	Volume             int             `bun:"volume,notnull" json:"volume"`
	Difficulty         int             `bun:"difficulty,notnull" json:"difficulty"`
	Intent             tenancy.Intent  `bun:"intent,notnull" json:"intent"`
	VolumeOverride     *int            `bun:"volume_override" json:"volume_override"`
	DifficultyOverride *int            `bun:"difficulty_override" json:"difficulty_override"`
	IntentOverride     *tenancy.Intent `bun:"intent_override" json:"intent_override"`
	AttributeValues    json.RawMessage `bun:"attribute_values,type:jsonb,notnull" json:"attribute_values"`
	ClusterID          *int64          `bun:"cluster_id" json:"cluster_id"`
	Status             KeywordStatus   `bun:"status,notnull" json:"status"`
	Disabled           bool            `bun:"disabled,notnull" json:"disabled"`
	tenancy.SoftDelete
}

// ScanDest lets keyword lists scan without reflection (store.ColumnScanner):
// one destination per column, in the struct's order.
func (k *Keyword) ScanDest(dest []any) []any {
	return append(dest,
		&k.ID, &k.AccountID, &k.CreatedAt, &k.UpdatedAt, &k.SiteID, &k.SectorID,
		&k.SeedKeywordID, &k.Keyword, &k.Norm, &k.Volume, &k.Difficulty, (*string)(&k.Intent),
		&k.VolumeOverride, &k.DifficultyOverride, &k.IntentOverride, (*[]byte)(&k.AttributeValues),
		&k.ClusterID, (*string)(&k.Status), &k.Disabled, store.NullZeroTime(&k.DeletedAt),
	)
}

// Cluster is a group of keywords one piece of content (or a hub of them)
// targets. The counts are aggregates of its live keywords and ideas, kept
// by the service whenever they change.
type Cluster struct {
	bun.BaseModel `bun:"table:igny8_clusters,alias:cl"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.SiteSectorScoped
	Name          string        `bun:"name,notnull" json:"name"`
	Norm          string        `bun:"name_norm,notnull" json:"-"`
	Description   string        `bun:"description,notnull" json:"description"`
	Status        ClusterStatus `bun:"status,notnull" json:"status"`
	Disabled      bool          `bun:"disabled,notnull" json:"disabled"`
	KeywordsCount int           `bun:"keywords_count,notnull" json:"keywords_count"`
	Volume        int64         `bun:"volume,notnull" json:"volume"`
	Difficulty    int           `bun:"difficulty,notnull" json:"difficulty"`
	IdeasCount    int           `bun:"ideas_count,notnull" json:"ideas_count"`
	MappedPages   int           `bun:"mapped_pages,notnull" json:"mapped_pages"`
	tenancy.SoftDelete
}

// ScanDest lets cluster lists scan without reflection (store.ColumnScanner).
func (c *Cluster) ScanDest(dest []any) []any {
	return append(dest,
		&c.ID, &c.AccountID, &c.CreatedAt, &c.UpdatedAt, &c.SiteID, &c.SectorID,
		&c.Name, &c.Norm, &c.Description, (*string)(&c.Status), &c.Disabled,
		&c.KeywordsCount, &c.Volume, &c.Difficulty, &c.IdeasCount, &c.MappedPages, store.NullZeroTime(&c.DeletedAt),
	)
}

// Idea is a planned piece of content for a cluster: a title, an outline the
// writer builds the article from, and the keywords it targets.
type Idea struct {
	bun.BaseModel `bun:"table:igny8_content_ideas,alias:idea"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	tenancy.SiteSectorScoped
	Title              string          `bun:"title,notnull" json:"title"`
	Description        string          `bun:"description,notnull" json:"description"`
	Outline            json.RawMessage `bun:"outline,type:jsonb,notnull" json:"outline"`
	ContentType        string          `bun:"content_type,notnull" json:"content_type"`
	ContentStructure   string          `bun:"content_structure,notnull" json:"content_structure"`
	TargetKeywords     []string        `bun:"target_keywords,type:jsonb,notnull" json:"target_keywords"`
	ClusterID          *int64          `bun:"cluster_id" json:"cluster_id"`
	EstimatedWordCount int             `bun:"estimated_word_count,notnull" json:"estimated_word_count"`
	Status             IdeaStatus      `bun:"status,notnull" json:"status"`
	Disabled           bool            `bun:"disabled,notnull" json:"disabled"`
	// KeywordIDs are the targeted keywords (igny8_content_idea_keywords).
	KeywordIDs []int64 `bun:"-" json:"keyword_ids"`
	tenancy.SoftDelete
}

// ideaKeyword links an idea to a keyword it targets.
type ideaKeyword struct {
	bun.BaseModel `bun:"table:igny8_content_idea_keywords,alias:ik"`

	AccountID int64 `bun:"account_id,notnull"`
	SiteID    int64 `bun:"site_id,notnull"`
	SectorID  int64 `bun:"sector_id,notnull"`
	IdeaID    int64 `bun:"idea_id,pk"`
	KeywordID int64 `bun:"keyword_id,pk"`
}
