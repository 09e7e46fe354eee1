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

// NewUser is the input of CreateUser: a team member added by an admin.
type NewUser struct {
	Email     string
	Password  string
	Username  string
	FirstName string
	LastName  string
	// Role is admin, editor or viewer.
	Role Role
}

// CreateUser adds a user to t's account (owner/admin only), within the
// plan's max_users. The limit holds under concurrent calls: the account row
// is locked while the active users are counted.
func (s *Service) CreateUser(ctx context.Context, t Tenant, in NewUser) (*User, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v errs.Validation
	email := normalizeEmail(&v, "email", in.Email)
	checkPassword(&v, "password", in.Password)
	v.Check(in.Role.assignable(), "role", "must be one of admin, editor, viewer")
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	user := User{
		AccountScoped: AccountScoped{AccountID: t.AccountID},
		Email:         email, Username: usernameFor(in.Username, email),
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		Role: in.Role, IsActive: true, Password: hash,
	}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		if err := checkUserLimit(ctx, tx, t, account); err != nil {
			return err
		}
		_, err = tx.NewInsert().Model(&user).Returning("*").Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &user, nil
}

// checkUserLimit fails when the account already has max_users active users
// (the system bot does not count).
func checkUserLimit(ctx context.Context, tx bun.Tx, t Tenant, account *Account) error {
	q, err := ScopeAccount(tx.NewSelect().Model((*User)(nil)), t)
	if err != nil {
		return err
	}
	n, err := q.Where("?TableAlias.is_active = ?", true).
		Where("?TableAlias.role <> ?", RoleSystemBot).Count(ctx)
	if err != nil {
		return fmt.Errorf("tenancy: count users: %w", err)
	}
	if int(n) >= account.Plan.MaxUsers {
		return errs.FieldCode(errs.Forbidden, "max_users",
			fmt.Sprintf("your plan (%s) allows %d user(s); upgrade to add more", account.Plan.Name, account.Plan.MaxUsers))
	}
	return nil
}

// GetUser returns a user of t's account.
func (s *Service) GetUser(ctx context.Context, t Tenant, id int64) (*User, error) {
	return getUser(ctx, s.db, t, id)
}

func getUser(ctx context.Context, idb bun.IDB, t Tenant, id int64) (*User, error) {
	var user User
	q, err := ScopeAccount(idb.NewSelect().Model(&user), t)
	if err != nil {
		return nil, err
	}
	if err := q.Where("?TableAlias.id = ?", id).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.NotFoundf("user %d not found", id)
		}
		return nil, fmt.Errorf("tenancy: load user: %w", err)
	}
	return &user, nil
}

// ListUsers returns the users of t's account (viewer and up).
func (s *Service) ListUsers(ctx context.Context, t Tenant) ([]User, error) {
	if err := t.require(RoleViewer); err != nil {
		return nil, err
	}
	var users []User
	q, err := ScopeAccount(s.db.NewSelect().Model(&users), t)
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("?TableAlias.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: list users: %w", err)
	}
	return users, nil
}

// ChangeRole sets a user's role (owner/admin only). The owner's role and
// one's own role cannot be changed this way; owner, developer and system_bot
// cannot be assigned.
func (s *Service) ChangeRole(ctx context.Context, t Tenant, userID int64, role Role) (*User, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	if !role.assignable() {
		return nil, errs.Field("role", "must be one of admin, editor, viewer")
	}
	var user *User
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		user, err = getUser(ctx, tx, t, userID)
		if err != nil {
			return err
		}
		if user.ID == t.UserID {
			return errs.Field("role", "you cannot change your own role")
		}
		if !user.Role.assignable() {
			return errs.Field("role", fmt.Sprintf("the role of a %s cannot be changed", user.Role))
		}
		user.Role = role
		q, err := ScopeAccount(tx.NewUpdate().Model(user).Column("role", "updated_at").WherePK(), t)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// DeactivateUser turns a user off (owner/admin only): they can no longer sign
// in, and they stop counting towards max_users. The owner and oneself cannot
// be deactivated.
func (s *Service) DeactivateUser(ctx context.Context, t Tenant, userID int64) error {
	return s.setUserActive(ctx, t, userID, false)
}

// ReactivateUser turns a user back on, within max_users.
func (s *Service) ReactivateUser(ctx context.Context, t Tenant, userID int64) error {
	return s.setUserActive(ctx, t, userID, true)
}

func (s *Service) setUserActive(ctx context.Context, t Tenant, userID int64, active bool) error {
	if err := t.require(RoleAdmin); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		user, err := getUser(ctx, tx, t, userID)
		if err != nil {
			return err
		}
		if user.IsActive == active {
			return nil
		}
		if !active {
			if user.ID == t.UserID {
				return errs.Field("is_active", "you cannot deactivate yourself")
			}
			if user.Role == RoleOwner || (account.OwnerID != nil && *account.OwnerID == user.ID) {
				return errs.Field("is_active", "the account owner cannot be deactivated")
			}
		} else if err := checkUserLimit(ctx, tx, t, account); err != nil {
			return err
		}
		user.IsActive = active
		q, err := ScopeAccount(tx.NewUpdate().Model(user).Column("is_active", "updated_at").WherePK(), t)
		if err != nil {
			return err
		}
		_, err = q.Exec(ctx)
		return store.MapError(err)
	})
}
