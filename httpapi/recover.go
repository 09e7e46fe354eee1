package httpapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// withRecover turns a panic into a 500 envelope with the request id instead
// of a dropped connection, and logs the stack.
func withRecover(a *api, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			a.log.ErrorContext(r.Context(), "panic serving request",
				slog.String("panic", fmt.Sprint(rec)), slog.String("stack", string(debug.Stack())))
			a.writeError(w, r, fmt.Errorf("panic: %v", rec))
		}()
		next.ServeHTTP(w, r)
	})
}
