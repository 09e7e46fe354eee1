package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"
	"github.com/igny8/igny8-go/errs"
)

// Status is what the status endpoint reports about the running App.
type Status struct {
	Version     string
	Database    string
	DatabaseErr error
	Uptime      time.Duration
}

// Deps are the services the API serves. The root package fills them.
type Deps struct {
	Logger *slog.Logger
	Status func(ctx context.Context) Status
}

// New builds the /api/v1 handler.
func New(d Deps) http.Handler {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	r := mux.NewRouter()
	r.StrictSlash(false)
	api := r.PathPrefix("/api/v1").Subrouter()
	api.Handle("/system/status/", systemStatus(d)).Methods(http.MethodGet, http.MethodHead)

	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		writeError(w, req, d.Logger, errs.NotFoundf("no such endpoint: %s", req.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{
			Error: "method " + req.Method + " not allowed", RequestID: RequestID(req.Context()),
		})
	})
	return withRequestID(withRecover(d.Logger, r))
}
