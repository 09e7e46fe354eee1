// Package igny8 is the facade of igny8-go, an embeddable re-implementation of
// the IGNY8 AI SEO content platform (Sites → Keywords → Clusters → Ideas →
// Tasks → Content → Images → Published), multi-tenant down to account → site
// → sector.
//
// It only wires: New opens the database named by Config (SQLite by default,
// PostgreSQL in production), checks or applies the migrations of every
// domain, and builds the tenant-scoped services; App.Handler serves the
// /api/v1 HTTP API. Go programs may skip HTTP entirely and call the services
// (App.Tenancy(), …) with an explicit tenancy.Tenant.
//
//	app, err := igny8.New(ctx, igny8.DefaultConfig())
//	if err != nil { … }
//	defer app.Close()
//	http.ListenAndServe(":8080", app.Handler())
package igny8
