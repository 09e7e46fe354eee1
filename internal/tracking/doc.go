// Package tracking measures what one HTTP request cost the server, for admin
// and developer diagnostics. It is the Go counterpart of the original Django
// ResourceTrackingMiddleware: an admin or developer who sends
// "X-Debug-Resource-Tracking: 1" gets back an "X-Resource-Tracking-ID"
// header, and the metrics recorded under that id (duration, CPU time, heap
// allocations, number and time of database queries) can be fetched for a few
// minutes afterwards.
//
// The package holds only the mechanism; deciding who may be tracked, setting
// the headers and serving the stored metrics belong to the HTTP layer:
//
//	t := tracking.Start()                     // before the handler runs
//	w.Header().Set("X-Resource-Tracking-ID", t.ID())
//	ctx := tracking.WithTracker(r.Context(), t)
//	... handler runs with ctx; bun queries carry it ...
//	m := t.Finish(r.Method, path, status, tenant.AccountID)
//	_ = store.Put(ctx, m)                     // kept for DefaultTTL
//
// The id exists from Start on so the header can be set before the handler
// writes the body; once the body is flushed, headers can no longer change.
//
// # Database queries
//
// QueryHook is a bun.QueryHook that counts each query whose context carries a
// Tracker and adds up its duration. Registering it once on the shared
// *bun.DB (db.AddQueryHook(tracking.QueryHook{})) is enough; queries of
// untracked requests pay one context lookup. Queries a handler runs in
// parallel are each counted, so DBTimeMS can exceed DurationMS.
//
// # The approximation
//
// Duration and database figures are exact for the request. CPU time and
// allocations are not: Go exposes no per-goroutine CPU or allocation
// counters, so the Tracker reads process-wide ones (getrusage(RUSAGE_SELF)
// user+system time, runtime/metrics "/gc/heap/allocs:bytes" and
// "/gc/heap/allocs:objects") at Start and Finish and reports the difference.
// Everything the process did in between is included: other requests, the
// in-process worker, the garbage collector. The figures are meaningful on a
// quiet server (a developer's machine, a staging box, a production instance
// taken out of rotation) and an upper bound otherwise. The allocation
// counters also lag slightly for small objects, which the runtime publishes
// when a per-P cache is refilled rather than at each allocation.
//
// # Storage
//
// Store keeps Metrics for a short time under their id. MemoryStore serves the
// embedded single-process mode and is bounded in size; RedisStore serves a
// fleet, where the request that fetches the metrics may reach another server
// than the one that recorded them. Metrics carry the AccountID of the tracked
// request (never serialised in API responses) so the HTTP layer can refuse
// to show one account's diagnostics to another account's admin.
package tracking
