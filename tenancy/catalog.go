package tenancy

import (
	"context"
	"fmt"
	"strings"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/uptrace/bun"
)

// The industry catalogue and the seed-keyword library are global: every
// account reads them, only platform operators write them. Writes are the
// explicit admin operations below; they take no Tenant because they act on no
// account, and the caller (a seed command or an admin endpoint) is trusted.

// NewIndustry is the input of CreateIndustry.
type NewIndustry struct {
	Name        string
	Slug        string
	Description string
	Sectors     []NewIndustrySector
}

// NewIndustrySector is one sector template of an industry.
type NewIndustrySector struct {
	Name        string
	Slug        string
	Description string
}

// CreateIndustry adds an industry with its sector templates (operator only).
func (s *Service) CreateIndustry(ctx context.Context, in NewIndustry) (*Industry, []IndustrySector, error) {
	var v errs.Validation
	name := requireName(&v, "name", in.Name)
	slug := in.Slug
	if slug == "" {
		slug = Slugify(name)
	}
	checkSlug(&v, "slug", slug)
	for i, sec := range in.Sectors {
		requireName(&v, fmt.Sprintf("sectors[%d].name", i), sec.Name)
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	industry := Industry{Name: name, Slug: slug, Description: strings.TrimSpace(in.Description), IsActive: true}
	var sectors []IndustrySector
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&industry).Returning("*").Exec(ctx); err != nil {
			return err
		}
		for _, in := range in.Sectors {
			sec := IndustrySector{
				IndustryID: industry.ID, Name: strings.TrimSpace(in.Name), Slug: in.Slug,
				Description: strings.TrimSpace(in.Description), IsActive: true,
			}
			if sec.Slug == "" {
				sec.Slug = Slugify(sec.Name)
			}
			if _, err := tx.NewInsert().Model(&sec).Returning("*").Exec(ctx); err != nil {
				return err
			}
			sectors = append(sectors, sec)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &industry, sectors, nil
}

// ListIndustries returns the active industries.
func (s *Service) ListIndustries(ctx context.Context) ([]Industry, error) {
	var out []Industry
	if err := s.db.NewSelect().Model(&out).Where("?TableAlias.is_active = ?", true).
		OrderExpr("?TableAlias.name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list industries: %w", err)
	}
	return out, nil
}

// ListIndustrySectors returns the active sector templates of an industry.
func (s *Service) ListIndustrySectors(ctx context.Context, industryID int64) ([]IndustrySector, error) {
	var out []IndustrySector
	if err := s.db.NewSelect().Model(&out).Where("?TableAlias.industry_id = ?", industryID).
		Where("?TableAlias.is_active = ?", true).OrderExpr("?TableAlias.name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list industry sectors: %w", err)
	}
	return out, nil
}

// NewSeedKeyword is one entry for AddSeedKeywords.
type NewSeedKeyword struct {
	Keyword    string
	Volume     int
	Difficulty int
	Intent     Intent
}

// NormalizeKeyword is the canonical form of keyword text: trimmed,
// lower-case, single spaces.
func NormalizeKeyword(k string) string {
	return strings.Join(strings.Fields(strings.ToLower(k)), " ")
}

// AddSeedKeywords adds keywords to the library of one industry sector
// (operator only), skipping ones already there. It returns how many were
// added. All entries are validated first; nothing is written if one is bad.
func (s *Service) AddSeedKeywords(ctx context.Context, industrySectorID int64, in []NewSeedKeyword) (int, error) {
	var v errs.Validation
	rows := make([]SeedKeyword, 0, len(in))
	seen := map[string]bool{}
	for i, k := range in {
		field := fmt.Sprintf("keywords[%d]", i)
		kw := NormalizeKeyword(k.Keyword)
		v.Check(kw != "", field+".keyword", "is required")
		v.Check(len(kw) <= 255, field+".keyword", "must be at most 255 characters")
		v.Check(k.Volume >= 0, field+".volume", "must not be negative")
		v.Check(k.Difficulty >= 0 && k.Difficulty <= 100, field+".difficulty", "must be between 0 and 100")
		intent := k.Intent
		if intent == "" {
			intent = IntentInformational
		}
		v.Check(intent.Valid(), field+".intent", "must be informational, commercial, transactional or navigational")
		if seen[kw] {
			continue
		}
		seen[kw] = true
		rows = append(rows, SeedKeyword{
			IndustrySectorID: industrySectorID, Keyword: kw, Volume: k.Volume,
			Difficulty: k.Difficulty, Intent: intent, IsActive: true,
		})
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	var added int
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var is IndustrySector
		if err := tx.NewSelect().Model(&is).Where("?TableAlias.id = ?", industrySectorID).Scan(ctx); err != nil {
			if mapped := store.MapError(err); errs.Is(mapped, errs.NotFound) {
				return errs.Field("industry_sector_id", fmt.Sprintf("no industry sector %d", industrySectorID))
			}
			return err
		}
		for i := range rows {
			rows[i].IndustryID = is.IndustryID
		}
		res, err := tx.NewInsert().Model(&rows).On("CONFLICT (industry_sector_id, keyword) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		added = int(n)
		return nil
	})
	return added, err
}

// ListSeedKeywords returns the active library keywords of an industry
// sector, by volume.
func (s *Service) ListSeedKeywords(ctx context.Context, industrySectorID int64) ([]SeedKeyword, error) {
	var out []SeedKeyword
	if err := s.db.NewSelect().Model(&out).Where("?TableAlias.industry_sector_id = ?", industrySectorID).
		Where("?TableAlias.is_active = ?", true).OrderExpr("?TableAlias.volume DESC, ?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list seed keywords: %w", err)
	}
	return out, nil
}
