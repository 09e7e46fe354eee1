// Package examples holds runnable programs that use igny8 as a library:
// embed (the services from another Go program, no HTTP) and planner (keywords,
// clusters and ideas through planner.Service). Each lives in its
// own directory as a main package; `go run ./examples/embed` runs one.
package examples
