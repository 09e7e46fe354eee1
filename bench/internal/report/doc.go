// Package report renders the measurements of a run as Markdown: the rounds
// as measured, a summary per target (medians over rounds with their range)
// and the ratios between targets, taken round by round. It only formats
// what it is given; a target or ratio without measurements prints "–" or
// its skip reason, never a number.
package report
