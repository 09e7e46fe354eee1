package httpapi

import (
	"net/http"

	"github.com/igny8/igny8-go/billing"
	"github.com/igny8/igny8-go/internal/tracking"
	"github.com/igny8/igny8-go/jobs"
	"github.com/igny8/igny8-go/planner"
	"github.com/igny8/igny8-go/system"
	"github.com/igny8/igny8-go/tenancy"
)

// id is the path pattern of an object id.
const id = "{id:[0-9]+}"

// table is the route table of /api/v1. Paths keep the original's trailing
// slashes.
func (a *api) table() []Route {
	siteSpec, sectorSpec, userSpec, seedSpec := tenancy.SiteListSpec(), tenancy.SectorListSpec(), tenancy.UserListSpec(), tenancy.SeedKeywordListSpec()
	taskSpec := jobs.TaskListSpec()
	txSpec, usageSpec := billing.TransactionListSpec(), billing.UsageListSpec()
	authorSpec, strategySpec := system.AuthorListSpec(), system.StrategyListSpec()
	keywordSpec, clusterSpec, ideaSpec := planner.KeywordListSpec(), planner.ClusterListSpec(), planner.IdeaListSpec()
	return []Route{
		// System.
		{Method: http.MethodGet, Path: "/system/status/", Summary: "Health: database and Redis reachability", Tag: "system",
			Access: public, Scope: "system", SkipGate: true, Response: statusData{}, Handle: a.systemStatus},

		{Method: http.MethodGet, Path: "/system/request-metrics/{id:[0-9a-f]{32}}/", Summary: "Resource use of a tracked request (X-Debug-Resource-Tracking: 1)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", Response: tracking.Metrics{}, Handle: a.requestMetrics},

		{Method: http.MethodGet, Path: "/system/tasks/", Summary: "Background tasks of the account, newest first", Tag: "system",
			Access: anyPrincipal, Scope: "system", List: true, ListSpec: &taskSpec, Response: []jobs.Progress{}, Handle: a.listTasks},
		{Method: http.MethodGet, Path: "/system/tasks/" + id + "/", Summary: "Progress of a background task (queued, running, completed, failed)", Tag: "system",
			Access: anyPrincipal, Scope: "system", Response: jobs.Progress{}, Handle: a.getTask},

		// Authentication.
		{Method: http.MethodPost, Path: "/auth/register/", Summary: "Register an account and its owner (trial plan), sign in", Tag: "auth",
			Access: public, Scope: "auth", Body: &registerRequest{}, Response: authResponse{}, Status: http.StatusCreated, Handle: a.register},
		{Method: http.MethodPost, Path: "/auth/login/", Summary: "Sign in: JWT pair, user and account; opens a browser session", Tag: "auth",
			Access: public, Scope: "auth", Body: &loginRequest{}, Response: authResponse{}, Handle: a.login},
		{Method: http.MethodPost, Path: "/auth/token/refresh/", Summary: "Rotate a refresh token for a new pair", Tag: "auth",
			Access: public, Scope: "auth", Body: &refreshRequest{}, Response: tenancy.TokenPair{}, Handle: a.refresh},
		{Method: http.MethodPost, Path: "/auth/logout/", Summary: "Revoke the refresh family and end the session", Tag: "auth",
			Access: userOnly, Scope: "auth", SkipGate: true, Body: &logoutRequest{}, Handle: a.logout},
		{Method: http.MethodGet, Path: "/auth/me/", Summary: "Who is calling: user or API key, account, site", Tag: "auth",
			Access: anyPrincipal, Scope: "auth", Response: meResponse{}, Handle: a.me},
		{Method: http.MethodPost, Path: "/auth/password/change/", Summary: "Change one's own password (ends other sessions)", Tag: "auth",
			Access: userOnly, Scope: "auth_strict", Body: &passwordChangeRequest{}, Handle: a.passwordChange},
		{Method: http.MethodPost, Path: "/auth/password/reset/", Summary: "Email a single-use reset link (same answer for unknown emails)", Tag: "auth",
			Access: public, Scope: "auth_strict", Body: &passwordResetRequest{}, Handle: a.passwordReset},
		{Method: http.MethodPost, Path: "/auth/password/reset/confirm/", Summary: "Set a new password with a reset token", Tag: "auth",
			Access: public, Scope: "auth_strict", Body: &passwordResetConfirmRequest{}, Handle: a.passwordResetConfirm},

		// Team.
		{Method: http.MethodGet, Path: "/auth/users/", Summary: "List the account's users", Tag: "users",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "default", List: true, ListSpec: &userSpec, Response: []tenancy.User{}, Handle: a.listUsers},
		{Method: http.MethodPost, Path: "/auth/users/", Summary: "Add a user (plan max_users applies)", Tag: "users",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &userCreateRequest{}, Response: tenancy.User{}, Status: http.StatusCreated, Handle: a.createUser},
		{Method: http.MethodGet, Path: "/auth/users/" + id + "/", Summary: "Get a user", Tag: "users",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "default", Response: tenancy.User{}, Handle: a.getUser},
		{Method: http.MethodPatch, Path: "/auth/users/" + id + "/", Summary: "Change a user's role, activity or password", Tag: "users",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &userUpdateRequest{}, Response: tenancy.User{}, Handle: a.updateUser},
		{Method: http.MethodDelete, Path: "/auth/users/" + id + "/", Summary: "Deactivate a user", Tag: "users",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Status: http.StatusNoContent, Handle: a.deactivateUser},

		// Sites and their API keys.
		{Method: http.MethodGet, Path: "/auth/sites/", Summary: "List the sites the caller may see", Tag: "sites",
			Access: anyPrincipal, Scope: "default", List: true, ListSpec: &siteSpec, Response: []tenancy.Site{}, Handle: a.listSites},
		{Method: http.MethodPost, Path: "/auth/sites/", Summary: "Create a site with its sectors (plan max_sites applies)", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &siteCreateRequest{}, Response: siteCreateResponse{}, Status: http.StatusCreated, Handle: a.createSite},
		{Method: http.MethodGet, Path: "/auth/sites/" + id + "/", Summary: "Get a site", Tag: "sites",
			Access: anyPrincipal, Scope: "default", Response: tenancy.Site{}, Handle: a.getSite},
		{Method: http.MethodPatch, Path: "/auth/sites/" + id + "/", Summary: "Change a site", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &siteUpdateRequest{}, Response: tenancy.Site{}, Handle: a.updateSite},
		{Method: http.MethodDelete, Path: "/auth/sites/" + id + "/", Summary: "Delete a site with its sectors", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Status: http.StatusNoContent, Handle: a.deleteSite},
		{Method: http.MethodGet, Path: "/auth/sites/" + id + "/api-keys/", Summary: "List a site's API keys", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Response: []tenancy.APIKey{}, Handle: a.listAPIKeys},
		{Method: http.MethodPost, Path: "/auth/sites/" + id + "/api-keys/", Summary: "Create an API key (shown once)", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &apiKeyCreateRequest{}, Response: tenancy.NewAPIKey{}, Status: http.StatusCreated, Handle: a.createAPIKey},
		{Method: http.MethodPost, Path: "/auth/api-keys/" + id + "/rotate/", Summary: "Replace an API key (the old one stops working)", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Response: tenancy.NewAPIKey{}, Handle: a.rotateAPIKey},
		{Method: http.MethodDelete, Path: "/auth/api-keys/" + id + "/", Summary: "Revoke an API key", Tag: "sites",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Status: http.StatusNoContent, Handle: a.revokeAPIKey},

		// Sectors.
		{Method: http.MethodGet, Path: "/auth/sectors/", Summary: "List sectors (filter site_id)", Tag: "sectors",
			Access: anyPrincipal, Scope: "default", List: true, ListSpec: &sectorSpec, Response: []tenancy.Sector{}, Handle: a.listSectors},
		{Method: http.MethodPost, Path: "/auth/sectors/", Summary: "Add a sector to a site (at most 5 active)", Tag: "sectors",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &sectorCreateRequest{}, Response: tenancy.Sector{}, Status: http.StatusCreated, Handle: a.createSector},
		{Method: http.MethodGet, Path: "/auth/sectors/" + id + "/", Summary: "Get a sector", Tag: "sectors",
			Access: anyPrincipal, Scope: "default", Response: tenancy.Sector{}, Handle: a.getSector},
		{Method: http.MethodPatch, Path: "/auth/sectors/" + id + "/", Summary: "Change a sector", Tag: "sectors",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &sectorUpdateRequest{}, Response: tenancy.Sector{}, Handle: a.updateSector},
		{Method: http.MethodDelete, Path: "/auth/sectors/" + id + "/", Summary: "Delete a sector", Tag: "sectors",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Status: http.StatusNoContent, Handle: a.deleteSector},

		// Site access grants.
		{Method: http.MethodGet, Path: "/auth/site-access/", Summary: "List a user's site grants (user_id)", Tag: "site-access",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Response: []tenancy.SiteUserAccess{}, Handle: a.listSiteAccess},
		{Method: http.MethodPost, Path: "/auth/site-access/", Summary: "Grant a user access to a site", Tag: "site-access",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &siteAccessRequest{}, Response: siteAccessRequest{}, Status: http.StatusCreated, Handle: a.grantSiteAccess},
		{Method: http.MethodPost, Path: "/auth/site-access/revoke/", Summary: "Revoke a user's access to a site", Tag: "site-access",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &siteAccessRequest{}, Status: http.StatusNoContent, Handle: a.revokeSiteAccess},

		// Global catalogue.
		{Method: http.MethodGet, Path: "/auth/plans/", Summary: "Plans on sale", Tag: "catalogue",
			Access: public, Scope: "default", SkipGate: true, Response: []tenancy.Plan{}, Handle: a.listPlans},
		{Method: http.MethodGet, Path: "/auth/industries/", Summary: "Industries", Tag: "catalogue",
			Access: public, Scope: "default", SkipGate: true, Response: []tenancy.Industry{}, Handle: a.listIndustries},
		{Method: http.MethodGet, Path: "/auth/industries/" + id + "/sectors/", Summary: "Sector templates of an industry", Tag: "catalogue",
			Access: public, Scope: "default", SkipGate: true, Response: []tenancy.IndustrySector{}, Handle: a.listIndustrySectors},
		{Method: http.MethodGet, Path: "/auth/seed-keywords/", Summary: "Keyword library (legacy path)", Tag: "catalogue",
			Access: anyPrincipal, Scope: "planner", List: true, ListSpec: &seedSpec, Response: []tenancy.SeedKeyword{}, Handle: a.listSeedKeywords},
		{Method: http.MethodGet, Path: "/keywords-library/", Summary: "Keyword library: search, sector_ids filter", Tag: "catalogue",
			Access: anyPrincipal, Scope: "planner", List: true, ListSpec: &seedSpec, Response: []tenancy.SeedKeyword{}, Handle: a.listSeedKeywords},
		{Method: http.MethodGet, Path: "/keywords-library/sector_stats/", Summary: "Keyword counts per industry sector", Tag: "catalogue",
			Access: anyPrincipal, Scope: "planner", Response: []tenancy.SectorStat{}, Handle: a.seedKeywordSectorStats},

		// Planner: keywords, clusters, content ideas. Viewers and API keys
		// read; editors and up (and API keys, the WordPress plugin) write.
		// Every route is behind the planner module switch.
		{Method: http.MethodGet, Path: "/planner/keywords/", Summary: "List keywords (filters, search, ordering)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, List: true, ListSpec: &keywordSpec, Response: []planner.Keyword{}, Handle: a.listKeywords},
		{Method: http.MethodPost, Path: "/planner/keywords/", Summary: "Add a keyword: own text or a seed keyword (plan max_keywords applies)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.KeywordInput{}, Response: planner.Keyword{}, Status: http.StatusCreated, Handle: a.createKeyword},
		{Method: http.MethodPost, Path: "/planner/keywords/bulk_delete/", Summary: "Delete keywords (soft; restore brings them back)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.bulkDeleteKeywords},
		{Method: http.MethodPost, Path: "/planner/keywords/bulk_update/", Summary: "Change status, cluster or disabled of many keywords", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.KeywordBulkUpdate{}, Response: planner.BulkResult{}, Handle: a.bulkUpdateKeywords},
		{Method: http.MethodPost, Path: "/planner/keywords/restore/", Summary: "Restore deleted keywords", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.restoreKeywords},
		{Method: http.MethodPost, Path: "/planner/keywords/bulk_add_from_seed/", Summary: "Adopt seed keywords of the library into a sector", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.SeedAdoption{}, Response: planner.SeedAdoptionResult{}, Handle: a.addKeywordsFromSeed},
		{Method: http.MethodGet, Path: "/planner/keywords/filter_options/", Summary: "Choices of the keyword filters (status, intent, cluster_id) given the other filters", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, ListSpec: &keywordSpec, Response: planner.FilterOptions{}, Handle: a.keywordFilterOptions},
		{Method: http.MethodPost, Path: "/planner/keywords/import_csv/", Summary: "Import keywords from CSV into the site_id and sector_id of the query (text/csv or multipart file)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, CSVUpload: true, Response: planner.CSVReport{}, Handle: a.importKeywordsCSV},
		{Method: http.MethodGet, Path: "/planner/keywords/export_csv/", Summary: "Export the keywords as CSV (the list's filters, search and ordering)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, ListSpec: &keywordSpec, Raw: true, Produces: "text/csv", Handle: a.exportKeywordsCSV},
		{Method: http.MethodPost, Path: "/planner/keywords/auto_cluster/", Summary: "Cluster keywords of one site and sector with AI (a background task)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner_ai", Module: system.ModulePlanner, Body: &planner.AutoClusterInput{}, Response: jobs.Progress{}, Status: http.StatusAccepted, Handle: a.autoCluster},
		{Method: http.MethodGet, Path: "/planner/keywords/" + id + "/", Summary: "Get a keyword", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, Response: planner.Keyword{}, Handle: a.getKeyword},
		{Method: http.MethodPatch, Path: "/planner/keywords/" + id + "/", Summary: "Change a keyword (null clears an override or the cluster)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.KeywordUpdate{}, Response: planner.Keyword{}, Handle: a.updateKeyword},
		{Method: http.MethodDelete, Path: "/planner/keywords/" + id + "/", Summary: "Delete a keyword (soft)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Status: http.StatusNoContent, Handle: a.deleteKeyword},

		{Method: http.MethodGet, Path: "/planner/clusters/", Summary: "List clusters (filters, search, ordering)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, List: true, ListSpec: &clusterSpec, Response: []planner.Cluster{}, Handle: a.listClusters},
		{Method: http.MethodPost, Path: "/planner/clusters/", Summary: "Create a cluster", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.ClusterInput{}, Response: planner.Cluster{}, Status: http.StatusCreated, Handle: a.createCluster},
		{Method: http.MethodPost, Path: "/planner/clusters/bulk_delete/", Summary: "Delete clusters (soft; their keywords and ideas leave them)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.bulkDeleteClusters},
		{Method: http.MethodPost, Path: "/planner/clusters/bulk_update/", Summary: "Disable or enable many clusters", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.ClusterBulkUpdate{}, Response: planner.BulkResult{}, Handle: a.bulkUpdateClusters},
		{Method: http.MethodPost, Path: "/planner/clusters/restore/", Summary: "Restore deleted clusters (empty)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.restoreClusters},
		{Method: http.MethodGet, Path: "/planner/clusters/filter_options/", Summary: "Choices of the cluster filters (status) given the other filters", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, ListSpec: &clusterSpec, Response: planner.FilterOptions{}, Handle: a.clusterFilterOptions},
		{Method: http.MethodPost, Path: "/planner/clusters/auto_generate_ideas/", Summary: "Generate content ideas for clusters with AI (a background task)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner_ai", Module: system.ModulePlanner, Body: &planner.GenerateIdeasInput{}, Response: jobs.Progress{}, Status: http.StatusAccepted, Handle: a.generateIdeas},
		{Method: http.MethodGet, Path: "/planner/clusters/" + id + "/", Summary: "Get a cluster", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, Response: planner.Cluster{}, Handle: a.getCluster},
		{Method: http.MethodPatch, Path: "/planner/clusters/" + id + "/", Summary: "Rename, describe or disable a cluster", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.ClusterUpdate{}, Response: planner.Cluster{}, Handle: a.updateCluster},
		{Method: http.MethodDelete, Path: "/planner/clusters/" + id + "/", Summary: "Delete a cluster (soft)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Status: http.StatusNoContent, Handle: a.deleteCluster},

		{Method: http.MethodGet, Path: "/planner/ideas/", Summary: "List content ideas (filters, search, ordering)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, List: true, ListSpec: &ideaSpec, Response: []planner.Idea{}, Handle: a.listIdeas},
		{Method: http.MethodPost, Path: "/planner/ideas/", Summary: "Create a content idea", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.IdeaInput{}, Response: planner.Idea{}, Status: http.StatusCreated, Handle: a.createIdea},
		{Method: http.MethodPost, Path: "/planner/ideas/bulk_delete/", Summary: "Delete content ideas (soft)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.bulkDeleteIdeas},
		{Method: http.MethodPost, Path: "/planner/ideas/bulk_update/", Summary: "Change status or disabled of many content ideas", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.IdeaBulkUpdate{}, Response: planner.BulkResult{}, Handle: a.bulkUpdateIdeas},
		{Method: http.MethodPost, Path: "/planner/ideas/restore/", Summary: "Restore deleted content ideas", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &idsRequest{}, Response: planner.BulkResult{}, Handle: a.restoreIdeas},
		{Method: http.MethodGet, Path: "/planner/ideas/filter_options/", Summary: "Choices of the idea filters (status, content_type, content_structure, cluster_id) given the other filters", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, ListSpec: &ideaSpec, Response: planner.FilterOptions{}, Handle: a.ideaFilterOptions},
		{Method: http.MethodGet, Path: "/planner/ideas/" + id + "/", Summary: "Get a content idea", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleViewer, Scope: "planner", Module: system.ModulePlanner, Response: planner.Idea{}, Handle: a.getIdea},
		{Method: http.MethodPatch, Path: "/planner/ideas/" + id + "/", Summary: "Change a content idea (keyword_ids replaces the targeted keywords)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Body: &planner.IdeaUpdate{}, Response: planner.Idea{}, Handle: a.updateIdea},
		{Method: http.MethodDelete, Path: "/planner/ideas/" + id + "/", Summary: "Delete a content idea (soft)", Tag: "planner",
			Access: anyPrincipal, MinRole: tenancy.RoleEditor, Scope: "planner", Module: system.ModulePlanner, Status: http.StatusNoContent, Handle: a.deleteIdea},

		// Catalogue administration (platform operators only): CSV import
		// (upsert, streamed, a report of created/updated/rejected rows) and
		// export (streamed).
		{Method: http.MethodPost, Path: "/admin/industries/csv/", Summary: "Import industries and sector templates from CSV (text/csv or multipart file)", Tag: "admin",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", CSVUpload: true, Response: tenancy.CSVReport{}, Handle: a.importIndustriesCSV},
		{Method: http.MethodGet, Path: "/admin/industries/csv/", Summary: "Export industries and sector templates as CSV", Tag: "admin",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", Raw: true, Produces: "text/csv", Handle: a.exportIndustriesCSV},
		{Method: http.MethodPost, Path: "/admin/seed-keywords/csv/", Summary: "Import the seed-keyword library from CSV (text/csv or multipart file)", Tag: "admin",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", CSVUpload: true, Response: tenancy.CSVReport{}, Handle: a.importSeedKeywordsCSV},
		{Method: http.MethodGet, Path: "/admin/seed-keywords/csv/", Summary: "Export the seed-keyword library as CSV", Tag: "admin",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", Raw: true, Produces: "text/csv", Handle: a.exportSeedKeywordsCSV},

		// System: prompts, AI settings and models, modules.
		{Method: http.MethodGet, Path: "/system/prompts/", Summary: "The account's prompt overrides", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: []system.Prompt{}, Handle: a.listPrompts},
		{Method: http.MethodGet, Path: "/system/prompts/by_type/{type:[a-z0-9_]+}/", Summary: "The prompt in effect for a type (account, else global)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: system.Prompt{}, Handle: a.promptByType},
		{Method: http.MethodPost, Path: "/system/prompts/save_prompt/", Summary: "Save the account's override of a prompt (Go template subset)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &promptSaveRequest{}, Response: system.Prompt{}, Handle: a.savePrompt},
		{Method: http.MethodPost, Path: "/system/prompts/reset_prompt/", Summary: "Drop the account's override (back to global or built-in)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &promptResetRequest{}, Handle: a.resetPrompt},
		{Method: http.MethodGet, Path: "/system/ai-settings/", Summary: "Effective AI settings (account over global)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: system.AISettings{}, Handle: a.aiSettings},
		{Method: http.MethodPut, Path: "/system/ai-settings/", Summary: "Replace the account's AI overrides (null inherits)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &system.AISettingsInput{}, Response: system.AISettings{}, Handle: a.saveAISettings},
		{Method: http.MethodGet, Path: "/system/admin/ai-settings/", Summary: "Global AI settings (operators)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", Response: system.GlobalAISettings{}, Handle: a.globalAISettings},
		{Method: http.MethodPut, Path: "/system/admin/ai-settings/", Summary: "Replace the global AI settings (operators)", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system_admin", Body: &system.GlobalAISettings{}, Response: system.GlobalAISettings{}, Handle: a.saveGlobalAISettings},
		{Method: http.MethodGet, Path: "/system/ai-models/", Summary: "Active AI models (kind=text|image)", Tag: "system",
			Access: anyPrincipal, Scope: "system", Response: []system.Model{}, Handle: a.aiModels},
		{Method: http.MethodGet, Path: "/system/modules/", Summary: "Which modules are enabled for the account", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: map[string]bool{}, Handle: a.modules},
		{Method: http.MethodPost, Path: "/system/modules/", Summary: "Enable or disable a module", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &moduleRequest{}, Response: map[string]bool{}, Handle: a.setModule},

		{Method: http.MethodGet, Path: "/system/author-profiles/", Summary: "List author profiles", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", List: true, ListSpec: &authorSpec, Response: []system.AuthorProfile{}, Handle: a.listAuthors},
		{Method: http.MethodPost, Path: "/system/author-profiles/", Summary: "Create a author profile", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &system.AuthorInput{}, Response: system.AuthorProfile{}, Status: http.StatusCreated, Handle: a.createAuthor},
		{Method: http.MethodGet, Path: "/system/author-profiles/" + id + "/", Summary: "Get a author profile", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: system.AuthorProfile{}, Handle: a.getAuthor},
		{Method: http.MethodPatch, Path: "/system/author-profiles/" + id + "/", Summary: "Change a author profile", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &system.AuthorUpdate{}, Response: system.AuthorProfile{}, Handle: a.updateAuthor},
		{Method: http.MethodDelete, Path: "/system/author-profiles/" + id + "/", Summary: "Delete a author profile", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Status: http.StatusNoContent, Handle: a.deleteAuthor},
		{Method: http.MethodGet, Path: "/system/strategies/", Summary: "List strategys", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", List: true, ListSpec: &strategySpec, Response: []system.Strategy{}, Handle: a.listStrategies},
		{Method: http.MethodPost, Path: "/system/strategies/", Summary: "Create a strategy", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &system.StrategyInput{}, Response: system.Strategy{}, Status: http.StatusCreated, Handle: a.createStrategy},
		{Method: http.MethodGet, Path: "/system/strategies/" + id + "/", Summary: "Get a strategy", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "system", Response: system.Strategy{}, Handle: a.getStrategy},
		{Method: http.MethodPatch, Path: "/system/strategies/" + id + "/", Summary: "Change a strategy", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Body: &system.StrategyUpdate{}, Response: system.Strategy{}, Handle: a.updateStrategy},
		{Method: http.MethodDelete, Path: "/system/strategies/" + id + "/", Summary: "Delete a strategy", Tag: "system",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "system", Status: http.StatusNoContent, Handle: a.deleteStrategy},

		// Credits.
		{Method: http.MethodGet, Path: "/billing/credits/balance/", Summary: "Plan and bonus credit balances", Tag: "billing",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "billing", Response: billing.Balance{}, Handle: a.creditBalance},
		{Method: http.MethodGet, Path: "/billing/transactions/", Summary: "The account's credit ledger", Tag: "billing",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "billing", List: true, ListSpec: &txSpec, Response: []billing.Transaction{}, Handle: a.creditTransactions},
		{Method: http.MethodGet, Path: "/billing/credits/usage/", Summary: "Credit usage history (per AI call)", Tag: "billing",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "billing", List: true, ListSpec: &usageSpec, Response: []billing.UsageLog{}, Handle: a.creditUsage},
		{Method: http.MethodGet, Path: "/billing/credits/usage/summary/", Summary: "Credit usage by operation over a period (from, to)", Tag: "billing",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "billing", Response: []billing.UsageSummaryRow{}, Handle: a.creditUsageSummary},
		{Method: http.MethodGet, Path: "/billing/credit-costs/", Summary: "What each operation costs in credits", Tag: "billing",
			Access: anyPrincipal, Scope: "billing", Response: []billing.CreditCost{}, Handle: a.creditCosts},
		{Method: http.MethodPost, Path: "/billing/admin/adjust-credits/", Summary: "Adjust an account's credits (operators; ledgered with a reason)", Tag: "billing",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "billing_admin", Body: &adjustCreditsRequest{}, Response: billing.GrantResult{}, Handle: a.adjustCredits},

		// Account.
		{Method: http.MethodGet, Path: "/account/settings/", Summary: "Account settings, plan and credits", Tag: "account",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "default", Response: tenancy.Account{}, Handle: a.getAccount},
		{Method: http.MethodPatch, Path: "/account/settings/", Summary: "Change account settings", Tag: "account",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &accountUpdateRequest{}, Response: tenancy.Account{}, Handle: a.updateAccount},
		{Method: http.MethodGet, Path: "/account/team/", Summary: "List the team", Tag: "account",
			Access: userOnly, MinRole: tenancy.RoleViewer, Scope: "default", List: true, ListSpec: &userSpec, Response: []tenancy.User{}, Handle: a.listUsers},
		{Method: http.MethodPost, Path: "/account/team/", Summary: "Invite a team member (plan max_users applies)", Tag: "account",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Body: &userCreateRequest{}, Response: tenancy.User{}, Status: http.StatusCreated, Handle: a.createUser},
		{Method: http.MethodDelete, Path: "/account/team/" + id + "/", Summary: "Remove (deactivate) a team member", Tag: "account",
			Access: userOnly, MinRole: tenancy.RoleAdmin, Scope: "default", Status: http.StatusNoContent, Handle: a.deactivateUser},
	}
}
