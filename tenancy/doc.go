// Package tenancy is the ground every igny8 domain stands on: accounts and
// their plans, users and roles, sites and sectors, the global industry and
// seed-keyword catalogue, site access grants and password resets.
//
// Its most important export is Tenant, the explicit scope value that every
// service method of every domain takes, and the scoping helpers (ScopeAccount,
// ScopeSite) that every tenant query goes through. Scoping fails closed: a
// zero Tenant is an error and the query it was asked to scope matches nothing.
// Objects of another account are reported as not found, never as forbidden.
//
// AccountScoped and SiteSectorScoped are the embedded bases of every tenant
// model; SoftDelete adds deleted_at where the original soft-deletes.
package tenancy
