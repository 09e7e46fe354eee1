// Package logging builds the slog loggers of the igny8 binaries: JSON
// records to stdout, the level from configuration, and secrets redacted by
// attribute name so a stray password or token never reaches a log file.
// The per-channel rotating files of the original (publish_sync,
// wordpress_api, webhooks) fan out from here with slog-multi as those
// channels get writers.
package logging
