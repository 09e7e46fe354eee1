// Package loadgen is a closed-loop HTTP load generator: a fixed number of
// workers each send a request, wait for the whole answer, and send the next,
// for a fixed time. Latencies go into a log-bucketed histogram (under 1%
// error) per worker, merged at the end, so recording takes no lock. A
// request counts as an error unless it is answered 2xx; only 2xx answers
// count towards req/s and latency, so a target failing fast cannot look
// quick.
package loadgen
