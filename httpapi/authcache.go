package httpapi

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/igny8/igny8-go/internal/ttlcache"
	"github.com/igny8/igny8-go/tenancy"
)

// authCacheSize bounds each auth cache: far more users than one server
// sees within a TTL, and a bounded cost when tokens of many users arrive.
const authCacheSize = 50_000

// principalKeyID identifies a token's principal: user and account.
type principalKeyID struct{ user, account int64 }

// principalSnapshot is a cached principal. Handlers get fresh copies, so
// nothing they do to their user or account reaches the cache or another
// request.
type principalSnapshot struct {
	user    tenancy.User
	account tenancy.Account
}

func (s principalSnapshot) copies() (*tenancy.User, *tenancy.Account) {
	u, acc := s.user, s.account
	if s.account.Plan != nil {
		p := *s.account.Plan
		acc.Plan = &p
	}
	return &u, &acc
}

// verifiedTokens remembers the access tokens this server verified within
// the auth cache's TTL. Decoding and checking a JWT (base64, JSON, HMAC)
// was the largest part of authenticating a request, and an access token is
// stateless: nothing but its expiry can make a once-valid token invalid,
// so an entry is used only before the token's expiry.
type verifiedTokens struct {
	cache *ttlcache.Cache[string, tenancy.AccessClaims]
	now   func() time.Time
}

func newVerifiedTokens(ttl time.Duration, now func() time.Time) *verifiedTokens {
	if now == nil {
		now = time.Now
	}
	return &verifiedTokens{cache: ttlcache.New[string, tenancy.AccessClaims](ttl, authCacheSize, now), now: now}
}

// claims returns token's claims, calling verify unless the token was
// verified recently and has not expired since. A nil receiver always
// verifies (the cache is off).
func (v *verifiedTokens) claims(token string, verify func(string) (tenancy.AccessClaims, error)) (tenancy.AccessClaims, error) {
	if v == nil {
		return verify(token)
	}
	if c, ok := v.cache.Get(token); ok && v.now().Before(c.ExpiresAt) {
		return c, nil
	}
	c, err := verify(token)
	if err != nil {
		return c, err
	}
	v.cache.Set(token, c)
	return c, nil
}

type moduleKey struct {
	account int64
	module  string
}

// tokenPrincipal loads the user and account of a verified access token,
// from the cache when a recent request of the same user read them: the
// account gate then costs no query on most requests.
func (a *api) tokenPrincipal(ctx context.Context, userID, accountID int64) (*tenancy.User, *tenancy.Account, error) {
	snap, err := cached(ctx, a.log, a.principals, principalKeyID{userID, accountID}, func(ctx context.Context) (principalSnapshot, error) {
		user, account, err := a.tenancy.Principal(ctx, userID, accountID)
		if err != nil {
			return principalSnapshot{}, err
		}
		return principalSnapshot{user: *user, account: *account}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	u, acc := snap.copies()
	return u, acc, nil
}

// moduleEnabled reads an account's module switch through the cache.
func (a *api) moduleEnabled(ctx context.Context, t tenancy.Tenant, module string) (bool, error) {
	return cached(ctx, a.log, a.moduleSwitches, moduleKey{t.AccountID, module}, func(ctx context.Context) (bool, error) {
		return a.system.ModuleEnabled(ctx, t, module)
	})
}

// refreshTimeout bounds a background refresh of an auth cache entry (one
// that outlives the TTL is not stored anyway: ttlcache.SetIf).
const refreshTimeout = 10 * time.Second

// cached returns key's value from c, or from load on a miss (c nil: the
// cache is off). A value half-way through its TTL is reloaded in the
// background by the first request that sees it (ttlcache.Lookup), so the
// requests of an account in steady use never wait for the database — when
// every entry expired in place, the requests that met the expiry each made
// the queries again, and those few requests were the list's slowest
// percent. A refresh that fails drops the entry, so the next request loads
// it itself and answers with the error (a suspended account, a deactivated
// user) rather than with the cached value. A value loaded before a write
// through this server invalidated its account is not stored (SetIf), and
// none is served longer than the TTL after it was read.
func cached[K comparable, V any](ctx context.Context, log *slog.Logger, c *ttlcache.Cache[K, V], key K, load func(context.Context) (V, error)) (V, error) {
	if c == nil {
		return load(ctx)
	}
	if v, ok, refresh := c.Lookup(key); ok {
		if refresh != nil {
			go refreshEntry(log, c, key, *refresh, load)
		}
		return v, nil
	}
	ticket := c.Ticket(key)
	v, err := load(ctx)
	if err != nil {
		c.Release(ticket)
		return v, err
	}
	c.SetIf(key, v, ticket)
	return v, nil
}

// refreshEntry reloads key for cached, on a context of its own: the
// refresh outlives the request that started it, and its query is no part
// of that request's cost. Being off any request, a panic here is logged
// and dropped with the entry rather than ending the process.
func refreshEntry[K comparable, V any](log *slog.Logger, c *ttlcache.Cache[K, V], key K, ticket ttlcache.Ticket[K], load func(context.Context) (V, error)) {
	defer func() {
		if p := recover(); p != nil {
			c.Delete(key)
			log.Error("auth cache refresh panicked", slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()
	fresh, err := load(ctx)
	if err != nil {
		c.Delete(key)
		return
	}
	c.SetIf(key, fresh, ticket)
}

// forgetAccount drops the cached principals and module switches of an
// account after a write through this server, which may have changed them
// (a role, a deactivation, the plan, a module switch).
func (a *api) forgetAccount(accountID int64) {
	if a.principals == nil || accountID == 0 {
		return
	}
	a.principals.DeleteKeys(func(k principalKeyID) bool { return k.account == accountID })
	a.moduleSwitches.DeleteKeys(func(k moduleKey) bool { return k.account == accountID })
}
