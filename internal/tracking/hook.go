package tracking

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// QueryHook counts the queries of tracked requests. Register it once on the
// shared database with db.AddQueryHook(tracking.QueryHook{}); it has no
// state of its own; the counts go to the Tracker found in each query's
// context, so one hook serves every request.
type QueryHook struct{}

var _ bun.QueryHook = QueryHook{}

// BeforeQuery does nothing: bun already stamps event.StartTime before calling
// it, and returning ctx unchanged keeps untracked queries free of work.
func (QueryHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

// AfterQuery adds the query and its duration to the Tracker in ctx, if any.
// Failed queries count too: they cost a round trip all the same.
func (QueryHook) AfterQuery(ctx context.Context, event *bun.QueryEvent) {
	t := FromContext(ctx)
	if t == nil || event == nil {
		return
	}
	t.addQuery(time.Since(event.StartTime))
}
