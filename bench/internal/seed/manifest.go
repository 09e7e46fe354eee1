package seed

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Manifest lists the seeded tenants with the ids their database gave them.
// Load variants are built from indexes into it, so the same variant means
// the same data on PostgreSQL and on SQLite even if ids differ.
type Manifest struct {
	Tenants []Tenant
}

// Tenant is one seeded account and its owner.
type Tenant struct {
	AccountID, UserID int64
	Email             string
	Sites             []Site
}

// Site is one seeded site and its sectors' ids, in creation order.
type Site struct {
	ID      int64
	Sectors []int64
}

// SectorRef places one sector: indexes into the manifest and the ids.
type SectorRef struct {
	Tenant, Site, Sector        int
	AccountID, SiteID, SectorID int64
}

// Sectors flattens the manifest in order (tenant, site, sector): the order
// keywords are spread over.
func (m Manifest) Sectors() []SectorRef {
	var out []SectorRef
	for ti, t := range m.Tenants {
		for si, s := range t.Sites {
			for ki, id := range s.Sectors {
				out = append(out, SectorRef{Tenant: ti, Site: si, Sector: ki, AccountID: t.AccountID, SiteID: s.ID, SectorID: id})
			}
		}
	}
	return out
}

// LoadManifest reads the seeded tenants of db (users of EmailDomain owning
// an account), their sites and sectors.
func LoadManifest(ctx context.Context, db *bun.DB) (Manifest, error) {
	var owners []struct {
		AccountID int64  `bun:"account_id"`
		UserID    int64  `bun:"user_id"`
		Email     string `bun:"email"`
	}
	err := db.NewRaw(`SELECT a.id AS account_id, u.id AS user_id, u.email AS email
		FROM igny8_accounts AS a JOIN igny8_users AS u ON u.id = a.owner_id
		WHERE u.email LIKE ? ORDER BY u.email`, "bench-owner-%@"+EmailDomain).Scan(ctx, &owners)
	if err != nil {
		return Manifest{}, fmt.Errorf("seed: read seeded accounts: %w", err)
	}
	var m Manifest
	for _, o := range owners {
		t := Tenant{AccountID: o.AccountID, UserID: o.UserID, Email: o.Email}
		var sites []int64
		if err := db.NewRaw(`SELECT id FROM igny8_sites WHERE account_id = ? ORDER BY id`, o.AccountID).Scan(ctx, &sites); err != nil {
			return Manifest{}, fmt.Errorf("seed: read sites of account %d: %w", o.AccountID, err)
		}
		for _, siteID := range sites {
			s := Site{ID: siteID}
			if err := db.NewRaw(`SELECT id FROM igny8_sectors WHERE account_id = ? AND site_id = ? ORDER BY id`,
				o.AccountID, siteID).Scan(ctx, &s.Sectors); err != nil {
				return Manifest{}, fmt.Errorf("seed: read sectors of site %d: %w", siteID, err)
			}
			t.Sites = append(t.Sites, s)
		}
		m.Tenants = append(m.Tenants, t)
	}
	return m, nil
}
