//go:build unix

package tracking

import (
	"syscall"
	"time"
)

// processCPUTime returns the user plus system CPU time consumed so far by the
// whole process (all threads), or 0 if getrusage fails. Go has no
// per-goroutine CPU clock, which is why the Tracker's CPU figure is a
// process-wide delta.
func processCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
