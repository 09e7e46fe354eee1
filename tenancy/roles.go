package tenancy

// Role is a user's role inside an account.
type Role string

const (
	// RoleDeveloper is the platform team's role: admin-level inside its own
	// account. It never crosses accounts implicitly.
	RoleDeveloper Role = "developer"
	RoleOwner     Role = "owner"
	RoleAdmin     Role = "admin"
	RoleEditor    Role = "editor"
	RoleViewer    Role = "viewer"
	// RoleSystemBot acts for server-side automation; still account-scoped.
	RoleSystemBot Role = "system_bot"
)

// rank orders roles for "at least" checks: owner > admin = developer >
// editor > viewer > system_bot.
func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 5
	case RoleAdmin, RoleDeveloper:
		return 4
	case RoleEditor:
		return 3
	case RoleViewer:
		return 2
	case RoleSystemBot:
		return 1
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r ranks at or above min.
func (r Role) AtLeast(min Role) bool { return r.Valid() && r.rank() >= min.rank() }

// IsAdminOrDeveloper reports whether r may administer the account (owner,
// admin or developer): users, sites, keys, settings.
func (r Role) IsAdminOrDeveloper() bool { return r.AtLeast(RoleAdmin) }

// CanWrite reports whether r may create and change content (editor and up).
func (r Role) CanWrite() bool { return r.AtLeast(RoleEditor) }

// CanRead reports whether r may read the account's data (viewer and up, and
// the system bot, which works for the account).
func (r Role) CanRead() bool { return r.Valid() }

// seesAllSites reports whether r sees every site of its account without
// SiteUserAccess grants.
func (r Role) seesAllSites() bool { return r.IsAdminOrDeveloper() || r == RoleSystemBot }

// assignableRoles are the roles an admin may give through ChangeRole and
// CreateUser. Ownership moves only by an explicit transfer; developer and
// system_bot are platform roles.
func (r Role) assignable() bool {
	return r == RoleAdmin || r == RoleEditor || r == RoleViewer
}

// IsSystemAccountUser reports whether u belongs to the platform's system
// account.
func IsSystemAccountUser(u *User, a *Account) bool {
	return u != nil && a != nil && u.AccountID == a.ID && a.IsSystemAccount()
}
