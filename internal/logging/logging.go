package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// ParseLevel reads debug, info, warn or error ("" is info).
func ParseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown log level %q: want debug, info, warn or error", s)
}

// secretKeys are fragments of attribute names whose values are never logged.
// Matching by fragment catches the variants (db_password, access_token,
// X-Api-Key) without listing each one.
var secretKeys = []string{"password", "secret", "token", "api_key", "apikey", "authorization", "cookie"}

// exactSecretKeys are names that hold a secret only when they are the whole
// key: the JWT pair of the original API is sent as "access" and "refresh",
// but fragments of those words (access_level, refresh_interval) are ordinary
// data that must stay readable.
var exactSecretKeys = []string{"access", "refresh"}

// redacted replaces every secret value, so a grep for it shows where a
// secret would have leaked.
const redacted = "[REDACTED]"

// IsSecretKey reports whether an attribute of this name holds a secret.
// Case is ignored and '-' counts as '_', so header names (X-Api-Key) match
// like field names (api_key).
func IsSecretKey(key string) bool {
	k := strings.ReplaceAll(strings.ToLower(key), "-", "_")
	for _, s := range exactSecretKeys {
		if k == s {
			return true
		}
	}
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// isBearer reports whether s is an HTTP bearer credential ("Bearer <token>"):
// an Authorization header copied into a field with an innocent name (header,
// value, raw) would otherwise escape key-based redaction.
func isBearer(s string) bool {
	const prefix = "bearer "
	return len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// redact is the ReplaceAttr of every handler built here. slog calls it for
// each leaf attribute with the names of the groups that enclose it, so a leaf
// is redacted when its own key or any enclosing group's key is secret
// (slog.Group("password", "old", a, "new", b) hides both values).
func redact(groups []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		// slog only passes leaves, but a custom caller could pass a group;
		// its leaves are visited on their own.
		return a
	}
	if IsSecretKey(a.Key) {
		return slog.String(a.Key, redacted)
	}
	for _, g := range groups {
		if IsSecretKey(g) {
			return slog.String(a.Key, redacted)
		}
	}
	if a.Value.Kind() == slog.KindString && isBearer(a.Value.String()) {
		return slog.String(a.Key, redacted)
	}
	return a
}

// newJSON is the one place the JSON encoding, level and redaction of every
// output are decided, so stdout and the channel files cannot drift apart.
func newJSON(w io.Writer, level slog.Level) slog.Handler {
	return slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redact})
}

// New returns a JSON logger writing to w at level. Records logged with a
// context carry the attributes added to it by WithAttrs (request_id, …).
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(NewContextHandler(newJSON(w, level)))
}
