package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/igny8/igny8-go/errs"
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
	return s.addUser(ctx, t, in, email, hash)
}

// addUser inserts a validated user with its password hash, within the
// plan's max_users (the account row is locked while users are counted).
func (s *Service) addUser(ctx context.Context, t Tenant, in NewUser, email, hash string) (*User, error) {
	user := User{
		AccountScoped: AccountScoped{AccountID: t.AccountID},
		Email:         email, Username: usernameFor(in.Username, email),
		FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		Role: in.Role, IsActive: true, Password: hash,
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		if err := checkUserLimit(ctx, tx, t, account); err != nil {
			return err
		}
		if strings.TrimSpace(in.Username) == "" {
			if user.Username, err = freeUsername(ctx, tx, t, user.Username); err != nil {
				return err
			}
		}
		_, err = tx.NewInsert().Model(&user).Returning("*").Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &user, nil
}

// freeUsername derives a username no user of t's account has yet from base
// (the email's local part), so two john@… addresses do not collide on a
// field the caller never sent.
func freeUsername(ctx context.Context, tx bun.Tx, t Tenant, base string) (string, error) {
	return freeSlug(ctx, base, func(candidate string) (bool, error) {
		q, err := ScopeAccount(tx.NewSelect().Model((*User)(nil)), t)
		if err != nil {
			return false, err
		}
		return q.Where("?TableAlias.username = ?", candidate).Exists(ctx)
	})
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

// UserUpdate changes another user of the account; nil fields stay as they
// are.
type UserUpdate struct {
	Role     *Role
	IsActive *bool
	Password *string
}

// UpdateUser changes a user's role, activity and password (owner/admin
// only) in one transaction: everything is checked before anything is
// written, so a bad field changes nothing.
//
// Rules: one's own role, activity and password are not changed here; the
// owner's never are; owner, developer and system_bot cannot be assigned; a
// password can only be set for someone of lower rank (the owner may set
// anyone's but their own); reactivation respects max_users; a new password
// ends every sign-in of that user.
func (s *Service) UpdateUser(ctx context.Context, t Tenant, userID int64, in UserUpdate) (*User, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v errs.Validation
	if in.Role != nil {
		v.Check(in.Role.assignable(), "role", "must be one of admin, editor, viewer")
	}
	var hash string
	if in.Password != nil {
		checkPassword(&v, "password", *in.Password)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.Password != nil {
		var err error
		if hash, err = s.hasher.Hash(ctx, *in.Password); err != nil {
			return nil, err
		}
	}
	var user *User
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		if user, err = getUser(ctx, tx, t, userID); err != nil {
			return err
		}
		isOwner := user.Role == RoleOwner || (account.OwnerID != nil && *account.OwnerID == user.ID)
		cols := []string{"updated_at"}
		if in.Role != nil && *in.Role != user.Role {
			switch {
			case user.ID == t.UserID:
				return errs.Field("role", "you cannot change your own role")
			case isOwner || !user.Role.assignable():
				return errs.Field("role", fmt.Sprintf("the role of a %s cannot be changed", user.Role))
			}
			user.Role = *in.Role
			cols = append(cols, "role")
		}
		if in.IsActive != nil && *in.IsActive != user.IsActive {
			switch {
			case !*in.IsActive && user.ID == t.UserID:
				return errs.Field("is_active", "you cannot deactivate yourself")
			case !*in.IsActive && isOwner:
				return errs.Field("is_active", "the account owner cannot be deactivated")
			case *in.IsActive:
				if err := checkUserLimit(ctx, tx, t, account); err != nil {
					return err
				}
			}
			user.IsActive = *in.IsActive
			cols = append(cols, "is_active")
		}
		if in.Password != nil {
			if err := mayManage(t, user, "password"); err != nil {
				return err
			}
			user.Password = hash
			cols = append(cols, "password")
		}
		q, err := ScopeAccount(tx.NewUpdate().Model(user).Column(cols...).WherePK(), t)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
		if in.Password != nil || (in.IsActive != nil && !*in.IsActive) {
			// New credentials, or no access at all: end every sign-in.
			return signOutEverywhere(ctx, tx, t, user.ID, s.now())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// ChangeRole sets a user's role (see UpdateUser for the rules).
func (s *Service) ChangeRole(ctx context.Context, t Tenant, userID int64, role Role) (*User, error) {
	return s.UpdateUser(ctx, t, userID, UserUpdate{Role: &role})
}

// DeactivateUser turns a user off (owner/admin only): they can no longer sign
// in, their sessions end, and they stop counting towards max_users. The
// owner and oneself cannot be deactivated.
func (s *Service) DeactivateUser(ctx context.Context, t Tenant, userID int64) error {
	off := false
	_, err := s.UpdateUser(ctx, t, userID, UserUpdate{IsActive: &off})
	return err
}

// ReactivateUser turns a user back on, within max_users.
func (s *Service) ReactivateUser(ctx context.Context, t Tenant, userID int64) error {
	on := true
	_, err := s.UpdateUser(ctx, t, userID, UserUpdate{IsActive: &on})
	return err
}
