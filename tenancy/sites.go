package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/uptrace/bun"
)

// MaxActiveSectors is how many active sectors one site may have.
const MaxActiveSectors = 5

// NewSite is the input of CreateSite.
type NewSite struct {
	Name string
	// Domain is "example.com" or an http(s) URL; stored as https://host.
	Domain string
	// Slug is optional; derived from Name and made unique in the account.
	Slug         string
	IndustryID   *int64
	PlatformType PlatformType
	// Sectors are created with the site (at most MaxActiveSectors), as the
	// onboarding wizard does.
	Sectors []NewSector
}

// CreateSite adds a site to t's account (owner/admin only) within the plan's
// max_sites, with its first sectors, in one transaction. The limit holds under
// concurrent calls: the account row is locked while sites are counted.
func (s *Service) CreateSite(ctx context.Context, t Tenant, in NewSite) (*Site, []Sector, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, nil, err
	}
	var v errs.Validation
	name := requireName(&v, "name", in.Name)
	domain := normalizeDomain(&v, "domain", in.Domain)
	slug := strings.TrimSpace(in.Slug)
	if slug != "" {
		checkSlug(&v, "slug", slug)
	}
	platform := in.PlatformType
	if platform == "" {
		platform = PlatformWordPress
	}
	v.Check(platform == PlatformWordPress || platform == PlatformShopify || platform == PlatformCustom,
		"platform_type", "must be one of wordpress, shopify, custom")
	v.Check(len(in.Sectors) <= MaxActiveSectors, "sectors", fmt.Sprintf("a site can have at most %d active sectors", MaxActiveSectors))
	for i, sec := range in.Sectors {
		requireName(&v, fmt.Sprintf("sectors[%d].name", i), sec.Name)
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}

	site := Site{
		AccountScoped: AccountScoped{AccountID: t.AccountID},
		Name:          name, Domain: domain, IndustryID: in.IndustryID, IsActive: true, PlatformType: platform,
	}
	var sectors []Sector
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		// Every site of the account counts, not only those t can see.
		countQ, err := ScopeAccount(tx.NewSelect().Model((*Site)(nil)), t)
		if err != nil {
			return err
		}
		n, err := countQ.Count(ctx)
		if err != nil {
			return fmt.Errorf("tenancy: count sites: %w", err)
		}
		if int(n) >= account.Plan.MaxSites {
			return errs.FieldCode(errs.Forbidden, "max_sites",
				fmt.Sprintf("your plan (%s) allows %d site(s); upgrade to add more", account.Plan.Name, account.Plan.MaxSites))
		}
		if in.IndustryID != nil {
			if err := requireIndustry(ctx, tx, *in.IndustryID); err != nil {
				return err
			}
		}
		site.Slug = slug
		if site.Slug == "" {
			if site.Slug, err = freeSiteSlug(ctx, tx, t, name); err != nil {
				return err
			}
		}
		if _, err := tx.NewInsert().Model(&site).Returning("*").Exec(ctx); err != nil {
			return store.MapError(err)
		}
		for i, in := range in.Sectors {
			sector, err := insertSector(ctx, tx, t, &site, in, fmt.Sprintf("sectors[%d].", i))
			if err != nil {
				return err
			}
			sectors = append(sectors, *sector)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &site, sectors, nil
}

func freeSiteSlug(ctx context.Context, idb bun.IDB, t Tenant, name string) (string, error) {
	base := Slugify(name)
	if base == "" {
		base = "site"
	}
	return freeSlug(ctx, base, func(candidate string) (bool, error) {
		q, err := ScopeAccount(idb.NewSelect().Model((*Site)(nil)), t)
		if err != nil {
			return false, err
		}
		return q.Where("?TableAlias.slug = ?", candidate).Exists(ctx)
	})
}

func requireIndustry(ctx context.Context, idb bun.IDB, id int64) error {
	ok, err := idb.NewSelect().Model((*Industry)(nil)).
		Where("?TableAlias.id = ?", id).Where("?TableAlias.is_active = ?", true).Exists(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: look up industry: %w", err)
	}
	if !ok {
		return errs.Field("industry_id", fmt.Sprintf("no active industry %d", id))
	}
	return nil
}

// GetSite returns a site t may see; any other site is not_found.
func (s *Service) GetSite(ctx context.Context, t Tenant, id int64) (*Site, error) {
	return getSite(ctx, s.db, t, id, false)
}

func getSite(ctx context.Context, idb bun.IDB, t Tenant, id int64, lock bool) (*Site, error) {
	var site Site
	q, err := scopeSiteColumn(idb.NewSelect().Model(&site), t, "id")
	if err != nil {
		return nil, err
	}
	q = q.Where("?TableAlias.id = ?", id)
	if lock {
		q = store.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.FieldCode(errs.NotFound, "site_id", fmt.Sprintf("site %d not found", id))
		}
		return nil, fmt.Errorf("tenancy: load site: %w", err)
	}
	return &site, nil
}

// ListSites returns the sites t may see, oldest first.
func (s *Service) ListSites(ctx context.Context, t Tenant) ([]Site, error) {
	var sites []Site
	q, err := scopeSiteColumn(s.db.NewSelect().Model(&sites), t, "id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list sites: %w", err)
	}
	return sites, nil
}

// SiteUpdate changes a site; nil fields stay as they are.
type SiteUpdate struct {
	Name         *string
	Domain       *string
	IndustryID   *int64
	IsActive     *bool
	PlatformType *PlatformType
}

// UpdateSite changes a site of t's account (owner/admin only).
func (s *Service) UpdateSite(ctx context.Context, t Tenant, id int64, in SiteUpdate) (*Site, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var site *Site
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		site, err = getSite(ctx, tx, t, id, true)
		if err != nil {
			return err
		}
		var v errs.Validation
		cols := []string{"updated_at"}
		if in.Name != nil {
			site.Name = requireName(&v, "name", *in.Name)
			cols = append(cols, "name")
		}
		if in.Domain != nil {
			site.Domain = normalizeDomain(&v, "domain", *in.Domain)
			cols = append(cols, "domain")
		}
		if in.PlatformType != nil {
			p := *in.PlatformType
			v.Check(p == PlatformWordPress || p == PlatformShopify || p == PlatformCustom,
				"platform_type", "must be one of wordpress, shopify, custom")
			site.PlatformType = p
			cols = append(cols, "platform_type")
		}
		if in.IsActive != nil {
			site.IsActive = *in.IsActive
			cols = append(cols, "is_active")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.IndustryID != nil {
			if err := requireIndustry(ctx, tx, *in.IndustryID); err != nil {
				return err
			}
			site.IndustryID = in.IndustryID
			cols = append(cols, "industry_id")
		}
		q, err := scopeSiteColumn(tx.NewUpdate().Model(site).Column(cols...).WherePK(), t, "id")
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return site, nil
}

// DeleteSite removes a site with its sectors and grants (owner/admin only).
func (s *Service) DeleteSite(ctx context.Context, t Tenant, id int64) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q, err := scopeSiteColumn(tx.NewDelete().Model((*Site)(nil)), t, "id")
		if err != nil {
			return err
		}
		res, err := q.Where("?TableAlias.id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.FieldCode(errs.NotFound, "site_id", fmt.Sprintf("site %d not found", id))
		}
		return nil
	})
}
