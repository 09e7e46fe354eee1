package tenancy

import (
	"context"
	"fmt"

	"github.com/igny8/igny8-go/errs"
	"github.com/uptrace/bun"
)

// GrantSiteAccess lets a non-admin user see a site (owner/admin only).
// Granting twice is harmless.
func (s *Service) GrantSiteAccess(ctx context.Context, t Tenant, userID, siteID int64) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		user, err := getUser(ctx, tx, t, userID)
		if err != nil {
			return err
		}
		if _, err := getSite(ctx, tx, t, siteID, false); err != nil {
			return err
		}
		if user.Role.seesAllSites() {
			return errs.Field("user_id", fmt.Sprintf("a %s already sees every site", user.Role))
		}
		grant := SiteUserAccess{AccountID: t.AccountID, UserID: user.ID, SiteID: siteID, CreatedAt: s.now()}
		if t.UserID != 0 {
			grant.GrantedByID = &t.UserID
		}
		_, err = tx.NewInsert().Model(&grant).On("CONFLICT (account_id, user_id, site_id) DO NOTHING").Exec(ctx)
		return err
	})
}

// RevokeSiteAccess removes a user's grant to a site (owner/admin only).
func (s *Service) RevokeSiteAccess(ctx context.Context, t Tenant, userID, siteID int64) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	q, err := ScopeAccount(s.db.NewDelete().Model((*SiteUserAccess)(nil)), t)
	if err != nil {
		return err
	}
	res, err := q.Where("?TableAlias.user_id = ?", userID).Where("?TableAlias.site_id = ?", siteID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: revoke site access: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFoundf("no grant of site %d to user %d", siteID, userID)
	}
	return nil
}

// SiteAccess lists the site grants of a user of t's account (owner/admin).
func (s *Service) SiteAccess(ctx context.Context, t Tenant, userID int64) ([]SiteUserAccess, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var grants []SiteUserAccess
	q, err := ScopeAccount(s.db.NewSelect().Model(&grants), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.user_id = ?", userID).OrderExpr("?TableAlias.site_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list site access: %w", err)
	}
	return grants, nil
}
