package httpapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/igny8/igny8-go/errs"
	"github.com/igny8/igny8-go/internal/tracking"
)

// trackingHeader asks for resource tracking of one request; only admin-level
// users get it (the measurements reveal server internals).
const trackingHeader = "X-Debug-Resource-Tracking"

// startTracking begins tracking when an admin asks for it, and announces
// the id before the body is written.
func (a *api) startTracking(c *call) *tracking.Tracker {
	if c.r.Header.Get(trackingHeader) != "1" || c.who == nil || c.who.user == nil ||
		!c.tenant.Role.IsAdminOrDeveloper() {
		return nil
	}
	tr := tracking.Start()
	c.w.Header().Set("X-Resource-Tracking-ID", tr.ID())
	return tr
}

func (a *api) finishTracking(c *call, tr *tracking.Tracker, rec *recorder) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	m := tr.Finish(c.r.Method, c.r.URL.Path, status, c.tenant.AccountID)
	// The request is over; its context may already be cancelled.
	if err := a.metrics.Put(context.WithoutCancel(c.r.Context()), m); err != nil {
		a.log.ErrorContext(c.r.Context(), "store resource tracking", slog.Any("error", err))
	}
}

// requestMetrics answers GET /system/request-metrics/{id}/ for admins of
// the account the tracked request belonged to; anything else is not found.
func (a *api) requestMetrics(c *call) (any, error) {
	id := mux.Vars(c.r)["id"]
	m, ok, err := a.metrics.Get(c.r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !ok || m.AccountID != c.tenant.AccountID {
		return nil, errs.NotFoundf("no metrics %s (they are kept for a few minutes)", id)
	}
	return m, nil
}
