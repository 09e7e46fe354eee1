package ai

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name   string
		header http.Header
		want   time.Duration
		ok     bool
	}{
		{"none", http.Header{}, 0, false},
		{"seconds", http.Header{"Retry-After": {"20"}}, 20 * time.Second, true},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond, true},
		{"milliseconds win", http.Header{"Retry-After-Ms": {"250"}, "Retry-After": {"1"}}, 250 * time.Millisecond, true},
		{"bad milliseconds fall back", http.Header{"Retry-After-Ms": {"soon"}, "Retry-After": {"2"}}, 2 * time.Second, true},
		{"HTTP date", http.Header{"Retry-After": {now.Add(30 * time.Second).Format(http.TimeFormat)}}, 30 * time.Second, true},
		{"past date", http.Header{"Retry-After": {now.Add(-time.Minute).Format(http.TimeFormat)}}, 0, true},
		{"negative", http.Header{"Retry-After": {"-3"}}, 0, false},
		{"huge", http.Header{"Retry-After": {"1e300"}}, 0, false},
		{"garbage", http.Header{"Retry-After": {"later"}}, 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.header, now)
		assert.Equal(t, c.ok, ok, c.name)
		assert.Equal(t, c.want, got, c.name)
	}
}

func TestRedactAndClip(t *testing.T) {
	assert.Equal(t, "key [redacted] bad", redact("key my-local-secret bad", "my-local-secret"))
	assert.Equal(t, "Incorrect API key provided: [redacted].", redact("Incorrect API key provided: sk-proj-****************abcd.", ""))
	assert.Equal(t, "no key here", redact("no key here", ""))

	long := strings.Repeat("é", 400)
	assert.Equal(t, 301, len([]rune(clip(long))))
	assert.Equal(t, "short", clip("short"))
}

func TestProviderErrorText(t *testing.T) {
	pe := &providerError{kind: "status", status: 429, typ: "requests", code: "rate_limit_exceeded"}
	assert.Equal(t, `ai provider: status 429 (type "requests", code "rate_limit_exceeded")`, pe.Error())
	assert.False(t, IsRetryable(nil))
	_, ok := RetryAfter(nil)
	assert.False(t, ok)
}
