//go:build unix

package indexer

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// dirLock is an advisory lock on the file <index>.lock beside the index
// directory. It guards the directory and its rebuild siblings (<index>.next,
// <index>.old) as a whole, so that no process repairs or swaps directories
// another process is using. The kernel drops it when the holder dies, even
// by kill -9.
type dirLock struct{ f *os.File }

// lockDir takes the lock of the index at key, waiting up to wait for
// another holder; it then fails with an error wrapping ErrLocked.
func lockDir(key string, wait time.Duration) (*dirLock, error) {
	f, err := os.OpenFile(key+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock file: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &dirLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, ErrLocked
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unlock releases the lock; closing the file drops the flock.
func (l *dirLock) unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}
