package tenancy

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Timestamps are set by the application (UTC) so both dialects store them
// in one sortable format.
type Timestamps struct {
	CreatedAt time.Time `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updated_at"`
}

var _ bun.BeforeAppendModelHook = (*Timestamps)(nil)

// BeforeAppendModel stamps rows on insert and bumps updated_at on update.
// Partial updates must list updated_at among their columns to keep it.
func (ts *Timestamps) BeforeAppendModel(_ context.Context, query bun.Query) error {
	now := time.Now().UTC()
	switch query.(type) {
	case *bun.InsertQuery:
		if ts.CreatedAt.IsZero() {
			ts.CreatedAt = now
		}
		if ts.UpdatedAt.IsZero() {
			ts.UpdatedAt = ts.CreatedAt
		}
	case *bun.UpdateQuery:
		ts.UpdatedAt = now
	}
	return nil
}

// AccountScoped is the base of every model owned by one account. The
// account_id column is set once on insert from the Tenant and never changes
// (the schema rejects updates to it).
type AccountScoped struct {
	AccountID int64 `bun:"account_id,notnull" json:"account_id"`
	Timestamps
}

// SiteSectorScoped is the base of every model that lives in one sector of one
// site (keywords, clusters, ideas, tasks, content, images). account_id is
// denormalised so every query and index can lead with it, and composite
// foreign keys to (account_id, site_id) and (account_id, site_id, sector_id)
// keep a row from pointing at another account's site or sector.
type SiteSectorScoped struct {
	AccountScoped
	SiteID   int64 `bun:"site_id,notnull" json:"site_id"`
	SectorID int64 `bun:"sector_id,notnull" json:"sector_id"`
}

// SoftDelete marks models the original soft-deletes: deleting sets
// deleted_at, normal selects skip such rows, and restore clears it.
type SoftDelete struct {
	DeletedAt time.Time `bun:"deleted_at,soft_delete,nullzero" json:"-"`
}

// AccountStatus is the lifecycle state of an account.
type AccountStatus string

const (
	AccountActive    AccountStatus = "active"
	AccountSuspended AccountStatus = "suspended"
	AccountTrial     AccountStatus = "trial"
	AccountCancelled AccountStatus = "cancelled"
)

// Usable reports whether the account may use the product (active or trial).
func (s AccountStatus) Usable() bool { return s == AccountActive || s == AccountTrial }

// Plan is a row of the global plan catalogue. Prices and limits are data.
type Plan struct {
	bun.BaseModel `bun:"table:igny8_plans,alias:plan"`

	ID                    int64    `bun:"id,pk,autoincrement" json:"id"`
	Name                  string   `bun:"name,notnull" json:"name"`
	Slug                  string   `bun:"slug,notnull" json:"slug"`
	PriceCents            int64    `bun:"price_cents,notnull" json:"price_cents"`
	BillingCycle          string   `bun:"billing_cycle,notnull" json:"billing_cycle"`
	IncludedCredits       int64    `bun:"included_credits,notnull" json:"included_credits"`
	ExtraCreditPriceCents int64    `bun:"extra_credit_price_cents,notnull" json:"extra_credit_price_cents"`
	AllowCreditTopup      bool     `bun:"allow_credit_topup,notnull" json:"allow_credit_topup"`
	MaxSites              int      `bun:"max_sites,notnull" json:"max_sites"`
	MaxUsers              int      `bun:"max_users,notnull" json:"max_users"`
	MaxKeywords           int      `bun:"max_keywords,notnull" json:"max_keywords"`
	MaxAhrefsQueries      int      `bun:"max_ahrefs_queries,notnull" json:"max_ahrefs_queries"`
	Features              []string `bun:"features,notnull" json:"features"`
	StripeProductID       string   `bun:"stripe_product_id,notnull" json:"-"`
	StripePriceID         string   `bun:"stripe_price_id,notnull" json:"-"`
	IsActive              bool     `bun:"is_active,notnull" json:"is_active"`
	IsInternal            bool     `bun:"is_internal,notnull" json:"is_internal"`
	Timestamps
}

// Account is a tenant: the unit of billing and isolation.
type Account struct {
	bun.BaseModel `bun:"table:igny8_accounts,alias:account"`

	ID               int64         `bun:"id,pk,autoincrement" json:"id"`
	Name             string        `bun:"name,notnull" json:"name"`
	Slug             string        `bun:"slug,notnull" json:"slug"`
	OwnerID          *int64        `bun:"owner_id" json:"owner_id"`
	PlanID           int64         `bun:"plan_id,notnull" json:"plan_id"`
	Plan             *Plan         `bun:"rel:belongs-to,join:plan_id=id" json:"plan,omitempty"`
	Credits          int64         `bun:"credits,notnull" json:"credits"`
	BonusCredits     int64         `bun:"bonus_credits,notnull" json:"bonus_credits"`
	Status           AccountStatus `bun:"status,notnull" json:"status"`
	Timezone         string        `bun:"account_timezone,notnull" json:"account_timezone"`
	StripeCustomerID string        `bun:"stripe_customer_id,notnull" json:"-"`
	PayPalCustomerID string        `bun:"paypal_customer_id,notnull" json:"-"`
	RetentionDays    int           `bun:"retention_days,notnull" json:"retention_days"`
	IsSystem         bool          `bun:"is_system,notnull" json:"is_system"`
	Timestamps
	SoftDelete
}

// IsSystemAccount reports whether this is the platform's own account, which
// can never be deleted.
func (a *Account) IsSystemAccount() bool { return a.IsSystem }

// SubscriptionStatus is the billing state of a subscription.
type SubscriptionStatus string

const (
	SubscriptionTrialing       SubscriptionStatus = "trialing"
	SubscriptionActive         SubscriptionStatus = "active"
	SubscriptionPastDue        SubscriptionStatus = "past_due"
	SubscriptionPendingPayment SubscriptionStatus = "pending_payment"
	SubscriptionCanceled       SubscriptionStatus = "canceled"
)

// Subscription links an account to a plan for a billing period. At most one
// subscription per account is live (not canceled).
type Subscription struct {
	bun.BaseModel `bun:"table:igny8_subscriptions,alias:subscription"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	AccountScoped
	PlanID                 int64              `bun:"plan_id,notnull" json:"plan_id"`
	Status                 SubscriptionStatus `bun:"status,notnull" json:"status"`
	CurrentPeriodStart     time.Time          `bun:"current_period_start,notnull" json:"current_period_start"`
	CurrentPeriodEnd       time.Time          `bun:"current_period_end,notnull" json:"current_period_end"`
	CancelAtPeriodEnd      bool               `bun:"cancel_at_period_end,notnull" json:"cancel_at_period_end"`
	PaymentMethod          string             `bun:"payment_method,notnull" json:"payment_method"`
	ExternalSubscriptionID string             `bun:"external_subscription_id,notnull" json:"external_subscription_id"`
}

// User is a person (or the system bot) inside one account. Login is by email.
type User struct {
	bun.BaseModel `bun:"table:igny8_users,alias:usr"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	AccountScoped
	Email     string     `bun:"email,notnull" json:"email"`
	Username  string     `bun:"username,notnull" json:"username"`
	FirstName string     `bun:"first_name,notnull" json:"first_name"`
	LastName  string     `bun:"last_name,notnull" json:"last_name"`
	Role      Role       `bun:"role,notnull" json:"role"`
	IsActive  bool       `bun:"is_active,notnull" json:"is_active"`
	Password  string     `bun:"password,notnull" json:"-"`
	LastLogin *time.Time `bun:"last_login" json:"last_login"`
}

// Industry is a global template (e.g. "Healthcare") that sites pick.
type Industry struct {
	bun.BaseModel `bun:"table:igny8_industries,alias:industry"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	Name        string `bun:"name,notnull" json:"name"`
	Slug        string `bun:"slug,notnull" json:"slug"`
	Description string `bun:"description,notnull" json:"description"`
	IsActive    bool   `bun:"is_active,notnull" json:"is_active"`
	Timestamps
}

// IndustrySector is a global sector template within an industry.
type IndustrySector struct {
	bun.BaseModel `bun:"table:igny8_industry_sectors,alias:industry_sector"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	IndustryID  int64  `bun:"industry_id,notnull" json:"industry_id"`
	Name        string `bun:"name,notnull" json:"name"`
	Slug        string `bun:"slug,notnull" json:"slug"`
	Description string `bun:"description,notnull" json:"description"`
	IsActive    bool   `bun:"is_active,notnull" json:"is_active"`
	Timestamps
}

// Intent is the search intent of a keyword.
type Intent string

const (
	IntentInformational Intent = "informational"
	IntentCommercial    Intent = "commercial"
	IntentTransactional Intent = "transactional"
	IntentNavigational  Intent = "navigational"
)

// Valid reports whether i is one of the four intents.
func (i Intent) Valid() bool {
	switch i {
	case IntentInformational, IntentCommercial, IntentTransactional, IntentNavigational:
		return true
	}
	return false
}

// SeedKeyword is an entry of the global keyword library, unique per
// industry sector. Tenants adopt seed keywords into their own sectors; their
// own research never flows back into this table.
type SeedKeyword struct {
	bun.BaseModel `bun:"table:igny8_seed_keywords,alias:seed_keyword"`

	ID               int64  `bun:"id,pk,autoincrement" json:"id"`
	IndustryID       int64  `bun:"industry_id,notnull" json:"industry_id"`
	IndustrySectorID int64  `bun:"industry_sector_id,notnull" json:"industry_sector_id"`
	Keyword          string `bun:"keyword,notnull" json:"keyword"`
	Volume           int    `bun:"volume,notnull" json:"volume"`
	Difficulty       int    `bun:"difficulty,notnull" json:"difficulty"`
	Intent           Intent `bun:"intent,notnull" json:"intent"`
	IsActive         bool   `bun:"is_active,notnull" json:"is_active"`
	Timestamps
}

// PlatformType is the CMS a site publishes to.
type PlatformType string

const (
	PlatformWordPress PlatformType = "wordpress"
	PlatformShopify   PlatformType = "shopify"
	PlatformCustom    PlatformType = "custom"
)

// Site is a website of an account.
type Site struct {
	bun.BaseModel `bun:"table:igny8_sites,alias:site"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	AccountScoped
	Name         string       `bun:"name,notnull" json:"name"`
	Domain       string       `bun:"domain,notnull" json:"domain"`
	Slug         string       `bun:"slug,notnull" json:"slug"`
	IndustryID   *int64       `bun:"industry_id" json:"industry_id"`
	IsActive     bool         `bun:"is_active,notnull" json:"is_active"`
	PlatformType PlatformType `bun:"platform_type,notnull" json:"platform_type"`
}

// Sector is a topical area of a site (1–5 active per site); the planner and
// writer work inside one sector.
type Sector struct {
	bun.BaseModel `bun:"table:igny8_sectors,alias:sector"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	AccountScoped
	SiteID           int64  `bun:"site_id,notnull" json:"site_id"`
	IndustrySectorID *int64 `bun:"industry_sector_id" json:"industry_sector_id"`
	Name             string `bun:"name,notnull" json:"name"`
	Description      string `bun:"description,notnull" json:"description"`
	IsActive         bool   `bun:"is_active,notnull" json:"is_active"`
}

// SiteUserAccess grants a non-admin user access to one site.
type SiteUserAccess struct {
	bun.BaseModel `bun:"table:igny8_site_user_access,alias:site_access"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64     `bun:"account_id,notnull" json:"account_id"`
	UserID      int64     `bun:"user_id,notnull" json:"user_id"`
	SiteID      int64     `bun:"site_id,notnull" json:"site_id"`
	GrantedByID *int64    `bun:"granted_by_id" json:"granted_by_id"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"created_at"`
}

// PasswordResetToken is a single-use, short-lived reset grant. Only the
// SHA-256 of the token is stored.
type PasswordResetToken struct {
	bun.BaseModel `bun:"table:igny8_password_reset_tokens,alias:reset_token"`

	ID        int64      `bun:"id,pk,autoincrement"`
	AccountID int64      `bun:"account_id,notnull"`
	UserID    int64      `bun:"user_id,notnull"`
	TokenHash string     `bun:"token_hash,notnull"`
	ExpiresAt time.Time  `bun:"expires_at,notnull"`
	UsedAt    *time.Time `bun:"used_at"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
}
