// Package targets starts, checks and stops the servers under test — the
// igny8-server binary (PostgreSQL or SQLite), the ceiling and the DRF
// project under gunicorn — and builds the identical request lists each
// one is loaded with. Every server runs as a child process in its own
// process group, is stopped by its pid (SIGTERM, then SIGKILL of that
// group after a grace period) and logs into the run's work directory.
package targets
