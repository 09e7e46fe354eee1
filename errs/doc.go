// Package errs defines the one error type that crosses every layer of igny8:
// a machine-readable Code, a human message and, for validation failures, the
// offending fields. Services return *errs.Error (possibly wrapped); the HTTP
// layer maps the Code to a status through a single table, and Go callers test
// it with errs.CodeOf or errors.As.
package errs
