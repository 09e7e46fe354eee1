package httpapi

import (
	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/store"
	"github.com/igny8/igny8-go/tenancy"
)

// pageOf turns a store page into the list answer.
func pageOf[T any](p store.Page[T], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return listResult{Count: p.Count, Page: p.Page, PageSize: p.PageSize, Results: p.Results}, nil
}

// --- users (team) ---

type userCreateRequest struct {
	Email     string       `json:"email"`
	Password  string       `json:"password"`
	Username  string       `json:"username,omitempty"`
	FirstName string       `json:"first_name,omitempty"`
	LastName  string       `json:"last_name,omitempty"`
	Role      tenancy.Role `json:"role"`
}

type userUpdateRequest struct {
	Role     *tenancy.Role `json:"role,omitempty"`
	IsActive *bool         `json:"is_active,omitempty"`
	Password *string       `json:"password,omitempty"`
}

func (a *api) listUsers(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.tenancy.UsersPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createUser(c *call) (any, error) {
	in := c.body.(*userCreateRequest)
	return a.tenancy.CreateUser(c.r.Context(), c.tenant, tenancy.NewUser{
		Email: in.Email, Password: in.Password, Username: in.Username,
		FirstName: in.FirstName, LastName: in.LastName, Role: in.Role,
	})
}

func (a *api) getUser(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.tenancy.GetUser(c.r.Context(), c.tenant, id)
}

func (a *api) updateUser(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	in := c.body.(*userUpdateRequest)
	return a.tenancy.UpdateUser(c.r.Context(), c.tenant, id, tenancy.UserUpdate{Role: in.Role, IsActive: in.IsActive, Password: in.Password})
}

func (a *api) deactivateUser(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.tenancy.DeactivateUser(c.r.Context(), c.tenant, id)
}

// --- sites ---

type siteCreateRequest struct {
	Name         string               `json:"name"`
	Domain       string               `json:"domain,omitempty"`
	Slug         string               `json:"slug,omitempty"`
	IndustryID   *int64               `json:"industry_id,omitempty"`
	PlatformType tenancy.PlatformType `json:"platform_type,omitempty"`
	Sectors      []sectorInput        `json:"sectors,omitempty"`
}

type sectorInput struct {
	Name             string `json:"name"`
	Description      string `json:"description,omitempty"`
	IndustrySectorID *int64 `json:"industry_sector_id,omitempty"`
}

type siteCreateResponse struct {
	*tenancy.Site
	Sectors []tenancy.Sector `json:"sectors"`
}

type siteUpdateRequest struct {
	Name         *string               `json:"name,omitempty"`
	Domain       *string               `json:"domain,omitempty"`
	IndustryID   *int64                `json:"industry_id,omitempty"`
	IsActive     *bool                 `json:"is_active,omitempty"`
	PlatformType *tenancy.PlatformType `json:"platform_type,omitempty"`
}

func (a *api) listSites(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.tenancy.SitesPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createSite(c *call) (any, error) {
	in := c.body.(*siteCreateRequest)
	ns := tenancy.NewSite{Name: in.Name, Domain: in.Domain, Slug: in.Slug, IndustryID: in.IndustryID, PlatformType: in.PlatformType}
	for _, s := range in.Sectors {
		ns.Sectors = append(ns.Sectors, tenancy.NewSector{Name: s.Name, Description: s.Description, IndustrySectorID: s.IndustrySectorID})
	}
	site, sectors, err := a.tenancy.CreateSite(c.r.Context(), c.tenant, ns)
	if err != nil {
		return nil, err
	}
	if sectors == nil {
		sectors = []tenancy.Sector{}
	}
	return siteCreateResponse{Site: site, Sectors: sectors}, nil
}

func (a *api) getSite(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.tenancy.GetSite(c.r.Context(), c.tenant, id)
}

func (a *api) updateSite(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	in := c.body.(*siteUpdateRequest)
	return a.tenancy.UpdateSite(c.r.Context(), c.tenant, id, tenancy.SiteUpdate{
		Name: in.Name, Domain: in.Domain, IndustryID: in.IndustryID, IsActive: in.IsActive, PlatformType: in.PlatformType,
	})
}

func (a *api) deleteSite(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.tenancy.DeleteSite(c.r.Context(), c.tenant, id)
}

// --- API keys ---

type apiKeyCreateRequest struct {
	Name string `json:"name,omitempty"`
}

func (a *api) listAPIKeys(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	keys, err := a.tenancy.ListAPIKeys(c.r.Context(), c.tenant, id)
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = []tenancy.APIKey{}
	}
	return keys, nil
}

func (a *api) createAPIKey(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	in := c.body.(*apiKeyCreateRequest)
	k, err := a.tenancy.CreateAPIKey(c.r.Context(), c.tenant, id, in.Name)
	if err != nil {
		return nil, err
	}
	return messaged{data: k, message: "store this key now: it is shown only once"}, nil
}

func (a *api) rotateAPIKey(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	k, err := a.tenancy.RotateAPIKey(c.r.Context(), c.tenant, id)
	if err != nil {
		return nil, err
	}
	return messaged{data: k, message: "store this key now: it is shown only once"}, nil
}

func (a *api) revokeAPIKey(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.tenancy.RevokeAPIKey(c.r.Context(), c.tenant, id)
}

// --- sectors ---

type sectorCreateRequest struct {
	SiteID int64 `json:"site_id"`
	sectorInput
}

type sectorUpdateRequest struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	IsActive    *bool   `json:"is_active,omitempty"`
}

func (a *api) listSectors(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.tenancy.SectorsPage(c.r.Context(), c.tenant, lq))
}

func (a *api) createSector(c *call) (any, error) {
	in := c.body.(*sectorCreateRequest)
	if in.SiteID <= 0 {
		return nil, errs.Field("site_id", "is required")
	}
	return a.tenancy.AddSector(c.r.Context(), c.tenant, in.SiteID, tenancy.NewSector{
		Name: in.Name, Description: in.Description, IndustrySectorID: in.IndustrySectorID,
	})
}

func (a *api) getSector(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.tenancy.GetSector(c.r.Context(), c.tenant, id)
}

func (a *api) updateSector(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	in := c.body.(*sectorUpdateRequest)
	return a.tenancy.UpdateSector(c.r.Context(), c.tenant, id, tenancy.SectorUpdate{Name: in.Name, Description: in.Description, IsActive: in.IsActive})
}

func (a *api) deleteSector(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return nil, a.tenancy.DeleteSector(c.r.Context(), c.tenant, id)
}

// --- site access ---

type siteAccessRequest struct {
	UserID int64 `json:"user_id"`
	SiteID int64 `json:"site_id"`
}

func (a *api) listSiteAccess(c *call) (any, error) {
	userID, ok, err := c.queryInt("user_id")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errs.Field("user_id", "is required")
	}
	grants, err := a.tenancy.SiteAccess(c.r.Context(), c.tenant, userID)
	if err != nil {
		return nil, err
	}
	if grants == nil {
		grants = []tenancy.SiteUserAccess{}
	}
	return grants, nil
}

func (a *api) grantSiteAccess(c *call) (any, error) {
	in := c.body.(*siteAccessRequest)
	if err := a.tenancy.GrantSiteAccess(c.r.Context(), c.tenant, in.UserID, in.SiteID); err != nil {
		return nil, err
	}
	return messaged{data: in, message: "access granted"}, nil
}

func (a *api) revokeSiteAccess(c *call) (any, error) {
	in := c.body.(*siteAccessRequest)
	return nil, a.tenancy.RevokeSiteAccess(c.r.Context(), c.tenant, in.UserID, in.SiteID)
}

// --- account ---

type accountUpdateRequest struct {
	Name     *string `json:"name,omitempty"`
	Timezone *string `json:"account_timezone,omitempty"`
}

func (a *api) getAccount(c *call) (any, error) {
	return a.tenancy.GetAccount(c.r.Context(), c.tenant)
}

func (a *api) updateAccount(c *call) (any, error) {
	in := c.body.(*accountUpdateRequest)
	return a.tenancy.UpdateAccount(c.r.Context(), c.tenant, tenancy.AccountUpdate{Name: in.Name, Timezone: in.Timezone})
}

// --- catalogue (global) ---

func (a *api) listPlans(c *call) (any, error) {
	return a.tenancy.ListPlans(c.r.Context())
}

func (a *api) listIndustries(c *call) (any, error) {
	return a.tenancy.ListIndustries(c.r.Context())
}

func (a *api) listIndustrySectors(c *call) (any, error) {
	id, err := c.id("id")
	if err != nil {
		return nil, err
	}
	return a.tenancy.ListIndustrySectors(c.r.Context(), id)
}

func (a *api) listSeedKeywords(c *call) (any, error) {
	lq, err := c.list()
	if err != nil {
		return nil, err
	}
	return pageOf(a.tenancy.SeedKeywordsPage(c.r.Context(), lq))
}

func (a *api) seedKeywordSectorStats(c *call) (any, error) {
	ids, err := c.queryIDs("sector_ids")
	if err != nil {
		return nil, err
	}
	return a.tenancy.SeedKeywordSectorStats(c.r.Context(), ids)
}
