package billing

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations is the store.MigrationSource of the billing schema (after
// tenancy's: the ledger references igny8_accounts).
func Migrations(d store.Dialect) (fs.FS, error) {
	return store.DialectDir(migrationFiles, d)
}

// Service holds the credits use cases. It is safe for concurrent use.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns the billing service on db (migrated with
// tenancy.Migrations and Migrations).
func NewService(db *bun.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Balance returns t's credits.
func (s *Service) Balance(ctx context.Context, t tenancy.Tenant) (Balance, error) {
	b, err := readBalance(ctx, s.db, t)
	if err != nil {
		return Balance{}, fmt.Errorf("billing: balance: %w", err)
	}
	return b, nil
}

// readBalance reads the pools of t's account. The accounts table is scoped
// by its id: the account is the tenant.
func readBalance(ctx context.Context, idb bun.IDB, t tenancy.Tenant) (Balance, error) {
	if err := t.Err(); err != nil {
		return Balance{}, err
	}
	var plan, bonus int64
	q, err := tenancy.ScopeOwnAccount(idb.NewSelect().Model((*tenancy.Account)(nil)).Column("credits", "bonus_credits"), t)
	if err != nil {
		return Balance{}, err
	}
	err = q.Scan(ctx, &plan, &bonus)
	if errors.Is(err, sql.ErrNoRows) {
		return Balance{}, errs.NotFoundf("account not found")
	}
	if err != nil {
		return Balance{}, err
	}
	return newBalance(plan, bonus), nil
}

// lockBalance locks t's account row until the transaction ends and reads
// its pools. It locks with a no-op UPDATE rather than SELECT … FOR UPDATE:
// on PostgreSQL an UPDATE that leaves the keys alone takes FOR NO KEY
// UPDATE, which does not wait for the FOR KEY SHARE locks that concurrent
// inserts of ledger and usage rows (foreign keys to the account) hold, so
// two charges that both inserted a usage row cannot deadlock on the lock.
// SQLite transactions already hold the write lock.
func lockBalance(ctx context.Context, idb bun.IDB, t tenancy.Tenant) (Balance, error) {
	if err := t.Err(); err != nil {
		return Balance{}, err
	}
	var plan, bonus int64
	q, err := tenancy.ScopeOwnAccount(idb.NewUpdate().Model((*tenancy.Account)(nil)).Set("credits = credits"), t)
	if err != nil {
		return Balance{}, err
	}
	_, err = q.Returning("credits, bonus_credits").Exec(ctx, &plan, &bonus)
	if errors.Is(err, sql.ErrNoRows) {
		return Balance{}, errs.NotFoundf("account not found")
	}
	if err != nil {
		return Balance{}, err
	}
	return newBalance(plan, bonus), nil
}

// changePool adds delta to pool p of the account in one conditional
// statement: UPDATE … SET col = col + delta WHERE id = ? [AND col >= -delta].
// A debit therefore never drives the pool negative, whatever runs
// concurrently: PostgreSQL re-checks the WHERE clause against the row a
// concurrent transaction committed, SQLite serialises writers. ok is false
// when the row did not match (pool too small, or no such live account).
// The balances after the change come from RETURNING, within the row lock.
func changePool(ctx context.Context, idb bun.IDB, t tenancy.Tenant, p Pool, delta int64) (after Balance, ok bool, err error) {
	col := bun.Ident(p.column())
	q, err := tenancy.ScopeOwnAccount(idb.NewUpdate().Model((*tenancy.Account)(nil)).Set("? = ? + ?", col, col, delta), t)
	if err != nil {
		return Balance{}, false, err
	}
	if delta < 0 {
		q = q.Where("?TableAlias.? >= ?", col, -delta)
	}
	var plan, bonus int64
	_, err = q.Returning("credits, bonus_credits").Exec(ctx, &plan, &bonus)
	if errors.Is(err, sql.ErrNoRows) {
		return Balance{}, false, nil
	}
	if err != nil {
		return Balance{}, false, err
	}
	return newBalance(plan, bonus), true, nil
}

// insufficient is the error of a balance lower than required; its Fields
// carry both amounts for the client.
func insufficient(required, available int64) error {
	msg := fmt.Sprintf("insufficient credits: %d required, %d available", required, available)
	return &errs.Error{
		Code:    errs.InsufficientCredits,
		Message: msg,
		Fields: map[string][]string{
			"required":  {fmt.Sprint(required)},
			"available": {fmt.Sprint(available)},
		},
	}
}

// Text limits of the ledger and usage-log columns.
const (
	maxKeyLen   = 255 // idempotency keys (Stripe's limit)
	maxShortLen = 255 // operation, reference, model, related_type, job_id
	maxLongLen  = 2000
)

// checkText records a problem with a free-text field: invalid UTF-8, NUL
// bytes (both would fail in the database instead of answering 400) or too
// long.
func checkText(v *errs.Validation, field, s string, maxLen int) {
	v.Text(field, s, maxLen)
}

// checkKey validates an idempotency key: required, at most 255 characters.
func checkKey(v *errs.Validation, key string) {
	if strings.TrimSpace(key) == "" {
		v.Add("idempotency_key", "is required")
		return
	}
	checkText(v, "idempotency_key", key, maxKeyLen)
}

// keyReused is the error of an idempotency key already used for a different
// request (the IETF draft's 422; here a conflict naming the key).
func keyReused(what string) error {
	return errs.FieldCode(errs.Conflict, "idempotency_key",
		"this idempotency key was already used for "+what)
}
