// Package ttlcache is a bounded in-process cache whose entries expire a
// fixed time after they were stored. With one TTL for every entry,
// insertion order is expiry order, so expired entries are swept from the
// front on Set and the size bound drops the oldest: no goroutine, nothing
// to close. Callers that keep hot keys warm use Lookup, which tells one of
// them when an entry is half-way to expiry, and SetIf, which refuses a
// value loaded before an invalidation. It backs the tracking metrics of
// the embedded mode and the short-lived caches of the HTTP layer (who a
// token belongs to, which modules an account has on).
package ttlcache
