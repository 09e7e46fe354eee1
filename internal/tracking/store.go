package tracking

import (
	"context"
	"time"
)

// DefaultTTL is how long callers keep metrics: long enough for a developer to
// fetch them after the request, short enough that the store stays small.
const DefaultTTL = 5 * time.Minute

// Store keeps Metrics for a limited time under their ID.
//
// Get reports ok=false, with a nil error, for an id that is unknown,
// expired or not shaped like a tracking id; an error means the store itself
// failed. Callers must compare Metrics.AccountID with the reader's account
// before showing anything.
type Store interface {
	Put(ctx context.Context, m Metrics) error
	Get(ctx context.Context, id string) (Metrics, bool, error)
}

var (
	_ Store = (*MemoryStore)(nil)
	_ Store = (*RedisStore)(nil)
)
