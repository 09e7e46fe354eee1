package tenancy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/uptrace/bun"
)

// maxResetsPerHour caps reset tokens issued to one user per hour, so a
// flood of requests cannot flood their inbox.
const maxResetsPerHour = 5

// PasswordReset is an issued reset grant. Token is the secret to email; it
// is not stored anywhere and cannot be recovered later.
type PasswordReset struct {
	Token     string
	User      *User
	ExpiresAt time.Time
}

// RequestPasswordReset issues a single-use reset token for the active user
// with this email. For an unknown or inactive email it returns not_found:
// the HTTP layer must answer both cases alike so emails cannot be probed.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) (*PasswordReset, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var user User
	err := s.db.NewSelect().Model(&user).Where("?TableAlias.email = ?", email).
		Where("?TableAlias.is_active = ?", true).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("no active user with this email")
	}
	if err != nil {
		return nil, fmt.Errorf("tenancy: load user: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("tenancy: reset token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	t := UserTenant(&user)
	row := PasswordResetToken{
		AccountID: user.AccountID, UserID: user.ID, TokenHash: hashToken(token),
		CreatedAt: now, ExpiresAt: now.Add(s.resetTTL),
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Serialise requests for one user so the hourly cap holds.
		if err := lockUser(ctx, tx, user.ID, user.AccountID); err != nil {
			return err
		}
		q, err := ScopeAccount(tx.NewSelect().Model((*PasswordResetToken)(nil)), t)
		if err != nil {
			return err
		}
		recent, err := q.Where("?TableAlias.user_id = ?", user.ID).
			Where("?TableAlias.created_at > ?", now.Add(-time.Hour)).Count(ctx)
		if err != nil {
			return fmt.Errorf("tenancy: count reset tokens: %w", err)
		}
		if recent >= maxResetsPerHour {
			return errs.E(errs.RateLimited, "too many password reset requests; try again later")
		}
		_, err = tx.NewInsert().Model(&row).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &PasswordReset{Token: token, User: &user, ExpiresAt: row.ExpiresAt}, nil
}

// ConfirmPasswordReset sets a new password with a reset token. The token
// works once, before it expires; using it also voids the user's other
// outstanding tokens. Everything happens in one transaction.
func (s *Service) ConfirmPasswordReset(ctx context.Context, token, newPassword string) error {
	var v errs.Validation
	v.Check(strings.TrimSpace(token) != "", "token", "is required")
	checkPassword(&v, "new_password", newPassword)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, newPassword)
	if err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// The token is the credential here: it is looked up by its hash
		// before any tenant is known, then everything else is scoped.
		var row PasswordResetToken
		err := tx.NewSelect().Model(&row).Where("?TableAlias.token_hash = ?", hashToken(token)).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Field("token", "is invalid")
		}
		if err != nil {
			return fmt.Errorf("tenancy: load reset token: %w", err)
		}
		if row.UsedAt != nil {
			return errs.Field("token", "has already been used")
		}
		if !now.Before(row.ExpiresAt) {
			return errs.Field("token", "has expired")
		}
		user := User{ID: row.UserID}
		user.AccountID = row.AccountID
		if err := tx.NewSelect().Model(&user).WherePK().Where("?TableAlias.account_id = ?", row.AccountID).Scan(ctx); err != nil {
			return fmt.Errorf("tenancy: load user of reset token: %w", err)
		}
		if !user.IsActive {
			return errs.Field("token", "is invalid")
		}
		t := UserTenant(&user)
		// Claim the token with a conditional update so two concurrent
		// confirmations cannot both succeed.
		claim, err := ScopeAccount(tx.NewUpdate().Model((*PasswordResetToken)(nil)).
			Set("used_at = ?", now).
			Where("?TableAlias.id = ?", row.ID).Where("?TableAlias.used_at IS NULL"), t)
		if err != nil {
			return err
		}
		res, err := claim.Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Field("token", "has already been used")
		}
		void, err := ScopeAccount(tx.NewUpdate().Model((*PasswordResetToken)(nil)).
			Set("used_at = ?", now).
			Where("?TableAlias.user_id = ?", user.ID).Where("?TableAlias.used_at IS NULL"), t)
		if err != nil {
			return err
		}
		if _, err := void.Exec(ctx); err != nil {
			return err
		}
		user.Password = hash
		upd, err := ScopeAccount(tx.NewUpdate().Model(&user).Column("password", "updated_at").WherePK(), t)
		if err != nil {
			return err
		}
		if _, err := upd.Exec(ctx); err != nil {
			return err
		}
		return signOutEverywhere(ctx, tx, t, user.ID, now)
	})
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// PurgeResetTokens deletes reset tokens that expired more than a day ago,
// across all accounts. It is platform maintenance run by the worker, not a
// tenant operation: it reads nothing back and only removes dead secrets.
func (s *Service) PurgeResetTokens(ctx context.Context) (int64, error) {
	res, err := s.db.NewDelete().Model((*PasswordResetToken)(nil)).
		Where("?TableAlias.expires_at < ?", s.now().Add(-24*time.Hour)).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("tenancy: purge reset tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
