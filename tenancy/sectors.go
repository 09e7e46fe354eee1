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

// NewSector is the input of AddSector (and of the sectors of NewSite).
type NewSector struct {
	Name        string
	Description string
	// IndustrySectorID links the sector to a catalogue template; it must
	// belong to the site's industry when the site has one.
	IndustrySectorID *int64
}

// AddSector adds an active sector to a site t may see (owner/admin only); a
// site has at most MaxActiveSectors active sectors. The site row is locked
// while sectors are counted so concurrent calls cannot pass the limit.
func (s *Service) AddSector(ctx context.Context, t Tenant, siteID int64, in NewSector) (*Sector, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v errs.Validation
	requireName(&v, "name", in.Name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var sector *Sector
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		site, err := getSite(ctx, tx, t, siteID, true)
		if err != nil {
			return err
		}
		sector, err = insertSector(ctx, tx, t, site, in, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	return sector, nil
}

// insertSector validates and inserts one active sector of site inside tx;
// fieldPrefix names the sector in errors when several are created at once.
func insertSector(ctx context.Context, tx bun.Tx, t Tenant, site *Site, in NewSector, fieldPrefix string) (*Sector, error) {
	var v errs.Validation
	name := requireName(&v, fieldPrefix+"name", in.Name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	active, err := countActiveSectors(ctx, tx, t, site)
	if err != nil {
		return nil, err
	}
	if active >= MaxActiveSectors {
		return nil, errs.FieldCode(errs.Invalid, "sectors", fmt.Sprintf("a site can have at most %d active sectors", MaxActiveSectors))
	}
	if in.IndustrySectorID != nil {
		if err := checkIndustrySector(ctx, tx, site, *in.IndustrySectorID, fieldPrefix+"industry_sector_id"); err != nil {
			return nil, err
		}
	}
	sector := Sector{
		AccountScoped:    AccountScoped{AccountID: site.AccountID},
		SiteID:           site.ID,
		IndustrySectorID: in.IndustrySectorID,
		Name:             name,
		Description:      strings.TrimSpace(in.Description),
		IsActive:         true,
	}
	if _, err := tx.NewInsert().Model(&sector).Returning("*").Exec(ctx); err != nil {
		mapped := store.MapError(err)
		if e := errs.As(mapped); e != nil && e.Code == errs.Conflict {
			return nil, errs.FieldCode(errs.Conflict, fieldPrefix+"name", fmt.Sprintf("the site already has a sector named %q", name))
		}
		return nil, mapped
	}
	return &sector, nil
}

// countActiveSectors counts the active sectors of site, a site already
// resolved for t (so account scope is enough here).
func countActiveSectors(ctx context.Context, idb bun.IDB, t Tenant, site *Site) (int, error) {
	q, err := ScopeAccount(idb.NewSelect().Model((*Sector)(nil)), t)
	if err != nil {
		return 0, err
	}
	n, err := q.
		Where("?TableAlias.site_id = ?", site.ID).
		Where("?TableAlias.is_active = ?", true).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("tenancy: count sectors: %w", err)
	}
	return int(n), nil
}

// checkIndustrySector checks that the template exists, is active and belongs
// to the site's industry (when the site has one).
func checkIndustrySector(ctx context.Context, idb bun.IDB, site *Site, id int64, field string) error {
	var is IndustrySector
	err := idb.NewSelect().Model(&is).Where("?TableAlias.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !is.IsActive) {
		return errs.Field(field, fmt.Sprintf("no active industry sector %d", id))
	}
	if err != nil {
		return fmt.Errorf("tenancy: look up industry sector: %w", err)
	}
	if site.IndustryID != nil && is.IndustryID != *site.IndustryID {
		return errs.Field(field, "belongs to another industry than the site's")
	}
	return nil
}

// ListSectors returns the sectors of a site t may see.
func (s *Service) ListSectors(ctx context.Context, t Tenant, siteID int64) ([]Sector, error) {
	if _, err := getSite(ctx, s.db, t, siteID, false); err != nil {
		return nil, err
	}
	var sectors []Sector
	q, err := ScopeSite(s.db.NewSelect().Model(&sectors), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.site_id = ?", siteID).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list sectors: %w", err)
	}
	return sectors, nil
}

// GetSector returns a sector of a site t may see.
func (s *Service) GetSector(ctx context.Context, t Tenant, id int64) (*Sector, error) {
	return getSector(ctx, s.db, t, id)
}

func getSector(ctx context.Context, idb bun.IDB, t Tenant, id int64) (*Sector, error) {
	var sector Sector
	q, err := ScopeSite(idb.NewSelect().Model(&sector), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.FieldCode(errs.NotFound, "sector_id", fmt.Sprintf("sector %d not found", id))
		}
		return nil, fmt.Errorf("tenancy: load sector: %w", err)
	}
	return &sector, nil
}

// SectorUpdate changes a sector; nil fields stay as they are.
type SectorUpdate struct {
	Name        *string
	Description *string
	IsActive    *bool
}

// UpdateSector renames, describes, activates or deactivates a sector
// (owner/admin only). Activation respects MaxActiveSectors; the last active
// sector of a site cannot be deactivated.
func (s *Service) UpdateSector(ctx context.Context, t Tenant, id int64, in SectorUpdate) (*Sector, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var sector *Sector
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if sector, err = getSector(ctx, tx, t, id); err != nil {
			return err
		}
		site, err := getSite(ctx, tx, t, sector.SiteID, true)
		if err != nil {
			return err
		}
		var v errs.Validation
		cols := []string{"updated_at"}
		if in.Name != nil {
			sector.Name = requireName(&v, "name", *in.Name)
			cols = append(cols, "name")
		}
		if in.Description != nil {
			sector.Description = strings.TrimSpace(*in.Description)
			cols = append(cols, "description")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.IsActive != nil && *in.IsActive != sector.IsActive {
			active, err := countActiveSectors(ctx, tx, t, site)
			if err != nil {
				return err
			}
			if *in.IsActive && active >= MaxActiveSectors {
				return errs.Field("is_active", fmt.Sprintf("a site can have at most %d active sectors", MaxActiveSectors))
			}
			if !*in.IsActive && active <= 1 {
				return errs.Field("is_active", "a site needs at least one active sector")
			}
			sector.IsActive = *in.IsActive
			cols = append(cols, "is_active")
		}
		q, err := ScopeSite(tx.NewUpdate().Model(sector).Column(cols...).WherePK(), t)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sector, nil
}

// DeleteSector removes a sector (owner/admin only); the last active sector
// of a site cannot be removed.
func (s *Service) DeleteSector(ctx context.Context, t Tenant, id int64) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		sector, err := getSector(ctx, tx, t, id)
		if err != nil {
			return err
		}
		site, err := getSite(ctx, tx, t, sector.SiteID, true)
		if err != nil {
			return err
		}
		if sector.IsActive {
			active, err := countActiveSectors(ctx, tx, t, site)
			if err != nil {
				return err
			}
			if active <= 1 {
				return errs.Field("sector_id", "a site needs at least one active sector")
			}
		}
		q, err := ScopeSite(tx.NewDelete().Model(sector).WherePK(), t)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return err
	})
}

// ResolveSiteSector checks, for a write by t, that siteID is a site t may
// see and sectorID is a sector of that site. Every domain calls it before
// storing a site+sector-scoped row, inside the same transaction (idb).
func ResolveSiteSector(ctx context.Context, idb bun.IDB, t Tenant, siteID, sectorID int64) (*Site, *Sector, error) {
	site, err := getSite(ctx, idb, t, siteID, false)
	if err != nil {
		return nil, nil, err
	}
	sector, err := getSector(ctx, idb, t, sectorID)
	if err != nil {
		return nil, nil, err
	}
	if sector.SiteID != site.ID {
		return nil, nil, errs.Field("sector_id", fmt.Sprintf("sector %d does not belong to site %d", sectorID, siteID))
	}
	return site, sector, nil
}
