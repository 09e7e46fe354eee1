package tenancy

import (
	"time"

	"github.com/uptrace/bun"
)

// APIKey is a per-site credential for the WordPress bridge. The key itself
// is shown once at creation; only its prefix (for lookup) and SHA-256 are
// stored.
type APIKey struct {
	bun.BaseModel `bun:"table:igny8_api_keys,alias:api_key"`

	ID int64 `bun:"id,pk,autoincrement" json:"id"`
	AccountScoped
	SiteID      int64      `bun:"site_id,notnull" json:"site_id"`
	Name        string     `bun:"name,notnull" json:"name"`
	Prefix      string     `bun:"prefix,notnull" json:"prefix"`
	KeyHash     string     `bun:"key_hash,notnull" json:"-"`
	CreatedByID *int64     `bun:"created_by_id" json:"created_by_id"`
	LastUsedAt  *time.Time `bun:"last_used_at" json:"last_used_at"`
	RevokedAt   *time.Time `bun:"revoked_at" json:"revoked_at"`
}

// refreshToken is one issued refresh JWT of a family. A family starts at
// login; each refresh rotates to a new member. Presenting a rotated member
// again means the token leaked, and the whole family is revoked.
type refreshToken struct {
	bun.BaseModel `bun:"table:igny8_refresh_tokens,alias:refresh_token"`

	ID        int64      `bun:"id,pk,autoincrement"`
	AccountID int64      `bun:"account_id,notnull"`
	UserID    int64      `bun:"user_id,notnull"`
	Family    string     `bun:"family,notnull"`
	JTI       string     `bun:"jti,notnull"`
	ExpiresAt time.Time  `bun:"expires_at,notnull"`
	RotatedAt *time.Time `bun:"rotated_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
	CreatedAt time.Time  `bun:"created_at,notnull"`
}

// session is a server-side browser session; the cookie holds a random
// token whose SHA-256 is stored here.
type session struct {
	bun.BaseModel `bun:"table:igny8_sessions,alias:sess"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id,notnull"`
	UserID    int64     `bun:"user_id,notnull"`
	TokenHash string    `bun:"token_hash,notnull"`
	ExpiresAt time.Time `bun:"expires_at,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}
