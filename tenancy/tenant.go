package tenancy

import (
	"fmt"
	"log/slog"

	"github.com/igny8/igny8-go/errs"
)

// Tenant is the explicit scope of a call: which account it acts in, for which
// user and with which role, and, when a site API key authenticated, the one
// site it is bound to. It is built only from verified credentials (a token, a
// session, an API key, a job's stored account) and passed as an argument to
// every service method; it is never read from a request's body or query.
type Tenant struct {
	AccountID int64
	// UserID is the acting user; 0 for API-key and background callers.
	UserID int64
	Role   Role
	// SiteID is set when an API key authenticated: only that site is visible.
	SiteID int64
}

// UserTenant is the scope of a signed-in user.
func UserTenant(u *User) Tenant {
	return Tenant{AccountID: u.AccountID, UserID: u.ID, Role: u.Role}
}

// Err reports why t cannot scope anything; nil when it is usable. A zero
// Tenant is an error, never "no filter".
func (t Tenant) Err() error {
	switch {
	case t.AccountID <= 0:
		return errs.E(errs.Unauthenticated, "no tenant: the call has no account scope")
	case !t.Role.Valid():
		return errs.E(errs.Unauthenticated, "no tenant: the call has no valid role")
	case t.UserID < 0 || t.SiteID < 0:
		return errs.E(errs.Unauthenticated, "no tenant: malformed scope")
	}
	return nil
}

// IsZero reports whether t is the zero value.
func (t Tenant) IsZero() bool { return t == Tenant{} }

// SeesAllSites reports whether t sees every site of its account: admin-level
// users and the system bot do; API keys see their own site; other roles see
// the sites granted to them.
func (t Tenant) SeesAllSites() bool { return t.SiteID == 0 && t.Role.seesAllSites() }

// require checks that t is usable and its role ranks at least min.
func (t Tenant) require(min Role) error {
	if err := t.Err(); err != nil {
		return err
	}
	if !t.Role.AtLeast(min) {
		return errs.E(errs.Forbidden, "your role (%s) may not do this; it needs %s or above", t.Role, min)
	}
	return nil
}

// String is for logs.
func (t Tenant) String() string {
	return fmt.Sprintf("account=%d user=%d role=%s site=%d", t.AccountID, t.UserID, t.Role, t.SiteID)
}

// LogValue puts the scope into structured logs.
func (t Tenant) LogValue() slog.Value {
	attrs := []slog.Attr{slog.Int64("account_id", t.AccountID), slog.String("role", string(t.Role))}
	if t.UserID != 0 {
		attrs = append(attrs, slog.Int64("user_id", t.UserID))
	}
	if t.SiteID != 0 {
		attrs = append(attrs, slog.Int64("site_id", t.SiteID))
	}
	return slog.GroupValue(attrs...)
}
