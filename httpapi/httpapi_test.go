package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/igny8/igny8-go/errs"
)

func newTestHandler(dbErr error) (http.Handler, *bytes.Buffer) {
	var logs bytes.Buffer
	h, _, err := New(Deps{
		Logger: slog.New(slog.NewJSONHandler(&logs, nil)),
		Status: func(context.Context) Status { return Status{Version: "test", Database: "sqlite", DatabaseErr: dbErr} },
	})
	if err != nil {
		panic(err)
	}
	return h, &logs
}

func do(h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &m), rec.Body.String())
	return m
}

func TestStatusEnvelope(t *testing.T) {
	h, _ := newTestHandler(nil)
	rec := do(h, http.MethodGet, "/api/v1/system/status/", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	body := decode(t, rec)
	assert.Equal(t, true, body["success"])
	data := body["data"].(map[string]any)
	assert.Equal(t, "ok", data["status"])
	assert.Equal(t, "test", data["version"])
	assert.Equal(t, rec.Header().Get("X-Request-ID"), body["request_id"])
	assert.Len(t, body["request_id"], 32)
}

func TestStatusWhenDatabaseDown(t *testing.T) {
	h, logs := newTestHandler(errors.New("dial tcp: connection refused to secret-host"))
	rec := do(h, http.MethodGet, "/api/v1/system/status/", nil)
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	body := decode(t, rec)
	assert.Equal(t, false, body["success"])
	assert.Equal(t, "database unavailable", body["error"])
	assert.NotContains(t, rec.Body.String(), "secret-host", "causes stay in the logs")
	assert.Contains(t, logs.String(), "secret-host")
}

func TestRequestIDAcceptedOrReplaced(t *testing.T) {
	h, _ := newTestHandler(nil)
	rec := do(h, http.MethodGet, "/api/v1/system/status/", http.Header{"X-Request-Id": {"abc-123_x.y"}})
	assert.Equal(t, "abc-123_x.y", rec.Header().Get("X-Request-ID"))
	for _, bad := range []string{"has space", strings.Repeat("a", 129), "new\nline", "<script>"} {
		rec = do(h, http.MethodGet, "/api/v1/system/status/", http.Header{"X-Request-Id": {bad}})
		got := rec.Header().Get("X-Request-ID")
		assert.NotEqual(t, bad, got)
		assert.Len(t, got, 32)
	}
}

func TestUnknownRouteAndMethod(t *testing.T) {
	h, _ := newTestHandler(nil)
	rec := do(h, http.MethodGet, "/api/v1/nope/", nil)
	assert.Equal(t, http.StatusNotFound, rec.Code)
	body := decode(t, rec)
	assert.Equal(t, false, body["success"])
	assert.NotEmpty(t, body["request_id"])

	rec = do(h, http.MethodDelete, "/api/v1/system/status/", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, false, decode(t, rec)["success"])
}

func TestPanicBecomes500Envelope(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := withRequestID(withRecover(&api{log: log}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: internal detail")
	})))
	rec := do(h, http.MethodGet, "/x", nil)
	require.Equal(t, http.StatusInternalServerError, rec.Code)
	body := decode(t, rec)
	assert.Equal(t, "internal server error", body["error"])
	assert.Equal(t, rec.Header().Get("X-Request-ID"), body["request_id"])
	assert.NotContains(t, rec.Body.String(), "internal detail")
	assert.Contains(t, logs.String(), "internal detail")
}

func TestErrorTable(t *testing.T) {
	want := map[errs.Code]int{
		errs.Invalid: 400, errs.Unauthenticated: 401, errs.InsufficientCredits: 402, errs.Forbidden: 403,
		errs.NotFound: 404, errs.Conflict: 409, errs.RateLimited: 429, errs.Unavailable: 503, errs.Internal: 500,
	}
	for code, status := range want {
		assert.Equal(t, status, statusOf(code), code)
	}
	// Field errors travel in "errors".
	rec := httptest.NewRecorder()
	(&api{log: slog.Default()}).writeError(rec, httptest.NewRequest(http.MethodPost, "/x", nil), errs.Field("email", "is not a valid email address"))
	assert.Equal(t, 400, rec.Code)
	body := decode(t, rec)
	assert.Equal(t, map[string]any{"email": []any{"is not a valid email address"}}, body["errors"])
}
