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

// errBadCredentials is the one answer for every failed login, whatever the
// reason, so a caller cannot tell which emails exist.
var errBadCredentials = errs.E(errs.Unauthenticated, "invalid email or password")

// Authenticate checks an email and password and returns the active user
// with their account. A legacy (Django) or weaker hash is replaced by a new
// argon2id hash on success. Unknown emails cost the same hashing work as
// known ones.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*User, *Account, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var user User
	err := s.db.NewSelect().Model(&user).Where("?TableAlias.email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		s.hasher.VerifyDummy(ctx, password)
		return nil, nil, errBadCredentials
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tenancy: load user: %w", err)
	}
	ok, rehash, err := s.hasher.Verify(ctx, password, user.Password)
	if errs.Is(err, errs.Invalid) {
		// A stored hash we cannot read (an unsupported legacy format) must
		// not tell the caller the account exists: same answer as a wrong
		// password.
		return nil, nil, errBadCredentials
	}
	if err != nil {
		return nil, nil, fmt.Errorf("tenancy: verify password of user %d: %w", user.ID, err)
	}
	if !ok || !user.IsActive {
		return nil, nil, errBadCredentials
	}
	t := UserTenant(&user)
	account, err := loadAccount(ctx, s.db, t, false)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, errBadCredentials // the account was deleted
	}
	if err != nil {
		return nil, nil, err
	}
	cols := []string{"last_login"}
	if rehash {
		hash, err := s.hasher.Hash(ctx, password)
		if err != nil {
			return nil, nil, err
		}
		user.Password = hash
		cols = append(cols, "password")
	}
	now := s.now()
	user.LastLogin = &now
	q, err := ScopeAccount(s.db.NewUpdate().Model(&user).Column(cols...).WherePK(), t)
	if err != nil {
		return nil, nil, err
	}
	if _, err := q.Exec(ctx); err != nil {
		return nil, nil, fmt.Errorf("tenancy: record login: %w", err)
	}
	return &user, account, nil
}

// ChangePassword sets the acting user's own password after checking the
// current one.
func (s *Service) ChangePassword(ctx context.Context, t Tenant, current, next string) error {
	if err := t.Err(); err != nil {
		return err
	}
	if t.UserID == 0 {
		return errs.E(errs.Forbidden, "only a signed-in user can change a password")
	}
	user, err := getUser(ctx, s.db, t, t.UserID)
	if err != nil {
		return err
	}
	ok, _, err := s.hasher.Verify(ctx, current, user.Password)
	if err != nil && !errs.Is(err, errs.Invalid) {
		return err
	}
	if !ok {
		return errs.Field("current_password", "is not correct")
	}
	return s.setPassword(ctx, s.db, t, user, next)
}

// SetPassword sets another user's password (see UpdateUser for who may).
func (s *Service) SetPassword(ctx context.Context, t Tenant, userID int64, password string) error {
	_, err := s.UpdateUser(ctx, t, userID, UserUpdate{Password: &password})
	return err
}

// mayManage decides whether t may change another user's credentials or
// role: never one's own (that goes through ChangePassword), never the owner,
// and never someone of the same or a higher rank unless t is the owner, so
// an admin cannot take over the owner or a fellow admin.
func mayManage(t Tenant, target *User, field string) error {
	switch {
	case target.ID == t.UserID:
		return errs.Field(field, "change your own "+field+" through the password change endpoint")
	case target.Role == RoleOwner:
		return errs.E(errs.Forbidden, "the account owner's %s cannot be changed by another user", field)
	case t.Role != RoleOwner && target.Role.AtLeast(t.Role):
		return errs.E(errs.Forbidden, "a %s cannot change the %s of a %s", t.Role, field, target.Role)
	}
	return nil
}

func (s *Service) setPassword(ctx context.Context, idb bun.IDB, t Tenant, user *User, password string) error {
	var v errs.Validation
	checkPassword(&v, "password", password)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	user.Password = hash
	return store.InTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		q, err := ScopeAccount(tx.NewUpdate().Model(user).Column("password", "updated_at").WherePK(), t)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
		// A new password ends every other sign-in of the user.
		return signOutEverywhere(ctx, tx, t, user.ID, s.now())
	})
}

// ImportUser adds a user whose password hash comes from the original system
// (a Django pbkdf2_sha256 or argon2 hash), e.g. during a data migration. The
// hash is checked for form now and upgraded to argon2id at the first login.
// Owner/admin only; max_users applies.
func (s *Service) ImportUser(ctx context.Context, t Tenant, in NewUser, passwordHash string) (*User, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v errs.Validation
	email := normalizeEmail(&v, "email", in.Email)
	v.Check(in.Role.assignable(), "role", "must be one of admin, editor, viewer")
	if err := v.Err(); err != nil {
		return nil, err
	}
	// Verifying any password against the hash parses it fully.
	if _, _, err := s.hasher.Verify(ctx, "", passwordHash); err != nil {
		return nil, err
	}
	return s.addUser(ctx, t, in, email, passwordHash)
}
