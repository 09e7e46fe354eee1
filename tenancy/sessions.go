package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
)

// CreateSession opens a server-side browser session for user and returns
// the cookie value (random, 256 bits; only its hash is stored).
func (s *Service) CreateSession(ctx context.Context, user *User) (token string, expires time.Time, err error) {
	token = randomID(32)
	now := s.now()
	row := session{
		AccountID: user.AccountID, UserID: user.ID, TokenHash: sha256Hex(token),
		ExpiresAt: now.Add(s.auth.sessionTTL), CreatedAt: now,
	}
	if _, err := s.db.NewInsert().Model(&row).Exec(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("tenancy: create session: %w", err)
	}
	return token, row.ExpiresAt, nil
}

// SessionPrincipal resolves a session cookie to its active user and account.
func (s *Service) SessionPrincipal(ctx context.Context, token string) (*User, *Account, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, errs.E(errs.Unauthenticated, "session is invalid or expired")
	}
	var row session
	err := s.db.NewSelect().Model(&row).Where("?TableAlias.token_hash = ?", sha256Hex(token)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !s.now().Before(row.ExpiresAt)) {
		return nil, nil, errs.E(errs.Unauthenticated, "session is invalid or expired")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tenancy: load session: %w", err)
	}
	return s.principal(ctx, s.db, row.UserID, row.AccountID)
}

// DeleteSession ends a browser session (logout, or a session refused by the
// account gate). Unknown tokens are ignored.
func (s *Service) DeleteSession(ctx context.Context, token string) error {
	_, err := s.db.NewDelete().Model((*session)(nil)).Where("?TableAlias.token_hash = ?", sha256Hex(token)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: delete session: %w", err)
	}
	return nil
}

// PurgeCredentials deletes expired sessions and refresh tokens across all
// accounts (worker maintenance; secrets only, no tenant data is read).
func (s *Service) PurgeCredentials(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*session)(nil)).Where("?TableAlias.expires_at < ?", now).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		total += n
		res, err = tx.NewDelete().Model((*refreshToken)(nil)).Where("?TableAlias.expires_at < ?", now).Exec(ctx)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		total += n
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("tenancy: purge credentials: %w", err)
	}
	return total, nil
}
