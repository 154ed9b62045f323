//go:build linux

package search

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// releaseMapped tells the kernel that this process no longer needs the
// pages of the files under dir that it has mapped (Bleve maps its segment
// files). Building the in-memory copy reads every page of them, which
// would otherwise stay counted in the resident memory of the process. The
// pages stay in the page cache; a later read faults them back in. It
// returns the bytes of the mappings it released.
func releaseMapped(dir string) (int64, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return 0, fmt.Errorf("release mapped pages of %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	prefix := abs + string(filepath.Separator)
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("release mapped pages of %s: %w", dir, err)
	}
	var released int64
	sc := bufio.NewScanner(bytes.NewReader(maps))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasPrefix(f[5], prefix) || strings.Contains(f[1], "w") {
			continue
		}
		start, end, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		lo, err1 := strconv.ParseUint(start, 16, 64)
		hi, err2 := strconv.ParseUint(end, 16, 64)
		if err1 != nil || err2 != nil || hi <= lo {
			continue
		}
		// A read-only shared file mapping: dropping its pages loses
		// nothing, they are read again from the file when needed.
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(lo), uintptr(hi-lo), unix.MADV_DONTNEED); errno != 0 {
			continue // unmapped meanwhile (a segment merged away)
		}
		released += int64(hi - lo)
	}
	if err := sc.Err(); err != nil {
		return released, fmt.Errorf("release mapped pages of %s: %w", dir, err)
	}
	return released, nil
}
