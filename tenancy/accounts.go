package tenancy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/uptrace/bun"
)

// DefaultPlanSlug is the plan a new account starts on.
const DefaultPlanSlug = "free-trial"

// NewAccount is the input of CreateAccount (registration): a new account and
// its owner. Only these fields are writable; credits, status and role come
// from the plan and the rules, never from the caller.
type NewAccount struct {
	AccountName string
	// Slug is optional; by default it is derived from AccountName and made
	// unique. A slug given explicitly must be free.
	Slug      string
	Email     string
	Password  string
	Username  string
	FirstName string
	LastName  string
	// PlanSlug defaults to DefaultPlanSlug.
	PlanSlug string
	// Timezone is an IANA zone name; default UTC.
	Timezone string
}

// CreateAccount registers a new account with its owner in one transaction:
// the plan's credits are seeded, the account starts in trial, the owner gets
// role owner.
func (s *Service) CreateAccount(ctx context.Context, in NewAccount) (*Account, *User, error) {
	var v errs.Validation
	name := requireName(&v, "account_name", in.AccountName)
	email := normalizeEmail(&v, "email", in.Email)
	checkPassword(&v, "password", in.Password)
	slug := strings.TrimSpace(in.Slug)
	if slug != "" {
		checkSlug(&v, "slug", slug)
	}
	tz := strings.TrimSpace(in.Timezone)
	if tz == "" {
		tz = "UTC"
	} else if _, err := time.LoadLocation(tz); err != nil {
		v.Add("timezone", "is not a known IANA time zone")
	}
	username := usernameFor(in.Username, email)
	planSlug := strings.TrimSpace(in.PlanSlug)
	if planSlug == "" {
		planSlug = DefaultPlanSlug
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return nil, nil, err
	}

	var account Account
	var owner User
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		plan, err := planBySlug(ctx, tx, planSlug)
		if err != nil {
			return err
		}
		if slug == "" {
			slug, err = freeAccountSlug(ctx, tx, name)
			if err != nil {
				return err
			}
		}
		account = Account{
			Name: name, Slug: slug, PlanID: plan.ID, Credits: plan.IncludedCredits,
			Status: AccountTrial, Timezone: tz, RetentionDays: 30,
		}
		if _, err := tx.NewInsert().Model(&account).Returning("*").Exec(ctx); err != nil {
			return store.MapError(err)
		}
		owner = User{
			AccountScoped: AccountScoped{AccountID: account.ID},
			Email:         email, Username: username, FirstName: strings.TrimSpace(in.FirstName),
			LastName: strings.TrimSpace(in.LastName), Role: RoleOwner, IsActive: true, Password: hash,
		}
		if _, err := tx.NewInsert().Model(&owner).Returning("*").Exec(ctx); err != nil {
			return store.MapError(err)
		}
		account.OwnerID = &owner.ID
		if _, err := tx.NewUpdate().Model(&account).Column("owner_id", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		account.Plan = plan
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return &account, &owner, nil
}

// usernameFor returns the given username or the email's local part.
func usernameFor(username, email string) string {
	if u := strings.TrimSpace(username); u != "" {
		return u
	}
	local, _, _ := strings.Cut(email, "@")
	return local
}

func planBySlug(ctx context.Context, idb bun.IDB, slug string) (*Plan, error) {
	var plan Plan
	err := idb.NewSelect().Model(&plan).Where("?TableAlias.slug = ?", slug).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.Field("plan", fmt.Sprintf("no plan %q", slug))
	}
	if err != nil {
		return nil, fmt.Errorf("tenancy: load plan: %w", err)
	}
	if !plan.IsActive || plan.IsInternal {
		return nil, errs.Field("plan", fmt.Sprintf("plan %q is not available", slug))
	}
	return &plan, nil
}

// freeAccountSlug derives a slug from name that no account uses yet.
func freeAccountSlug(ctx context.Context, idb bun.IDB, name string) (string, error) {
	base := Slugify(name)
	if base == "" {
		base = "account"
	}
	return freeSlug(ctx, base, func(candidate string) (bool, error) {
		return idb.NewSelect().Model((*Account)(nil)).WhereAllWithDeleted().
			Where("?TableAlias.slug = ?", candidate).Exists(ctx)
	})
}

// freeSlug tries base, base-2, base-3 … until taken reports false.
func freeSlug(_ context.Context, base string, taken func(string) (bool, error)) (string, error) {
	for i := 1; i <= 1000; i++ {
		candidate := base
		if i > 1 {
			candidate = fmt.Sprintf("%s-%d", base, i)
		}
		used, err := taken(candidate)
		if err != nil {
			return "", fmt.Errorf("tenancy: check slug: %w", err)
		}
		if !used {
			return candidate, nil
		}
	}
	return "", errs.Field("slug", "could not find a free slug; choose one")
}

// GetAccount returns t's account with its plan.
func (s *Service) GetAccount(ctx context.Context, t Tenant) (*Account, error) {
	return loadAccount(ctx, s.db, t, false)
}

// loadAccount reads t's account (and plan), optionally locking it for the
// rest of the transaction so limit checks cannot race.
func loadAccount(ctx context.Context, idb bun.IDB, t Tenant, lock bool) (*Account, error) {
	if err := t.Err(); err != nil {
		return nil, err
	}
	var account Account
	q, err := ScopeOwnAccount(idb.NewSelect().Model(&account), t)
	if err != nil {
		return nil, err
	}
	if lock {
		q = store.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errs.NotFoundf("account not found")
		}
		return nil, fmt.Errorf("tenancy: load account: %w", err)
	}
	var plan Plan
	if err := idb.NewSelect().Model(&plan).Where("?TableAlias.id = ?", account.PlanID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tenancy: load plan of account %d: %w", account.ID, err)
	}
	account.Plan = &plan
	return &account, nil
}

// DeleteAccount soft-deletes t's account (owner only). The platform's system
// account can never be deleted.
func (s *Service) DeleteAccount(ctx context.Context, t Tenant) error {
	if err := t.require(RoleOwner); err != nil {
		return err
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		account, err := loadAccount(ctx, tx, t, true)
		if err != nil {
			return err
		}
		if account.IsSystemAccount() {
			return errs.E(errs.Forbidden, "the system account cannot be deleted")
		}
		account.Status = AccountCancelled
		if _, err := tx.NewUpdate().Model(account).Column("status", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewDelete().Model(account).WherePK().Exec(ctx)
		return err
	})
}

// ListPlans returns the plans a customer can choose (active, not internal).
func (s *Service) ListPlans(ctx context.Context) ([]Plan, error) {
	var plans []Plan
	err := s.db.NewSelect().Model(&plans).
		Where("?TableAlias.is_active = ?", true).Where("?TableAlias.is_internal = ?", false).
		OrderExpr("?TableAlias.price_cents, ?TableAlias.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("tenancy: list plans: %w", err)
	}
	return plans, nil
}

// CurrentSubscription returns t's live subscription, or not_found when the
// account has none (a trial without a paid plan).
func (s *Service) CurrentSubscription(ctx context.Context, t Tenant) (*Subscription, error) {
	var sub Subscription
	q, err := ScopeAccount(s.db.NewSelect().Model(&sub), t)
	if err != nil {
		return nil, err
	}
	err = q.Where("?TableAlias.status IN (?)", bun.In([]SubscriptionStatus{
		SubscriptionTrialing, SubscriptionActive, SubscriptionPastDue, SubscriptionPendingPayment,
	})).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.NotFoundf("no live subscription")
	}
	if err != nil {
		return nil, fmt.Errorf("tenancy: load subscription: %w", err)
	}
	return &sub, nil
}

// AccountUpdate changes account settings; nil fields stay as they are.
type AccountUpdate struct {
	Name     *string
	Timezone *string
}

// UpdateAccount changes t's account settings (owner/admin only).
func (s *Service) UpdateAccount(ctx context.Context, t Tenant, in AccountUpdate) (*Account, error) {
	if err := t.require(RoleAdmin); err != nil {
		return nil, err
	}
	var v errs.Validation
	var account *Account
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if account, err = loadAccount(ctx, tx, t, true); err != nil {
			return err
		}
		cols := []string{"updated_at"}
		if in.Name != nil {
			account.Name = requireName(&v, "name", *in.Name)
			cols = append(cols, "name")
		}
		if in.Timezone != nil {
			if _, err := time.LoadLocation(*in.Timezone); err != nil || *in.Timezone == "" {
				v.Add("account_timezone", "is not a known IANA time zone")
			}
			account.Timezone = *in.Timezone
			cols = append(cols, "account_timezone")
		}
		if err := v.Err(); err != nil {
			return err
		}
		upd, err := ScopeOwnAccount(tx.NewUpdate().Model(account).Column(cols...), t)
		if err != nil {
			return err
		}
		_, err = upd.Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return account, nil
}
