// Package procmem reads the memory of a process tree from /proc (Linux): a
// server and every descendant, so gunicorn's master and its workers count
// together. VmHWM is each process's own peak RSS; summing it gives an upper
// bound of the tree's peak (peaks of different processes need not
// coincide), which is why a Sampler also records the largest sum of VmRSS
// and of Pss (shared pages split between sharers) seen while it runs.
package procmem
