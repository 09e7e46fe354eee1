package igny8test

import (
	"fmt"

	"github.com/igny8/igny8-go/tenancy"
)

// Password is the password of every user the builders create.
const Password = "correct horse battery staple"

// Account is a seeded account with its owner.
type Account struct {
	Account *tenancy.Account
	Owner   *tenancy.User
	// Tenant is the owner's scope.
	Tenant tenancy.Tenant
}

// AccountOption adjusts NewAccount.
type AccountOption func(*tenancy.NewAccount)

// OnPlan puts the account on the plan with this slug (default free-trial).
func OnPlan(slug string) AccountOption {
	return func(in *tenancy.NewAccount) { in.PlanSlug = slug }
}

// NewAccount registers an account with an owner (password Password).
func (e *Env) NewAccount(opts ...AccountOption) *Account {
	e.T.Helper()
	n := e.next()
	in := tenancy.NewAccount{
		AccountName: fmt.Sprintf("Account %d", n),
		Email:       fmt.Sprintf("owner%d-%s@example.com", n, randomHex(3)),
		Password:    Password,
		FirstName:   "Owner",
		LastName:    fmt.Sprint(n),
	}
	for _, opt := range opts {
		opt(&in)
	}
	account, owner, err := e.App.Tenancy().CreateAccount(e.Ctx(), in)
	if err != nil {
		e.T.Fatalf("igny8test: create account: %v", err)
	}
	return &Account{Account: account, Owner: owner, Tenant: tenancy.UserTenant(owner)}
}

// NewSite creates a site in a's account with one sector per name (default
// one sector, "General").
func (e *Env) NewSite(a *Account, sectorNames ...string) (*tenancy.Site, []tenancy.Sector) {
	e.T.Helper()
	if len(sectorNames) == 0 {
		sectorNames = []string{"General"}
	}
	in := tenancy.NewSite{Name: fmt.Sprintf("Site %d", e.next()), Domain: "example.com"}
	for _, name := range sectorNames {
		in.Sectors = append(in.Sectors, tenancy.NewSector{Name: name})
	}
	site, sectors, err := e.App.Tenancy().CreateSite(e.Ctx(), a.Tenant, in)
	if err != nil {
		e.T.Fatalf("igny8test: create site: %v", err)
	}
	return site, sectors
}

// NewSector adds a sector to a site of a's account.
func (e *Env) NewSector(a *Account, siteID int64, name string) *tenancy.Sector {
	e.T.Helper()
	sector, err := e.App.Tenancy().AddSector(e.Ctx(), a.Tenant, siteID, tenancy.NewSector{Name: name})
	if err != nil {
		e.T.Fatalf("igny8test: add sector: %v", err)
	}
	return sector
}

// NewUser adds a user with role to a's account (within its plan's
// max_users) and returns it with its Tenant.
func (e *Env) NewUser(a *Account, role tenancy.Role) (*tenancy.User, tenancy.Tenant) {
	e.T.Helper()
	n := e.next()
	u, err := e.App.Tenancy().CreateUser(e.Ctx(), a.Tenant, tenancy.NewUser{
		Email: fmt.Sprintf("user%d-%s@example.com", n, randomHex(3)), Password: Password, Role: role,
	})
	if err != nil {
		e.T.Fatalf("igny8test: create user: %v", err)
	}
	return u, tenancy.UserTenant(u)
}
