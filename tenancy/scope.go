package tenancy

import (
	"github.com/uptrace/bun"

	"github.com/igny8/igny8-go/store"
)

// scopable is any bun query that can take WHERE clauses through a
// QueryBuilder: *bun.SelectQuery, *bun.UpdateQuery, *bun.DeleteQuery.
type scopable[Q any] interface {
	ApplyQueryBuilder(func(bun.QueryBuilder) bun.QueryBuilder) Q
}

// matchNothing is what a query scoped by an unusable Tenant gets, so that
// even a caller that ignores the error reads and changes nothing.
func matchNothing(qb bun.QueryBuilder) bun.QueryBuilder { return qb.Where("1 = 0") }

// ScopeAccount restricts q to rows of t's account. It is the one way an
// account-scoped table (one with account_id) is queried. With an unusable
// Tenant it returns an error and a query that matches no rows.
func ScopeAccount[Q scopable[Q]](q Q, t Tenant) (Q, error) {
	if err := t.Err(); err != nil {
		return q.ApplyQueryBuilder(matchNothing), err
	}
	return q.ApplyQueryBuilder(func(qb bun.QueryBuilder) bun.QueryBuilder {
		return qb.Where("?TableAlias.account_id = ?", store.Bind(t.AccountID))
	}), nil
}

// ScopeSite restricts q, on a table with account_id and site_id (site-scoped
// and site+sector-scoped models), to t's account and to the sites t may see:
// every site for admin-level roles, the API key's site, or the sites granted
// to the user through SiteUserAccess.
func ScopeSite[Q scopable[Q]](q Q, t Tenant) (Q, error) {
	return scopeSiteColumn(q, t, "site_id")
}

// scopeSiteColumn is ScopeSite for a table whose site id lives in column
// (the sites table itself uses "id").
func scopeSiteColumn[Q scopable[Q]](q Q, t Tenant, column string) (Q, error) {
	q, err := ScopeAccount(q, t)
	if err != nil {
		return q, err
	}
	return q.ApplyQueryBuilder(func(qb bun.QueryBuilder) bun.QueryBuilder {
		switch {
		case t.SiteID != 0:
			return qb.Where("?TableAlias.? = ?", bun.Ident(column), store.Bind(t.SiteID))
		case t.Role.seesAllSites():
			return qb
		default:
			return qb.Where("?TableAlias.? IN (SELECT sua.site_id FROM igny8_site_user_access AS sua WHERE sua.account_id = ? AND sua.user_id = ?)",
				bun.Ident(column), store.Bind(t.AccountID), store.Bind(t.UserID))
		}
	}), nil
}

// ScopeOwnAccount restricts q, on the accounts table itself, to t's
// account: the row of the tenant, which carries no account_id column. Like
// the other helpers it fails closed.
func ScopeOwnAccount[Q scopable[Q]](q Q, t Tenant) (Q, error) {
	if err := t.Err(); err != nil {
		return q.ApplyQueryBuilder(matchNothing), err
	}
	return q.ApplyQueryBuilder(func(qb bun.QueryBuilder) bun.QueryBuilder {
		return qb.Where("?TableAlias.id = ?", store.Bind(t.AccountID))
	}), nil
}
