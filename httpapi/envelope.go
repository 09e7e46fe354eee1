package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

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

type listBody struct {
	Success   bool    `json:"success"`
	Count     int     `json:"count"`
	Next      *string `json:"next"`
	Previous  *string `json:"previous"`
	Results   any     `json:"results"`
	RequestID string  `json:"request_id,omitempty"`
}

type errorBody struct {
	Success   bool                `json:"success"`
	Error     string              `json:"error"`
	Errors    map[string][]string `json:"errors,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Encode into a buffer first: the answer then goes out in one write
	// with a Content-Length (not in 4 KB chunks of chunked encoding), and a
	// value that cannot be encoded becomes a clean 500 instead of a
	// truncated body behind a 200.
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"success":false,"error":"internal server error"}` + "\n"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeData answers with the success envelope.
func writeData(w http.ResponseWriter, r *http.Request, status int, data any, message string) {
	writeJSON(w, status, successBody{Success: true, Data: data, Message: message, RequestID: RequestID(r.Context())})
}

// writeList answers with the list envelope: count, absolute next/previous
// page URLs and the results at the top level, as DRF's paginator did.
func (a *api) writeList(w http.ResponseWriter, r *http.Request, page, pageSize int, res listResult) {
	body := listBody{Success: true, Count: res.Count, Results: res.Results, RequestID: RequestID(r.Context())}
	if page*pageSize < res.Count {
		body.Next = a.pageURL(r, page+1)
	}
	if page > 1 {
		body.Previous = a.pageURL(r, page-1)
	}
	writeJSON(w, http.StatusOK, body)
}

// pageURL is the absolute URL of another page of this list, built on the
// configured public URL, not on the request's Host header.
func (a *api) pageURL(r *http.Request, page int) *string {
	base, err := url.Parse(a.cfg.PublicURL)
	if err != nil {
		return nil
	}
	q := r.URL.Query()
	if page <= 1 {
		q.Del("page")
	} else {
		q.Set("page", strconv.Itoa(page))
	}
	u := *base
	u.Path = r.URL.Path
	u.RawQuery = q.Encode()
	s := u.String()
	return &s
}

// writeError answers with the error envelope (or the raw DRF-style body
// when the unified handler is off). Internal errors show a generic text and
// are logged with the request id; the cause never reaches the client.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(errs.CodeOf(err))
	if errors.Is(err, errTooLarge) {
		status = http.StatusRequestEntityTooLarge
		err = errs.Field("body", "request body is too large")
	}
	a.writeErrorStatus(w, r, status, err)
}

func (a *api) writeErrorStatus(w http.ResponseWriter, r *http.Request, status int, err error) {
	body := errorBody{RequestID: RequestID(r.Context())}
	if e := errs.As(err); e != nil && e.Code != errs.Internal {
		body.Error = e.Message
		body.Errors = e.Fields
	} else {
		body.Error = "internal server error"
		status = http.StatusInternalServerError
		a.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("error", err))
	}
	if body.Error == "" {
		body.Error = http.StatusText(status)
	}
	if a.cfg.RawErrors {
		if len(body.Errors) > 0 {
			writeJSON(w, status, body.Errors)
		} else {
			writeJSON(w, status, map[string]string{"detail": body.Error})
		}
		return
	}
	writeJSON(w, status, body)
}
