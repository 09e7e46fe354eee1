// Package ratelimit is the throttling engine behind the API's DRF-style
// throttle scopes ("anon": "30/min", "user": "1000/hour", ...).
//
// Every limiter implements GCRA (the generic cell rate algorithm) with a
// burst equal to the limit: a fresh key may spend Limit requests at once and
// then earns one back every Period/Limit, continuously. GCRA keeps a single
// timestamp per key instead of the per-request history DRF stores in its
// cache, so a check is O(1) in time and space, Retry-After and the
// X-RateLimit-* headers fall out of the arithmetic exactly, and there is no
// fixed-window edge where two full windows back to back double the rate.
// The price of continuous refill is that it is not DRF's sliding log: a key
// that bursts and then keeps going at the sustained rate can fit up to
// Limit + W/(Period/Limit) requests into a window of length W.
//
// Redis is the store when one is configured, because it is the only state
// every server process shares: limits then hold across a fleet rather than
// per process, and redis_rate runs the algorithm as one Lua script so
// concurrent servers cannot race on a bucket. Without Redis — the embedded
// single-process mode — Memory keeps the buckets in-process. Fallback pairs
// the two so that a Redis outage degrades throttling to per-process limits
// instead of failing every request or letting every request through.
package ratelimit
