// Package logging builds the slog loggers of the igny8 binaries and server.
//
// Every record is JSON, at the configured level, with secrets redacted: an
// attribute whose name looks like a secret (IsSecretKey), every attribute
// inside a group with such a name, and any string value of the form
// "Bearer <token>" is written as "[REDACTED]", on every output, so a stray
// password or token never reaches a terminal or a log file.
//
// Request and job context: WithAttrs stores attributes (request_id,
// account_id, user_id, job_id) in a context.Context, and ContextHandler adds
// them to every record logged with that context, at the top level even under
// WithGroup. The HTTP middleware sets them once per request, so handlers
// just call log.InfoContext(ctx, …); AccessRecord writes the one access line
// per request.
//
// Channels: the original Django system wrote, besides the console, one
// rotating file per integration (publish_sync, wordpress_api, webhooks).
// Open returns a Set whose Base logger writes to stdout and whose Channel
// loggers fan out with slog-multi to stdout and <dir>/<channel>.log, rotated
// by size with lumberjack (gzip-compressed backups, a bounded number kept).
//
// New, for the binaries' start-up logging, is the stdout-only logger with
// the same context attributes and redaction.
//
// The package has no global logger and no mutable package state: the
// binaries build the loggers and pass them down.
package logging
