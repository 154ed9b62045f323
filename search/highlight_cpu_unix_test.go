//go:build unix

package search

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time the process has used (all its threads, the
// garbage collector's included): on a busy machine it says more about a
// benchmark's cost than the elapsed time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
