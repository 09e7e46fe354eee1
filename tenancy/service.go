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
	return store.DialectDir(migrationFiles, d)
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

	// TokenSecret signs JWTs (HS256); at least 32 bytes. Empty means a
	// random per-process secret: tokens then die with the process, which is
	// only right for tests and single-shot tools.
	TokenSecret []byte
	// TokenIssuer and TokenAudience are required claims (default "igny8").
	TokenIssuer, TokenAudience string
	// AccessTTL (default 15 min), RefreshTTL (default 7 days) and SessionTTL
	// (default 14 days, Django's SESSION_COOKIE_AGE) bound credentials.
	AccessTTL, RefreshTTL, SessionTTL time.Duration
}

// authConfig is the token and session part of Options, defaults applied.
type authConfig struct {
	secret                            []byte
	issuer, audience                  string
	accessTTL, refreshTTL, sessionTTL time.Duration
}

func newAuthConfig(o Options) (authConfig, error) {
	a := authConfig{
		secret: o.TokenSecret, issuer: o.TokenIssuer, audience: o.TokenAudience,
		accessTTL: o.AccessTTL, refreshTTL: o.RefreshTTL, sessionTTL: o.SessionTTL,
	}
	if len(a.secret) == 0 {
		a.secret = []byte(randomID(48))
	}
	if len(a.secret) < 32 {
		return a, fmt.Errorf("tenancy: token secret must be at least 32 bytes, got %d", len(a.secret))
	}
	if a.issuer == "" {
		a.issuer = "igny8"
	}
	if a.audience == "" {
		a.audience = "igny8"
	}
	if a.accessTTL <= 0 {
		a.accessTTL = 15 * time.Minute
	}
	if a.refreshTTL <= 0 {
		a.refreshTTL = 7 * 24 * time.Hour
	}
	if a.sessionTTL <= 0 {
		a.sessionTTL = 14 * 24 * time.Hour
	}
	return a, nil
}

// Service holds the tenancy use cases. It is safe for concurrent use.
type Service struct {
	db       *bun.DB
	hasher   *passwd.Hasher
	now      func() time.Time
	resetTTL time.Duration
	auth     authConfig
}

// Now is the service's clock (Options.Now): token expiry and every other
// time it checks are read from it, so callers that cache its verdicts
// should age them by the same clock.
func (s *Service) Now() time.Time { return s.now() }

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
	auth, err := newAuthConfig(opts)
	if err != nil {
		return nil, err
	}
	return &Service{
		auth: auth,
		db:   db,
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
