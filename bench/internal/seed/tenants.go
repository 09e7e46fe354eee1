package seed

import (
	"context"
	"fmt"

	"github.com/igny8/igny8-go"
	"github.com/igny8/igny8-go/tenancy"
)

// createTenants registers the accounts, their owners, sites and sectors
// through the tenancy service, as registration and the site wizard would.
func createTenants(ctx context.Context, app *igny8.App, c Config) (Manifest, error) {
	var m Manifest
	names := sectorNames()
	for i := range c.Accounts {
		account, owner, err := app.Tenancy().CreateAccount(ctx, tenancy.NewAccount{
			AccountName: fmt.Sprintf("Bench Account %03d", i+1),
			Email:       Email(i),
			Password:    c.Password,
			FirstName:   "Bench",
			LastName:    fmt.Sprintf("Owner %03d", i+1),
			PlanSlug:    PlanSlug,
		})
		if err != nil {
			return Manifest{}, fmt.Errorf("seed: create account %d: %w", i+1, err)
		}
		t := Tenant{AccountID: account.ID, UserID: owner.ID, Email: owner.Email}
		scope := tenancy.UserTenant(owner)
		for s := range c.SitesPerAccount {
			in := tenancy.NewSite{
				Name:   fmt.Sprintf("Bench Site %03d-%d", i+1, s+1),
				Domain: fmt.Sprintf("site%d.account%03d.%s", s+1, i+1, EmailDomain),
			}
			for k := range c.SectorsPerSite {
				in.Sectors = append(in.Sectors, tenancy.NewSector{Name: names[k]})
			}
			site, sectors, err := app.Tenancy().CreateSite(ctx, scope, in)
			if err != nil {
				return Manifest{}, fmt.Errorf("seed: create site %d of account %d: %w", s+1, i+1, err)
			}
			st := Site{ID: site.ID}
			for _, sec := range sectors {
				st.Sectors = append(st.Sectors, sec.ID)
			}
			t.Sites = append(t.Sites, st)
		}
		m.Tenants = append(m.Tenants, t)
	}
	return m, nil
}
