package tenancy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
)

const (
	tokenTypeAccess  = "access"
	tokenTypeRefresh = "refresh"
)

// TokenPair is what login and refresh return.
type TokenPair struct {
	Access           string    `json:"access"`
	AccessExpiresAt  time.Time `json:"access_expires_at"`
	Refresh          string    `json:"refresh"`
	RefreshExpiresAt time.Time `json:"refresh_expires_at"`
}

// AccessClaims is what a verified access token says.
type AccessClaims struct {
	UserID    int64
	AccountID int64
	ExpiresAt time.Time
}

type tokenClaims struct {
	jwt.RegisteredClaims
	TokenType string `json:"token_type"`
	UserID    int64  `json:"user_id"`
	AccountID int64  `json:"account_id"`
}

var errBadToken = errs.E(errs.Unauthenticated, "token is invalid or expired")

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func (s *Service) sign(c tokenClaims) (string, error) {
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.auth.secret)
	if err != nil {
		return "", fmt.Errorf("tenancy: sign token: %w", err)
	}
	return tok, nil
}

// parse verifies signature, algorithm, expiry, issuer, audience and type.
func (s *Service) parse(token, wantType string) (*tokenClaims, error) {
	var c tokenClaims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.auth.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(s.auth.issuer),
		jwt.WithAudience(s.auth.audience),
		jwt.WithTimeFunc(s.now),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		return nil, errBadToken
	}
	if c.TokenType != wantType {
		return nil, errs.E(errs.Unauthenticated, "a %s token is not accepted here", c.TokenType)
	}
	if c.UserID <= 0 || c.AccountID <= 0 || c.ID == "" {
		return nil, errBadToken
	}
	return &c, nil
}

// VerifyAccessToken checks an access JWT. It is stateless: revocation acts
// on refresh tokens and sessions, and access tokens live 15 minutes.
func (s *Service) VerifyAccessToken(token string) (AccessClaims, error) {
	c, err := s.parse(token, tokenTypeAccess)
	if err != nil {
		return AccessClaims{}, err
	}
	return AccessClaims{UserID: c.UserID, AccountID: c.AccountID, ExpiresAt: c.ExpiresAt.Time}, nil
}

// IssueTokens starts a new refresh family for user (at login) and returns
// an access/refresh pair.
func (s *Service) IssueTokens(ctx context.Context, user *User) (*TokenPair, error) {
	return s.issue(ctx, s.db, user, randomID(16))
}

func (s *Service) issue(ctx context.Context, idb bun.IDB, user *User, family string) (*TokenPair, error) {
	now := s.now()
	base := func(ttl time.Duration, typ string) tokenClaims {
		return tokenClaims{
			RegisteredClaims: jwt.RegisteredClaims{
				Issuer:    s.auth.issuer,
				Subject:   strconv.FormatInt(user.ID, 10),
				Audience:  jwt.ClaimStrings{s.auth.audience},
				ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
				IssuedAt:  jwt.NewNumericDate(now),
				ID:        randomID(16),
			},
			TokenType: typ, UserID: user.ID, AccountID: user.AccountID,
		}
	}
	accessClaims := base(s.auth.accessTTL, tokenTypeAccess)
	refreshClaims := base(s.auth.refreshTTL, tokenTypeRefresh)
	access, err := s.sign(accessClaims)
	if err != nil {
		return nil, err
	}
	refresh, err := s.sign(refreshClaims)
	if err != nil {
		return nil, err
	}
	row := refreshToken{
		AccountID: user.AccountID, UserID: user.ID, Family: family, JTI: refreshClaims.ID,
		ExpiresAt: refreshClaims.ExpiresAt.Time, CreatedAt: now,
	}
	if _, err := idb.NewInsert().Model(&row).Exec(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: store refresh token: %w", err)
	}
	return &TokenPair{
		Access: access, AccessExpiresAt: accessClaims.ExpiresAt.Time,
		Refresh: refresh, RefreshExpiresAt: refreshClaims.ExpiresAt.Time,
	}, nil
}

// RefreshTokens rotates a refresh token: the presented one is retired and a
// new pair of the same family returned. Presenting a retired token again is
// taken as theft: the whole family is revoked and the caller must sign in.
func (s *Service) RefreshTokens(ctx context.Context, refresh string) (*TokenPair, *User, error) {
	c, err := s.parse(refresh, tokenTypeRefresh)
	if err != nil {
		return nil, nil, err
	}
	var pair *TokenPair
	var user *User
	reused := false
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Lock the user first: password changes and resets update that row
		// before revoking, so a refresh cannot slip a new token past them.
		if err := lockUser(ctx, tx, c.UserID, c.AccountID); err != nil {
			return err
		}
		var row refreshToken
		err := store.ForUpdate(tx.NewSelect().Model(&row).
			Where("?TableAlias.jti = ?", c.ID).Where("?TableAlias.account_id = ?", c.AccountID)).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadToken
		}
		if err != nil {
			return fmt.Errorf("tenancy: load refresh token: %w", err)
		}
		now := s.now()
		switch {
		case row.RevokedAt != nil:
			return errBadToken
		case row.RotatedAt != nil:
			reused = true
			return revokeFamily(ctx, tx, row.AccountID, row.Family, now)
		case !now.Before(row.ExpiresAt):
			return errBadToken
		}
		u, account, err := s.principal(ctx, tx, row.UserID, row.AccountID)
		if err != nil {
			return err
		}
		if err := account.Usable(); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model(&row).Set("rotated_at = ?", now).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("tenancy: rotate refresh token: %w", err)
		}
		user = u
		pair, err = s.issue(ctx, tx, u, row.Family)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	if reused {
		return nil, nil, errs.E(errs.Unauthenticated, "refresh token reuse detected; all sessions of this sign-in were revoked, sign in again")
	}
	return pair, user, nil
}

// RevokeRefreshToken ends the sign-in a refresh token belongs to (logout):
// every token of its family stops working.
func (s *Service) RevokeRefreshToken(ctx context.Context, refresh string) error {
	c, err := s.parse(refresh, tokenTypeRefresh)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := lockUser(ctx, tx, c.UserID, c.AccountID); err != nil {
			return err
		}
		var row refreshToken
		err := tx.NewSelect().Model(&row).
			Where("?TableAlias.jti = ?", c.ID).Where("?TableAlias.account_id = ?", c.AccountID).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadToken
		}
		if err != nil {
			return fmt.Errorf("tenancy: load refresh token: %w", err)
		}
		return revokeFamily(ctx, tx, row.AccountID, row.Family, s.now())
	})
}

// lockUser takes the user's row lock (PostgreSQL) for the rest of the
// transaction; SQLite transactions are already serialised.
func lockUser(ctx context.Context, tx bun.Tx, userID, accountID int64) error {
	var id int64
	err := store.ForUpdate(tx.NewSelect().Model((*User)(nil)).Column("id").
		Where("?TableAlias.id = ?", userID).Where("?TableAlias.account_id = ?", accountID)).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return errBadToken
	}
	if err != nil {
		return fmt.Errorf("tenancy: lock user: %w", err)
	}
	return nil
}

func revokeFamily(ctx context.Context, idb bun.IDB, accountID int64, family string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*refreshToken)(nil)).Set("revoked_at = ?", now).
		Where("?TableAlias.account_id = ?", accountID).Where("?TableAlias.family = ?", family).
		Where("?TableAlias.revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: revoke refresh family: %w", err)
	}
	return nil
}

// signOutEverywhere revokes every refresh family and session of a user,
// after a password change or reset.
func signOutEverywhere(ctx context.Context, idb bun.IDB, t Tenant, userID int64, now time.Time) error {
	q, err := ScopeAccount(idb.NewUpdate().Model((*refreshToken)(nil)).Set("revoked_at = ?", now), t)
	if err != nil {
		return err
	}
	if _, err := q.Where("?TableAlias.user_id = ?", userID).Where("?TableAlias.revoked_at IS NULL").Exec(ctx); err != nil {
		return fmt.Errorf("tenancy: revoke refresh tokens: %w", err)
	}
	d, err := ScopeAccount(idb.NewDelete().Model((*session)(nil)), t)
	if err != nil {
		return err
	}
	if _, err := d.Where("?TableAlias.user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("tenancy: delete sessions: %w", err)
	}
	return nil
}

// Principal loads the active user behind verified credentials, with their
// account and plan. This is credential resolution, before any Tenant
// exists: the ids come from a verified token or session, never from input.
func (s *Service) Principal(ctx context.Context, userID, accountID int64) (*User, *Account, error) {
	return s.principal(ctx, s.db, userID, accountID)
}

func (s *Service) principal(ctx context.Context, idb bun.IDB, userID, accountID int64) (*User, *Account, error) {
	var user User
	err := idb.NewSelect().Model(&user).
		Where("?TableAlias.id = ?", userID).Where("?TableAlias.account_id = ?", accountID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errBadToken
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tenancy: load principal: %w", err)
	}
	if !user.IsActive {
		return nil, nil, errs.E(errs.Unauthenticated, "user is inactive")
	}
	account, err := loadAccount(ctx, idb, UserTenant(&user), false)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, errs.E(errs.Forbidden, "account not found")
	}
	if err != nil {
		return nil, nil, err
	}
	return &user, account, nil
}

// Usable is the account gate: nil when the account may use the product,
// else a forbidden error saying why (suspended, cancelled, inactive plan).
func (a *Account) Usable() error {
	if !a.DeletedAt.IsZero() {
		return errs.E(errs.Forbidden, "account not found")
	}
	if !a.Status.Usable() {
		return errs.E(errs.Forbidden, "account is %s", a.Status)
	}
	if a.Plan == nil || !a.Plan.IsActive {
		return errs.E(errs.Forbidden, "account has no active plan")
	}
	return nil
}

// constantTimeEqual compares two hex digests without leaking timing.
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
