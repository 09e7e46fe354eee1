// Package cli is what the three igny8 binaries share: reading IGNY8_*
// environment variables into an igny8.Config, building the logger, and
// cancelling a context on SIGINT/SIGTERM. Only the binaries read the
// environment; the library takes a Config.
package cli
