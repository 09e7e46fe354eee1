package tenancy

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"embed"

	"github.com/igny8/igny8-go/internal/passwd"
	"github.com/igny8/igny8-go/store"
	"github.com/uptrace/bun"
)

//go:embed migrations
var migrationFiles embed.FS

// Migrations is the store.MigrationSource of the tenancy schema.
func Migrations(d store.Dialect) (fs.FS, error) {
	return fs.Sub(migrationFiles, "migrations/"+string(d))
}

// PasswordParams are the argon2id costs for new password hashes.
type PasswordParams struct {
	MemoryKiB  uint32
	Iterations uint32
	Threads    uint8
}

// OWASPPasswordParams is the OWASP minimum for argon2id (19 MiB, t=2, p=1),
// the default.
func OWASPPasswordParams() PasswordParams {
	p := passwd.OWASP()
	return PasswordParams{MemoryKiB: p.Memory, Iterations: p.Time, Threads: p.Threads}
}

// Options configure a Service. Zero values pick the production defaults.
type Options struct {
	// Password sets the argon2id cost; zero means OWASPPasswordParams.
	Password PasswordParams
	// HashConcurrency bounds concurrent password hashing (default: one per CPU).
	HashConcurrency int
	// ResetTokenTTL is the lifetime of a password reset token (default and
	// maximum 1 hour).
	ResetTokenTTL time.Duration
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
}

// Service holds the tenancy use cases. It is safe for concurrent use.
type Service struct {
	db       *bun.DB
	hasher   *passwd.Hasher
	now      func() time.Time
	resetTTL time.Duration
}

// NewService returns the tenancy service on db (migrated with Migrations).
func NewService(db *bun.DB, opts Options) (*Service, error) {
	p := opts.Password
	if p == (PasswordParams{}) {
		p = OWASPPasswordParams()
	}
	if p.MemoryKiB < 8 || p.Iterations < 1 || p.Threads < 1 {
		return nil, fmt.Errorf("tenancy: password parameters too small: %+v", p)
	}
	ttl := opts.ResetTokenTTL
	if ttl <= 0 || ttl > time.Hour {
		ttl = time.Hour
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Service{
		db: db,
		hasher: passwd.New(passwd.Params{
			Memory: p.MemoryKiB, Time: p.Iterations, Threads: p.Threads, KeyLen: 32, SaltLen: 16,
		}, opts.HashConcurrency),
		now:      func() time.Time { return now().UTC() },
		resetTTL: ttl,
	}, nil
}

// inTx runs fn in one transaction so nothing is half-written.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return store.InTx(ctx, s.db, fn)
}
