//go:build unix

package indexer_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the user and system CPU time of the process so far: a figure
// less disturbed than wall time by other work on a shared machine.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
