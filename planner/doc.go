// Package planner will hold the first stages of the pipeline: keywords
// (own or adopted from the seed library), clusters and content ideas, all
// site+sector scoped and soft-deleted, with CSV import/export and the AI
// functions auto_cluster and generate_ideas. Its models embed
// tenancy.SiteSectorScoped and every query goes through tenancy.ScopeSite.
package planner
