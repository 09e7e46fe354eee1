package httpapi

import (
	"context"
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
	key := principalKeyID{userID, accountID}
	if a.principals != nil {
		if snap, ok := a.principals.Get(key); ok {
			u, acc := snap.copies()
			return u, acc, nil
		}
	}
	user, account, err := a.tenancy.Principal(ctx, userID, accountID)
	if err != nil {
		return nil, nil, err
	}
	if a.principals != nil {
		snap := principalSnapshot{user: *user, account: *account}
		if account.Plan != nil {
			p := *account.Plan
			snap.account.Plan = &p
		}
		a.principals.Set(key, snap)
	}
	return user, account, nil
}

// moduleEnabled reads an account's module switch through the cache.
func (a *api) moduleEnabled(ctx context.Context, t tenancy.Tenant, module string) (bool, error) {
	key := moduleKey{t.AccountID, module}
	if a.moduleSwitches != nil {
		if on, ok := a.moduleSwitches.Get(key); ok {
			return on, nil
		}
	}
	on, err := a.system.ModuleEnabled(ctx, t, module)
	if err != nil {
		return false, err
	}
	if a.moduleSwitches != nil {
		a.moduleSwitches.Set(key, on)
	}
	return on, nil
}

// forgetAccount drops the cached principals and module switches of an
// account after a write through this server, which may have changed them
// (a role, a deactivation, the plan, a module switch).
func (a *api) forgetAccount(accountID int64) {
	if a.principals == nil || accountID == 0 {
		return
	}
	a.principals.DeleteFunc(func(k principalKeyID, _ principalSnapshot) bool { return k.account == accountID })
	a.moduleSwitches.DeleteFunc(func(k moduleKey, _ bool) bool { return k.account == accountID })
}
