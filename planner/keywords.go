package planner

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/nullable"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// KeywordInput is a keyword to add to one sector of a site: either a seed
// keyword of the global library (SeedKeywordID; Volume, Difficulty and
// Intent then override the seed's values) or the account's own text
// (Keyword), which never enters the global library.
type KeywordInput struct {
	SiteID          int64           `json:"site_id"`
	SectorID        int64           `json:"sector_id"`
	SeedKeywordID   *int64          `json:"seed_keyword_id"`
	Keyword         string          `json:"keyword"`
	Volume          *int            `json:"volume"`
	Difficulty      *int            `json:"difficulty"`
	Intent          *tenancy.Intent `json:"intent"`
	ClusterID       *int64          `json:"cluster_id"`
	AttributeValues json.RawMessage `json:"attribute_values"`
}

// KeywordUpdate changes a keyword; absent fields stay as they are. For an
// adopted seed keyword, volume, difficulty and intent set overrides, and
// null clears an override (back to the seed's value); the text of an
// adopted keyword cannot change. A null cluster_id takes the keyword out of
// its cluster.
type KeywordUpdate struct {
	Keyword         *string                        `json:"keyword"`
	Volume          nullable.Value[int]            `json:"volume"`
	Difficulty      nullable.Value[int]            `json:"difficulty"`
	Intent          nullable.Value[tenancy.Intent] `json:"intent"`
	ClusterID       nullable.Value[int64]          `json:"cluster_id"`
	Status          *KeywordStatus                 `json:"status"`
	Disabled        *bool                          `json:"disabled"`
	AttributeValues json.RawMessage                `json:"attribute_values"`
}

const maxKeywordLen = 255

// checkMetrics validates the numbers and intent of a keyword.
func checkMetrics(v *errs.Validation, volume, difficulty *int, intent *tenancy.Intent) {
	if volume != nil {
		v.Check(*volume >= 0, "volume", "must not be negative")
		v.Check(*volume <= math.MaxInt32, "volume", fmt.Sprintf("must be at most %d", math.MaxInt32))
	}
	if difficulty != nil {
		v.Check(*difficulty >= 0 && *difficulty <= 100, "difficulty", "must be between 0 and 100")
	}
	if intent != nil {
		v.Check(intent.Valid(), "intent", "must be informational, commercial, transactional or navigational")
	}
}

// checkAttributes accepts a JSON array (the original's attribute_values).
func checkAttributes(v *errs.Validation, raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return json.RawMessage("[]")
	}
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil {
		v.Add("attribute_values", "must be a JSON array")
	}
	if len(raw) > 20000 {
		v.Add("attribute_values", "must be at most 20000 bytes")
	}
	return raw
}

// CreateKeyword adds one keyword. A keyword whose text is already live in
// the sector is a conflict; the plan's max_keywords applies.
func (s *Service) CreateKeyword(ctx context.Context, t tenancy.Tenant, in KeywordInput) (*Keyword, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	v.Check(in.SiteID > 0, "site_id", "is required")
	v.Check(in.SectorID > 0, "sector_id", "is required")
	own := text(&v, "keyword", in.Keyword, maxKeywordLen, in.SeedKeywordID == nil)
	if in.SeedKeywordID != nil && own != "" {
		v.Add("keyword", "give either keyword or seed_keyword_id, not both")
	}
	checkMetrics(&v, in.Volume, in.Difficulty, in.Intent)
	attrs := checkAttributes(&v, in.AttributeValues)
	if err := v.Err(); err != nil {
		return nil, err
	}

	k := Keyword{
		SiteSectorScoped: tenancy.SiteSectorScoped{AccountScoped: tenancy.AccountScoped{AccountID: t.AccountID}, SiteID: in.SiteID, SectorID: in.SectorID},
		AttributeValues:  attrs, Status: KeywordNew,
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, sector, err := tenancy.ResolveSiteSector(ctx, tx, t, in.SiteID, in.SectorID)
		if err != nil {
			return err
		}
		if in.SeedKeywordID != nil {
			seed, err := loadSeed(ctx, tx, *in.SeedKeywordID, sector)
			if err != nil {
				return err
			}
			k.SeedKeywordID, k.Keyword = &seed.ID, seed.Keyword
			k.VolumeOverride, k.DifficultyOverride, k.IntentOverride = in.Volume, in.Difficulty, in.Intent
			k.applySeed(seed)
		} else {
			k.Keyword = own
			k.Volume, k.Difficulty, k.Intent = deref(in.Volume, 0), deref(in.Difficulty, 0), deref(in.Intent, tenancy.IntentInformational)
		}
		k.Norm = Normalize(k.Keyword)
		if in.ClusterID != nil {
			if err := requireCluster(ctx, tx, t, *in.ClusterID, k.SiteID, k.SectorID, "cluster_id"); err != nil {
				return err
			}
			k.ClusterID, k.Status = in.ClusterID, KeywordMapped
		}
		out, err := addKeywords(ctx, tx, t, []Keyword{k})
		if err != nil {
			return err
		}
		switch out.outcome[0] {
		case addedRow:
		case duplicateRow:
			return errs.FieldCode(errs.Conflict, "keyword", fmt.Sprintf("%q is already a keyword of this sector", k.Keyword))
		case overQuota:
			return quotaError(out.plan)
		}
		k = out.rows[0]
		return refreshClusters(ctx, tx, t, []int64{derefID(k.ClusterID)})
	})
	if err != nil {
		return nil, fmt.Errorf("planner: create keyword: %w", err)
	}
	return &k, nil
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func derefID(p *int64) int64 { return deref(p, 0) }

// applySeed sets the effective values from the seed and the overrides.
func (k *Keyword) applySeed(seed *tenancy.SeedKeyword) {
	k.Volume = deref(k.VolumeOverride, seed.Volume)
	k.Difficulty = deref(k.DifficultyOverride, seed.Difficulty)
	k.Intent = deref(k.IntentOverride, seed.Intent)
}

// loadSeed returns an active seed keyword of the sector's industry sector.
func loadSeed(ctx context.Context, idb bun.IDB, id int64, sector *tenancy.Sector) (*tenancy.SeedKeyword, error) {
	var seed tenancy.SeedKeyword
	err := idb.NewSelect().Model(&seed).Where("?TableAlias.id = ?", id).Where("?TableAlias.is_active = ?", true).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Field("seed_keyword_id", fmt.Sprintf("seed keyword %d does not exist", id))
	}
	if err != nil {
		return nil, fmt.Errorf("planner: load seed keyword: %w", err)
	}
	if sector.IndustrySectorID == nil || *sector.IndustrySectorID != seed.IndustrySectorID {
		return nil, errs.Field("seed_keyword_id", fmt.Sprintf("seed keyword %d belongs to another industry sector than sector %d", id, sector.ID))
	}
	return &seed, nil
}

// requireCluster checks that id is a live cluster of site+sector t may see
// and locks it for the rest of the transaction: a concurrent deletion of
// the cluster then either waits for this transaction (and detaches what it
// attached) or has committed first (and the check fails), so no live row
// is ever left inside a deleted cluster.
func requireCluster(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id, siteID, sectorID int64, field string) error {
	q, err := scoped(idb, (*Cluster)(nil), t)
	if err != nil {
		return err
	}
	var found []int64
	err = store.ForUpdate(q.Column("id").Where("?TableAlias.id = ?", id).Where("?TableAlias.site_id = ?", siteID).
		Where("?TableAlias.sector_id = ?", sectorID)).Scan(ctx, &found)
	if err != nil {
		return fmt.Errorf("planner: find cluster: %w", err)
	}
	if len(found) == 0 {
		return errs.Field(field, fmt.Sprintf("cluster %d is not a cluster of this site and sector", id))
	}
	return nil
}

// addOutcome is what became of one row given to addKeywords.
type addOutcome int

const (
	addedRow     addOutcome = iota
	duplicateRow            // its text is already live in the sector (or earlier in the batch)
	overQuota               // the plan's max_keywords was reached
)

type addResult struct {
	rows    []Keyword // the rows given, inserted ones with their ids
	outcome []addOutcome
	added   int
	plan    *tenancy.Plan
}

// addKeywords inserts rows (all of one site+sector, already normalised and
// resolved) that are not yet live in the sector, as far as the plan allows,
// in one statement. It takes the account's keyword lock first, so the
// count, and the duplicate check, hold for the rest of tx. (CSV imports on
// PostgreSQL load with COPY instead: loadKeywords.)
func addKeywords(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword) (*addResult, error) {
	res, room, err := startAdd(ctx, tx, t, rows)
	if err != nil || len(rows) == 0 {
		return res, err
	}
	// Repeats inside rows are duplicates of their first occurrence.
	first := make(map[string]int, len(rows))
	candidates := make([]int, 0, len(rows))
	for i := range rows {
		if _, seen := first[rows[i].Norm]; seen {
			res.outcome[i] = duplicateRow
			continue
		}
		first[rows[i].Norm] = i
		candidates = append(candidates, i)
	}
	if len(candidates) > room {
		// Only room rows may go in, and which ones depends on which are
		// duplicates: find those first (exact under the lock).
		if candidates, err = keepRoom(ctx, tx, t, rows, candidates, room, res); err != nil {
			return nil, err
		}
	}
	if len(candidates) == 0 {
		return res, nil
	}
	insert := make([]Keyword, len(candidates))
	for j, i := range candidates {
		insert[j] = rows[i]
	}
	// Rows whose text is live in the sector already are skipped by the
	// unique index and missing from RETURNING: one statement both checks
	// and inserts.
	var added []struct {
		ID        int64     `bun:"id"`
		Norm      string    `bun:"keyword_norm"`
		CreatedAt time.Time `bun:"created_at"`
	}
	err = tx.NewInsert().Model(&insert).
		On("CONFLICT (account_id, site_id, sector_id, keyword_norm) WHERE deleted_at IS NULL DO NOTHING").
		Returning("id, keyword_norm, created_at").Scan(ctx, &added)
	if err != nil {
		return nil, fmt.Errorf("planner: insert keywords: %w", store.MapError(err))
	}
	got := make(map[string]int, len(added))
	for j, a := range added {
		got[a.Norm] = j
	}
	for _, i := range candidates {
		j, ok := got[rows[i].Norm]
		if !ok {
			res.outcome[i] = duplicateRow
			continue
		}
		rows[i].ID, rows[i].CreatedAt, rows[i].UpdatedAt = added[j].ID, added[j].CreatedAt, added[j].CreatedAt
		res.added++
	}
	return res, nil
}

// keywordCopyColumns are the columns copyKeywords loads; the others take
// their defaults.
var keywordCopyColumns = []string{"account_id", "site_id", "sector_id", "keyword", "keyword_norm", "volume", "difficulty",
	"intent", "attribute_values", "cluster_id", "status", "created_at", "updated_at"}

// copyKeywords loads the candidate rows, which the caller has checked are
// not live in the sector yet (under the account's keyword lock).
func copyKeywords(ctx context.Context, copier store.Copier, rows []Keyword, candidates []int, res *addResult) error {
	now := timeNow()
	data := make([][]any, len(candidates))
	for j, i := range candidates {
		k := &rows[i]
		k.CreatedAt, k.UpdatedAt = now, now
		data[j] = []any{k.AccountID, k.SiteID, k.SectorID, k.Keyword, k.Norm, k.Volume, k.Difficulty,
			string(k.Intent), string(k.AttributeValues), k.ClusterID, string(k.Status), now, now}
	}
	n, err := copier(ctx, "igny8_keywords", keywordCopyColumns, data)
	if err != nil {
		return fmt.Errorf("planner: load keywords: %w", err)
	}
	res.added = int(n)
	return nil
}

// startAdd begins every way keywords are added: it takes the account's
// keyword lock and reads how many more the plan allows (nothing for no
// rows).
func startAdd(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword) (*addResult, int, error) {
	res := &addResult{rows: rows, outcome: make([]addOutcome, len(rows))}
	if len(rows) == 0 {
		return res, 0, nil
	}
	room, plan, err := keywordRoom(ctx, tx, t)
	if err != nil {
		return nil, 0, err
	}
	res.plan = plan
	return res, room, nil
}

// keepRoom marks the candidates whose text is live in the sector as
// duplicates and those past the plan's room as over the limit, and returns
// the ones that go in, in file order.
func keepRoom(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword, candidates []int, room int, res *addResult) ([]int, error) {
	candidates, err := dropExisting(ctx, tx, t, rows, candidates, res)
	if err != nil {
		return nil, err
	}
	for _, i := range candidates[min(room, len(candidates)):] {
		res.outcome[i] = overQuota
	}
	return candidates[:min(room, len(candidates))], nil
}

// dropExisting marks the candidates whose text is live in the sector as
// duplicates and returns the others, in order.
func dropExisting(ctx context.Context, tx bun.Tx, t tenancy.Tenant, rows []Keyword, candidates []int, res *addResult) ([]int, error) {
	norms := make([]string, len(candidates))
	for j, i := range candidates {
		norms[j] = rows[i].Norm
	}
	q, err := tenancy.ScopeAccount(tx.NewSelect().Model((*Keyword)(nil)), t)
	if err != nil {
		return nil, err
	}
	var existing []string
	err = q.Column("keyword_norm").Where("?TableAlias.site_id = ?", rows[0].SiteID).
		Where("?TableAlias.sector_id = ?", rows[0].SectorID).
		Where("?TableAlias.keyword_norm IN (?)", bun.In(norms)).Scan(ctx, &existing)
	if err != nil {
		return nil, fmt.Errorf("planner: find existing keywords: %w", err)
	}
	taken := make(map[string]bool, len(existing))
	for _, n := range existing {
		taken[n] = true
	}
	kept := candidates[:0:0]
	for _, i := range candidates {
		if taken[rows[i].Norm] {
			res.outcome[i] = duplicateRow
		} else {
			kept = append(kept, i)
		}
	}
	return kept, nil
}

// GetKeyword returns a live keyword t may see.
func (s *Service) GetKeyword(ctx context.Context, t tenancy.Tenant, id int64) (*Keyword, error) {
	if err := requireRead(t); err != nil {
		return nil, err
	}
	return getKeyword(ctx, s.db, t, id, false)
}

func getKeyword(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64, lock bool) (*Keyword, error) {
	return getOne[Keyword](ctx, idb, t, id, lock, "keyword")
}

// UpdateKeyword changes a keyword and keeps the aggregates of the clusters
// it leaves and joins right.
func (s *Service) UpdateKeyword(ctx context.Context, t tenancy.Tenant, id int64, in KeywordUpdate) (*Keyword, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	var v errs.Validation
	var own string
	if in.Keyword != nil {
		own = text(&v, "keyword", *in.Keyword, maxKeywordLen, true)
	}
	checkMetrics(&v, in.Volume.Ptr(), in.Difficulty.Ptr(), in.Intent.Ptr())
	if in.Status != nil {
		v.Check(in.Status.Valid(), "status", "must be new, mapped or used")
	}
	var attrs json.RawMessage
	if in.AttributeValues != nil {
		attrs = checkAttributes(&v, in.AttributeValues)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var k *Keyword
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if k, err = getKeyword(ctx, tx, t, id, true); err != nil {
			return err
		}
		oldCluster := derefID(k.ClusterID)
		if in.Keyword != nil && Normalize(own) != k.Norm {
			// New text joins the texts a CSV import checks under this lock.
			if err := lockKeywords(ctx, tx, t); err != nil {
				return err
			}
		}
		if err := k.apply(ctx, tx, t, in, own, attrs); err != nil {
			return err
		}
		if err := saveRow(ctx, tx, t, k); err != nil {
			if errs.Is(err, errs.Conflict) {
				return errs.FieldCode(errs.Conflict, "keyword", fmt.Sprintf("%q is already a keyword of this sector", k.Keyword))
			}
			return err
		}
		return refreshClusters(ctx, tx, t, []int64{oldCluster, derefID(k.ClusterID)})
	})
	if err != nil {
		return nil, fmt.Errorf("planner: update keyword %d: %w", id, err)
	}
	return k, nil
}

// apply merges in into k, with the checks that need the database.
func (k *Keyword) apply(ctx context.Context, idb bun.IDB, t tenancy.Tenant, in KeywordUpdate, own string, attrs json.RawMessage) error {
	seeded := k.SeedKeywordID != nil
	if in.Keyword != nil {
		if seeded && own != k.Keyword {
			return errs.Field("keyword", "the text of a keyword adopted from the library cannot change; override volume, difficulty or intent instead")
		}
		k.Keyword, k.Norm = own, Normalize(own)
	}
	if seeded {
		if in.Volume.Set {
			k.VolumeOverride = in.Volume.Ptr()
		}
		if in.Difficulty.Set {
			k.DifficultyOverride = in.Difficulty.Ptr()
		}
		if in.Intent.Set {
			k.IntentOverride = in.Intent.Ptr()
		}
		var seed tenancy.SeedKeyword
		if err := idb.NewSelect().Model(&seed).Where("?TableAlias.id = ?", *k.SeedKeywordID).Scan(ctx); err != nil {
			return fmt.Errorf("planner: load seed keyword: %w", err)
		}
		k.applySeed(&seed)
	} else {
		for _, f := range []struct {
			name string
			null bool
		}{{"volume", in.Volume.Null}, {"difficulty", in.Difficulty.Null}, {"intent", in.Intent.Null}} {
			if f.null {
				return errs.Field(f.name, "cannot be null for the account's own keyword")
			}
		}
		k.Volume = deref(in.Volume.Ptr(), k.Volume)
		k.Difficulty = deref(in.Difficulty.Ptr(), k.Difficulty)
		k.Intent = deref(in.Intent.Ptr(), k.Intent)
	}
	if in.ClusterID.Set {
		if err := k.moveTo(ctx, idb, t, in.ClusterID.Ptr()); err != nil {
			return err
		}
	}
	if in.Status != nil {
		if err := checkStatus(*in.Status, k.ClusterID != nil, ""); err != nil {
			return err
		}
		k.Status = *in.Status
	}
	if in.Disabled != nil {
		k.Disabled = *in.Disabled
	}
	if attrs != nil {
		k.AttributeValues = attrs
	}
	return nil
}

// checkStatus keeps a keyword's status consistent with its cluster: mapped
// needs a cluster, new needs none (used goes either way). who names the
// keyword in bulk messages.
func checkStatus(st KeywordStatus, inCluster bool, who string) error {
	switch {
	case st == KeywordMapped && !inCluster:
		return errs.Field("status", who+"a keyword is mapped only when it is in a cluster; set cluster_id")
	case st == KeywordNew && inCluster:
		return errs.Field("status", who+"a keyword in a cluster is not new; take it out of its cluster (cluster_id null) instead")
	}
	return nil
}

// moveTo puts k in cluster (nil: out of any cluster) and derives the
// status: mapped in a cluster, new out of one (a used keyword stays used).
func (k *Keyword) moveTo(ctx context.Context, idb bun.IDB, t tenancy.Tenant, cluster *int64) error {
	if cluster != nil {
		if err := requireCluster(ctx, idb, t, *cluster, k.SiteID, k.SectorID, "cluster_id"); err != nil {
			return err
		}
	}
	k.ClusterID = cluster
	switch {
	case k.Status == KeywordUsed:
	case cluster != nil:
		k.Status = KeywordMapped
	default:
		k.Status = KeywordNew
	}
	return nil
}

// DeleteKeyword soft-deletes a keyword (RestoreKeywords brings it back).
func (s *Service) DeleteKeyword(ctx context.Context, t tenancy.Tenant, id int64) error {
	return deleteOne(ctx, t, id, "keyword", s.BulkDeleteKeywords)
}

// BulkDeleteKeywords soft-deletes the keywords of ids that t may see and
// reports the others as not found.
func (s *Service) BulkDeleteKeywords(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	return s.bulk(ctx, t, (*Keyword)(nil), ids, "delete keywords", func(ctx context.Context, tx bun.Tx, found []int64) (int, error) {
		clusters, err := clustersOf(ctx, tx, t, found)
		if err != nil {
			return 0, err
		}
		q, err := tenancy.ScopeAccount(tx.NewDelete().Model((*Keyword)(nil)), t)
		if err != nil {
			return 0, err
		}
		r, err := q.Where("?TableAlias.id IN (?)", bun.In(found)).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("planner: delete keywords: %w", err)
		}
		return affected(r), refreshClusters(ctx, tx, t, clusters)
	})
}

// clustersOf returns the clusters the given keywords are in.
func clustersOf(ctx context.Context, idb bun.IDB, t tenancy.Tenant, keywordIDs []int64) ([]int64, error) {
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model((*Keyword)(nil)).WhereAllWithDeleted(), t)
	if err != nil {
		return nil, err
	}
	var ids []int64
	err = q.Distinct().Column("cluster_id").Where("?TableAlias.id IN (?)", bun.In(keywordIDs)).
		Where("?TableAlias.cluster_id IS NOT NULL").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("planner: find clusters of keywords: %w", err)
	}
	return ids, nil
}

// RestoreKeywords brings soft-deleted keywords back, into their cluster if
// it is still live (else without one). When the text of one of them has
// meanwhile been added to its sector again, the call is a conflict and
// restores nothing. The plan's max_keywords applies.
func (s *Service) RestoreKeywords(ctx context.Context, t tenancy.Tenant, ids []int64) (*BulkResult, error) {
	if err := requireWrite(t); err != nil {
		return nil, err
	}
	ids, err := checkIDs(ids)
	if err != nil {
		return nil, err
	}
	res := &BulkResult{NotFound: []int64{}}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		room, plan, err := keywordRoom(ctx, tx, t)
		if err != nil {
			return err
		}
		var deleted []Keyword
		q, err := scoped(tx, &deleted, t)
		if err != nil {
			return err
		}
		if err := q.WhereDeleted().Where("?TableAlias.id IN (?)", bun.In(ids)).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
			return fmt.Errorf("planner: find deleted keywords: %w", err)
		}
		have := map[int64]bool{}
		for _, k := range deleted {
			have[k.ID] = true
		}
		for _, id := range ids {
			if !have[id] {
				res.NotFound = append(res.NotFound, id)
			}
		}
		if len(deleted) > room {
			return quotaError(plan)
		}
		var clusters []int64
		for _, k := range deleted {
			if k.ClusterID != nil {
				live, err := clusterLive(ctx, tx, t, *k.ClusterID)
				if err != nil {
					return err
				}
				if !live {
					if err := k.moveTo(ctx, tx, t, nil); err != nil {
						return err
					}
				}
			}
			uq, err := tenancy.ScopeAccount(tx.NewUpdate().Model(&k).WhereAllWithDeleted(), t)
			if err != nil {
				return err
			}
			_, err = uq.Set("deleted_at = NULL").Set("cluster_id = ?", k.ClusterID).Set("status = ?", k.Status).
				Set("updated_at = ?", timeNow()).WherePK().Exec(ctx)
			if errs.Is(store.MapError(err), errs.Conflict) {
				return errs.FieldCode(errs.Conflict, "ids", fmt.Sprintf("keyword %d: %q is a keyword of its sector again; delete or rename that one first", k.ID, k.Keyword))
			}
			if err != nil {
				return store.MapError(err)
			}
			res.Affected++
			clusters = append(clusters, derefID(k.ClusterID))
		}
		return refreshClusters(ctx, tx, t, clusters)
	})
	if err != nil {
		return nil, fmt.Errorf("planner: restore keywords: %w", err)
	}
	return res, nil
}

// clusterLive reports whether a cluster of t's account is live.
func clusterLive(ctx context.Context, idb bun.IDB, t tenancy.Tenant, id int64) (bool, error) {
	q, err := tenancy.ScopeAccount(idb.NewSelect().Model((*Cluster)(nil)), t)
	if err != nil {
		return false, err
	}
	return q.Where("?TableAlias.id = ?", id).Exists(ctx)
}
