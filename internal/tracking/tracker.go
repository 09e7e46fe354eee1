package tracking

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// Metrics is what one tracked request cost. DurationMS and the DB* fields
// belong to the request alone; CPUTimeMS, AllocBytes and Allocs are
// process-wide deltas over the request's lifetime (see the package doc).
type Metrics struct {
	ID string `json:"id"`
	// AccountID is the account of the user who made the request. It is not
	// part of the JSON output: it exists so the HTTP layer can show the
	// metrics only to that account's admins.
	AccountID  int64     `json:"-"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Status     int       `json:"status"`
	DurationMS float64   `json:"duration_ms"`
	CPUTimeMS  float64   `json:"cpu_time_ms"`
	AllocBytes uint64    `json:"alloc_bytes"`
	Allocs     uint64    `json:"allocs"`
	DBQueries  int64     `json:"db_queries"`
	DBTimeMS   float64   `json:"db_time_ms"`
	StartedAt  time.Time `json:"started_at"`
}

// Runtime metric names read at Start and Finish. Both are cumulative
// counters since process start, so a difference is what was allocated in
// between.
const (
	allocBytesMetric   = "/gc/heap/allocs:bytes"
	allocObjectsMetric = "/gc/heap/allocs:objects"
)

// Tracker measures one request from Start to Finish. Its query counters are
// updated atomically by QueryHook, so a handler may run queries from several
// goroutines; Start and Finish themselves are called by the one goroutine
// that serves the request.
type Tracker struct {
	id          string
	start       time.Time // carries a monotonic reading: Duration ignores wall-clock steps
	startCPU    time.Duration
	startBytes  uint64
	startAllocs uint64

	dbQueries atomic.Int64
	dbNanos   atomic.Int64
}

// Start begins tracking a request: it assigns the random id and records the
// clock, the process CPU time and the heap allocation counters.
func Start() *Tracker {
	t := &Tracker{id: newID()}
	// The counters are read before the clock here and after it in Finish, so
	// the window they measure contains the whole reported duration.
	t.startBytes, t.startAllocs = readAllocs()
	t.startCPU = processCPUTime()
	t.start = time.Now()
	return t
}

// ID returns the tracking id, 32 lowercase hex digits (128 random bits), so
// the caller can send it in X-Resource-Tracking-ID before writing the body.
// The id is unguessable: knowing it is what lets a client read the metrics
// (together with the account check), so it must not be sequential.
func (t *Tracker) ID() string {
	if t == nil {
		return ""
	}
	return t.id
}

// Finish returns the request's metrics up to now. It may be called more than
// once (each call measures up to its own moment); queries that end after the
// call are not in its result.
//
// CPUTimeMS, AllocBytes and Allocs are process-wide deltas: they include the
// work of every goroutine that ran between Start and Finish (concurrent
// requests, background jobs, the garbage collector), not just this request.
// They approximate the request's cost only on an otherwise quiet server.
func (t *Tracker) Finish(method, path string, status int, accountID int64) Metrics {
	elapsed := time.Since(t.start)
	cpu := processCPUTime()
	bytes, allocs := readAllocs()
	return Metrics{
		ID:         t.id,
		AccountID:  accountID,
		Method:     method,
		Path:       path,
		Status:     status,
		DurationMS: millis(elapsed),
		// The counters only grow, but a clamp keeps an unsupported platform
		// (CPU time 0) or a runtime quirk from producing negative or wrapped
		// figures.
		CPUTimeMS:  millis(max(cpu-t.startCPU, 0)),
		AllocBytes: delta(bytes, t.startBytes),
		Allocs:     delta(allocs, t.startAllocs),
		DBQueries:  t.dbQueries.Load(),
		DBTimeMS:   millis(time.Duration(t.dbNanos.Load())),
		// UTC also drops the monotonic reading, which means nothing once
		// stored or serialised.
		StartedAt: t.start.UTC(),
	}
}

// addQuery records one finished database query.
func (t *Tracker) addQuery(d time.Duration) {
	t.dbQueries.Add(1)
	t.dbNanos.Add(int64(max(d, 0)))
}

// ctxKey is unexported so no other package can store or read a Tracker under
// it, and no other context value can collide with it.
type ctxKey struct{}

// WithTracker returns a context carrying t, for the handler and every query
// it runs. A nil t returns ctx unchanged.
func WithTracker(ctx context.Context, t *Tracker) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	if t == nil {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, t)
}

// FromContext returns the Tracker stored by WithTracker, or nil when the
// request is not tracked.
func FromContext(ctx context.Context) *Tracker {
	if ctx == nil {
		return nil
	}
	t, _ := ctx.Value(ctxKey{}).(*Tracker)
	return t
}

// newID returns 128 random bits in hex. crypto/rand.Read never fails since
// Go 1.24 (the program crashes instead), so the error is not checked.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID reports whether id has the shape newID produces. Stores reject
// anything else, so a client-supplied id can never address another key.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// readAllocs returns the cumulative heap allocation counters. The samples
// slice is local: runtime/metrics.Read writes into it, so sharing one across
// goroutines would race.
func readAllocs() (bytes, objects uint64) {
	samples := [2]metrics.Sample{{Name: allocBytesMetric}, {Name: allocObjectsMetric}}
	metrics.Read(samples[:])
	// A metric the runtime does not know reads as KindBad; report 0 rather
	// than panic on Uint64.
	if samples[0].Value.Kind() == metrics.KindUint64 {
		bytes = samples[0].Value.Uint64()
	}
	if samples[1].Value.Kind() == metrics.KindUint64 {
		objects = samples[1].Value.Uint64()
	}
	return bytes, objects
}

func delta(now, start uint64) uint64 {
	if now < start {
		return 0
	}
	return now - start
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
