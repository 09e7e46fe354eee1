// Package stats summarises repeated measurements: the median with the
// min–max range over rounds, and per-round ratios between two targets.
// Ratios are taken round by round (targets measured minutes apart on a
// shared machine see different noise) and only then summarised.
package stats
