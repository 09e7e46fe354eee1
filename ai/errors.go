package ai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/openai/openai-go/v3"

	"github.com/igny8/igny8-go/errs"
)

// providerError is the cause attached to every classified provider failure.
// It carries what IsRetryable and RetryAfter need and a log-safe detail.
//
// It deliberately does not unwrap to the SDK's error: that error holds the
// outgoing *http.Request with the Authorization header, and a per-attempt
// timeout would otherwise satisfy errors.Is(err, context.DeadlineExceeded),
// which callers reserve for their own deadline.
type providerError struct {
	kind       string // "status", "timeout", "connection", "no choices", …
	status     int
	typ, code  string
	retryable  bool
	retryAfter time.Duration
	hasAfter   bool
	detail     string // redacted; status errors carry theirs in the message
}

func (e *providerError) Error() string {
	var b strings.Builder
	b.WriteString("ai provider: ")
	b.WriteString(e.kind)
	if e.status != 0 {
		fmt.Fprintf(&b, " %d", e.status)
	}
	if e.typ != "" || e.code != "" {
		fmt.Fprintf(&b, " (type %q, code %q)", e.typ, e.code)
	}
	if e.detail != "" {
		b.WriteString(": ")
		b.WriteString(e.detail)
	}
	return b.String()
}

// IsRetryable reports whether err is a provider failure that may succeed if
// the same request is sent again later: a timeout, a connection error, a 429
// rate limit or a 5xx (also 408 and 409, which the SDK retries too). The SDK
// has already retried such failures MaxRetries times; this tells a job
// runner whether to schedule another attempt. An exhausted quota (429
// insufficient_quota), ErrNotConfigured and the caller's own context errors
// are not retryable.
func IsRetryable(err error) bool {
	var pe *providerError
	return errors.As(err, &pe) && pe.retryable
}

// RetryAfter returns the wait the provider asked for (Retry-After-Ms or
// Retry-After) with a rate-limit or unavailability answer, if it sent one.
func RetryAfter(err error) (time.Duration, bool) {
	var pe *providerError
	if errors.As(err, &pe) && pe.hasAfter {
		return pe.retryAfter, true
	}
	return 0, false
}

// classify turns an SDK error into the error Complete/Generate return.
func classify(ctx context.Context, err error, apiKey string) error {
	// The caller's context first: if it is done, whatever the transport
	// reported is a consequence of the caller giving up.
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}

	var apiErr *openai.Error
	if errors.As(err, &apiErr) {
		return classifyStatus(apiErr, apiKey)
	}

	detail := redact(err.Error(), apiKey)
	var urlErr *url.Error
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		// The caller's context is alive, so this deadline is the SDK's
		// per-attempt timeout (or the HTTP client's own).
		return errs.Wrap(&providerError{kind: "timeout", retryable: true, detail: detail},
			errs.Unavailable, "AI provider did not answer in time")
	case errors.As(err, &urlErr), errors.As(err, &netErr),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, context.Canceled):
		// Transport failures: refused, reset, DNS, TLS, a body cut short,
		// or a request cancelled by a transport while ctx is still alive.
		return errs.Wrap(&providerError{kind: "connection", retryable: true, detail: detail},
			errs.Unavailable, "AI provider could not be reached")
	default:
		// An answer the SDK could not decode, or a request it could not
		// build: sending the same request again will not help.
		return errs.Wrap(&providerError{kind: "unusable answer", detail: detail},
			errs.Unavailable, "AI provider call failed")
	}
}

func classifyStatus(apiErr *openai.Error, apiKey string) error {
	pe := &providerError{
		kind:   "status",
		status: apiErr.StatusCode,
		typ:    redact(apiErr.Type, apiKey),
		code:   redact(apiErr.Code, apiKey),
	}
	if apiErr.Response != nil {
		pe.retryAfter, pe.hasAfter = parseRetryAfter(apiErr.Response.Header, time.Now())
	}
	status := apiErr.StatusCode
	switch {
	case status == http.StatusUnauthorized:
		// Never the provider's message: OpenAI's echoes part of the key.
		return errs.Wrap(pe, errs.Unauthenticated, "AI provider rejected the API key")
	case status == http.StatusForbidden:
		return errs.Wrap(pe, errs.Forbidden, "AI provider rejected the API key: access to this model or API is forbidden")
	case status == http.StatusTooManyRequests:
		if apiErr.Code == "insufficient_quota" || apiErr.Type == "insufficient_quota" {
			// Same status as a rate limit, but it lasts until someone pays:
			// retrying only burns attempts.
			return errs.Wrap(pe, errs.Unavailable, "AI provider quota exhausted")
		}
		pe.retryable = true
		msg := "AI provider rate limited the request"
		if pe.hasAfter {
			msg += "; retry after " + pe.retryAfter.String()
		}
		return errs.Wrap(pe, errs.Unavailable, msg)
	case status == http.StatusRequestTimeout, status == http.StatusConflict, status >= 500:
		pe.retryable = true
		msg := fmt.Sprintf("AI provider unavailable (HTTP %d)", status)
		if pe.hasAfter {
			msg += "; retry after " + pe.retryAfter.String()
		}
		return errs.Wrap(pe, errs.Unavailable, msg)
	case status >= 400:
		// Bad request, unknown model, unsupported parameter: the provider's
		// message names the problem, so it is kept (redacted, clipped).
		text := strings.TrimSpace(redact(apiErr.Message, apiKey))
		if text == "" {
			text = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
		}
		return errs.Wrap(pe, errs.Invalid, "AI provider rejected the request: "+clip(text))
	default:
		return errs.Wrap(pe, errs.Unavailable, fmt.Sprintf("AI provider answered HTTP %d", status))
	}
}

// parseRetryAfter reads the provider's wait the way the SDK does:
// Retry-After-Ms (milliseconds) first, then Retry-After (seconds or an HTTP
// date).
func parseRetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 && ms < math.MaxInt64/float64(time.Millisecond) {
			return time.Duration(ms * float64(time.Millisecond)), true
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s >= 0 && s < math.MaxInt64/float64(time.Second) {
			return time.Duration(s * float64(time.Second)), true
		}
		return 0, false
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0).Round(time.Second), true
	}
	return 0, false
}

// keyLike matches OpenAI-style secret keys (sk-…, sk-proj-…), including the
// partly starred form OpenAI echoes in its 401 messages.
var keyLike = regexp.MustCompile(`sk-[A-Za-z0-9_*\-]{6,}`)

// redact removes the configured key and anything shaped like a key from
// provider text before it reaches a message or a log.
func redact(s, apiKey string) string {
	if apiKey != "" {
		s = strings.ReplaceAll(s, apiKey, "[redacted]")
	}
	return keyLike.ReplaceAllString(s, "[redacted]")
}

// clip bounds provider text copied into messages: some servers put whole
// stack traces or prompts into their error message.
func clip(s string) string {
	const limit = 300
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit]) + "…"
}
