package logging

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// AccessRecord logs one INFO "request" line for a served HTTP request. The
// request_id, account_id and user_id come from ctx (see WithAttrs). path
// must be r.URL.Path: a query string can carry tokens (password reset links,
// ?api_key=) that would otherwise sit in the access log, so anything from a
// '?' on is dropped here as well in case a caller passes r.RequestURI.
func AccessRecord(ctx context.Context, log *slog.Logger, method, path string, status int, dur time.Duration, bytes int64, remoteAddr string) {
	if log == nil {
		log = slog.Default()
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	log.LogAttrs(ctx, slog.LevelInfo, "request",
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(dur)/float64(time.Millisecond)),
		slog.Int64("bytes", bytes),
		slog.String("remote_addr", remoteAddr),
	)
}
