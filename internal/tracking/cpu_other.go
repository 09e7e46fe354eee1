//go:build !unix

package tracking

import "time"

// processCPUTime reports 0 where getrusage does not exist (Windows, wasm):
// the server is deployed on Linux, and a build elsewhere should still work,
// with CPUTimeMS always 0.
func processCPUTime() time.Duration { return 0 }
