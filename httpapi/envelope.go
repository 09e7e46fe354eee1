package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/igny8/igny8-go/errs"
)

// statusOf is the one table from errs codes to HTTP statuses.
func statusOf(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.InsufficientCredits:
		return http.StatusPaymentRequired
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type successBody struct {
	Success   bool   `json:"success"`
	Data      any    `json:"data"`
	Message   string `json:"message,omitempty"`
	RequestID string `json:"request_id,omitempty"`
}

type errorBody struct {
	Success   bool                `json:"success"`
	Error     string              `json:"error"`
	Errors    map[string][]string `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

// writeJSON writes v with status; encoding errors are only loggable, the
// status line is already out.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeData answers with the success envelope.
func writeData(w http.ResponseWriter, r *http.Request, status int, data any, message string) {
	writeJSON(w, status, successBody{Success: true, Data: data, Message: message, RequestID: RequestID(r.Context())})
}

// writeError answers with the error envelope. Internal errors show a generic
// text and are logged with the request id; the cause never reaches the client.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := errs.CodeOf(err)
	status := statusOf(code)
	body := errorBody{RequestID: RequestID(r.Context())}
	if e := errs.As(err); e != nil && code != errs.Internal {
		body.Error = e.Message
		body.Errors = e.Fields
	} else {
		body.Error = "internal server error"
		log.ErrorContext(r.Context(), "request failed", slog.String("request_id", body.RequestID),
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	if body.Error == "" {
		body.Error = http.StatusText(status)
	}
	writeJSON(w, status, body)
}
