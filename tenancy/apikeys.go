package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
)

// apiKeyPrefix marks igny8 API keys so they are told from JWTs (three
// dot-separated parts) at a glance, and found by secret scanners.
const apiKeyPrefix = "ig8_"

// lastUsedEvery bounds how often a key's last_used_at is written, so an
// API-key client does not cost a write per request.
const lastUsedEvery = time.Minute

// LooksLikeAPIKey reports whether s has the shape of an igny8 API key.
func LooksLikeAPIKey(s string) bool { return strings.HasPrefix(s, apiKeyPrefix) }

// NewAPIKey is a created key: Key is the secret, shown once.
type NewAPIKey struct {
	Key    string  `json:"key"`
	APIKey *APIKey `json:"api_key"`
}

// CreateAPIKey makes a key for a site of t's account (owner/admin only).
func (s *Service) CreateAPIKey(ctx context.Context, t Tenant, siteID int64, name string) (*NewAPIKey, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var out *NewAPIKey
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := getSite(ctx, tx, t, siteID, true); err != nil {
			return err
		}
		var err error
		out, err = s.insertAPIKey(ctx, tx, t, siteID, strings.TrimSpace(name))
		return err
	})
	return out, err
}

func (s *Service) insertAPIKey(ctx context.Context, tx bun.Tx, t Tenant, siteID int64, name string) (*NewAPIKey, error) {
	if len(name) > 100 {
		return nil, errs.Field("name", "must be at most 100 characters")
	}
	prefix := apiKeyPrefix + strings.ToLower(randomID(6))
	prefix = strings.NewReplacer("-", "x", "_", "y").Replace(prefix[len(apiKeyPrefix):])
	prefix = apiKeyPrefix + prefix
	secret := randomID(32)
	key := prefix + "_" + secret
	row := APIKey{
		AccountScoped: AccountScoped{AccountID: t.AccountID},
		SiteID:        siteID, Name: name, Prefix: prefix, KeyHash: sha256Hex(key),
	}
	if t.UserID != 0 {
		row.CreatedByID = &t.UserID
	}
	if _, err := tx.NewInsert().Model(&row).Returning("*").Exec(ctx); err != nil {
		return nil, err
	}
	return &NewAPIKey{Key: key, APIKey: &row}, nil
}

// ListAPIKeys lists the keys of a site (owner/admin only); secrets are not
// recoverable.
func (s *Service) ListAPIKeys(ctx context.Context, t Tenant, siteID int64) ([]APIKey, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	if _, err := getSite(ctx, s.db, t, siteID, false); err != nil {
		return nil, err
	}
	var keys []APIKey
	q, err := ScopeSite(s.db.NewSelect().Model(&keys), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.site_id = ?", siteID).OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list api keys: %w", err)
	}
	return keys, nil
}

// RevokeAPIKey stops a key from working (owner/admin only).
func (s *Service) RevokeAPIKey(ctx context.Context, t Tenant, keyID int64) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	q, err := ScopeSite(s.db.NewUpdate().Model((*APIKey)(nil)).
		Set("revoked_at = ?", s.now()).Set("updated_at = ?", s.now()), t)
	if err != nil {
		return err
	}
	res, err := q.Where("?TableAlias.id = ?", keyID).Where("?TableAlias.revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: revoke api key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFoundf("api key %d not found", keyID)
	}
	return nil
}

// RotateAPIKey revokes a key and creates its replacement for the same site
// in one transaction (owner/admin only).
func (s *Service) RotateAPIKey(ctx context.Context, t Tenant, keyID int64) (*NewAPIKey, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var out *NewAPIKey
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var old APIKey
		q, err := ScopeSite(tx.NewSelect().Model(&old), t)
		if err != nil {
			return err
		}
		if err := q.Where("?TableAlias.id = ?", keyID).Where("?TableAlias.revoked_at IS NULL").Scan(ctx); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return errs.NotFoundf("api key %d not found", keyID)
			}
			return fmt.Errorf("tenancy: load api key: %w", err)
		}
		now := s.now()
		if _, err := tx.NewUpdate().Model(&old).Set("revoked_at = ?", now).Set("updated_at = ?", now).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("tenancy: revoke api key: %w", err)
		}
		out, err = s.insertAPIKey(ctx, tx, t, old.SiteID, old.Name)
		return err
	})
	return out, err
}

// APIKeyPrincipal is who an API key authenticates.
type APIKeyPrincipal struct {
	Tenant  Tenant
	Key     *APIKey
	Site    *Site
	Account *Account
}

// AuthenticateAPIKey resolves a key to its site's Tenant. It fails for an
// unknown or revoked key (unauthenticated) and for an inactive site, account
// or plan (forbidden), as the original's audit demanded.
func (s *Service) AuthenticateAPIKey(ctx context.Context, key string) (*APIKeyPrincipal, error) {
	bad := errs.E(errs.Unauthenticated, "invalid API key")
	if !LooksLikeAPIKey(key) || len(key) > 200 {
		return nil, bad
	}
	prefix, _, ok := strings.Cut(key[len(apiKeyPrefix):], "_")
	if !ok {
		return nil, bad
	}
	var row APIKey
	err := s.db.NewSelect().Model(&row).Where("?TableAlias.prefix = ?", apiKeyPrefix+prefix).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, fmt.Errorf("tenancy: load api key: %w", err)
	}
	if !constantTimeEqual(row.KeyHash, sha256Hex(key)) || row.RevokedAt != nil {
		return nil, bad
	}
	// Keys act with editor rights on their one site: the WordPress plugin
	// reads and writes content, never administers the account.
	t := Tenant{AccountID: row.AccountID, Role: RoleEditor, SiteID: row.SiteID}
	account, err := loadAccount(ctx, s.db, t, false)
	if errs.Is(err, errs.NotFound) {
		return nil, bad
	}
	if err != nil {
		return nil, err
	}
	if err := account.Usable(); err != nil {
		return nil, err
	}
	site, err := getSite(ctx, s.db, t, row.SiteID, false)
	if err != nil {
		return nil, bad
	}
	if !site.IsActive {
		return nil, errs.E(errs.Forbidden, "site is inactive")
	}
	now := s.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > lastUsedEvery {
		q, err := ScopeSite(s.db.NewUpdate().Model((*APIKey)(nil)).Set("last_used_at = ?", now), t)
		if err != nil {
			return nil, err
		}
		if _, err := q.Where("?TableAlias.id = ?", row.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("tenancy: record api key use: %w", err)
		}
		row.LastUsedAt = &now
	}
	return &APIKeyPrincipal{Tenant: t, Key: &row, Site: site, Account: account}, nil
}
