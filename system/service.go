package system

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations is the store.MigrationSource of the system schema (after
// tenancy's: the account tables reference igny8_accounts and igny8_users).
func Migrations(d store.Dialect) (fs.FS, error) {
	return store.DialectDir(migrationFiles, d)
}

// Service holds the settings use cases. It is safe for concurrent use.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns the system service on db (migrated with
// tenancy.Migrations and Migrations).
func NewService(db *bun.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// requireRead checks that t may read the account's settings: any usable
// Tenant (viewer and up, the system bot, an API key).
func requireRead(t tenancy.Tenant) error {
	return t.Err()
}

// requireAdmin checks that t may change the account's settings: a signed-in
// owner, admin or developer. API keys (bound to one site) never may.
func requireAdmin(t tenancy.Tenant) error {
	if err := t.Err(); err != nil {
		return err
	}
	if !t.Role.IsAdminOrDeveloper() || t.SiteID != 0 {
		return errs.E(errs.Forbidden, "your role (%s) may not change settings; it needs admin or above", t.Role)
	}
	return nil
}

// checkText records a problem with a free-text field: invalid UTF-8 or NUL
// bytes (both would fail in the database instead of answering 400), or more
// than maxLen characters.
func checkText(v *errs.Validation, field, s string, maxLen int) bool {
	return v.Text(field, s, maxLen)
}

// inTx runs fn in a transaction; constraint violations come back as errs
// errors.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return store.InTx(ctx, s.db, fn)
}
